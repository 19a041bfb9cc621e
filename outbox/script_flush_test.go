package outbox_test

import (
	"context"
	"fmt"
	"testing"

	"nashra/outbox"
	"nashra/subscribers/redistest"
)

// A server loses its scripts on a restart, a failover or SCRIPT FLUSH,
// between two batches or in the middle of one: redistest.FlushRounds.

const flushReaders = 30

func TestEnqueueDigestsAcrossScriptFlushes(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	chats := redistest.FlushChats(flushReaders)
	mustStart(t, r, chats...)
	rounds := redistest.FlushRounds(flushReaders / 3)
	for k, round := range rounds {
		cursor := int64(k)
		reqs := make([]outbox.DigestRequest, len(chats))
		for i, chat := range chats {
			reqs[i] = outbox.DigestRequest{ChatID: chat, ExpectCursor: cursor, NewCursor: cursor + 1,
				Jobs: []outbox.Job{digestJob(chat, k)}}
		}
		fired := round.Flush(t, r)
		ok, err := s.EnqueueDigests(ctx, reqs)
		if err != nil {
			t.Fatalf("%s: %v", round.Name, err)
		}
		if !fired() {
			t.Fatalf("%s: the script cache was not flushed during the batch", round.Name)
		}
		for i, queued := range ok {
			if !queued {
				t.Errorf("%s: reader %d's digest came back stale; want it queued", round.Name, chats[i])
			}
		}
	}
	count := make(map[string]int)
	for _, j := range readAll(t, s, "c1") {
		count[j.ID]++
	}
	for _, chat := range chats {
		rd, err := readersOn(r).Get(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		if rd.Cursor != int64(len(rounds)) {
			t.Errorf("reader %d's cursor = %d; want %d", chat, rd.Cursor, len(rounds))
		}
		for k, round := range rounds {
			if id := digestJob(chat, k).ID; count[id] != 1 {
				t.Errorf("%s: reader %d's digest %s queued %d times; want once", round.Name, chat, id, count[id])
			}
		}
	}
	if want := len(chats) * len(rounds); len(count) != want {
		t.Errorf("%d jobs queued; want %d", len(count), want)
	}
}

func TestEnqueueAcrossScriptFlushes(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	chats := redistest.FlushChats(flushReaders)
	rounds := redistest.FlushRounds(flushReaders / 3)
	var want []string
	for k, round := range rounds {
		var jobs []outbox.Job
		for _, chat := range chats {
			j := noticeJob(fmt.Sprintf("n:%d:%d", chat, k), chat, outbox.Low)
			jobs = append(jobs, j)
			want = append(want, j.ID)
		}
		fired := round.Flush(t, r)
		if err := s.Enqueue(ctx, jobs...); err != nil {
			t.Fatalf("%s: %v", round.Name, err)
		}
		if !fired() {
			t.Fatalf("%s: the script cache was not flushed during the batch", round.Name)
		}
		// Feeding the same batch again queues nothing more.
		if err := s.Enqueue(ctx, jobs...); err != nil {
			t.Fatalf("%s, again: %v", round.Name, err)
		}
	}
	count := make(map[string]int)
	for _, j := range readAll(t, s, "c1") {
		count[j.ID]++
	}
	for _, id := range want {
		if count[id] != 1 {
			t.Errorf("job %s queued %d times; want once", id, count[id])
		}
	}
	if len(count) != len(want) {
		t.Errorf("%d jobs queued; want %d", len(count), len(want))
	}
}
