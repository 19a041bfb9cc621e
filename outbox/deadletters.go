package outbox

// Dead letters: jobs Telegram refused for good, or for longer than the
// sender's MaxAge, kept in their shard's dead-letter stream with the
// reason until an operator redrives them (`nashra outbox redrive`).

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// DeadLetter is a job that was not delivered and will not be unless an
// operator redrives it.
type DeadLetter struct {
	// Job as it was last tried: Attempt counts the failed tries, and
	// StreamID and Shard say where the dead letter is.
	Job    Job
	Reason string
	At     time.Time // when it was dead-lettered
}

// DeadLetters returns up to count dead letters of every shard, newest
// first.
func (s *Store) DeadLetters(ctx context.Context, count int64) ([]DeadLetter, error) {
	var out []DeadLetter
	for n := range keyspace.Shards {
		msgs, err := s.rdb.XRevRangeN(ctx, s.ks.Shard(n).DeadLetters(), "+", "-", count).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("dead letters: %w", err)
		}
		for _, m := range msgs {
			out = append(out, decodeDeadLetter(m, n))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	if int64(len(out)) > count {
		out = out[:count]
	}
	return out, nil
}

func decodeDeadLetter(m redis.XMessage, shard int) DeadLetter {
	p := Low
	if m.Values[keyspace.DeadPriority] == High.String() {
		p = High
	}
	j, _ := decodeJob(m, shard, p)
	j.StreamID, j.Shard = m.ID, shard
	reason, _ := m.Values[keyspace.DeadReason].(string)
	ms, _ := strconv.ParseInt(strings.SplitN(m.ID, "-", 2)[0], 10, 64)
	return DeadLetter{Job: j, Reason: reason, At: time.UnixMilli(ms)}
}

// Redrive outcomes.
const (
	RedriveQueued = "queued" // back in its stream, to be sent
	RedriveSent   = "sent"   // already delivered (its state says sent): left alone
	RedriveBusy   = "busy"   // queued or under way already: left alone
	RedriveGone   = "gone"   // no longer a dead letter (redriven meanwhile)
)

// Redrive puts a dead letter back at the end of its stream with a fresh
// attempt counter, enqueued now (so its age starts again), and marks it
// queued; the dead letter is removed in the same step, so redriving it
// twice queues it once. A job whose state says it was sent is not
// redriven. It returns one of the Redrive outcomes.
func (s *Store) Redrive(ctx context.Context, dl DeadLetter) (string, error) {
	j := dl.Job
	if j.ID == "" || j.ChatID == 0 {
		return "", fmt.Errorf("redrive dead letter %s: not a job", j.StreamID)
	}
	k := s.ks.ForChat(j.ChatID) // a dead letter lives in its job's shard
	next := j
	next.Attempt, next.NotBefore, next.EnqueuedAt = 0, time.Time{}, s.now()
	args := append([]any{j.StreamID, ttlSeconds()}, s.encodeJob(next)...)
	res, err := redriveScript.Run(ctx, s.rdb, []string{k.Job(j.ID), k.DeadLetters(), k.Queue(j.Priority.String())}, args...).Text()
	if err != nil {
		return "", fmt.Errorf("redrive job %s: %w", j.ID, err)
	}
	return res, nil
}
