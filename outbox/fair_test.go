package outbox_test

import (
	"context"
	"fmt"
	"testing"

	"nashra/outbox"
)

// A worker's batch takes the shards in turn, one job each, starting with
// another shard every time: no shard's readers always come first or last.
// Each chat's messages keep their order.
func TestReadTakesShardsInTurn(t *testing.T) {
	ctx := context.Background()
	q, _ := newStore(t)
	read := func() []outbox.Job {
		t.Helper()
		jobs, err := q.Read(ctx, "c", allShards(), 2, 0)
		if err != nil {
			t.Fatal(err)
		}
		return jobs
	}
	firsts := map[int64]bool{}
	for round := range 8 {
		for chat := int64(1); chat <= outbox.Shards; chat++ { // one chat per shard, two messages each
			for part := range 2 {
				id := fmt.Sprintf("r%d:%d:%d", round, chat, part)
				if err := q.Enqueue(ctx, outbox.Job{ID: id, ChatID: chat, Kind: "notice", Text: id}); err != nil {
					t.Fatal(err)
				}
			}
		}
		jobs := read()
		if len(jobs) != 2*outbox.Shards {
			t.Fatalf("round %d: read %d jobs; want %d", round, len(jobs), 2*outbox.Shards)
		}
		// The first outbox.Shards jobs are one of each shard.
		seen := map[int64]bool{}
		for _, j := range jobs[:outbox.Shards] {
			seen[j.ChatID] = true
		}
		if len(seen) != outbox.Shards {
			t.Errorf("round %d: the first %d jobs are of %d shards; want one of each", round, outbox.Shards, len(seen))
		}
		firsts[jobs[0].ChatID] = true
		last := map[int64]string{}
		for _, j := range jobs {
			if j.ID < last[j.ChatID] {
				t.Errorf("round %d: chat %d's %s came after %s", round, j.ChatID, j.ID, last[j.ChatID])
			}
			last[j.ChatID] = j.ID
			if err := q.Finish(ctx, j, "sent:1"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(firsts) < 2 {
		t.Errorf("every batch started with the same shard: %v", firsts)
	}
}
