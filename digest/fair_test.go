package digest_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/digest"
	"nashra/outbox"
	"nashra/subscribers"
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

// Readers who follow the same thing share one digest in a run, but only
// when it would be the same: one who joined later (a first digest, cut
// to the latest stories) and one who typed a keyword differently (the
// digest names it as typed) each get their own.
func TestSameFollowsShareOnlyTheSameDigest(t *testing.T) {
	e := newBuildEnv(t)
	kw := func(words string) subscribers.Follow { return subscribers.KeywordFollow(words, words) }
	e.reader(t, 1, subscribers.TopicFollow("sdf"))
	e.add(t, "old", "sdf before", true, "sdf")
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	e.run(t)
	e.queued(t)
	e.reader(t, 2, subscribers.TopicFollow("sdf")) // later: a first digest
	e.reader(t, 3, subscribers.TopicFollow("sdf")) // the same as 2
	e.reader(t, 4, kw("سد تشرين"))                 // "Tishreen Dam"
	e.reader(t, 5, kw("سدّ تشرين"))                // the same words, with a shadda
	for i := range 7 {
		e.add(t, fmt.Sprintf("n%d", i), fmt.Sprintf("sdf news %d near سد تشرين", i), true, "sdf")
	}
	e.now = e.now.AddDate(0, 0, 1)
	res, err := e.builder.Run(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]int{}
	for _, d := range res.Digests {
		got[d.ChatID] = len(d.Articles)
	}
	want := map[int64]int{1: 7, 2: digest.DefaultFirstDigest, 3: digest.DefaultFirstDigest, 4: digest.DefaultFirstDigest, 5: digest.DefaultFirstDigest}
	for chat, n := range want {
		if got[chat] != n {
			t.Errorf("chat %d's digest holds %d stories; want %d (all: %v)", chat, got[chat], n, got)
		}
	}
	text := map[int64]string{}
	for _, d := range res.Digests {
		text[d.ChatID] = strings.Join(d.Messages, "\n")
	}
	if text[2] != text[3] {
		t.Errorf("two readers with the same follows and cursor got different digests:\n%s\n---\n%s", text[2], text[3])
	}
	if !strings.Contains(text[4], "سد تشرين") || !strings.Contains(text[5], "سدّ تشرين") {
		t.Errorf("each keyword reader should see their words as typed:\n%s\n---\n%s", text[4], text[5])
	}
}

// Two instances building the same minute share it: each shard of readers
// is built by one of them, every due reader is queued once, and a shard an
// instance claimed and did not build waits for the next minute, when its
// readers are still due.
func TestTwoBuildersShareAMinute(t *testing.T) {
	e := newBuildEnv(t)
	const readers = 96
	for chat := range int64(readers) {
		e.reader(t, 2000+chat)
	}
	e.add(t, "a", "news", true, "sdf")
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	var mu sync.Mutex
	owner := map[int]int{} // shard → builder
	claim := func(who int) digest.Claim {
		return func(_ context.Context, shard int) (bool, error) {
			mu.Lock()
			defer mu.Unlock()
			if _, taken := owner[shard]; taken {
				return false, nil
			}
			owner[shard] = who
			return true, nil
		}
	}
	builders := []*digest.Builder{e.newBuilder(), e.newBuilder()}
	results := make([]digest.BuildResult, 2)
	var wg sync.WaitGroup
	for i, b := range builders {
		wg.Go(func() {
			var err error
			if results[i], err = b.RunShared(context.Background(), claim(i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(owner) != outbox.Shards {
		t.Errorf("%d shards claimed; want all %d", len(owner), outbox.Shards)
	}
	if q := results[0].Queued + results[1].Queued; q != readers || results[0].Stale+results[1].Stale != 0 {
		t.Errorf("queued %d + %d (stale %d, %d); want %d, each once", results[0].Queued, results[1].Queued,
			results[0].Stale, results[1].Stale, readers)
	}
	order := e.deliveryOrder(t)
	slices.Sort(order)
	if len(order) != readers || len(slices.Compact(order)) != readers {
		t.Errorf("%d digests delivered to %d readers; want one each to %d", len(order), len(slices.Compact(order)), readers)
	}

	// A shard claimed by an instance that never built it (it crashed):
	// its readers are built the minute after.
	e.add(t, "b", "more news", true, "sdf")
	e.now = e.now.AddDate(0, 0, 1)
	lost := 3
	res, err := builders[0].RunShared(context.Background(), func(_ context.Context, shard int) (bool, error) { return shard != lost, nil })
	if err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(time.Minute)
	later, err := builders[1].RunShared(context.Background(), func(_ context.Context, shard int) (bool, error) { return shard == lost, nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.Queued+later.Queued != readers || later.Queued == 0 {
		t.Errorf("queued %d at 08:00 and %d at 08:01 for the shard left; want %d in all", res.Queued, later.Queued, readers)
	}
}
