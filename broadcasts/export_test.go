package broadcasts

import (
	"context"
	"testing"

	"nashra/outbox"
)

// OnStopRead makes Stop call f after it reads each shard's stream, for the
// length of the test t.
func OnStopRead(t *testing.T, f func(shard int)) {
	stopRead = f
	t.Cleanup(func() { stopRead = nil })
}

// FeedShard feeds shard n of broadcast id as a feeder does that saw the
// broadcast running before it was cancelled.
func (s *Store) FeedShard(ctx context.Context, id int64, n, batch int) (int, error) {
	b, err := s.Get(ctx, id)
	if err != nil {
		return 0, err
	}
	entry := outbox.Entry(outbox.Job{Kind: JobKind, Text: b.Text, Priority: outbox.Low, EnqueuedAt: s.now()})
	return s.feedShard(ctx, id, n, batch, entry)
}
