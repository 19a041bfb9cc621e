package digest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"nashra/subscribers"
)

// A new reader gets the latest three in-scope stories in what they follow
// at once, newest first, and none of them again: their first scheduled
// digest holds only what came after.
func TestNewReaderGetsTheLatestThreeOnce(t *testing.T) {
	e := newBuildEnv(t)
	ctx := context.Background()
	for i := range 6 {
		e.add(t, fmt.Sprint("sdf", i), fmt.Sprint("sdf story ", i), true, "sdf")
	}
	e.add(t, "isis", "isis story", true, "isis")
	e.add(t, "out", "sdf out of scope", false, "sdf")
	e.reader(t, 5, subscribers.TopicFollow("sdf"))

	d, err := e.builder.ForNewReader(ctx, 5, 3)
	if err != nil {
		t.Fatal(err)
	}
	if d == nil || !d.Queued {
		t.Fatalf("ForNewReader = %+v; want a queued digest", d)
	}
	if got, want := e.queuedTitles(t), "sdf story 5 | sdf story 4 | sdf story 3"; got != want {
		t.Errorf("a new reader receives %q; want %q", got, want)
	}
	r, _ := e.readers.Get(ctx, 5)
	if r.Cursor != 8 {
		t.Errorf("cursor %d after the first stories; want 8, past everything stored", r.Cursor)
	}

	// Sending /start again gives nothing more.
	if d, err := e.builder.ForNewReader(ctx, 5, 3); err != nil || d != nil {
		t.Errorf("second ForNewReader = %+v, %v; want nothing", d, err)
	}
	// At 08:00 the digest holds only the story that came after.
	e.add(t, "later", "sdf story later", true, "sdf")
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	res := e.run(t)
	if got := e.queuedTitles(t); res.Queued != 1 || got != "sdf story later" {
		t.Errorf("08:00 digest: %+v, titles %q; want only the later story", res, got)
	}
}

// Nothing in what a new reader follows: nothing is queued and the cursor
// stays, so their first scheduled digest is the usual one.
func TestNewReaderWithNothingToRead(t *testing.T) {
	e := newBuildEnv(t)
	ctx := context.Background()
	e.add(t, "isis", "isis story", true, "isis")
	e.reader(t, 6, subscribers.TopicFollow("raqqa"))
	for _, chat := range []int64{6} { // follows Raqqa: nothing of it is stored
		d, err := e.builder.ForNewReader(ctx, chat, 3)
		if err != nil || d != nil {
			t.Errorf("chat %d: ForNewReader = %+v, %v; want nothing", chat, d, err)
		}
		if r, _ := e.readers.Get(ctx, chat); r.Cursor != 0 {
			t.Errorf("chat %d: cursor %d; want 0, left for the first digest", chat, r.Cursor)
		}
	}
	if hi, _, _ := e.queue.QueueDepth(ctx); hi != 0 {
		t.Errorf("%d jobs queued; want none", hi)
	}
	// Everything stored is out of scope: the same.
	e2 := newBuildEnv(t)
	e2.add(t, "out", "out of scope", false, "sdf")
	e2.reader(t, 8)
	if d, err := e2.builder.ForNewReader(ctx, 8, 3); err != nil || d != nil {
		t.Errorf("only out-of-scope stories: ForNewReader = %+v, %v; want nothing", d, err)
	}
}

// A reader who had a digest, or is not active, gets nothing from it.
func TestNewReaderOnlyOnce(t *testing.T) {
	e := newBuildEnv(t)
	ctx := context.Background()
	e.add(t, "a", "sdf story", true, "sdf")
	e.reader(t, 9)
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	if res := e.run(t); res.Queued != 1 {
		t.Fatalf("first digest: %+v", res)
	}
	e.queued(t)
	e.add(t, "b", "another sdf story", true, "sdf")
	if d, err := e.builder.ForNewReader(ctx, 9, 3); err != nil || d != nil {
		t.Errorf("a reader who had a digest: ForNewReader = %+v, %v; want nothing", d, err)
	}
	e.reader(t, 10)
	if _, err := e.readers.SetStatus(ctx, 10, subscribers.Stopped, "stop"); err != nil {
		t.Fatal(err)
	}
	if d, err := e.builder.ForNewReader(ctx, 10, 3); err != nil || d != nil {
		t.Errorf("a stopped reader: ForNewReader = %+v, %v; want nothing", d, err)
	}
	if hi, _, _ := e.queue.QueueDepth(ctx); hi != 0 {
		t.Errorf("%d jobs queued; want none", hi)
	}
}

// /start sent twice at once, or racing the scheduled run: the stories are
// queued once.
func TestNewReaderRacesQueueOnce(t *testing.T) {
	e := newBuildEnv(t)
	ctx := context.Background()
	for i := range 4 {
		e.add(t, fmt.Sprint("a", i), fmt.Sprint("story ", i), true, "sdf")
	}
	e.reader(t, 11)
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus) // the scheduled digest is due too
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := e.newBuilder()
			if i == 3 {
				if _, err := b.Run(ctx, false); err != nil {
					t.Error(err)
				}
				return
			}
			if _, err := b.ForNewReader(ctx, 11, 3); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	jobs := e.queued(t)
	if len(jobs) != 1 {
		t.Errorf("%d messages queued; want one digest", len(jobs))
	}
}
