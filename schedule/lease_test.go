package schedule

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/subscribers/redistest"
)

// instance is one process's scheduler with a Redis connection of its own,
// so that it can die the way kill -9 kills: the connection closes and
// nothing is released.
type instance struct {
	s    *Scheduler
	rdb  *redis.Client
	done chan struct{}
	stop context.CancelFunc
}

func startInstance(t *testing.T, r *redistest.Redis, id string, ttl time.Duration, holding *atomic.Int32, overlap *atomic.Bool) *instance {
	t.Helper()
	opt, err := redis.ParseURL(r.URL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	s := New(Options{RDB: rdb, Prefix: r.Prefix, Instance: id})
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{s: s, rdb: rdb, done: make(chan struct{}), stop: cancel}
	go func() {
		defer close(in.done)
		s.Lease(ctx, "updates", ttl, func(ctx context.Context) error {
			if holding.Add(1) > 1 {
				overlap.Store(true)
			}
			<-ctx.Done()
			holding.Add(-1)
			return nil
		})
	}()
	t.Cleanup(func() { cancel(); <-in.done })
	return in
}

// kill -9: the connection is gone before anything can be released.
func (in *instance) kill() {
	_ = in.rdb.Close()
	in.stop()
	<-in.done
}

func redisFor(t *testing.T) *redistest.Redis {
	r := redistest.New(t)
	if _, ok := r.Client.(*redis.Client); !ok {
		t.Skip("dials its own single-node connections")
	}
	if r.Mini != nil {
		// miniredis lets keys expire only when told; tell it as time goes.
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			last := time.Now()
			for {
				select {
				case <-stop:
					return
				case now := <-tick.C:
					r.Mini.FastForward(now.Sub(last))
					last = now
				}
			}
		}()
		t.Cleanup(func() { close(stop); <-done })
	}
	return r
}

// The holder dies without releasing: another instance takes over within
// about the lease's own ttl (not the job lock's minute), and the two never
// hold it at once.
func TestLeaseTakenOverAfterKill(t *testing.T) {
	r := redisFor(t)
	var holding atomic.Int32
	var overlap atomic.Bool
	const ttl = 2 * time.Second
	a := startInstance(t, r, "host-a:8080", ttl, &holding, &overlap)
	waitFor(t, func() bool { return holding.Load() == 1 })
	startInstance(t, r, "host-b:8080", ttl, &holding, &overlap)
	// Past a heartbeat or two: the lease has been renewed.
	time.Sleep(ttl)
	a.kill()
	killed := time.Now()
	deadline := time.Now().Add(10 * time.Second)
	for holding.Load() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("no instance took over %v after the holder died (lease ttl %v)", time.Since(killed), ttl)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if overlap.Load() {
		t.Error("two instances held the lease at once")
	}
}

// A crashed instance restarted under the same identity takes its lease back
// at once, without waiting out the ttl.
func TestLeaseReclaimedBySameInstance(t *testing.T) {
	r := redisFor(t)
	var holding atomic.Int32
	var overlap atomic.Bool
	const ttl = time.Minute
	a := startInstance(t, r, "host-a:8080", ttl, &holding, &overlap)
	waitFor(t, func() bool { return holding.Load() == 1 })
	a.kill()
	startInstance(t, r, "host-a:8080", ttl, &holding, &overlap)
	deadline := time.Now().Add(10 * time.Second)
	for holding.Load() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the restarted instance did not get its lease back within 10s (ttl %v)", ttl)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Another identity still cannot take it.
	startInstance(t, r, "host-b:8080", ttl, &holding, &overlap)
	time.Sleep(300 * time.Millisecond)
	if overlap.Load() {
		t.Error("two instances held the lease at once")
	}
}

// ErrYield hands the lease over: the other instance gets it.
func TestLeaseYield(t *testing.T) {
	r := redistest.New(t)
	a := New(Options{RDB: r.Client, Prefix: r.Prefix, Instance: "a"})
	b := New(Options{RDB: r.Client, Prefix: r.Prefix, Instance: "b"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var aRuns, bRuns atomic.Int32
	go a.Lease(ctx, "updates", time.Second, func(context.Context) error {
		aRuns.Add(1)
		return errors.Join(ErrYield, errors.New("409"))
	})
	waitFor(t, func() bool { return aRuns.Load() == 1 })
	go b.Lease(ctx, "updates", time.Second, func(ctx context.Context) error {
		bRuns.Add(1)
		<-ctx.Done()
		return nil
	})
	waitFor(t, func() bool { return bRuns.Load() == 1 })
}
