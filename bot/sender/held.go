package sender

import (
	"context"
	"nashra/schedule"
	"time"

	"nashra/outbox"
)

// holdAfter is the longest NotBefore a worker sleeps through; a retried
// job due later is held aside (see hold) so the worker serves others.
const holdAfter = 2 * time.Second

type heldJob struct {
	job     outbox.Job
	touched time.Time
}

// hold keeps a job that was read before it is due. It stays pending in
// this consumer, unbegun: release hands it to a worker when due and keeps
// its entry fresh meanwhile, and after a crash the janitor of a running
// instance takes it back like any unbegun job.
func (s *Sender) hold(job outbox.Job) {
	s.heldMu.Lock()
	defer s.heldMu.Unlock()
	s.held = append(s.held, heldJob{job: job, touched: time.Now()})
}

// release hands the held jobs to the workers as they fall due, and touches
// those that wait longer than the janitor's patience.
func (s *Sender) release(ctx context.Context) {
	tick := min(s.opt.RetryBackoff, holdAfter/2, s.opt.ReclaimIdle/8)
	for schedule.Wait(ctx, tick) == nil {
		now := s.now()
		var due []outbox.Job
		var touch []outbox.Job
		s.heldMu.Lock()
		kept := s.held[:0]
		for _, h := range s.held {
			switch {
			case !h.job.NotBefore.After(now):
				due = append(due, h.job)
			case time.Since(h.touched) > s.opt.ReclaimIdle/4:
				h.touched = time.Now()
				touch = append(touch, h.job)
				kept = append(kept, h)
			default:
				kept = append(kept, h)
			}
		}
		s.held = kept
		s.heldMu.Unlock()
		for _, j := range touch {
			if err := s.outbox.Touch(ctx, j, s.opt.Consumer); err != nil && ctx.Err() == nil {
				s.log.Warn("touch held job", "job", j.ID, "err", err)
			}
		}
		for _, j := range due {
			select {
			case s.redo <- j:
			case <-ctx.Done():
				return // still pending: reclaimed like any unbegun job
			}
		}
	}
}
