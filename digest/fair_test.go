package digest_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"nashra/outbox"
)

// deliveryOrder drains the outbox as a sender's worker does, a few jobs
// per shard at a time, and returns the chats in the order it took them.
func (e *buildEnv) deliveryOrder(t *testing.T) []int64 {
	t.Helper()
	ctx := context.Background()
	shards := make([]int, outbox.Shards)
	for i := range shards {
		shards[i] = i
	}
	var order []int64
	for {
		jobs, err := e.queue.Read(ctx, "fair", shards, 4, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) == 0 {
			return order
		}
		for _, j := range jobs {
			order = append(order, j.ChatID)
			e.queue.Finish(ctx, j, "sent:1")
		}
	}
}

// Readers due at the same minute do not always come in the same order:
// from one morning to the next, those served last are others.
func TestDueReadersTakeTurns(t *testing.T) {
	e := newBuildEnv(t)
	const readers = 160 // ten per shard
	for chat := range int64(readers) {
		e.reader(t, 1000+chat)
	}
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	var days [][]int64
	for day := range 3 {
		e.add(t, fmt.Sprintf("day%d", day), fmt.Sprintf("news of day %d", day), true, "sdf")
		if res := e.run(t); res.Queued != readers {
			t.Fatalf("day %d: %+v; want %d digests", day, res, readers)
		}
		order := e.deliveryOrder(t)
		if len(order) != readers {
			t.Fatalf("day %d: %d digests delivered; want %d", day, len(order), readers)
		}
		days = append(days, order)
		e.now = e.now.AddDate(0, 0, 1)
	}
	const tail = readers / 10
	for d := 1; d < len(days); d++ {
		last, before := days[d][readers-tail:], days[d-1][readers-tail:]
		same := 0
		for _, c := range last {
			if slices.Contains(before, c) {
				same++
			}
		}
		// By chance about a tenth of them; always the same ones is unfair.
		if same > tail/2 {
			t.Errorf("day %d: %d of the %d readers served last were last the day before too: %v and %v",
				d, same, tail, last, before)
		}
	}
}
