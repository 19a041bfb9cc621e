package outbox

// Queueing: broadcast and notice jobs here; digests, which move their
// reader's cursor in the same step, in digest.go.

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// Enqueue queues broadcast and notice jobs, each in its chat's shard. A job
// whose ID already has a state (queued, under way or done within JobTTL) is
// skipped, so feeding a batch again after a crash never sends twice.
func (s *Store) Enqueue(ctx context.Context, jobs ...Job) error {
	for _, j := range jobs {
		if err := j.validate(); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	const batch = 500
	for len(jobs) > 0 {
		n := min(batch, len(jobs))
		if err := s.enqueueBatch(ctx, jobs[:n]); err != nil {
			return err
		}
		jobs = jobs[n:]
	}
	return nil
}

// enqueueBatch runs one enqueue script per job in one pipeline.
func (s *Store) enqueueBatch(ctx context.Context, jobs []Job) error {
	calls := make([]keyspace.Call, len(jobs))
	for i, j := range jobs {
		k := s.ks.ForChat(j.ChatID)
		calls[i] = keyspace.Call{
			Keys: []string{k.Job(j.ID), k.Queue(j.Priority.String())},
			Args: append([]any{ttlSeconds()}, s.encodeJob(j)...),
		}
	}
	cmds, err := keyspace.RunBatch(ctx, s.rdb, enqueueScript, calls)
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	for i, c := range cmds {
		if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("enqueue job %s: %w", jobs[i].ID, err)
		}
	}
	return nil
}
