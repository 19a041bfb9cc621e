// Package broadcasts is the admins' announcements in Redis: one message
// from an admin to every active reader, or to the active followers of one
// topic, sent through the low-priority outbox. It holds the drafts, their
// state machine (draft → running ⇄ paused → done, or cancelled), the
// snapshot of each one's audience, the feeding of jobs into the outbox,
// the count of how each ended, and the claims on editing the progress
// message. The keys are keyspace's; the jobs are outbox jobs, their entries
// made by outbox.Entry.
//
//	<prefix>bc:seq              INCR counter of broadcast IDs
//	<prefix>bc:active           SET of broadcasts someone must look after
//	                            (drafts, running, paused, and finished ones
//	                            whose last progress edit is not done yet)
//	<prefix>bc:<id>             HASH the record: text (Telegram HTML, escaped
//	                            by the caller), by, created, updated, started
//	                            (unix ms), status, target (topic slug or ""),
//	                            total, status_chat, status_msg
//	<prefix>bc:<id>:edit        STRING time of the last progress edit (unix ms)
//	<prefix>{rN}:bc:<id>        HASH the shard's progress: total, enqueued,
//	                            skipped, sent, blocked, failed, unknown,
//	                            cancelled, stop
//	<prefix>{rN}:bc:<id>:todo   ZSET readers of the shard not fed yet
//	<prefix>{rN}:bc:<id>:wait   SET readers fed whose job is not counted yet
//
// Confirming a broadcast copies each shard's audience (the active set, or
// its intersection with the topic index) into the shard's todo set, in one
// step per shard. That snapshot is the "cursor": feeding a batch takes the
// first chats of todo (all scores are equal, so the order is the members'
// byte order, stable across calls), and one script on the shard's slot
// removes them from todo, queues their jobs ("b:<id>:<chat>") and adds them
// to wait. A crash between batches resumes with what is left in todo; two
// feeders racing each remove a chat at most once. Why not a cursor into
// {rN}:readers: readers imported with the same join time share a score,
// /forget removes the member a cursor would point at, and SSCAN may return
// an element twice. The snapshot costs a copy of the audience per running
// broadcast (it shrinks as it is fed) and gives an exact total.
//
// Readers who join after the confirmation do not get the broadcast;
// readers who stop, pause or block before their turn are counted as
// skipped. Progress is counted, not guessed: each pass reads the job
// states of the chats in wait and moves each final one into the shard's
// counters, once. When every shard's todo and wait are empty, every
// reader is accounted for:
//
//	total = sent + blocked + failed + unknown + skipped + cancelled
//
// Pausing stops the feeding; the jobs already queued (at most two batches
// per shard) still go. Cancelling stops every shard for good: the readers
// not fed are counted as cancelled and the jobs still queued are marked
// "skipped:cancelled", which the sender's Begin treats as done (it acks
// the entry and sends nothing); a send already in flight finishes (and,
// should it fail in a way the sender retries, goes once more).
//
// Where a crash can fall, and what the next pass (any instance) does:
//
//	in Create, before the SADD            an orphan draft record, expires in TTL; the admin got no preview
//	confirmed, some shards not copied     Feed copies the missing shards (the copy is once per shard)
//	between two feeding steps             the next step starts at what is left in todo
//	inside a step                         nothing: one script, all or nothing
//	after a step, job not sent yet        the job sits in the stream; the sender (or its janitor) sends it
//	while counting                        each chat leaves wait in the step that counts it: counted once
//	cancelled, shards not all stopped     the loop sees Stopped < Shards and stops them again
//	done, progress message not final yet  the record stays in bc:active until the final edit is made
package broadcasts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
	"nashra/outbox"
	"nashra/subscribers"
)

// Shards is the number of reader shards a broadcast's audience spreads over.
const Shards = keyspace.Shards

// ErrNotFound is returned for a broadcast that was never created or has
// expired.
var ErrNotFound = errors.New("broadcast not found")

// Options configures a Store. The zero value is usable; Prefix defaults to
// keyspace.DefaultPrefix.
type Options struct {
	Prefix string
	Now    func() time.Time
}

// Store keeps broadcasts. It is safe for concurrent use.
type Store struct {
	rdb redis.UniversalClient
	ks  keyspace.Space
	now func() time.Time
}

// New returns a Store on rdb.
func New(rdb redis.UniversalClient, opt Options) *Store {
	s := &Store{rdb: rdb, ks: keyspace.New(opt.Prefix), now: opt.Now}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Status is where a broadcast stands.
type Status string

const (
	// Draft waits for the admin's confirmation.
	Draft Status = "draft"
	// Running is being fed to the outbox.
	Running Status = "running"
	// Paused is not fed until resumed.
	Paused Status = "paused"
	// Cancelled was stopped by an admin (or never confirmed).
	Cancelled Status = "cancelled"
	// Done reached every reader of its audience.
	Done Status = "done"
)

// TTL is how long a finished broadcast's record and counters are
// kept; an unconfirmed draft is kept as long.
const TTL = 30 * 24 * time.Hour

// ErrState is returned when a broadcast's status does not allow
// the change asked for (confirming one that is already cancelled).
var ErrState = errors.New("not allowed in the broadcast's status")

// Broadcast is a broadcast's record.
type Broadcast struct {
	ID      int64
	Text    string // Telegram HTML, escaped by the caller
	By      int64  // the admin's user ID
	Topic   string // catalog slug of the audience, "" for every active reader
	Status  Status
	Created time.Time
	Started time.Time // first confirmation; zero for a draft
	// Total is the audience at confirmation, 0 before.
	Total int64
	// StatusChat and StatusMsg name the message that shows progress.
	StatusChat int64
	StatusMsg  int
}

// Progress sums a broadcast's shards.
type Progress struct {
	Total     int64 // audience at confirmation
	Enqueued  int64 // jobs queued
	Sent      int64
	Blocked   int64 // the reader blocked the bot or is gone
	Failed    int64 // Telegram refused it for good, or kept refusing it past the sender's MaxAge
	Unknown   int64 // the send may or may not have arrived
	Skipped   int64 // the reader left before their turn, or the job was cancelled in the queue
	Cancelled int64 // never fed: the broadcast was cancelled first
	Unfed     int64 // still to feed
	Waiting   int64 // queued or in flight, not counted yet
	// Ready counts the shards whose audience is copied; Stopped those
	// stopped by a cancel.
	Ready, Stopped int
}

// Finished counts the readers the broadcast is over for.
func (p Progress) Finished() int64 {
	return p.Sent + p.Blocked + p.Failed + p.Unknown + p.Skipped + p.Cancelled
}

// Remaining counts the readers still to be reached.
func (p Progress) Remaining() int64 { return max(p.Total-p.Finished(), 0) }

// Settled reports whether every reader of the audience is accounted for.
func (p Progress) Settled() bool {
	return p.Ready == Shards && p.Unfed == 0 && p.Waiting == 0
}

// JobKind is the Kind of a broadcast's jobs.
const JobKind = "broadcast"

// jobIDPrefix starts the outbox job ID of every chat's copy of broadcast
// id: "b:<id>:<chat>".
func jobIDPrefix(id int64) string { return "b:" + strconv.FormatInt(id, 10) + ":" }

func jobID(id, chat int64) string { return jobIDPrefix(id) + strconv.FormatInt(chat, 10) }

// Create stores a draft of b (Text, By, Topic) and returns it with
// its ID.
func (s *Store) Create(ctx context.Context, b Broadcast) (Broadcast, error) {
	if strings.TrimSpace(b.Text) == "" {
		return Broadcast{}, errors.New("create broadcast: empty text")
	}
	id, err := s.rdb.Incr(ctx, s.ks.BroadcastSeq()).Result()
	if err != nil {
		return Broadcast{}, fmt.Errorf("create broadcast: %w", err)
	}
	now := s.now()
	b.ID, b.Status, b.Created, b.Started, b.Total = id, Draft, now, time.Time{}, 0
	key := s.ks.Broadcast(id)
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, recText, b.Text, recBy, b.By, recTarget, b.Topic, recStatus, string(b.Status),
			recCreated, now.UnixMilli(), recUpdated, now.UnixMilli(), recTotal, 0,
			recStatusChat, b.StatusChat, recStatusMsg, b.StatusMsg)
		p.Expire(ctx, key, TTL)
		return nil
	})
	if err == nil {
		// Listed only once the record exists (the two keys may live on
		// different nodes, so not in the same transaction).
		err = s.rdb.SAdd(ctx, s.ks.BroadcastsActive(), id).Err()
	}
	if err != nil {
		return Broadcast{}, fmt.Errorf("create broadcast %d: %w", id, err)
	}
	return b, nil
}

// Get returns the record of broadcast id, ErrNotFound when there is
// none (never created, or expired).
func (s *Store) Get(ctx context.Context, id int64) (Broadcast, error) {
	h, err := s.rdb.HGetAll(ctx, s.ks.Broadcast(id)).Result()
	if err != nil {
		return Broadcast{}, fmt.Errorf("broadcast %d: %w", id, err)
	}
	if len(h) == 0 {
		return Broadcast{}, ErrNotFound
	}
	ms := func(f string) time.Time {
		n, _ := strconv.ParseInt(h[f], 10, 64)
		if n == 0 {
			return time.Time{}
		}
		return time.UnixMilli(n)
	}
	b := Broadcast{
		ID: id, Text: h[recText], Topic: h[recTarget], Status: Status(h[recStatus]),
		Created: ms(recCreated), Started: ms(recStarted),
	}
	b.By, _ = strconv.ParseInt(h[recBy], 10, 64)
	b.Total, _ = strconv.ParseInt(h[recTotal], 10, 64)
	b.StatusChat, _ = strconv.ParseInt(h[recStatusChat], 10, 64)
	b.StatusMsg, _ = strconv.Atoi(h[recStatusMsg])
	return b, nil
}

// SetMessage records the message that shows the broadcast's
// progress.
func (s *Store) SetMessage(ctx context.Context, id, chat int64, msg int) error {
	err := s.rdb.HSet(ctx, s.ks.Broadcast(id), recStatusChat, chat, recStatusMsg, msg).Err()
	if err != nil {
		return fmt.Errorf("broadcast %d: record its message: %w", id, err)
	}
	return nil
}

// Active lists the broadcasts that need looking after.
func (s *Store) Active(ctx context.Context) ([]int64, error) {
	members, err := s.rdb.SMembers(ctx, s.ks.BroadcastsActive()).Result()
	if err != nil {
		return nil, fmt.Errorf("active broadcasts: %w", err)
	}
	out := make([]int64, 0, len(members))
	for _, m := range members {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Audience counts the active readers, or the active followers of
// topic, now.
func (s *Store) Audience(ctx context.Context, topic string) (int64, error) {
	cmds := make([]*redis.IntCmd, Shards)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range Shards {
			k := s.ks.Shard(n)
			if topic == "" {
				cmds[n] = p.SCard(ctx, k.Status(keyspace.StatusActive))
			} else {
				cmds[n] = p.SInterCard(ctx, 0, k.Status(keyspace.StatusActive), k.Index(subscribers.TopicFollow(topic).Key))
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("broadcast audience: %w", err)
	}
	var total int64
	for _, c := range cmds {
		total += c.Val()
	}
	return total, nil
}

// transition moves broadcast id to status to when its status is one of
// from. It returns the status it had (or has, when not moved).
func (s *Store) transition(ctx context.Context, id int64, to Status, from ...Status) (Status, bool, error) {
	args := []any{string(to), s.now().UnixMilli()}
	for _, f := range from {
		args = append(args, string(f))
	}
	res, err := bcTransitionScript.Run(ctx, s.rdb, []string{s.ks.Broadcast(id)}, args...).Slice()
	if err != nil {
		return "", false, fmt.Errorf("broadcast %d to %s: %w", id, to, err)
	}
	if n, _ := res[0].(int64); n < 0 {
		return "", false, ErrNotFound
	}
	cur, _ := res[1].(string)
	n, _ := res[0].(int64)
	return Status(cur), n == 1, nil
}

// Start confirms a draft: it copies the audience of every shard
// and records the total. Confirming a running broadcast again only
// completes what a crash may have left undone. Any other status gives
// ErrState.
func (s *Store) Start(ctx context.Context, id int64) (Broadcast, error) {
	prev, moved, err := s.transition(ctx, id, Running, Draft)
	if err != nil {
		return Broadcast{}, err
	}
	if !moved && prev != Running {
		return Broadcast{}, fmt.Errorf("start broadcast %d: it is %s: %w", id, prev, ErrState)
	}
	b, err := s.Get(ctx, id)
	if err != nil {
		return Broadcast{}, err
	}
	if b.Total, err = s.snapshot(ctx, b); err != nil {
		return Broadcast{}, err
	}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, s.ks.Broadcast(id), recTotal, b.Total)
		p.SAdd(ctx, s.ks.BroadcastsActive(), id)
		return nil
	})
	if err != nil {
		return Broadcast{}, fmt.Errorf("start broadcast %d: %w", id, err)
	}
	b.Status = Running
	return b, nil
}

// snapshot copies each shard's audience into its todo set (once) and
// returns the total.
func (s *Store) snapshot(ctx context.Context, b Broadcast) (int64, error) {
	var total int64
	for n := range Shards {
		k := s.ks.Shard(n)
		keys := []string{k.BroadcastProgress(b.ID), k.BroadcastTodo(b.ID), k.Status(keyspace.StatusActive)}
		if b.Topic != "" {
			keys = append(keys, k.Index(subscribers.TopicFollow(b.Topic).Key))
		}
		c, err := bcSnapshotScript.Run(ctx, s.rdb, keys).Int64()
		if err != nil {
			return 0, fmt.Errorf("broadcast %d: audience of shard %d: %w", b.ID, n, err)
		}
		total += c
	}
	return total, nil
}

// Pause stops feeding a running broadcast. It returns the status
// the broadcast had; ErrState unless it was running or paused.
func (s *Store) Pause(ctx context.Context, id int64) (Status, error) {
	prev, moved, err := s.transition(ctx, id, Paused, Running)
	if err == nil && !moved && prev != Paused {
		err = fmt.Errorf("pause broadcast %d: it is %s: %w", id, prev, ErrState)
	}
	return prev, err
}

// Resume feeds a paused broadcast again. It returns the status
// the broadcast had; ErrState unless it was paused or running.
func (s *Store) Resume(ctx context.Context, id int64) (Status, error) {
	prev, moved, err := s.transition(ctx, id, Running, Paused)
	if err == nil && !moved && prev != Running {
		err = fmt.Errorf("resume broadcast %d: it is %s: %w", id, prev, ErrState)
	}
	return prev, err
}

// Cancel cancels a draft, running or paused broadcast and stops
// every shard (see Stop). A draft is closed at once. It returns
// the status the broadcast had; ErrState when it was done.
// Cancelling a cancelled broadcast again only completes the stop.
func (s *Store) Cancel(ctx context.Context, id int64) (Status, error) {
	prev, moved, err := s.transition(ctx, id, Cancelled, Draft, Running, Paused)
	if err != nil {
		return "", err
	}
	if !moved && prev != Cancelled {
		return prev, fmt.Errorf("cancel broadcast %d: it is %s: %w", id, prev, ErrState)
	}
	if prev == Draft {
		return prev, s.Close(ctx, id)
	}
	return prev, s.Stop(ctx, id)
}

// stopRead, when set (by tests), runs in Stop after a shard's stream is
// read and before its queued jobs are marked.
var stopRead func(shard int)

// Stop stops every shard of a cancelled broadcast: readers not
// fed are counted as cancelled, queued jobs become "skipped:cancelled".
// Safe to run again, and by several instances at once.
//
// A feeder that saw the broadcast running may still be feeding. Each
// shard is therefore closed to feeding first (the feed script refuses a
// stopped shard in the same step as it would queue), and only then is its
// stream read: no job can be queued after the read and escape the marks.
func (s *Store) Stop(ctx context.Context, id int64) error {
	prefix := jobIDPrefix(id)
	for n := range Shards {
		k := s.ks.Shard(n)
		if err := bcStopScript.Run(ctx, s.rdb, []string{k.BroadcastProgress(id), k.BroadcastTodo(id)}, int64(outbox.JobTTL/time.Second)).Err(); err != nil {
			return fmt.Errorf("stop broadcast %d: shard %d: %w", id, n, err)
		}
		var states []string
		start := "-"
		for {
			msgs, err := s.rdb.XRangeN(ctx, k.Queue(outbox.Low.String()), start, "+", 1000).Result()
			if err != nil && !errors.Is(err, redis.Nil) {
				return fmt.Errorf("stop broadcast %d: read shard %d: %w", id, n, err)
			}
			for _, m := range msgs {
				if job, _ := m.Values[keyspace.JobID].(string); strings.HasPrefix(job, prefix) {
					states = append(states, k.Job(job))
				}
			}
			if len(msgs) < 1000 {
				break
			}
			start = "(" + msgs[len(msgs)-1].ID
		}
		if stopRead != nil {
			stopRead(n)
		}
		for {
			chunk := states[:min(len(states), 500)]
			states = states[len(chunk):]
			keys := append([]string{k.BroadcastProgress(id), k.BroadcastTodo(id)}, chunk...)
			if err := bcStopScript.Run(ctx, s.rdb, keys, int64(outbox.JobTTL/time.Second)).Err(); err != nil {
				return fmt.Errorf("stop broadcast %d: shard %d: %w", id, n, err)
			}
			if len(states) == 0 {
				break
			}
		}
	}
	return nil
}

// Feed queues the next jobs of a running broadcast, batch chats
// per script, in each shard whose low-priority stream holds fewer than
// 2×batch entries (so digests and replies keep flowing and a pause takes
// effect soon). It does nothing unless the broadcast is running. It
// returns the number of jobs queued.
func (s *Store) Feed(ctx context.Context, id int64, batch int) (int, error) {
	batch = max(batch, 1)
	b, err := s.Get(ctx, id)
	if err != nil {
		return 0, err
	}
	if b.Status != Running {
		return 0, nil
	}
	if b.Total == 0 {
		// A crash during Start may have left shards without their
		// audience; the snapshot script skips the shards that have one.
		total, err := s.snapshot(ctx, b)
		if err != nil {
			return 0, err
		}
		if err := s.rdb.HSet(ctx, s.ks.Broadcast(id), recTotal, total).Err(); err != nil {
			return 0, fmt.Errorf("feed broadcast %d: %w", id, err)
		}
	}
	// Every chat's job is this one with its own ID and chat (set by the
	// script), queued now.
	entry := outbox.Entry(outbox.Job{Kind: JobKind, Text: b.Text, Priority: outbox.Low, EnqueuedAt: s.now()})
	fed := 0
	for n := range Shards {
		got, err := s.feedShard(ctx, id, n, batch, entry)
		fed += got
		if err != nil {
			return fed, err
		}
	}
	return fed, ctx.Err()
}

// feedShard queues jobs of broadcast id in shard n until the shard's low
// stream holds 2×batch entries, its readers are all fed, or it is stopped.
func (s *Store) feedShard(ctx context.Context, id int64, n, batch int, entry []any) (int, error) {
	maxQueued := int64(2 * batch)
	k := s.ks.Shard(n)
	fed := 0
	for ctx.Err() == nil {
		var xlen *redis.IntCmd
		var next *redis.StringSliceCmd
		_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			xlen = p.XLen(ctx, k.Queue(outbox.Low.String()))
			next = p.ZRange(ctx, k.BroadcastTodo(id), 0, int64(batch-1))
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return fed, fmt.Errorf("feed broadcast %d: shard %d: %w", id, n, err)
		}
		chats := next.Val()
		if xlen.Val() >= maxQueued || len(chats) == 0 {
			break
		}
		keys := []string{k.BroadcastProgress(id), k.BroadcastTodo(id), k.BroadcastWait(id), k.Queue(outbox.Low.String())}
		args := []any{int64(outbox.JobTTL / time.Second), maxQueued, jobIDPrefix(id), len(entry)}
		args = append(args, entry...)
		for _, c := range chats {
			chat, err := strconv.ParseInt(c, 10, 64)
			if err != nil {
				return fed, fmt.Errorf("feed broadcast %d: shard %d: bad member %q", id, n, c)
			}
			keys = append(keys, k.Reader(chat), k.Job(jobID(id, chat)))
			args = append(args, c)
		}
		got, err := bcFeedScript.Run(ctx, s.rdb, keys, args...).Int()
		if err != nil {
			return fed, fmt.Errorf("feed broadcast %d: shard %d: %w", id, n, err)
		}
		if got < 0 {
			break // stopped, or the stream filled up meanwhile
		}
		fed += got
	}
	return fed, nil
}

// Progress counts the jobs of broadcast id that reached a final
// state since the last call, then returns the sums of every shard. Safe to
// run by several instances at once: each job is counted once.
func (s *Store) Progress(ctx context.Context, id int64) (Progress, error) {
	for n := range Shards {
		if err := s.settle(ctx, id, n); err != nil {
			return Progress{}, err
		}
	}
	type shardCmds struct {
		h          *redis.MapStringStringCmd
		todo, wait *redis.IntCmd
	}
	cmds := make([]shardCmds, Shards)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range Shards {
			k := s.ks.Shard(n)
			cmds[n] = shardCmds{p.HGetAll(ctx, k.BroadcastProgress(id)), p.ZCard(ctx, k.BroadcastTodo(id)), p.SCard(ctx, k.BroadcastWait(id))}
		}
		return nil
	})
	if err != nil {
		return Progress{}, fmt.Errorf("progress of broadcast %d: %w", id, err)
	}
	var p Progress
	for _, c := range cmds {
		h := c.h.Val()
		get := func(f string) int64 { n, _ := strconv.ParseInt(h[f], 10, 64); return n }
		if _, ok := h[progTotal]; ok {
			p.Ready++
		}
		if _, ok := h[progStop]; ok {
			p.Stopped++
		}
		p.Total += get(progTotal)
		p.Enqueued += get(progEnqueued)
		p.Sent += get(progSent)
		p.Blocked += get(progBlocked)
		p.Failed += get(progFailed)
		p.Unknown += get(progUnknown)
		p.Skipped += get(progSkipped)
		p.Cancelled += get(progCancelled)
		p.Unfed += c.todo.Val()
		p.Waiting += c.wait.Val()
	}
	return p, nil
}

// settle moves the final job states of shard n's wait set into its
// counters.
func (s *Store) settle(ctx context.Context, id int64, n int) error {
	k := s.ks.Shard(n)
	var cursor uint64
	for {
		members, next, err := s.rdb.SScan(ctx, k.BroadcastWait(id), cursor, "", 500).Result()
		if err != nil {
			return fmt.Errorf("progress of broadcast %d: shard %d: %w", id, n, err)
		}
		if len(members) > 0 {
			keys := []string{k.BroadcastProgress(id), k.BroadcastWait(id)}
			args := make([]any, 0, len(members))
			for _, m := range members {
				chat, err := strconv.ParseInt(m, 10, 64)
				if err != nil {
					continue
				}
				keys = append(keys, k.Job(jobID(id, chat)))
				args = append(args, m)
			}
			if err := bcSettleScript.Run(ctx, s.rdb, keys, args...).Err(); err != nil {
				return fmt.Errorf("progress of broadcast %d: shard %d: %w", id, n, err)
			}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

// Complete marks a running broadcast done; the caller checks
// first that its progress is Settled. Only one caller gets true.
func (s *Store) Complete(ctx context.Context, id int64) (bool, error) {
	_, moved, err := s.transition(ctx, id, Done, Running)
	return moved, err
}

// Close takes a finished (done or cancelled) broadcast off the
// active list and lets its record and counters expire after TTL.
func (s *Store) Close(ctx context.Context, id int64) error {
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.SRem(ctx, s.ks.BroadcastsActive(), id)
		p.Expire(ctx, s.ks.Broadcast(id), TTL)
		for n := range Shards {
			k := s.ks.Shard(n)
			p.Expire(ctx, k.BroadcastProgress(id), TTL)
			p.Expire(ctx, k.BroadcastTodo(id), TTL)
			p.Expire(ctx, k.BroadcastWait(id), TTL)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("close broadcast %d: %w", id, err)
	}
	return nil
}

// ClaimEdit reports whether the caller may edit broadcast id's
// progress message now: true at most once per every across instances (by
// Redis's clock).
func (s *Store) ClaimEdit(ctx context.Context, id int64, every time.Duration) (bool, error) {
	ok, err := bcEditScript.Run(ctx, s.rdb, []string{s.ks.BroadcastEdit(id)}, every.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("broadcast %d: claim edit: %w", id, err)
	}
	return ok == 1, nil
}
