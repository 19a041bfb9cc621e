package ratelimit

import (
	"context"
	"sync"
	"testing"
	"time"

	"nashra/subscribers/redistest"
)

// waitPause waits until the shared pause is over.
func waitPause(t *testing.T, l *Limiter) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		left, err := l.PauseLeft(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if left <= 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pause never ended (%v left)", left)
		}
		time.Sleep(left)
	}
}

func TestOutageBackoffGrowsPerProbeAndResets(t *testing.T) {
	t.Parallel()
	r := redistest.New(t)
	ctx := context.Background()
	// Two instances sharing Redis.
	a, b := New(r.Client, r.Prefix, 30, 0.04), New(r.Client, r.Prefix, 30, 0.04)
	// Every worker whose call was on the wire fails too: one probe, one
	// step, however many report it. (A long first pause, so that these
	// reports certainly come while it runs.)
	started, pause, err := a.OutageFailed(ctx, time.Minute, time.Hour)
	if err != nil || !started || pause != time.Minute {
		t.Fatalf("first failure = %v, %v, %v; want started, pause 1m", started, pause, err)
	}
	if left, _ := b.PauseLeft(ctx); left <= 0 {
		t.Errorf("the other instance sees no pause after an outage began")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			st, p, err := b.OutageFailed(ctx, time.Minute, time.Hour)
			if err != nil || st || p > time.Minute {
				t.Errorf("failure during the pause = %v, %v, %v; want not started, at most 1m", st, p, err)
			}
		})
	}
	wg.Wait()
	if ended, _, err := b.OutageOver(ctx); !ended || err != nil {
		t.Fatalf("success = %v, %v; want the outage ended", ended, err)
	}
	// The minute's pause is still on the shared key: lift it by hand.
	if err := r.Client.Del(ctx, a.pauseKey()).Err(); err != nil {
		t.Fatal(err)
	}

	const first, longest = 40 * time.Millisecond, 120 * time.Millisecond
	started, pause, err = a.OutageFailed(ctx, first, longest)
	if err != nil || !started || pause != first {
		t.Fatalf("failure of a new outage = %v, %v, %v; want started, pause %v", started, pause, err, first)
	}

	for i, want := range []time.Duration{2 * first, longest, longest} {
		waitPause(t, a)
		started, pause, err := b.OutageFailed(ctx, first, longest)
		if err != nil || started || pause != want {
			t.Errorf("failed probe %d = %v, %v, %v; want not started, pause %v", i+1, started, pause, err, want)
		}
	}

	ended, lasted, err := a.OutageOver(ctx)
	if err != nil || !ended || lasted <= 0 {
		t.Errorf("first success = %v, %v, %v; want the outage ended", ended, lasted, err)
	}
	if ended, _, _ := b.OutageOver(ctx); ended {
		t.Errorf("a second success ended the outage again; want it ended once")
	}
	waitPause(t, a)
	if started, pause, _ := a.OutageFailed(ctx, first, longest); !started || pause != first {
		t.Errorf("failure after the recovery = %v, %v; want a new outage with pause %v", started, pause, first)
	}
}
