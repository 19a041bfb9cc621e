package outbox

// The senders' side of the outbox: reading jobs, claiming each send,
// recording how it ended, handing back the ones that must go again, and
// the janitor's pass over the jobs of senders that died.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// Read takes new jobs for consumer from the given shards: up to count per
// shard and stream, high priority first (the low streams are read only when
// no high job waits). With nothing to read it polls until block has passed,
// then returns no jobs. The jobs stay pending for consumer until finished,
// retried or reclaimed.
//
// Streams of different shards live in different slots of a cluster, where
// one XREADGROUP cannot name them all, so each is read on its own (in one
// pipeline) and Read polls instead of blocking in Redis.
func (s *Store) Read(ctx context.Context, consumer string, shards []int, count int, block time.Duration) ([]Job, error) {
	count = max(count, 1)
	deadline := time.Now().Add(block)
	pause := 10 * time.Millisecond
	for {
		for _, p := range []Priority{High, Low} {
			jobs, err := s.readOnce(ctx, consumer, shards, p, count)
			if err != nil || len(jobs) > 0 {
				return jobs, err
			}
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, nil
		}
		t := time.NewTimer(min(pause, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		pause = min(2*pause, 200*time.Millisecond)
	}
}

func (s *Store) readOnce(ctx context.Context, consumer string, shards []int, p Priority, count int) ([]Job, error) {
	read := func(which []int) ([]*redis.XStreamSliceCmd, error) {
		cmds := make([]*redis.XStreamSliceCmd, len(which))
		_, err := s.rdb.Pipelined(ctx, func(pl redis.Pipeliner) error {
			for i, n := range which {
				cmds[i] = pl.XReadGroup(ctx, &redis.XReadGroupArgs{
					Group: Group, Consumer: consumer, Count: int64(count), Block: -1,
					Streams: []string{s.ks.Shard(n).Queue(p.String()), ">"},
				})
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) && !isNoGroup(err) {
			return nil, fmt.Errorf("read %s queue: %w", p, err)
		}
		return cmds, nil
	}
	cmds, err := read(shards)
	if err != nil {
		return nil, err
	}
	// A stream without the group yet: create both (from the first entry,
	// so jobs queued before any sender started are read) and read again.
	var missing []int
	for i, c := range cmds {
		if isNoGroup(c.Err()) {
			missing = append(missing, shards[i])
		}
	}
	if len(missing) > 0 {
		for _, n := range missing {
			if err := s.ensureGroups(ctx, n); err != nil {
				return nil, err
			}
		}
		again, err := read(missing)
		if err != nil {
			return nil, err
		}
		cmds = append(cmds, again...)
		shards = append(append([]int(nil), shards...), missing...)
	}
	perShard := make([][]Job, len(cmds))
	for i, c := range cmds {
		if c.Err() != nil {
			if errors.Is(c.Err(), redis.Nil) || isNoGroup(c.Err()) {
				continue
			}
			return nil, fmt.Errorf("read %s queue of shard %d: %w", p, shards[i], c.Err())
		}
		for _, st := range c.Val() {
			for _, m := range st.Messages {
				j, ok := decodeJob(m, shards[i], p)
				if !ok {
					// Not a job (or deleted): nothing to send, drop it.
					s.drop(ctx, st.Stream, m.ID)
					continue
				}
				perShard[i] = append(perShard[i], j)
			}
		}
	}
	return interleave(perShard, int(s.turn.Add(1))), nil
}

// interleave takes one job of each shard in turn, starting at shard
// start (mod their number), so that no shard's readers always come
// first or last in a worker's batch. Each shard's own order, and so each
// chat's, is kept.
func interleave(perShard [][]Job, start int) []Job {
	n := 0
	for _, js := range perShard {
		n += len(js)
	}
	out := make([]Job, 0, n)
	for round := 0; len(out) < n; round++ {
		for k := range perShard {
			js := perShard[(start+k)%len(perShard)]
			if round < len(js) {
				out = append(out, js[round])
			}
		}
	}
	return out
}

func isNoGroup(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOGROUP")
}

// ensureGroups creates the consumer group on both streams of shard n.
func (s *Store) ensureGroups(ctx context.Context, n int) error {
	k := s.ks.Shard(n)
	for _, p := range []Priority{High, Low} {
		err := s.rdb.XGroupCreateMkStream(ctx, k.Queue(p.String()), Group, "0").Err()
		if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
			return fmt.Errorf("create group on %s: %w", k.Queue(p.String()), err)
		}
	}
	return nil
}

func (s *Store) drop(ctx context.Context, stream, id string) {
	_, _ = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, stream, Group, id)
		p.XDel(ctx, stream, id)
		return nil
	})
}

// Begin claims the send of a job just read. It returns true when the caller
// now owns the send (the state says inflight:<consumer>:<ms>). It returns
// false for a job that is already over (its entry, a duplicate, is acked
// and deleted) or in flight at another consumer (left alone: its owner
// finishes it, or the janitor reclaims it).
func (s *Store) Begin(ctx context.Context, job Job, consumer string) (bool, error) {
	k := s.ks.ForChat(job.ChatID)
	flight := keyspace.PrefixInflight + consumer + ":" + strconv.FormatInt(s.now().UnixMilli(), 10)
	res, err := beginScript.Run(ctx, s.rdb, []string{k.Job(job.ID), k.Queue(job.Priority.String())},
		job.StreamID, flight, ttlSeconds()).Text()
	if err != nil {
		return false, fmt.Errorf("begin job %s: %w", job.ID, err)
	}
	return res == beginOwned, nil
}

// Finish records the job's final state ("sent:<id>", "failed:<reason>",
// "unknown", "skipped:<why>") and acks and deletes its entry, in one step.
func (s *Store) Finish(ctx context.Context, job Job, state string) error {
	if !IsFinal(state) {
		return fmt.Errorf("finish job %s: %q is not a final state", job.ID, state)
	}
	k := s.ks.ForChat(job.ChatID)
	err := finishScript.Run(ctx, s.rdb, []string{k.Job(job.ID), k.Queue(job.Priority.String())},
		job.StreamID, state, ttlSeconds()).Err()
	if err != nil {
		return fmt.Errorf("finish job %s: %w", job.ID, err)
	}
	return nil
}

// FinishCounted is Finish that also adds one to metric, a daily counter of
// the job's shard (subscribers' stats), on the UTC day of day, in the same
// step: a delivery is counted exactly when it is recorded, and finishing
// again with the same state (a retry after a lost reply) counts nothing
// more.
func (s *Store) FinishCounted(ctx context.Context, job Job, state, metric string, day time.Time) error {
	if !IsFinal(state) {
		return fmt.Errorf("finish job %s: %q is not a final state", job.ID, state)
	}
	k := s.ks.ForChat(job.ChatID)
	err := finishScript.Run(ctx, s.rdb, []string{k.Job(job.ID), k.Queue(job.Priority.String()), k.Stats(metric)},
		job.StreamID, state, ttlSeconds(), keyspace.StatDay(day)).Err()
	if err != nil {
		return fmt.Errorf("finish job %s: %w", job.ID, err)
	}
	return nil
}

// Retry hands back a job whose send failed without delivering, counting
// the attempt: a copy with Attempt+1 (and job.NotBefore, the caller's
// backoff) goes to the end of its stream and the job is queued again. The
// old entry is acked in the same step, and a job that meanwhile reached a
// final state is not re-added. How long a job keeps being retried is the
// caller's choice (the sender: until it is older than its MaxAge).
func (s *Store) Retry(ctx context.Context, job Job) error {
	next := job
	next.Attempt++
	return s.again(ctx, job, next)
}

// DeadLetter moves a job that will not be delivered (Telegram refuses it,
// or it kept failing for too long) to its shard's dead-letter stream with
// reason, and its state becomes StateDeadLetter; the attempt that failed
// is counted. The old entry is acked in the same step; a job that
// meanwhile reached a final state is only acked. `nashra outbox redrive`
// puts dead letters back (Redrive).
func (s *Store) DeadLetter(ctx context.Context, job Job, reason string) error {
	next := job
	next.Attempt++
	k := s.ks.ForChat(job.ChatID)
	args := []any{job.StreamID, retryDead, StateDeadLetter, ttlSeconds()}
	args = append(args, s.encodeJob(next)...)
	args = append(args, keyspace.DeadReason, reason, keyspace.DeadPriority, job.Priority.String())
	err := retryScript.Run(ctx, s.rdb, []string{k.Job(job.ID), k.Queue(job.Priority.String()), k.DeadLetters()}, args...).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("dead-letter job %s: %w", job.ID, err)
	}
	return nil
}

// Unbegin undoes Begin for a job whose request certainly did not deliver
// (a 429, an outage) and that its worker keeps to send after a pause: the
// state goes back to queued while the entry stays pending with consumer,
// so a crash during the wait leaves a job the janitor sends, not one it
// must call unknown. The worker Begins it again before the next send. It
// does nothing unless consumer owns the send.
func (s *Store) Unbegin(ctx context.Context, job Job, consumer string) error {
	k := s.ks.ForChat(job.ChatID)
	if err := unbeginScript.Run(ctx, s.rdb, []string{k.Job(job.ID)}, keyspace.PrefixInflight+consumer+":", ttlSeconds()).Err(); err != nil {
		return fmt.Errorf("unbegin job %s: %w", job.ID, err)
	}
	return nil
}

// Requeue hands back a begun job without counting an attempt (after a 429,
// or at shutdown before the send): a copy goes to the end of its stream.
func (s *Store) Requeue(ctx context.Context, job Job) error {
	return s.again(ctx, job, job)
}

func (s *Store) again(ctx context.Context, old, next Job) error {
	k := s.ks.ForChat(old.ChatID)
	args := append([]any{old.StreamID, retryAgain, "", ttlSeconds()}, s.encodeJob(next)...)
	err := retryScript.Run(ctx, s.rdb, []string{k.Job(old.ID), k.Queue(old.Priority.String()), k.DeadLetters()}, args...).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("requeue job %s: %w", old.ID, err)
	}
	return nil
}

// Touch tells the janitor that consumer is still working on a begun job:
// it resets the entry's idle time (XCLAIM to itself, JUSTID, which does not
// count a delivery). Senders call it while a job waits for a pause or a
// rate limit longer than the janitor's idle threshold.
func (s *Store) Touch(ctx context.Context, job Job, consumer string) error {
	err := s.rdb.XClaimJustID(ctx, &redis.XClaimArgs{
		Stream: s.ks.ForChat(job.ChatID).Queue(job.Priority.String()), Group: Group, Consumer: consumer,
		MinIdle: 0, Messages: []string{job.StreamID},
	}).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("touch job %s: %w", job.ID, err)
	}
	return nil
}

// Reclaim is the janitor's pass over one shard: it claims for consumer the
// entries idle longer than minIdle (their consumer died or stalled) and
// settles each by its state:
//   - no state yet (the sender died before Begin): returned, to be sent;
//   - in flight (it died during the send, which may have reached
//     Telegram): marked unknown and acked, counted in unknown; or returned
//     to be sent again when resendUnknown is set;
//   - final: acked.
//
// minIdle must be longer than the longest send (HTTP timeout); senders
// Touch jobs that wait longer.
func (s *Store) Reclaim(ctx context.Context, consumer string, shard int, minIdle time.Duration, resendUnknown bool) ([]Job, int, error) {
	k := s.ks.Shard(shard)
	resend := ""
	if resendUnknown {
		resend = reclaimResendFlag
	}
	var (
		reclaimed []Job
		unknown   int
	)
	for _, p := range []Priority{High, Low} {
		stream := k.Queue(p.String())
		start := "0-0"
		for {
			msgs, next, err := s.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
				Stream: stream, Group: Group, Consumer: consumer, MinIdle: minIdle, Start: start, Count: 100,
			}).Result()
			if isNoGroup(err) || errors.Is(err, redis.Nil) {
				break
			}
			if err != nil {
				return reclaimed, unknown, fmt.Errorf("reclaim %s: %w", stream, err)
			}
			for _, m := range msgs {
				j, ok := decodeJob(m, shard, p)
				if !ok {
					s.drop(ctx, stream, m.ID)
					continue
				}
				res, err := reclaimScript.Run(ctx, s.rdb, []string{k.Job(j.ID), stream}, m.ID, resend, ttlSeconds()).Text()
				if err != nil {
					return reclaimed, unknown, fmt.Errorf("reclaim job %s: %w", j.ID, err)
				}
				switch res {
				case reclaimResend:
					reclaimed = append(reclaimed, j)
				case StateUnknown:
					unknown++
				}
			}
			if next == "" || next == "0-0" {
				break
			}
			start = next
		}
	}
	return reclaimed, unknown, nil
}
