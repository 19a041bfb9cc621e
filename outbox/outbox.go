// Package outbox is the queue of messages waiting to be sent to Telegram,
// in Redis: one pair of streams per reader shard (q:hi for digests and
// replies, q:lo for broadcasts, read by the consumer group "senders"), each
// job's state, the dead letters and the digest texts that jobs share.
// bot/sender drains it; the digest builder and broadcasts fill it.
//
// A job lives in its reader's shard, so its state, its stream entry and the
// reader's record change together in one script on one slot: queueing a
// digest moves the reader's cursor in the same step, and every change of a
// job's state is made in the same step as the ack that goes with it. An
// entry is deleted in the same step that acks it: a stream holds only
// outstanding work, and nothing unacked is ever trimmed. The keys, fields
// and states are keyspace's.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// JobTTL is how long a job's state is kept: the window in which feeding the
// same job again is recognised as a duplicate.
const JobTTL = 7 * 24 * time.Hour

// Priority says which stream a job goes to.
type Priority int

const (
	// Low is for broadcasts: sent when no high-priority job waits.
	Low Priority = iota
	// High is for digests and replies to readers.
	High
)

// String is the priority's name: the suffix of its stream's key.
func (p Priority) String() string {
	if p == High {
		return keyspace.PriorityHigh
	}
	return keyspace.PriorityLow
}

// Options configures a Store. The zero value is usable; Prefix defaults to
// keyspace.DefaultPrefix.
type Options struct {
	Prefix string
	Now    func() time.Time
}

// Store queues jobs and hands them to senders. It is safe for concurrent use.
type Store struct {
	rdb redis.UniversalClient
	ks  keyspace.Space
	now func() time.Time
	// turn picks the shard a Read's jobs start with (interleave).
	turn atomic.Uint32
}

// New returns a Store on rdb.
func New(rdb redis.UniversalClient, opt Options) *Store {
	s := &Store{rdb: rdb, ks: keyspace.New(opt.Prefix), now: opt.Now}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Shards is the number of shards, each with its own pair of streams.
const Shards = keyspace.Shards

// Group is the consumer group every sender reads the outbox streams with.
const Group = keyspace.Group

// Job is one message to send.
type Job struct {
	// ID is the idempotency key, chosen by the caller and unique per
	// message: "d:<chat>:<from>-<to>:<part>" for a digest part,
	// "b:<broadcast>:<chat>" for a broadcast.
	ID     string
	ChatID int64
	Kind   string // digest, broadcast, notice
	Text   string // Telegram HTML
	// Ref names Text and Markup when many jobs carry the same ones (a
	// digest rendering shared by readers with the same selection): they
	// are then stored once instead of in every job, and the sender reads
	// them back (JobContent).
	Ref    string
	Markup string // reply_markup JSON; may be empty
	// Priority picks the stream; EnqueueDigest always uses High.
	Priority Priority
	// Attempt counts the tries that failed without delivering (Retry).
	Attempt int
	// NotBefore delays a retried job: a sender holds it until then.
	NotBefore time.Time
	// EnqueuedAt is when the job was first queued.
	EnqueuedAt time.Time

	// StreamID and Shard say where the entry is; set by Read and Reclaim.
	StreamID string
	Shard    int
}

// Job states, as JobState returns them (keyspace has them all). Final
// states are StateUnknown and those that carry a suffix: "sent:<message
// id>", "failed:<reason>", "skipped:<why>".
const (
	StateQueued     = keyspace.StateQueued
	StateUnknown    = keyspace.StateUnknown
	StateBlocked    = keyspace.StateBlocked    // the reader blocked the bot or is gone
	StateDeadLetter = keyspace.StateDeadLetter // moved to the dead-letter stream
)

// StateSent is the final state of a job Telegram accepted as messageID.
func StateSent(messageID int) string { return keyspace.PrefixSent + strconv.Itoa(messageID) }

// StateSkipped is the final state of a job deliberately not sent, and why.
func StateSkipped(why string) string { return keyspace.PrefixSkipped + why }

// IsFinal reports whether a job state means the job is over: sent, failed,
// unknown or skipped.
func IsFinal(state string) bool {
	return state == StateUnknown || strings.HasPrefix(state, keyspace.PrefixSent) ||
		strings.HasPrefix(state, keyspace.PrefixFailed) || strings.HasPrefix(state, keyspace.PrefixSkipped)
}

// Entry is the stream entry of j: its field/value pairs, in the order of
// keyspace.JobFields, leaving out the optional fields j does not have (no
// text, reference or buttons; no attempt yet; no delay). ID, chat, kind
// and the time queued are always there (a zero EnqueuedAt as 0), so a
// broadcast's template has a place for each chat's ID and chat. Every
// script that writes a job writes an entry made here (the broadcast feed
// one made here for each chat).
func Entry(j Job) []any { return appendEntry(make([]any, 0, 2*len(keyspace.JobFields)), j) }

// appendEntry appends Entry(j) to e.
func appendEntry(e []any, j Job) []any {
	e = append(e, keyspace.JobID, j.ID, keyspace.JobChat, strconv.FormatInt(j.ChatID, 10), keyspace.JobKind, j.Kind)
	for _, f := range [...]struct{ name, value string }{
		{keyspace.JobText, j.Text}, {keyspace.JobRef, j.Ref}, {keyspace.JobMarkup, j.Markup},
	} {
		if f.value != "" {
			e = append(e, f.name, f.value)
		}
	}
	if j.Attempt != 0 {
		e = append(e, keyspace.JobAttempt, strconv.Itoa(j.Attempt))
	}
	if !j.NotBefore.IsZero() {
		e = append(e, keyspace.JobNotBefore, strconv.FormatInt(j.NotBefore.UnixMilli(), 10))
	}
	var enq int64
	if !j.EnqueuedAt.IsZero() {
		enq = j.EnqueuedAt.UnixMilli()
	}
	return append(e, keyspace.JobEnqueued, strconv.FormatInt(enq, 10))
}

// encodeJob is the entry of j, queued now unless it says when.
func (s *Store) encodeJob(j Job) []any {
	return s.appendJob(make([]any, 0, 2*len(keyspace.JobFields)), j)
}

// appendJob appends encodeJob(j) to e.
func (s *Store) appendJob(e []any, j Job) []any {
	if j.EnqueuedAt.IsZero() {
		j.EnqueuedAt = s.now()
	}
	return appendEntry(e, j)
}

func decodeJob(m redis.XMessage, shard int, p Priority) (Job, bool) {
	str := func(k string) string { v, _ := m.Values[k].(string); return v }
	j := Job{
		ID: str(keyspace.JobID), Kind: str(keyspace.JobKind), Text: str(keyspace.JobText),
		Ref: str(keyspace.JobRef), Markup: str(keyspace.JobMarkup),
		Priority: p, StreamID: m.ID, Shard: shard,
	}
	var err error
	if j.ChatID, err = strconv.ParseInt(str(keyspace.JobChat), 10, 64); err != nil || j.ID == "" {
		return Job{}, false
	}
	j.Attempt, _ = strconv.Atoi(str(keyspace.JobAttempt))
	if nb, _ := strconv.ParseInt(str(keyspace.JobNotBefore), 10, 64); nb > 0 {
		j.NotBefore = time.UnixMilli(nb)
	}
	if enq, _ := strconv.ParseInt(str(keyspace.JobEnqueued), 10, 64); enq > 0 {
		j.EnqueuedAt = time.UnixMilli(enq)
	}
	return j, true
}

func (j Job) validate() error {
	switch {
	case j.ID == "":
		return errors.New("job without an ID")
	case j.ChatID == 0:
		return fmt.Errorf("job %s without a chat", j.ID)
	case j.Text == "" && j.Ref == "":
		return fmt.Errorf("job %s without text", j.ID)
	}
	return nil
}

func ttlSeconds() int64 { return int64(JobTTL / time.Second) }

// QueueDepth counts the jobs waiting or under way in all shards.
func (s *Store) QueueDepth(ctx context.Context) (hi, lo int64, err error) {
	var his, los []*redis.IntCmd
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range keyspace.Shards {
			k := s.ks.Shard(n)
			his = append(his, p.XLen(ctx, k.Queue(High.String())))
			los = append(los, p.XLen(ctx, k.Queue(Low.String())))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, 0, fmt.Errorf("queue depth: %w", err)
	}
	for i := range his {
		hi += his[i].Val()
		lo += los[i].Val()
	}
	return hi, lo, nil
}

// JobState returns the job's state, "" when it has none (never queued, a
// digest's job not yet begun, or older than JobTTL).
func (s *Store) JobState(ctx context.Context, job Job) (string, error) {
	st, err := s.rdb.Get(ctx, s.ks.ForChat(job.ChatID).Job(job.ID)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("state of job %s: %w", job.ID, err)
	}
	return st, nil
}
