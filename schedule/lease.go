package schedule

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrYield, returned (wrapped) by a lease's function, hands the lease back
// and waits a full ttl before competing for it again: the function learnt
// that someone else does the work (Telegram's 409 to a second poller).
var ErrYield = errors.New("yield the lease")

// A lease is a key holding its holder's instance identity, with a short
// ttl renewed by a heartbeat (every ttl/3). The identity outlives the
// process (Options.Instance): an instance restarted after a crash finds
// its own name on the lease and takes it back at once, instead of waiting
// for the ttl of a holder that no longer exists. Any other instance waits
// until the key expires, so two instances never hold it at once.

// leaseObtainScript: KEYS lease. ARGV holder, ttl ms. 1 when the lease is
// free or already the holder's (it is then renewed), else 0.
var leaseObtainScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`)

// leaseRenewScript: KEYS lease. ARGV holder, ttl ms. 1 when renewed, 0
// when the lease is no longer the holder's.
var leaseRenewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`)

// leaseReleaseScript: KEYS lease. ARGV holder. Deletes it if it is still
// the holder's.
var leaseReleaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// Lease runs fn while this instance holds the named lease, for work only
// one instance may do at a time (Telegram allows one long poller per
// token). Instances that do not hold it try again every ttl/10 (at most a
// second); when the holder stops, another takes over within that, and
// when it dies, within ttl of its last heartbeat. If the lease is lost,
// fn's context is cancelled and Lease competes for it again; if fn returns
// ErrYield, Lease waits ttl first. Lease returns when ctx is done, or with
// fn's error when fn fails for a reason of its own.
func (s *Scheduler) Lease(ctx context.Context, name string, ttl time.Duration, fn func(ctx context.Context) error) error {
	key := s.opt.Prefix + "lease:" + name
	holder := s.opt.Instance
	retry := min(ttl/10, time.Second)
	for ctx.Err() == nil {
		ok, err := leaseObtainScript.Run(ctx, s.opt.RDB, []string{key}, holder, ttl.Milliseconds()).Bool()
		if err != nil || !ok {
			if err != nil && ctx.Err() == nil {
				s.opt.Log.Warn("lease", "lease", name, "err", err)
			}
			if Wait(ctx, retry) != nil {
				return nil
			}
			continue
		}
		s.opt.Log.Info("lease obtained", "lease", name, "instance", holder)
		lctx, cancel := context.WithCancel(ctx)
		beat := make(chan struct{})
		go func() { defer close(beat); s.heartbeat(lctx, cancel, key, holder, ttl, name) }()
		err = fn(lctx)
		lost := lctx.Err() != nil && ctx.Err() == nil
		cancel()
		<-beat
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = leaseReleaseScript.Run(rctx, s.opt.RDB, []string{key}, holder).Err()
		rcancel()
		switch {
		case errors.Is(err, ErrYield):
			s.opt.Log.Warn("lease handed back", "lease", name, "reason", err)
			if Wait(ctx, ttl) != nil {
				return nil
			}
		case err != nil && !lost && ctx.Err() == nil:
			return err
		}
	}
	return nil
}

// heartbeat renews the lease every ttl/3; if it is lost (or cannot be
// renewed before it may have expired), fn is cancelled rather than left
// running beside another holder's.
func (s *Scheduler) heartbeat(ctx context.Context, cancel context.CancelFunc, key, holder string, ttl time.Duration, name string) {
	t := time.NewTicker(ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			ok, err := leaseRenewScript.Run(ctx, s.opt.RDB, []string{key}, holder, ttl.Milliseconds()).Bool()
			if (err != nil || !ok) && ctx.Err() == nil {
				s.opt.Log.Warn("lease lost; stopping its work", "lease", name, "err", err)
				cancel()
				return
			}
		}
	}
}

// randomInstance names an instance that was given no identity: unique to
// this process, so a restart waits for the lease's ttl.
func randomInstance() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return fmt.Sprintf("anon-%s", hex.EncodeToString(b))
}
