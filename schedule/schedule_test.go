package schedule

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"nashra/subscribers/redistest"
)

func newPair(t *testing.T) (*Scheduler, *Scheduler) {
	t.Helper()
	r := redistest.New(t)
	mk := func() *Scheduler { return New(Options{RDB: r.Client, Prefix: r.Prefix, LockTTL: 3 * time.Second}) }
	return mk(), mk()
}

// Two instances firing the same tick run the job once.
func TestRunOnceAcrossInstances(t *testing.T) {
	a, b := newPair(t)
	ctx := context.Background()
	tick := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	var runs atomic.Int32
	job := func(context.Context) error { runs.Add(1); return nil }
	var wg sync.WaitGroup
	for _, s := range []*Scheduler{a, b, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); s.RunOnce(ctx, "digest", tick, job) }()
	}
	wg.Wait()
	if runs.Load() != 1 {
		t.Errorf("the tick ran %d times across two instances; want once", runs.Load())
	}
	ran, err := b.RunOnce(ctx, "digest", tick.Add(time.Minute), job)
	if !ran || err != nil || runs.Load() != 2 {
		t.Errorf("the next tick ran=%v err=%v; want it run", ran, err)
	}
}

// While one instance runs a long job, another skips rather than overlap.
func TestLockPreventsOverlap(t *testing.T) {
	a, b := newPair(t)
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	go a.RunOnce(ctx, "poll", time.Unix(0, 0), func(context.Context) error {
		close(started)
		<-release
		return nil
	})
	<-started
	ran, err := b.RunOnce(ctx, "poll", time.Unix(300, 0), func(context.Context) error { return nil })
	close(release)
	if ran || err != nil {
		t.Errorf("a second instance ran a job still running elsewhere (ran=%v, err=%v)", ran, err)
	}
}

func TestJobErrorIsReturned(t *testing.T) {
	a, _ := newPair(t)
	boom := errors.New("boom")
	if _, err := a.RunOnce(context.Background(), "j", time.Unix(60, 0), func(context.Context) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("RunOnce = %v; want the job's error", err)
	}
}

func TestTickOf(t *testing.T) {
	every, _ := cron.ParseStandard("@every 5m")
	daily, _ := cron.ParseStandard("0 8 * * *")
	now := time.Date(2026, 11, 28, 8, 0, 1, 500, time.UTC)
	if got := tickOf(every, time.Date(2026, 11, 28, 8, 7, 42, 0, time.UTC)); !got.Equal(time.Date(2026, 11, 28, 8, 5, 0, 0, time.UTC)) {
		t.Errorf("@every 5m tick = %v; want 08:05", got)
	}
	if got := tickOf(daily, now); !got.Equal(time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("daily tick = %v; want 08:00", got)
	}
	// The default digest schedule in Damascus time is 05:00 UTC.
	loc, _ := time.LoadLocation("Asia/Damascus")
	next := daily.Next(time.Date(2026, 11, 28, 0, 0, 0, 0, loc))
	if next.UTC().Hour() != 5 {
		t.Errorf("08:00 in Damascus is %v UTC; want 05:00", next.UTC())
	}
}

// A panicking job does not stop the cron: the next tick runs again.
func TestPanicIsRecovered(t *testing.T) {
	r := redistest.New(t)
	s := New(Options{RDB: r.Client, Prefix: r.Prefix})
	var calls atomic.Int32
	s.Add("p", "@every 1s", func(context.Context) error {
		if calls.Add(1) == 1 {
			panic("first run panics")
		}
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for calls.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if calls.Load() < 2 {
		t.Errorf("the job ran %d times; want it to run again after panicking", calls.Load())
	}
}

func TestLeaseReturnsFatalError(t *testing.T) {
	a, _ := newPair(t)
	bad := errors.New("token rejected")
	if err := a.Lease(context.Background(), "updates", 3*time.Second, func(context.Context) error { return bad }); !errors.Is(err, bad) {
		t.Errorf("Lease = %v; want the function's own error", err)
	}
}

// Only one instance holds a lease; when it stops, another takes over.
func TestLease(t *testing.T) {
	a, b := newPair(t)
	var holders, maxHolders atomic.Int32
	hold := func(ctx context.Context) error {
		n := holders.Add(1)
		for {
			m := maxHolders.Load()
			if n <= m || maxHolders.CompareAndSwap(m, n) {
				break
			}
		}
		<-ctx.Done()
		holders.Add(-1)
		return nil
	}
	actx, acancel := context.WithCancel(context.Background())
	bctx, bcancel := context.WithCancel(context.Background())
	defer bcancel()
	aDone, bDone := make(chan struct{}), make(chan struct{})
	go func() { a.Lease(actx, "updates", 3*time.Second, hold); close(aDone) }()
	waitFor(t, func() bool { return holders.Load() == 1 })
	go func() { b.Lease(bctx, "updates", 3*time.Second, hold); close(bDone) }()
	time.Sleep(200 * time.Millisecond)
	if holders.Load() != 1 {
		t.Fatalf("%d holders; want 1", holders.Load())
	}
	acancel() // the first instance stops (and releases the lease)
	<-aDone
	waitFor(t, func() bool { return holders.Load() == 1 })
	bcancel()
	<-bDone
	if maxHolders.Load() != 1 {
		t.Errorf("at one point %d instances held the lease; want never more than 1", maxHolders.Load())
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 20s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A job added at start runs as Run starts, not a full interval later.
func TestAddAtStartRunsAtOnce(t *testing.T) {
	r := redistest.New(t)
	s := New(Options{RDB: r.Client, Prefix: r.Prefix})
	ran := make(chan struct{}, 1)
	if err := s.AddAtStart("poll", "@every 1h", func(context.Context) error { ran <- struct{}{}; return nil }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	select {
	case <-ran:
	case <-time.After(20 * time.Second):
		t.Error("a job added at start had not run 20 s after Run; want it at once")
	}
	cancel()
	<-done
}

// Two instances starting together in the same tick poll once: the run at
// start goes through the lock and the once-per-tick marker.
func TestAddAtStartRunsOnceAcrossInstances(t *testing.T) {
	r := redistest.New(t)
	now := func() time.Time { return time.Date(2026, 11, 28, 8, 2, 0, 0, time.UTC) }
	var runs atomic.Int32
	job := func(context.Context) error { runs.Add(1); return nil }
	var scheds []*Scheduler
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 {
		s := New(Options{RDB: r.Client, Prefix: r.Prefix, LockTTL: 3 * time.Second, Now: now})
		if err := s.AddAtStart("poll", "@every 5m", job); err != nil {
			t.Fatal(err)
		}
		scheds = append(scheds, s)
	}
	for _, s := range scheds {
		wg.Go(func() { s.Run(ctx) })
	}
	// Each instance either ran the tick or left it to the other.
	waitFor(t, func() bool {
		n := 0
		for _, s := range scheds {
			n += s.Ran("poll") + s.Skipped("poll")
		}
		return n == 2
	})
	cancel()
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("two instances starting in one tick polled %d times; want once", n)
	}
	// A third instance joining in the same tick does not poll again.
	late := New(Options{RDB: r.Client, Prefix: r.Prefix, Now: now})
	if err := late.AddAtStart("poll", "@every 5m", job); err != nil {
		t.Fatal(err)
	}
	lctx, lcancel := context.WithCancel(context.Background())
	ldone := make(chan struct{})
	go func() { late.Run(lctx); close(ldone) }()
	waitFor(t, func() bool { return late.Skipped("poll") == 1 })
	lcancel()
	<-ldone
	if n := runs.Load(); n != 1 {
		t.Errorf("an instance joining in the same tick polled again (%d polls); want none", n)
	}
}

// Each part of a shared tick goes to one instance, whichever asks first;
// the next tick's parts are claimed afresh.
func TestClaimGivesEachPartOnce(t *testing.T) {
	a, b := newPair(t)
	ctx := context.Background()
	tick := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	var mine [2]atomic.Int32
	var wg sync.WaitGroup
	for i, s := range []*Scheduler{a, b} {
		for part := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.Claim(ctx, "digest", tick, string(rune('a'+part)))
				if err != nil {
					t.Error(err)
				}
				if ok {
					mine[i].Add(1)
				}
			}()
		}
	}
	wg.Wait()
	if n := mine[0].Load() + mine[1].Load(); n != 16 {
		t.Errorf("the two instances claimed %d parts of 16; want each once", n)
	}
	if ok, _ := a.Claim(ctx, "digest", tick.Add(time.Minute), "a"); !ok {
		t.Error("a part of the next tick was refused")
	}
}
