package outbox

import (
	"context"
	"fmt"

	"nashra/keyspace"
)

// PauseEndReason is the status reason of a reader whose pause ended.
const PauseEndReason = "pause ended"

// PauseEnd is a reader whose pause for a while is over, and the notice
// that tells them.
type PauseEnd struct {
	ChatID int64
	// Until is the end of the pause as the caller read it; a pause changed
	// since (resumed, stopped, paused again) is left alone.
	Until  int64
	Notice Job
}

// EndPauses makes each reader whose pause ended active again and queues
// their notice in the same step (one script per reader, on the reader's
// slot, in one pipelined round trip), so a reader made active is always
// told, and told once however many builders race. The notices go to the
// high-priority stream, ahead of the digest that may follow. It returns,
// per request, whether the reader was made active.
func (s *Store) EndPauses(ctx context.Context, ends []PauseEnd) ([]bool, error) {
	calls := make([]keyspace.Call, len(ends))
	for i, e := range ends {
		j := e.Notice
		j.Priority = High
		if err := j.validate(); err != nil {
			return nil, fmt.Errorf("end pause of %d: %w", e.ChatID, err)
		}
		if j.ChatID != e.ChatID {
			return nil, fmt.Errorf("end pause of %d: notice %s is for chat %d", e.ChatID, j.ID, j.ChatID)
		}
		k := s.ks.ForChat(e.ChatID)
		keys := append([]string{k.Reader(e.ChatID)}, k.StatusSets()...)
		keys = append(keys, k.Queue(High.String()), k.Job(j.ID), k.Stats(keyspace.StatActivated))
		now := s.now()
		args := []any{e.ChatID, e.Until, now.Unix(), PauseEndReason, ttlSeconds(), keyspace.StatDay(now)}
		calls[i] = keyspace.Call{Keys: keys, Args: append(args, s.encodeJob(j)...)}
	}
	cmds, err := keyspace.RunBatch(ctx, s.rdb, endPauseScript, calls)
	if err != nil {
		return nil, fmt.Errorf("end pauses: %w", err)
	}
	out := make([]bool, len(cmds))
	for i, c := range cmds {
		n, err := c.Int()
		if err != nil {
			return nil, fmt.Errorf("end pause of %d: %w", ends[i].ChatID, err)
		}
		out[i] = n == 1
	}
	return out, nil
}
