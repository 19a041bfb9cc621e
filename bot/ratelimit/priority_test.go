package ratelimit_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nashra/bot/ratelimit"
	"nashra/subscribers/redistest"
)

// until takes turns with step until granted, sleeping as told.
func until(ctx context.Context, t *testing.T, step func(context.Context) (time.Duration, error)) {
	for {
		d, err := step(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			t.Error(err)
			return
		}
		if d <= 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
	}
}

// saturate runs bulk takers until ctx ends, counting their grants.
func saturate(ctx context.Context, t *testing.T, lim *ratelimit.Limiter, workers int, granted *atomic.Int64) *sync.WaitGroup {
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				until(ctx, t, lim.TakeGlobal)
				if ctx.Err() == nil {
					granted.Add(1)
				}
			}
		})
	}
	return &wg
}

// While bulk senders keep the overall rate saturated, a reply is granted
// before more than a couple of bulk messages: its wait is about one
// interval, not the length of the bulk queue.
func TestReplyGoesBeforeBulk(t *testing.T) {
	r := redistest.New(t)
	// 20/s: an interval (50 ms) well above a busy machine's wake-up
	// jitter, which could otherwise let a bulk taker that woke on time
	// past a reply that woke late.
	lim := ratelimit.New(r.Client, r.Prefix, 20, 0)
	ctx, cancel := context.WithCancel(context.Background())
	var bulk atomic.Int64
	wg := saturate(ctx, t, lim, 8, &bulk)
	defer func() { cancel(); wg.Wait() }()
	// Let the bulk takers fill the limiter.
	for bulk.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}
	worst := int64(0)
	for range 10 {
		before := bulk.Load()
		until(ctx, t, lim.TakeGlobalFirst)
		worst = max(worst, bulk.Load()-before)
		time.Sleep(60 * time.Millisecond)
	}
	// Eight bulk takers ask at every interval; a reply among them without
	// priority would see several granted first. One may be granted in
	// the instant between the reply's ask and its grant, and a second
	// because the counter moves after the grant.
	if worst > 2 {
		t.Errorf("a reply waited while %d bulk messages were granted; want at most 2 (priority)", worst)
	}
}

// Replies borrow at most PriorityBorrow intervals: however many replies and
// bulk messages ask, N grants take at least (N-1-PriorityBorrow) intervals.
func TestPriorityKeepsTheLongRunRate(t *testing.T) {
	r := redistest.New(t)
	const rate = 100.0
	lim := ratelimit.New(r.Client, r.Prefix, rate, 0)
	interval := time.Duration(float64(time.Second) / rate)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 80
	var (
		mu    sync.Mutex
		times []time.Time
	)
	// Taken before the first ask, so it is never after the first grant:
	// a late clock reading can only lengthen what is measured.
	start := time.Now()
	var wg sync.WaitGroup
	for w := range 8 {
		step := lim.TakeGlobal
		if w%2 == 0 {
			step = lim.TakeGlobalFirst
		}
		wg.Go(func() {
			for ctx.Err() == nil {
				until(ctx, t, step)
				mu.Lock()
				if len(times) < n {
					times = append(times, time.Now())
				}
				if len(times) == n {
					cancel()
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(times) < n {
		t.Fatalf("%d grants; want %d", len(times), n)
	}
	// A lower bound only: a slow machine makes it longer, never shorter.
	// 2 ms: the bulk tolerance.
	least := time.Duration(n-1-ratelimit.PriorityBorrow)*interval - 2*time.Millisecond
	if got := times[n-1].Sub(start); got < least {
		t.Errorf("%d grants at %v/s took %v; want at least %v (rate plus a burst of %d)", n, rate, got, least, ratelimit.PriorityBorrow)
	}
}

// A chat held after a 429 gives nobody a turn there until the hold ends;
// other chats are not held.
func TestHoldChat(t *testing.T) {
	r := redistest.New(t)
	lim := ratelimit.New(r.Client, r.Prefix, 30, 0)
	ctx := context.Background()
	if err := lim.HoldChat(ctx, 42, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if d, err := lim.TakeChat(ctx, 42); err != nil || d < 2*time.Second {
		t.Errorf("TakeChat(held chat) = %v, %v; want a wait of about 3s", d, err)
	}
	if d, err := lim.TakeChat(ctx, 43); err != nil || d != 0 {
		t.Errorf("TakeChat(other chat) = %v, %v; want granted", d, err)
	}
	// A shorter hold does not cut a longer one short.
	if err := lim.HoldChat(ctx, 42, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if d, _ := lim.TakeChat(ctx, 42); d < 2*time.Second {
		t.Errorf("after a shorter hold the wait is %v; want the longer hold kept", d)
	}
}
