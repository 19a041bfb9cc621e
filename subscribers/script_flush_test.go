package subscribers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// A server loses its scripts on a restart, a failover or SCRIPT FLUSH,
// between two batches or in the middle of one. Each round below is one
// batch: after a flush, with the script cached, and with the cache flushed
// half-way through the batch (its first calls ran, the others are answered
// NOSCRIPT).
type flushRound struct {
	name  string
	flush func(t *testing.T, r *redistest.Redis) (fired func() bool)
}

func flushRounds(halfWay int) []flushRound {
	always := func() bool { return true }
	return []flushRound{
		{"flushed before the batch", func(t *testing.T, r *redistest.Redis) func() bool { r.FlushScripts(t); return always }},
		{"script cached", func(*testing.T, *redistest.Redis) func() bool { return always }},
		{"flushed half-way through the batch", func(t *testing.T, r *redistest.Redis) func() bool {
			return r.FlushScriptsMidPipeline(t, halfWay)
		}},
		{"flushed before the batch again", func(t *testing.T, r *redistest.Redis) func() bool { r.FlushScripts(t); return always }},
	}
}

const flushReaders = 30

func flushChats() []int64 {
	chats := make([]int64, flushReaders)
	for i := range chats {
		chats[i] = int64(500 + i) // spread over every shard
	}
	return chats
}

func TestEnqueueDigestsAcrossScriptFlushes(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	chats := flushChats()
	mustStart(t, s, chats...)
	rounds := flushRounds(flushReaders / 3)
	for k, round := range rounds {
		cursor := int64(k)
		reqs := make([]subscribers.DigestRequest, len(chats))
		for i, chat := range chats {
			reqs[i] = subscribers.DigestRequest{ChatID: chat, ExpectCursor: cursor, NewCursor: cursor + 1,
				Jobs: []subscribers.Job{digestJob(chat, k)}}
		}
		fired := round.flush(t, r)
		ok, err := s.EnqueueDigests(ctx, reqs)
		if err != nil {
			t.Fatalf("%s: %v", round.name, err)
		}
		if !fired() {
			t.Fatalf("%s: the script cache was not flushed during the batch", round.name)
		}
		for i, queued := range ok {
			if !queued {
				t.Errorf("%s: reader %d's digest came back stale; want it queued", round.name, chats[i])
			}
		}
	}
	count := make(map[string]int)
	for _, j := range readAll(t, s, "c1") {
		count[j.ID]++
	}
	for _, chat := range chats {
		rd, err := s.Get(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		if rd.Cursor != int64(len(rounds)) {
			t.Errorf("reader %d's cursor = %d; want %d", chat, rd.Cursor, len(rounds))
		}
		for k, round := range rounds {
			if id := digestJob(chat, k).ID; count[id] != 1 {
				t.Errorf("%s: reader %d's digest %s queued %d times; want once", round.name, chat, id, count[id])
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
	chats := flushChats()
	rounds := flushRounds(flushReaders / 3)
	var want []string
	for k, round := range rounds {
		var jobs []subscribers.Job
		for _, chat := range chats {
			j := noticeJob(fmt.Sprintf("n:%d:%d", chat, k), chat, subscribers.Low)
			jobs = append(jobs, j)
			want = append(want, j.ID)
		}
		fired := round.flush(t, r)
		if err := s.Enqueue(ctx, jobs...); err != nil {
			t.Fatalf("%s: %v", round.name, err)
		}
		if !fired() {
			t.Fatalf("%s: the script cache was not flushed during the batch", round.name)
		}
		// Feeding the same batch again queues nothing more.
		if err := s.Enqueue(ctx, jobs...); err != nil {
			t.Fatalf("%s, again: %v", round.name, err)
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

func TestImportAcrossScriptFlushes(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	chats := flushChats()
	for k, round := range flushRounds(flushReaders / 3) {
		var lines []string
		for _, chat := range chats {
			lines = append(lines, fmt.Sprintf(`{"chat_id": %d, "follows": ["sdf"], "cursor": %d}`, chat, k+1))
		}
		fired := round.flush(t, r)
		rep, err := s.Import(ctx, strings.NewReader(strings.Join(lines, "\n")), resolve)
		if err != nil || rep.Imported != len(chats) || rep.Rejected != 0 {
			t.Fatalf("%s: import = %+v, %v; want %d imported", round.name, rep, err, len(chats))
		}
		if !fired() {
			t.Fatalf("%s: the script cache was not flushed during the batch", round.name)
		}
		for _, chat := range chats {
			rd, err := s.Get(ctx, chat)
			if err != nil || rd.Cursor != int64(k+1) || followKeys(rd.Follows) != "t:sdf" {
				t.Errorf("%s: reader %d = %+v, %v; want cursor %d following sdf", round.name, chat, rd, err, k+1)
			}
		}
	}
}
