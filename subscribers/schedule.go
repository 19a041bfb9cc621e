package subscribers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"nashra/keyspace"

	"github.com/redis/go-redis/v9"
)

// Instant is the schedule of readers who want each article as soon as it
// is published: their digests are queued by the poll that stores it.
const Instant = "instant"

// SetSchedule records when the reader wants digests: a cron spec in the
// service's time zone, Instant, or "" for the default digest schedule.
func (s *Store) SetSchedule(ctx context.Context, chatID int64, spec string) error {
	return s.setField(ctx, chatID, keyspace.FieldSchedule, spec)
}

// SetBreaking records whether the reader wants breaking news alerts.
func (s *Store) SetBreaking(ctx context.Context, chatID int64, on bool) error {
	v := keyspace.BreakingOff
	if on {
		v = keyspace.BreakingOn
	}
	return s.setField(ctx, chatID, keyspace.FieldBreaking, v)
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
	// Breaking is the opt-in to breaking news alerts. BreakingSent lists
	// the articles sent as alerts that the cursor has not passed, as
	// stored (comma-separated sequence numbers): a digest leaves them out,
	// and is queued only if the list is still the same (see
	// outbox.DigestRequest).
	Breaking     bool
	BreakingSent string
}

// SentAsBreaking reports whether article seq reached the reader as a
// breaking news alert.
func (st DigestState) SentAsBreaking(seq int64) bool {
	if st.BreakingSent == "" {
		return false
	}
	for f := range strings.SplitSeq(st.BreakingSent, ",") {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil && n == seq {
			return true
		}
	}
	return false
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
				keyspace.FieldLang, keyspace.FieldChatType, keyspace.FieldJoined, keyspace.FieldLastDigest,
				keyspace.FieldBreaking, keyspace.FieldBreakingSent)
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
		if len(v) < 9 || v[0] == nil {
			continue
		}
		str := func(j int) string {
			if s, ok := v[j].(string); ok {
				return s
			}
			return ""
		}
		st := DigestState{ChatID: id, Status: Status(str(0)), Schedule: str(2), Lang: str(3), ChatType: str(4), Follows: decodeFollows(fl[i].Val()),
			Breaking: str(7) == keyspace.BreakingOn, BreakingSent: str(8)}
		st.Cursor, _ = strconv.ParseInt(str(1), 10, 64)
		st.JoinedAt, _ = strconv.ParseInt(str(5), 10, 64)
		st.LastDigestAt, _ = strconv.ParseInt(str(6), 10, 64)
		out = append(out, st)
	}
	return out, nil
}
