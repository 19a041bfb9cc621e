package subscribers

import (
	"context"
	"fmt"
	"strconv"

	"nashra/keyspace"

	"github.com/redis/go-redis/v9"
)

// Instant is the schedule of readers who want each article as soon as it
// is published (within a poll and a minute).
const Instant = "instant"

// SetSchedule records when the reader wants digests: a cron spec in the
// service's time zone, Instant, or "" for the default digest schedule.
func (s *Store) SetSchedule(ctx context.Context, chatID int64, spec string) error {
	return s.setField(ctx, chatID, keyspace.FieldSchedule, spec)
}

// DigestState is what the digest builder needs to know about a reader.
type DigestState struct {
	ChatID       int64
	Status       Status
	Cursor       int64
	Schedule     string
	Lang         string
	ChatType     string
	JoinedAt     int64 // unix seconds
	LastDigestAt int64 // unix seconds; 0 before the first digest
	Follows      []Follow
}

// DigestStates reads the digest state of many readers in one pipelined
// round trip; readers that no longer exist are left out.
func (s *Store) DigestStates(ctx context.Context, ids []int64) ([]DigestState, error) {
	hm := make([]*redis.SliceCmd, len(ids))
	fl := make([]*redis.MapStringStringCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			k := s.ks.ForChat(id)
			hm[i] = p.HMGet(ctx, k.Reader(id), keyspace.FieldStatus, keyspace.FieldCursor, keyspace.FieldSchedule,
				keyspace.FieldLang, keyspace.FieldChatType, keyspace.FieldJoined, keyspace.FieldLastDigest)
			fl[i] = p.HGetAll(ctx, k.Follows(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read digest states: %w", err)
	}
	out := make([]DigestState, 0, len(ids))
	for i, id := range ids {
		v := hm[i].Val()
		if len(v) < 7 || v[0] == nil {
			continue
		}
		str := func(j int) string {
			if s, ok := v[j].(string); ok {
				return s
			}
			return ""
		}
		st := DigestState{ChatID: id, Status: Status(str(0)), Schedule: str(2), Lang: str(3), ChatType: str(4), Follows: decodeFollows(fl[i].Val())}
		st.Cursor, _ = strconv.ParseInt(str(1), 10, 64)
		st.JoinedAt, _ = strconv.ParseInt(str(5), 10, 64)
		st.LastDigestAt, _ = strconv.ParseInt(str(6), 10, 64)
		out = append(out, st)
	}
	return out, nil
}
