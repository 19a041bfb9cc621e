package schedule

import (
	"context"
	"time"
)

// Wait waits d, or until ctx ends, whichever comes first; it returns
// ctx.Err() when the wait was cut short. Every retry loop and backoff of
// the service waits through it, so none outlives its context.
func Wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
