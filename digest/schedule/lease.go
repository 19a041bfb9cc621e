package schedule

import (
	"context"
	"errors"
	"time"

	"github.com/bsm/redislock"
)

// Lease runs fn while this instance holds the named lease, for work only
// one instance may do at a time (Telegram allows one long poller per
// token). Instances that do not hold it wait and retry; when the holder
// stops or dies, another takes over within ttl. If the lease is lost, fn's
// context is cancelled. Lease returns when ctx is done, or with fn's error
// when fn fails for a reason of its own.
func (s *Scheduler) Lease(ctx context.Context, name string, ttl time.Duration, fn func(ctx context.Context) error) error {
	key := s.opt.Prefix + "lease:" + name
	for ctx.Err() == nil {
		lock, err := s.locks.Obtain(ctx, key, ttl, nil)
		if err != nil {
			if !errors.Is(err, redislock.ErrNotObtained) && ctx.Err() == nil {
				s.opt.Log.Warn("lease", "lease", name, "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(ttl / 3):
			}
			continue
		}
		s.opt.Log.Info("lease obtained", "lease", name)
		lctx, cancel := context.WithCancel(ctx)
		go s.refresh(lctx, cancel, lock, "lease "+name)
		err = fn(lctx)
		lost := lctx.Err() != nil
		cancel()
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = lock.Release(rctx)
		rcancel()
		if err != nil && !lost {
			return err
		}
	}
	return nil
}
