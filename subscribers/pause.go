package subscribers

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// EndedPause is a reader whose pause for a while is over: the digest
// builder makes them active again and tells them.
type EndedPause struct {
	ChatID int64
	Until  int64 // the end of the pause, unix s, as stored
	Lang   string
}

// EndedPauses returns, of the paused readers ids, those whose pause ended
// at or before now, in one pipelined round trip. A pause until the reader
// resumes never ends here.
func (s *Store) EndedPauses(ctx context.Context, ids []int64, now time.Time) ([]EndedPause, error) {
	cmds := make([]*redis.SliceCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HMGet(ctx, s.ks.ForChat(id).Reader(id), keyspace.FieldStatus, keyspace.FieldPausedUntil, keyspace.FieldLang)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read pauses: %w", err)
	}
	var out []EndedPause
	for i, id := range ids {
		v := cmds[i].Val()
		if len(v) < 3 {
			continue
		}
		st, _ := v[0].(string)
		ends, _ := v[1].(string)
		lang, _ := v[2].(string)
		until, err := strconv.ParseInt(ends, 10, 64)
		if Status(st) != Paused || err != nil || until <= 0 || until > now.Unix() {
			continue
		}
		out = append(out, EndedPause{ChatID: id, Until: until, Lang: lang})
	}
	return out, nil
}
