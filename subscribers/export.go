package subscribers

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"nashra/keyspace"

	"github.com/redis/go-redis/v9"
)

// Record is one reader as `nashra export` writes it and `nashra import`
// reads it, one JSON object per line:
//
//	{"chat_id": 123, "status": "active", "lang": "ar", "follows": ["sdf", "اقتصاد"],
//	 "schedule": "0 8 * * *", "source": "site-footer", "joined_at": "2026-11-28T08:00:00Z", "cursor": 42}
//
// Only chat_id is required. Follows name catalog topics by slug and
// keywords by the words the reader typed.
//
// The fields after Cursor are not needed to write a reader by hand; export
// writes them so that a backup restores each reader's record exactly. A
// pointer field is omitted when the record has no such field and written
// (possibly empty) when it has one, so the difference survives a round trip.
type Record struct {
	ChatID   int64    `json:"chat_id"`
	Status   Status   `json:"status,omitempty"`
	Lang     string   `json:"lang,omitempty"`
	Follows  []string `json:"follows"`
	Schedule *string  `json:"schedule,omitempty"`
	Source   *string  `json:"source,omitempty"`
	JoinedAt string   `json:"joined_at,omitempty"`
	Cursor   int64    `json:"cursor"`

	ChatType     *string `json:"chat_type,omitempty"`
	StatusReason *string `json:"status_reason,omitempty"`
	UpdatedAt    string  `json:"updated_at,omitempty"`
	LastDigestAt string  `json:"last_digest_at,omitempty"`
	// Extra holds the record's other fields verbatim (migrated_to,
	// migrated_from, and whatever later versions add).
	Extra map[string]string `json:"extra,omitempty"`
}

// knownField reports whether Record names the reader hash's field f; any
// other field goes to Extra.
func knownField(f string) bool {
	switch f {
	case keyspace.FieldStatus, keyspace.FieldLang, keyspace.FieldSchedule, keyspace.FieldCursor, keyspace.FieldSource, keyspace.FieldChatType,
		keyspace.FieldJoined, keyspace.FieldUpdated, keyspace.FieldStatusReason, keyspace.FieldLastDigest:
		return true
	}
	return false
}

// exportBatch is how many readers one pipelined round trip reads.
const exportBatch = 500

// Export writes every reader, whatever their status, as one Record per
// line: shard by shard, and by chat ID within a shard, so two exports of
// the same state are identical. It returns how many readers it wrote.
//
// Export reads while the bot runs; a reader changed during the export is
// written as it was either before or after the change, never half-changed.
func (s *Store) Export(ctx context.Context, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	written := 0
	for n := range Shards {
		ids, err := s.shardReaders(ctx, n)
		if err != nil {
			return written, err
		}
		for batch := range slices.Chunk(ids, exportBatch) {
			recs, err := s.records(ctx, batch)
			if err != nil {
				return written, err
			}
			for _, rec := range recs {
				if err := enc.Encode(rec); err != nil {
					return written, fmt.Errorf("export: write: %w", err)
				}
				written++
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return written, fmt.Errorf("export: write: %w", err)
	}
	return written, nil
}

// shardReaders lists the chat IDs in shard n's readers set, in order.
func (s *Store) shardReaders(ctx context.Context, n int) ([]int64, error) {
	members, err := s.rdb.ZRange(ctx, s.ks.Shard(n).Readers(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("export: list readers of shard %d: %w", n, err)
	}
	ids := make([]int64, 0, len(members))
	for _, m := range members {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// records reads the readers ids in one round trip. The reads are one
// MULTI (per slot on a cluster; ids come from one shard, so one slot), so
// a record and its follows agree.
// Readers that vanished since they were listed are left out.
func (s *Store) records(ctx context.Context, ids []int64) ([]Record, error) {
	hget := make([]*redis.MapStringStringCmd, len(ids))
	fget := make([]*redis.MapStringStringCmd, len(ids))
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			k := s.ks.ForChat(id)
			hget[i] = p.HGetAll(ctx, k.Reader(id))
			fget[i] = p.HGetAll(ctx, k.Follows(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export: read readers: %w", err)
	}
	out := make([]Record, 0, len(ids))
	for i, id := range ids {
		h := hget[i].Val()
		if len(h) == 0 {
			continue
		}
		out = append(out, recordOf(id, h, fget[i].Val()))
	}
	return out, nil
}

// recordOf turns a stored reader into a Record.
func recordOf(id int64, h, follows map[string]string) Record {
	r := Record{
		ChatID:  id,
		Status:  Status(h[keyspace.FieldStatus]),
		Lang:    h[keyspace.FieldLang],
		Follows: []string{},
	}
	opt := func(f string) *string {
		if v, ok := h[f]; ok {
			return &v
		}
		return nil
	}
	r.Schedule = opt(keyspace.FieldSchedule)
	r.Source = opt(keyspace.FieldSource)
	r.ChatType = opt(keyspace.FieldChatType)
	r.StatusReason = opt(keyspace.FieldStatusReason)
	r.Cursor, _ = strconv.ParseInt(h[keyspace.FieldCursor], 10, 64)
	r.JoinedAt = exportTime(h[keyspace.FieldJoined])
	r.UpdatedAt = exportTime(h[keyspace.FieldUpdated])
	r.LastDigestAt = exportTime(h[keyspace.FieldLastDigest])
	for f, v := range h {
		if !knownField(f) {
			if r.Extra == nil {
				r.Extra = make(map[string]string)
			}
			r.Extra[f] = v
		}
	}
	for _, f := range decodeFollows(follows) {
		if f.Topic != "" {
			r.Follows = append(r.Follows, f.Topic)
		} else {
			r.Follows = append(r.Follows, f.Keyword)
		}
	}
	return r
}

// exportTime turns stored unix seconds into RFC 3339 (UTC); "" when the
// field is absent.
func exportTime(v string) string {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return ""
	}
	return time.Unix(n, 0).UTC().Format(time.RFC3339)
}
