package subscribers

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"nashra/keyspace"

	"github.com/redis/go-redis/v9"
)

// The outbox: messages waiting to be sent, one pair of streams per shard.
//
//	<prefix>{rN}:q:hi    digests and replies (consumer group "senders")
//	<prefix>{rN}:q:lo    broadcasts
//	<prefix>{rN}:dlq     dead letters: jobs Telegram refused for good, or for longer than the
//	                     sender's MaxAge, with the reason (MAXLEN ~ 10000); Redrive puts them back
//	<prefix>{rN}:j:<id>  the job's state (see outbox_scripts.go), EX 7d
//
// A job lives in its reader's shard, so the state, the stream entry and the
// reader's record change together in one script on one slot. An entry is
// deleted in the same step that acks it: a stream holds only outstanding
// work, and nothing unacked is ever trimmed.

// Group is the consumer group every sender reads the outbox streams with.
const Group = "senders"

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

func (p Priority) String() string {
	if p == High {
		return "hi"
	}
	return "lo"
}

// Job is one message to send.
type Job struct {
	// ID is the idempotency key, chosen by the caller and unique per
	// message: "d:<chat>:<from>-<to>:<part>" for a digest part,
	// "b:<broadcast>:<chat>" for a broadcast.
	ID     string
	ChatID int64
	Kind   string // digest, broadcast, notice
	Text   string // Telegram HTML
	// Ref names Text when many jobs carry the same one (a digest rendering
	// shared by readers with the same selection): the text is then stored
	// once per shard instead of once per job, and the sender reads it back.
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

// Job states, as JobState returns them. Final states carry a suffix:
// "sent:<message id>", "failed:<reason>", "skipped:<why>".
const (
	StateQueued   = "queued"
	StateUnknown  = "unknown"
	prefixFlight  = "inflight:"
	prefixSent    = "sent:"
	prefixFailed  = "failed:"
	prefixSkipped = "skipped:"
)

// StateDeadLetter is the state of a job moved to the dead-letter stream.
const StateDeadLetter = prefixFailed + "dlq"

// IsFinal reports whether a job state means the job is over: sent, failed,
// unknown or skipped.
func IsFinal(state string) bool {
	return state == StateUnknown || strings.HasPrefix(state, prefixSent) ||
		strings.HasPrefix(state, prefixFailed) || strings.HasPrefix(state, prefixSkipped)
}

// jobFields is the number of values one encoded job takes in a stream entry
// (field/value pairs; EnqueueDigest relies on it being fixed).
const jobFields = 18

func (s *Store) encodeJob(j Job) []any {
	enq := j.EnqueuedAt
	if enq.IsZero() {
		enq = s.now()
	}
	var nb int64
	if !j.NotBefore.IsZero() {
		nb = j.NotBefore.UnixMilli()
	}
	return []any{
		"job", j.ID,
		"chat", strconv.FormatInt(j.ChatID, 10),
		"kind", j.Kind,
		"text", j.Text,
		"ref", j.Ref,
		"markup", j.Markup,
		"att", strconv.Itoa(j.Attempt),
		"nb", strconv.FormatInt(nb, 10),
		"enq", strconv.FormatInt(enq.UnixMilli(), 10),
	}
}

func decodeJob(m redis.XMessage, shard int, p Priority) (Job, bool) {
	str := func(k string) string { v, _ := m.Values[k].(string); return v }
	j := Job{
		ID: str("job"), Kind: str("kind"), Text: str("text"), Ref: str("ref"), Markup: str("markup"),
		Priority: p, StreamID: m.ID, Shard: shard,
	}
	var err error
	if j.ChatID, err = strconv.ParseInt(str("chat"), 10, 64); err != nil || j.ID == "" {
		return Job{}, false
	}
	j.Attempt, _ = strconv.Atoi(str("att"))
	if nb, _ := strconv.ParseInt(str("nb"), 10, 64); nb > 0 {
		j.NotBefore = time.UnixMilli(nb)
	}
	if enq, _ := strconv.ParseInt(str("enq"), 10, 64); enq > 0 {
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

// EnqueueDigest queues a reader's digest and moves their cursor from
// expectCursor to newCursor in one step. It refuses, writing nothing and
// returning false, unless the reader exists, is active and still has
// expectCursor: of two builders racing on the same reader only one queues.
// Every job goes to the high-priority stream; jobs must be for chatID. A
// job whose ID already has a state is not queued again. With no jobs it
// only moves the cursor.
func (s *Store) EnqueueDigest(ctx context.Context, chatID int64, expectCursor, newCursor int64, jobs []Job) (bool, error) {
	ok, err := s.EnqueueDigests(ctx, []DigestRequest{{ChatID: chatID, ExpectCursor: expectCursor, NewCursor: newCursor, Jobs: jobs}})
	if err != nil {
		return false, err
	}
	return ok[0], nil
}

// Enqueue queues broadcast and notice jobs, each in its chat's shard. A job
// whose ID already has a state (queued, under way or done within JobTTL) is
// skipped, so feeding a batch again after a crash never sends twice.
func (s *Store) Enqueue(ctx context.Context, jobs ...Job) error {
	for _, j := range jobs {
		if err := j.validate(); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	const batch = 500
	for len(jobs) > 0 {
		n := min(batch, len(jobs))
		if err := s.enqueueBatch(ctx, jobs[:n]); err != nil {
			return err
		}
		jobs = jobs[n:]
	}
	return nil
}

// enqueueBatch runs one enqueue script per job in one pipeline.
func (s *Store) enqueueBatch(ctx context.Context, jobs []Job) error {
	calls := make([]keyspace.Call, len(jobs))
	for i, j := range jobs {
		k := s.ks.ForChat(j.ChatID)
		calls[i] = keyspace.Call{
			Keys: []string{k.Job(j.ID), k.Queue(j.Priority.String())},
			Args: append([]any{ttlSeconds()}, s.encodeJob(j)...),
		}
	}
	cmds, err := keyspace.RunBatch(ctx, s.rdb, enqueueScript, calls)
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	for i, c := range cmds {
		if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("enqueue job %s: %w", jobs[i].ID, err)
		}
	}
	return nil
}

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
	var jobs []Job
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
				jobs = append(jobs, j)
			}
		}
	}
	return jobs, nil
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
	flight := prefixFlight + consumer + ":" + strconv.FormatInt(s.now().UnixMilli(), 10)
	res, err := beginScript.Run(ctx, s.rdb, []string{k.Job(job.ID), k.Queue(job.Priority.String())},
		job.StreamID, flight, ttlSeconds()).Text()
	if err != nil {
		return false, fmt.Errorf("begin job %s: %w", job.ID, err)
	}
	return res == "go", nil
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
	args := []any{job.StreamID, "dead", StateDeadLetter, ttlSeconds()}
	args = append(args, s.encodeJob(next)...)
	args = append(args, "reason", reason, "prio", job.Priority.String())
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
	if err := unbeginScript.Run(ctx, s.rdb, []string{k.Job(job.ID)}, prefixFlight+consumer+":", ttlSeconds()).Err(); err != nil {
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
	args := append([]any{old.StreamID, "again", "", ttlSeconds()}, s.encodeJob(next)...)
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
	resend := "0"
	if resendUnknown {
		resend = "1"
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
				case "redeliver":
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

// QueueDepth counts the jobs waiting or under way in all shards.
func (s *Store) QueueDepth(ctx context.Context) (hi, lo int64, err error) {
	var his, los []*redis.IntCmd
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range Shards {
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

// JobState returns the job's state, "" when it has none (never queued, or
// older than JobTTL).
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
	for n := range Shards {
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
	if m.Values["prio"] == High.String() {
		p = High
	}
	j, _ := decodeJob(m, shard, p)
	j.StreamID, j.Shard = m.ID, shard
	reason, _ := m.Values["reason"].(string)
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

// MoveReader follows a group's upgrade to a supergroup (Telegram's
// migrate_to_chat_id): the reader's record, follows and index memberships
// are copied to chat to, and from is marked blocked with the reason
// "migrated to <to>". Readers are kept, never deleted.
//
// The two chats are in different slots in general, so this is two steps,
// each idempotent, in an order that leaves a consistent state after a crash
// between them:
//  1. copy to `to` (one script on to's slot; merges into an existing reader
//     and keeps the larger cursor, so nothing is sent twice);
//  2. mark `from` blocked (one script on from's slot).
//
// A crash after 1 leaves both chats active with the same follows and
// cursor. Telegram refuses every send to `from` with the same migrate
// error, so nothing reaches the group twice, and the next send's MoveReader
// finishes step 2. Calling it again after both steps changes nothing.
func (s *Store) MoveReader(ctx context.Context, from, to int64) error {
	if from == to {
		return nil
	}
	ko, kn := s.ks.ForChat(from), s.ks.ForChat(to)
	var rget, fget *redis.MapStringStringCmd
	var nexists *redis.IntCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		rget = p.HGetAll(ctx, ko.Reader(from))
		fget = p.HGetAll(ctx, ko.Follows(from))
		nexists = p.Exists(ctx, kn.Reader(to))
		return nil
	})
	if err != nil {
		return fmt.Errorf("move reader %d to %d: %w", from, to, err)
	}
	old := rget.Val()
	movedReason := "migrated to " + strconv.FormatInt(to, 10)
	switch {
	case len(old) == 0 && nexists.Val() == 1:
		return nil
	case len(old) == 0:
		return ErrNotFound
	case old["status"] == string(Blocked) && old["status_reason"] == movedReason && nexists.Val() == 1:
		return nil // both steps done
	}
	if old["status"] == string(Blocked) && old["status_reason"] == movedReason {
		old["status"] = string(Active)
	}
	if old["chat_type"] == "group" {
		old["chat_type"] = "supergroup"
	}
	delete(old, "migrated_to")
	delete(old, "status_reason")
	delete(old, "updated")

	keys := append([]string{kn.Reader(to), kn.Follows(to), kn.Readers()}, kn.StatusSets()...)
	args := []any{to, from, s.now().Unix(), len(old)}
	for f, v := range old {
		args = append(args, f, v)
	}
	for key, label := range fget.Val() {
		keys = append(keys, kn.Index(key))
		args = append(args, key, label)
	}
	if err := copyReaderScript.Run(ctx, s.rdb, keys, args...).Err(); err != nil {
		return fmt.Errorf("move reader %d to %d: copy: %w", from, to, err)
	}
	if err := s.rdb.HSet(ctx, ko.Reader(from), "migrated_to", to).Err(); err != nil {
		return fmt.Errorf("move reader %d to %d: mark: %w", from, to, err)
	}
	if _, err := s.SetStatus(ctx, from, Blocked, movedReason); err != nil {
		return fmt.Errorf("move reader %d to %d: mark: %w", from, to, err)
	}
	return nil
}
