// Package schedule is how several instances share work: periodic jobs
// (polling feeds, building digests, trimming) run in every instance and
// each tick of each job runs once across all of them, and leases give one
// instance at a time the work only one may do (long polling Telegram).
//
// A Redis lock keeps two runs of a job from overlapping, and a
// once-per-tick marker keeps a second instance from repeating a tick the
// first one already ran.
//
// Correctness never rests on the lock alone: the steps the jobs take are
// themselves atomic and idempotent (the digest cursor's compare-and-set,
// ingest dedup), so a lock lost to a pause costs at most a repeated no-op.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/bsm/redislock"
	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"
)

// Options configures a Scheduler.
type Options struct {
	RDB      redis.UniversalClient
	Prefix   string // key prefix ("nashra:")
	Location *time.Location
	Log      *slog.Logger
	// LockTTL is how long a job's lock lives without a refresh; it is
	// refreshed while the job runs. 1 minute when zero.
	LockTTL time.Duration
	// Instance names this instance to leases, the same across its
	// restarts (see Lease). A random name when empty.
	Instance string
	Now      func() time.Time
}

// Scheduler is a cron shared by every instance.
type Scheduler struct {
	opt   Options
	locks *redislock.Client
	cron  *cron.Cron
	ctx   context.Context
	wg    sync.WaitGroup
	// atStart are the jobs Run starts at once (AddAtStart).
	atStart []cron.EntryID
	// ran and skipped count the ticks this instance ran, and those it
	// left to another instance (for tests and metrics).
	mu      sync.Mutex
	ran     map[string]int
	skipped map[string]int
}

// New returns a Scheduler; add jobs, then Run it.
func New(opt Options) *Scheduler {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.LockTTL <= 0 {
		opt.LockTTL = time.Minute
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Instance == "" {
		opt.Instance = randomInstance()
	}
	logger := cronLogger{opt.Log}
	return &Scheduler{
		opt:   opt,
		locks: redislock.New(opt.RDB),
		// Recover must be the inner wrapper: in cron v3.0.1 a panic that
		// reaches SkipIfStillRunning leaves its slot taken and the job
		// never runs again.
		cron: cron.New(cron.WithLocation(opt.Location), cron.WithLogger(logger),
			cron.WithChain(cron.SkipIfStillRunning(logger), cron.Recover(logger))),
		ran:     map[string]int{},
		skipped: map[string]int{},
	}
}

// Add schedules fn under name with a standard cron spec (or @every, @daily...).
func (s *Scheduler) Add(name, spec string, fn func(ctx context.Context) error) error {
	_, err := s.add(name, spec, fn)
	return err
}

// AddAtStart is Add for a job that should not wait for its first tick (a
// fresh instance polls the feeds at once, not five minutes later): as Run
// starts, the job runs for the tick in progress, through the same lock and
// once-per-tick marker as its scheduled runs. Instances starting together
// run it once, and an instance joining others that already ran the tick
// does not run it again.
func (s *Scheduler) AddAtStart(name, spec string, fn func(ctx context.Context) error) error {
	id, err := s.add(name, spec, fn)
	if err != nil {
		return err
	}
	s.atStart = append(s.atStart, id)
	return nil
}

func (s *Scheduler) add(name, spec string, fn func(ctx context.Context) error) (cron.EntryID, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return 0, fmt.Errorf("schedule %s %q: %w", name, spec, err)
	}
	id := s.cron.Schedule(sched, cron.FuncJob(func() {
		s.wg.Add(1)
		defer s.wg.Done()
		if s.ctx == nil || s.ctx.Err() != nil {
			return
		}
		if _, err := s.RunOnce(s.ctx, name, tickOf(sched, s.opt.Now().In(s.opt.Location)), fn); err != nil {
			s.opt.Log.Error("job failed", "job", name, "err", err)
		}
	}))
	return id, nil
}

// AddShared schedules fn under name to run in every instance at each of
// its ticks, given the tick: rather than one instance running the whole
// tick, fn divides the tick's work among the instances running it, each
// part once (Claim), so that more instances finish a tick sooner. A run
// that would overlap this instance's previous one is skipped, as for
// every job.
func (s *Scheduler) AddShared(name, spec string, fn func(ctx context.Context, tick time.Time) error) error {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("schedule %s %q: %w", name, spec, err)
	}
	s.cron.Schedule(sched, cron.FuncJob(func() {
		s.wg.Add(1)
		defer s.wg.Done()
		if s.ctx == nil || s.ctx.Err() != nil {
			return
		}
		err := fn(s.ctx, tickOf(sched, s.opt.Now().In(s.opt.Location)))
		s.count(s.ran, name)
		if err != nil {
			s.opt.Log.Error("job failed", "job", name, "err", err)
		}
	}))
	return nil
}

// claimTTL is how long a claim on part of a tick is kept: long past the
// tick, so that a slow instance never takes a part already done.
const claimTTL = time.Hour

// Claim gives part of a shared job's tick (AddShared) to the instance
// that asks first: it reports true to that one and false to every other.
func (s *Scheduler) Claim(ctx context.Context, name string, tick time.Time, part string) (bool, error) {
	key := s.opt.Prefix + "tick:" + name + ":" + strconv.FormatInt(tick.Unix(), 10) + ":" + part
	ok, err := s.opt.RDB.SetNX(ctx, key, s.opt.Instance, claimTTL).Result()
	if err != nil {
		return false, fmt.Errorf("claim %s of %s: %w", part, name, err)
	}
	return ok, nil
}

// tickOf names the tick a run belongs to, the same in every instance:
// the scheduled time at or before now. For "@every D" (relative to each
// process's start) it is now truncated to D.
func tickOf(sched cron.Schedule, now time.Time) time.Time {
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		return now.Truncate(every.Delay)
	}
	// The latest activation not after now: Next from a minute back, walked
	// forward while it stays <= now.
	t := now.Truncate(time.Minute)
	if next := sched.Next(t.Add(-time.Second)); !next.After(now) {
		return next
	}
	return t
}

// RunOnce runs fn for the tick unless another instance already did or is
// doing it. It reports whether this instance ran it.
func (s *Scheduler) RunOnce(ctx context.Context, name string, tick time.Time, fn func(ctx context.Context) error) (bool, error) {
	marker := s.opt.Prefix + "tick:" + name + ":" + strconv.FormatInt(tick.Unix(), 10)
	lock, err := s.locks.Obtain(ctx, s.opt.Prefix+"lock:"+name, s.opt.LockTTL, nil)
	if errors.Is(err, redislock.ErrNotObtained) {
		s.count(s.skipped, name)
		return false, nil // another instance is running this job
	}
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", name, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = lock.Release(rctx)
	}()
	first, err := s.opt.RDB.SetNX(ctx, marker, 1, 24*time.Hour).Result()
	if err != nil {
		return false, fmt.Errorf("tick marker %s: %w", name, err)
	}
	if !first {
		s.count(s.skipped, name)
		return false, nil // this tick already ran elsewhere
	}
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.refresh(jctx, cancel, lock, name)
	s.opt.Log.Debug("job start", "job", name, "tick", tick)
	err = fn(jctx)
	s.count(s.ran, name)
	return true, err
}

func (s *Scheduler) count(m map[string]int, name string) {
	s.mu.Lock()
	m[name]++
	s.mu.Unlock()
}

// refresh keeps the lock alive while the job runs; if it is lost, the job
// is cancelled rather than left running beside another instance's.
func (s *Scheduler) refresh(ctx context.Context, cancel context.CancelFunc, lock *redislock.Lock, name string) {
	t := time.NewTicker(s.opt.LockTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := lock.Refresh(ctx, s.opt.LockTTL, nil); err != nil && ctx.Err() == nil {
				s.opt.Log.Warn("job lost its lock; stopping it", "job", name, "err", err)
				cancel()
				return
			}
		}
	}
}

// Ran reports how many ticks of name this instance ran.
func (s *Scheduler) Ran(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ran[name]
}

// Skipped reports how many ticks of name this instance left to another:
// the tick had run, or the job was running, elsewhere.
func (s *Scheduler) Skipped(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skipped[name]
}

// Run starts the cron (and the AddAtStart jobs) and blocks until ctx is
// cancelled; then it waits for the jobs in flight (they see ctx cancelled)
// and returns.
func (s *Scheduler) Run(ctx context.Context) {
	s.ctx = ctx
	for _, id := range s.atStart {
		// The job as cron runs it, wrapped in the same chain: a panic is
		// recovered, and a scheduled run skips while this one still runs.
		job := s.cron.Entry(id).WrappedJob
		s.wg.Go(job.Run)
	}
	s.cron.Start()
	<-ctx.Done()
	<-s.cron.Stop().Done()
	s.wg.Wait()
}

// cronLogger feeds cron's own messages into slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}
