package broadcasts_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/broadcasts"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

type bcEnv struct {
	t      *testing.T
	store  *subscribers.Store
	queue  *outbox.Store
	bcasts *broadcasts.Store
	r      *redistest.Redis
}

func newBCEnv(t *testing.T) *bcEnv {
	t.Helper()
	r := redistest.New(t)
	return &bcEnv{t: t, r: r, store: subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix}),
		queue: outbox.New(r.Client, outbox.Options{Prefix: r.Prefix}), bcasts: broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix})}
}

// readers starts chats base..base+n-1, with status st.
func (e *bcEnv) readers(base int64, n int, st subscribers.Status) []int64 {
	e.t.Helper()
	ctx := context.Background()
	var out []int64
	for i := range n {
		chat := base + int64(i)
		if _, err := e.store.Start(ctx, chat, subscribers.Joined{ChatType: "private"}); err != nil {
			e.t.Fatal(err)
		}
		if st != subscribers.Active {
			if _, err := e.store.SetStatus(ctx, chat, st, "test"); err != nil {
				e.t.Fatal(err)
			}
		}
		out = append(out, chat)
	}
	return out
}

func (e *bcEnv) start(text, topic string) broadcasts.Broadcast {
	e.t.Helper()
	ctx := context.Background()
	b, err := e.bcasts.Create(ctx, broadcasts.Broadcast{Text: text, By: 900, Topic: topic})
	if err != nil {
		e.t.Fatal(err)
	}
	b, err = e.bcasts.Start(ctx, b.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// deliver plays a sender: it takes every queued job, begins it and
// finishes it with the state outcome gives. It returns the jobs it sent,
// by chat.
func (e *bcEnv) deliver(outcome func(outbox.Job) string) map[int64][]outbox.Job {
	e.t.Helper()
	ctx := context.Background()
	got := map[int64][]outbox.Job{}
	for {
		jobs, err := e.queue.Read(ctx, "test", allShards, 100, 0)
		if err != nil {
			e.t.Fatal(err)
		}
		if len(jobs) == 0 {
			return got
		}
		for _, j := range jobs {
			ok, err := e.queue.Begin(ctx, j, "test")
			if err != nil {
				e.t.Fatal(err)
			}
			if !ok {
				continue
			}
			if err := e.queue.Finish(ctx, j, outcome(j)); err != nil {
				e.t.Fatal(err)
			}
			got[j.ChatID] = append(got[j.ChatID], j)
		}
	}
}

func sent(outbox.Job) string { return "sent:1" }

// run feeds and delivers until the broadcast settles.
func (e *bcEnv) run(id int64, batch int, outcome func(outbox.Job) string) (map[int64][]outbox.Job, broadcasts.Progress) {
	e.t.Helper()
	ctx := context.Background()
	all := map[int64][]outbox.Job{}
	for range 10000 {
		if _, err := e.bcasts.Feed(ctx, id, batch); err != nil {
			e.t.Fatal(err)
		}
		for c, js := range e.deliver(outcome) {
			all[c] = append(all[c], js...)
		}
		p, err := e.bcasts.Progress(ctx, id)
		if err != nil {
			e.t.Fatal(err)
		}
		if p.Settled() {
			return all, p
		}
	}
	e.t.Fatal("broadcast never settled")
	return nil, broadcasts.Progress{}
}

func checkSum(t *testing.T, p broadcasts.Progress) {
	t.Helper()
	if p.Finished() != p.Total || p.Remaining() != 0 {
		t.Errorf("progress %+v: sent+blocked+failed+unknown+skipped+cancelled = %d; want total %d", p, p.Finished(), p.Total)
	}
}

func TestBroadcastReachesEachActiveReaderOnce(t *testing.T) {
	e := newBCEnv(t)
	ctx := context.Background()
	active := e.readers(1000, 97, subscribers.Active)
	e.readers(2000, 5, subscribers.Paused)
	e.readers(3000, 5, subscribers.Stopped)
	e.readers(4000, 5, subscribers.Blocked)

	n, err := e.bcasts.Audience(ctx, "")
	if err != nil || n != 97 {
		t.Fatalf("audience = %d, %v; want 97", n, err)
	}
	b := e.start("<b>تنبيه</b> &amp; شكراً", "") // "notice & thanks"
	if b.Total != 97 || b.Status != broadcasts.Running {
		t.Fatalf("started broadcast = %+v; want running with total 97", b)
	}
	// Every tenth reader blocked the bot; one answer was lost.
	got, p := e.run(b.ID, 7, func(j outbox.Job) string {
		switch {
		case j.ChatID%10 == 0:
			return "failed:blocked"
		case j.ChatID == 1001:
			return outbox.StateUnknown
		}
		return "sent:1"
	})
	for _, c := range active {
		js := got[c]
		if len(js) != 1 {
			t.Errorf("chat %d got %d jobs; want 1", c, len(js))
			continue
		}
		j := js[0]
		if want := fmt.Sprintf("b:%d:%d", b.ID, c); j.ID != want || j.Kind != "broadcast" || j.Text != b.Text || j.Priority != outbox.Low {
			t.Errorf("job = %+v; want ID %s, kind broadcast, low priority, the text", j, want)
		}
	}
	if len(got) != len(active) {
		t.Errorf("%d chats got jobs; want the %d active readers only", len(got), len(active))
	}
	want := broadcasts.Progress{Total: 97, Enqueued: 97, Sent: 86, Blocked: 10, Unknown: 1, Ready: broadcasts.Shards}
	if p != want {
		t.Errorf("progress = %+v; want %+v", p, want)
	}
	checkSum(t, p)
	if ok, err := e.bcasts.Complete(ctx, b.ID); err != nil || !ok {
		t.Fatalf("Complete = %v, %v; want true", ok, err)
	}
	if ok, _ := e.bcasts.Complete(ctx, b.ID); ok {
		t.Error("a second Complete also won")
	}
	if err := e.bcasts.Close(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if ids, _ := e.bcasts.Active(ctx); len(ids) != 0 {
		t.Errorf("active after close = %v; want none", ids)
	}
	if n, _ := e.bcasts.Feed(ctx, b.ID, 10); n != 0 {
		t.Errorf("a done broadcast fed %d jobs", n)
	}
}

func TestBroadcastTopicReachesFollowersOnly(t *testing.T) {
	e := newBCEnv(t)
	ctx := context.Background()
	all := e.readers(1, 40, subscribers.Active)
	want := map[int64]bool{}
	for _, c := range all {
		if c%3 == 0 {
			if _, err := e.store.Follow(ctx, c, subscribers.TopicFollow("sdf")); err != nil {
				t.Fatal(err)
			}
			want[c] = true
		} else if _, err := e.store.Follow(ctx, c, subscribers.TopicFollow("isis")); err != nil {
			t.Fatal(err)
		}
	}
	// A follower who paused is not in the audience.
	if _, err := e.store.SetStatus(ctx, 3, subscribers.Paused, "test"); err != nil {
		t.Fatal(err)
	}
	delete(want, 3)
	if n, _ := e.bcasts.Audience(ctx, "sdf"); n != int64(len(want)) {
		t.Errorf("audience of sdf = %d; want %d", n, len(want))
	}
	b := e.start("قسد", "sdf") // SDF
	got, p := e.run(b.ID, 3, sent)
	if len(got) != len(want) || p.Total != int64(len(want)) || p.Sent != p.Total {
		t.Errorf("reached %d chats, progress %+v; want the %d active followers", len(got), p, len(want))
	}
	for c := range got {
		if !want[c] {
			t.Errorf("chat %d does not follow sdf and got the broadcast", c)
		}
	}
}

func TestBroadcastFeedersRacingNeverDuplicate(t *testing.T) {
	e := newBCEnv(t)
	ctx := context.Background()
	e.readers(1, 300, subscribers.Active)
	b := e.start("x", "")
	// Four feeders at once, as four instances would, with no sender: each
	// shard fills up to 2×batch.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := e.bcasts.Feed(ctx, b.ID, 5); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	p, err := e.bcasts.Progress(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Enqueued != p.Waiting || p.Enqueued+p.Unfed != 300 || p.Enqueued > 16*10 {
		t.Errorf("after racing feeders progress = %+v; want enqueued = waiting, enqueued+unfed = 300, at most 2×batch per shard", p)
	}
	// A crash here and any number of restarts: each chat is still queued once.
	got, p := e.run(b.ID, 5, sent)
	for c, js := range got {
		if len(js) != 1 {
			t.Errorf("chat %d got %d jobs", c, len(js))
		}
	}
	if len(got) != 300 || p.Sent != 300 {
		t.Errorf("reached %d chats, progress %+v; want 300 sent", len(got), p)
	}
}

func TestBroadcastReaderLeavingBeforeTurnIsSkipped(t *testing.T) {
	e := newBCEnv(t)
	ctx := context.Background()
	e.readers(1, 20, subscribers.Active)
	b := e.start("x", "")
	if _, err := e.store.SetStatus(ctx, 7, subscribers.Stopped, "stop"); err != nil {
		t.Fatal(err)
	}
	got, p := e.run(b.ID, 100, sent)
	if _, ok := got[7]; ok {
		t.Error("a reader who stopped after the confirmation got the broadcast")
	}
	if p.Total != 20 || p.Sent != 19 || p.Skipped != 1 {
		t.Errorf("progress = %+v; want total 20, sent 19, skipped 1", p)
	}
	checkSum(t, p)
}

func TestBroadcastPauseResumeCancel(t *testing.T) {
	e := newBCEnv(t)
	ctx := context.Background()
	e.readers(1, 200, subscribers.Active)
	b := e.start("x", "")
	if _, err := e.bcasts.Feed(ctx, b.ID, 2); err != nil {
		t.Fatal(err)
	}
	first := e.deliver(sent)

	if prev, err := e.bcasts.Pause(ctx, b.ID); err != nil || prev != broadcasts.Running {
		t.Fatalf("pause = %s, %v", prev, err)
	}
	if n, err := e.bcasts.Feed(ctx, b.ID, 2); n != 0 || err != nil {
		t.Errorf("a paused broadcast fed %d jobs (%v)", n, err)
	}
	if _, err := e.bcasts.Resume(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.bcasts.Feed(ctx, b.ID, 2); n == 0 {
		t.Error("a resumed broadcast fed nothing")
	}
	// Cancel with jobs queued and readers not fed: the queued jobs are
	// skipped by the sender, the rest never fed.
	queued, _ := e.bcasts.Progress(ctx, b.ID)
	if queued.Waiting == 0 {
		t.Fatal("nothing queued before the cancel")
	}
	if prev, err := e.bcasts.Cancel(ctx, b.ID); err != nil || prev != broadcasts.Running {
		t.Fatalf("cancel = %s, %v", prev, err)
	}
	if got := e.deliver(sent); len(got) != 0 {
		t.Errorf("%d chats got a job after the cancel", len(got))
	}
	if n, _ := e.bcasts.Feed(ctx, b.ID, 2); n != 0 {
		t.Errorf("a cancelled broadcast fed %d jobs", n)
	}
	if err := e.bcasts.Stop(ctx, b.ID); err != nil { // again: changes nothing
		t.Fatal(err)
	}
	p, err := e.bcasts.Progress(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Settled() || p.Stopped != broadcasts.Shards || p.Sent != int64(len(first)) ||
		p.Skipped != queued.Waiting || p.Cancelled != 200-p.Sent-p.Skipped {
		t.Errorf("after cancel progress = %+v; want settled, sent %d, skipped %d, the rest cancelled", p, len(first), queued.Waiting)
	}
	checkSum(t, p)
	for _, op := range []func(context.Context, int64) (broadcasts.Status, error){
		e.bcasts.Pause, e.bcasts.Resume,
	} {
		if _, err := op(ctx, b.ID); !errors.Is(err, broadcasts.ErrState) {
			t.Errorf("pause/resume of a cancelled broadcast: err = %v; want ErrState", err)
		}
	}
	if _, err := e.bcasts.Start(ctx, b.ID); !errors.Is(err, broadcasts.ErrState) {
		t.Errorf("confirming a cancelled broadcast: err = %v; want ErrState", err)
	}
}

func TestBroadcastDraftCancelAndMissing(t *testing.T) {
	e := newBCEnv(t)
	ctx := context.Background()
	e.readers(1, 5, subscribers.Active)
	d, err := e.bcasts.Create(ctx, broadcasts.Broadcast{Text: "x", By: 1})
	if err != nil {
		t.Fatal(err)
	}
	if ids, _ := e.bcasts.Active(ctx); len(ids) != 1 || ids[0] != d.ID {
		t.Errorf("active = %v; want the draft %d", ids, d.ID)
	}
	if prev, err := e.bcasts.Cancel(ctx, d.ID); err != nil || prev != broadcasts.Draft {
		t.Fatalf("cancel draft = %s, %v", prev, err)
	}
	if ids, _ := e.bcasts.Active(ctx); len(ids) != 0 {
		t.Errorf("active after cancelling the draft = %v; want none", ids)
	}
	if got := e.deliver(sent); len(got) != 0 {
		t.Errorf("a cancelled draft reached %d chats", len(got))
	}
	if _, err := e.bcasts.Start(ctx, 999); !errors.Is(err, broadcasts.ErrNotFound) {
		t.Errorf("Start(999) err = %v; want ErrNotFound", err)
	}
	if _, err := e.bcasts.Create(ctx, broadcasts.Broadcast{Text: "  "}); err == nil {
		t.Error("an empty broadcast was created")
	}
	// Keys stay under the prefix and in the readers' shards.
	for _, k := range e.r.Keys(t) {
		if strings.Contains(k, ":bc:") && !strings.Contains(k, "}:bc:") && !strings.HasPrefix(k, e.r.Prefix+"bc:") {
			t.Errorf("unexpected broadcast key %s", k)
		}
	}
}

func TestBroadcastProgressScales(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 readers")
	}
	e := newBCEnv(t)
	ctx := context.Background()
	const n = 10000
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < n; i += 16 {
				if _, err := e.store.Start(ctx, int64(100000+i), subscribers.Joined{}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b := e.start("x", "")
	start := time.Now()
	_, p := e.run(b.ID, 500, func(j outbox.Job) string {
		if j.ChatID%10 == 0 {
			return "failed:blocked"
		}
		return "sent:" + strconv.FormatInt(j.ChatID, 10)
	})
	t.Logf("10,000 readers fed, delivered (simulated) and counted in %v", time.Since(start))
	if p.Sent != 9000 || p.Blocked != 1000 {
		t.Errorf("progress = %+v; want 9000 sent, 1000 blocked", p)
	}
	checkSum(t, p)
}

func TestClaimBroadcastEditAtMostOncePerPeriod(t *testing.T) {
	e := newBCEnv(t)
	ctx := context.Background()
	claim := func() bool {
		ok, err := e.bcasts.ClaimEdit(ctx, 1, 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim() {
		t.Fatal("first claim refused")
	}
	if claim() {
		t.Error("a second claim within the period was granted")
	}
	time.Sleep(120 * time.Millisecond)
	if !claim() {
		t.Error("a claim after the period was refused")
	}
}

var allShards = func() []int {
	out := make([]int, outbox.Shards)
	for i := range out {
		out[i] = i
	}
	return out
}()

// TestCancelWhileAFeederFeeds: a feeder that saw the broadcast running
// can still be queueing jobs when an admin cancels. A job it queues in a
// shard the cancel has already read must not slip through: no reader gets
// a cancelled broadcast.
func TestCancelWhileAFeederFeeds(t *testing.T) {
	e := newBCEnv(t)
	ctx := context.Background()
	e.readers(1, 200, subscribers.Active)
	b := e.start("x", "")
	if _, err := e.bcasts.Feed(ctx, b.ID, 1); err != nil {
		t.Fatal(err)
	}
	fed := 0
	broadcasts.OnStopRead(t, func(shard int) {
		n, err := e.bcasts.FeedShard(ctx, b.ID, shard, 10)
		if err != nil {
			t.Error(err)
		}
		fed += n
	})
	if _, err := e.bcasts.Cancel(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.deliver(sent); len(got) != 0 {
		t.Errorf("%d chats got the cancelled broadcast (the feeder queued %d jobs during the cancel)", len(got), fed)
	}
	p, err := e.bcasts.Progress(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Sent != 0 || p.Skipped+p.Cancelled != 200 {
		t.Errorf("progress %+v; want all 200 skipped or cancelled", p)
	}
	checkSum(t, p)
}
