// Package sender delivers the outbox to Telegram: workers read jobs from
// every shard's streams, wait for the shared pause and their turn under the
// rate limits, claim each job (Begin) only then, send it, and record the
// outcome in the same step as the ack. A job is in flight only while its
// request may be on the wire: a crash while it waits for its turn leaves it
// queued, to be sent by the janitor, not recorded as unknown.
//
// What each Bot API answer does (tgerr decides what an answer means):
//
//	ok                          sent:<message id>
//	400 BALANCE_TOO_LOW         (a paid broadcast: tgerr.NoStars) every instance stops spending Stars
//	                            for Options.Paid.Hold; the job is sent again at once at the free rate
//	                            (never dropped; not an attempt)
//	429 retry_after             every instance pauses for retry_after; the job waits and is sent
//	                            again by the same worker (never dropped; not an attempt)
//	systemic                    Telegram or the network is down (refused, reset, DNS, 5xx, 401,
//	                            404, a proxy's error page): every instance pauses with a backoff
//	                            that doubles per failed probe (1 s up to 5 min) and the job waits
//	                            with its worker, as for a 429 (never dropped; not an attempt)
//	blocked, gone               reader marked blocked (kept; /start reactivates); failed:blocked
//	migrated                    reader moved to the new chat, message sent there
//	bad request, permanent      Telegram refuses this message as it is (cannot parse entities,
//	                            too long, empty, bad buttons): dead-letter stream at once
//	bad request, other;         retried with backoff (1 min doubling up to 1 h) until the job is
//	  migration loop            older than Options.MaxAge, then dead-lettered
//	unknown                     the request left and no answer came: not resent unless
//	                            Options.ResendUnknown
//
// Dead letters stay until an operator redrives them (`nashra outbox`).
//
// Paid broadcasts (Options.Paid, see ratelimit/paid.go): digests, broadcasts
// and breaking news alerts take a free slot of the overall rate when one is
// open and otherwise a paid one, sent with allow_paid_broadcast, up to the
// paid rate and the day's budget of Stars. Every other message (notices) and
// the bot's replies only ever take free slots.
package sender

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"nashra/schedule"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"nashra/bot/ratelimit"
	"nashra/bot/tgerr"
	"nashra/outbox"
	"nashra/subscribers"
)

// Options configure a Sender. API, Outbox, Readers, RDB and Consumer are
// required.
type Options struct {
	API *tg.Bot
	// Outbox is the queue the sender drains.
	Outbox *outbox.Store
	// Readers are marked blocked or moved to their supergroup as Telegram
	// says, and their deliveries counted.
	Readers *subscribers.Store
	// RDB holds the shared pause and rate limit keys, under Prefix.
	RDB    redis.UniversalClient
	Prefix string
	// Rate is messages per second across all instances (NASHRA_SEND_RATE).
	// Default 25.
	Rate float64
	// Consumer names this instance in the consumer group; unique per
	// process (e.g. host:pid:start).
	Consumer string
	// Workers sending concurrently in this instance. Default 4.
	Workers int
	Log     *slog.Logger
	// ResendUnknown sends again a message whose request left but whose
	// answer was lost (at-least-once). Default: at most once.
	ResendUnknown bool
	// MaxAge is how long after it was queued a message Telegram keeps
	// refusing is retried before it goes to the dead-letter stream. Errors
	// about Telegram or the network (systemic) never count against a job.
	// Default 24 h.
	MaxAge time.Duration
	Now    func() time.Time

	// Headroom is the fraction of every limit left unused to absorb network
	// jitter (see package ratelimit). Default 0.04.
	Headroom float64
	// ReclaimEvery is how often the janitor looks for the jobs of dead
	// senders; ReclaimIdle how long a job must have been idle to be taken.
	// ReclaimIdle must exceed SendTimeout. Defaults 30 s and 2 min.
	ReclaimEvery, ReclaimIdle time.Duration
	// SendTimeout bounds one sendMessage call. Default 30 s.
	SendTimeout time.Duration
	// RetryBackoff is the wait before the first retry of a message that
	// Telegram refused for a reason that may pass; it doubles with every
	// attempt, up to MaxRetryBackoff. Defaults 1 min and 1 h.
	RetryBackoff, MaxRetryBackoff time.Duration
	// OutageBackoff is the first pause of every instance when Telegram or
	// the network fails; it doubles with every failed probe, up to
	// MaxOutageBackoff. Defaults 1 s and 5 min.
	OutageBackoff, MaxOutageBackoff time.Duration
	// Batch is how many jobs a worker reads per shard at a time. Default 4.
	Batch int
	// Paid lets bulk messages go faster than Rate for Stars (off when
	// Paid.Rate is not above Rate).
	Paid ratelimit.Paid
}

// paidKinds are the jobs that may be sent with allow_paid_broadcast: the
// bulk sends whose delivery window the Stars shorten.
var paidKinds = map[string]bool{"digest": true, "broadcast": true, "breaking": true}

// Stats count what the sender did since it was built.
type Stats struct {
	Sent         int64 // delivered
	Failed       int64 // dead-lettered: refused by Telegram for good, or for longer than MaxAge
	Blocked      int64 // readers found blocked (403, chat not found)
	Unknown      int64 // sends that may or may not have arrived (lost answers, crashed senders)
	Retried      int64 // messages Telegram refused, queued again with a backoff
	Systemic     int64 // calls that failed because Telegram or the network did (not counted against the job)
	Outage       bool  // this instance's last call failed for systemic reasons: Telegram looks down
	Throttled429 int64 // 429 answers received
	Migrated     int64 // groups moved to their supergroup
	Skipped      int64 // jobs already done or in flight elsewhere
	Paid         int64 // delivered with allow_paid_broadcast (0.1 Star each)
	NoStars      int64 // paid messages refused for the Stars balance (each sent again unpaid)
}

// Sender delivers queued jobs.
type Sender struct {
	opt     Options
	outbox  *outbox.Store
	readers *subscribers.Store
	lim     *ratelimit.Limiter
	log     *slog.Logger
	now     func() time.Time

	sent, failed, blocked, unknown, retried, throttled, migrated, skipped, systemic atomic.Int64
	paid, noStars                                                                   atomic.Int64
	// outage: this instance's last call failed for systemic reasons.
	// pauseSeen: it saw the shared pause, so an outage may be on and its
	// next success must say it is over (see ended).
	outage, pauseSeen atomic.Bool

	// held are retried jobs read before their NotBefore: kept pending in
	// this consumer (and touched) until due, instead of a worker sleeping
	// on each.
	heldMu sync.Mutex
	held   []heldJob

	redo chan outbox.Job // jobs the janitor reclaimed
	// turn lets one worker of this instance at a time queue for the global
	// rate: the others wait here instead of all asking Redis for every slot.
	turn sync.Mutex

	// Test hooks that simulate a crash: when one returns true the worker
	// stops dead, writing nothing more, and Run ends.
	crashBeforeBegin func(outbox.Job) bool
	crashAfterBegin  func(outbox.Job) bool
	crashAfterSend   func(outbox.Job) bool
	crash            context.CancelFunc
}

// New builds a Sender.
func New(opt Options) (*Sender, error) {
	switch {
	case opt.API == nil:
		return nil, errors.New("sender: no Bot API client")
	case opt.Outbox == nil || opt.Readers == nil || opt.RDB == nil:
		return nil, errors.New("sender: no Redis")
	case opt.Consumer == "":
		return nil, errors.New("sender: no consumer name")
	}
	if opt.Rate <= 0 {
		opt.Rate = 25
	}
	if opt.Workers <= 0 {
		// Enough sends on the wire for the fastest rate: a send and its
		// Redis steps take some 20-40 ms on a busy machine.
		opt.Workers = max(4, int(math.Ceil(max(opt.Rate, opt.Paid.Rate)/40)))
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.MaxAge <= 0 {
		opt.MaxAge = 24 * time.Hour
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Headroom <= 0 || opt.Headroom >= 0.5 {
		opt.Headroom = 0.04
	}
	if opt.ReclaimEvery <= 0 {
		opt.ReclaimEvery = 30 * time.Second
	}
	if opt.ReclaimIdle <= 0 {
		opt.ReclaimIdle = 2 * time.Minute
	}
	if opt.SendTimeout <= 0 {
		opt.SendTimeout = 30 * time.Second
	}
	if opt.RetryBackoff <= 0 {
		opt.RetryBackoff = time.Minute
	}
	if opt.MaxRetryBackoff <= 0 {
		opt.MaxRetryBackoff = time.Hour
	}
	if opt.OutageBackoff <= 0 {
		opt.OutageBackoff = time.Second
	}
	if opt.MaxOutageBackoff <= 0 {
		opt.MaxOutageBackoff = 5 * time.Minute
	}
	if opt.Batch <= 0 {
		opt.Batch = 4
	}
	if opt.Paid.Hold <= 0 {
		opt.Paid.Hold = time.Hour
	}
	return &Sender{
		opt:     opt,
		outbox:  opt.Outbox,
		readers: opt.Readers,
		lim:     ratelimit.New(opt.RDB, opt.Prefix, opt.Rate, opt.Headroom).WithPaid(opt.Paid),
		log:     opt.Log,
		now:     opt.Now,
		redo:    make(chan outbox.Job),
	}, nil
}

// Stats returns the counters so far.
func (s *Sender) Stats() Stats {
	return Stats{
		Sent: s.sent.Load(), Failed: s.failed.Load(), Blocked: s.blocked.Load(),
		Unknown: s.unknown.Load(), Retried: s.retried.Load(), Throttled429: s.throttled.Load(),
		Migrated: s.migrated.Load(), Skipped: s.skipped.Load(),
		Systemic: s.systemic.Load(), Outage: s.outage.Load(),
		Paid: s.paid.Load(), NoStars: s.noStars.Load(),
	}
}

// errCrashed ends a worker that a test hook "killed".
var errCrashed = errors.New("sender crashed (test hook)")

// Run sends until ctx ends, then returns once every worker has settled its
// current job: a send under way finishes and is recorded; a job waiting for
// its turn goes back to the queue; jobs read but not begun (and retried
// jobs held until they are due) stay pending and the janitor of a running
// instance reclaims them.
func (s *Sender) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.crash = cancel
	shards := make([]int, outbox.Shards)
	for i := range shards {
		shards[i] = i
	}
	// The first janitor pass runs before this instance's workers start, so
	// it can only find jobs of senders that are gone (for instance this
	// consumer before a restart).
	first := s.reclaim(ctx)
	var wg sync.WaitGroup
	for range s.opt.Workers {
		wg.Go(func() { s.work(ctx, shards) })
	}
	wg.Go(func() { s.janitor(ctx, first) })
	wg.Go(func() { s.release(ctx) })
	wg.Wait()
	return nil
}

func (s *Sender) work(ctx context.Context, shards []int) {
	for ctx.Err() == nil {
		select {
		case j := <-s.redo:
			if s.handle(ctx, j) == errCrashed {
				return
			}
			continue
		default:
		}
		// Nobody reads new work while Telegram asks us to wait: the jobs
		// would sit in this consumer's pending list for nothing.
		if left, err := s.lim.PauseLeft(ctx); err == nil && left > 0 {
			s.pauseSeen.Store(true)
			_ = schedule.Wait(ctx, min(left, time.Second))
			continue
		}
		jobs, err := s.outbox.Read(ctx, s.opt.Consumer, shards, s.opt.Batch, 500*time.Millisecond)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("read outbox", "err", err)
				_ = schedule.Wait(ctx, time.Second)
			}
			continue
		}
		for _, j := range jobs {
			if ctx.Err() != nil {
				return // the rest stay pending; the janitor hands them out again
			}
			if s.handle(ctx, j) == errCrashed {
				return
			}
		}
	}
}

// janitor hands the reclaimed jobs to the workers and reclaims again every
// ReclaimEvery.
func (s *Sender) janitor(ctx context.Context, jobs []outbox.Job) {
	t := time.NewTicker(s.opt.ReclaimEvery)
	defer t.Stop()
	for {
		for _, j := range jobs {
			select {
			case s.redo <- j:
			case <-ctx.Done():
				return // still pending under this consumer: reclaimed next time
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		jobs = s.reclaim(ctx)
	}
}

// reclaim takes over the jobs that senders which died (or stalled) left
// idle for ReclaimIdle, in every shard, and returns those to send.
func (s *Sender) reclaim(ctx context.Context) []outbox.Job {
	var out []outbox.Job
	for n := range outbox.Shards {
		jobs, unknown, err := s.outbox.Reclaim(ctx, s.opt.Consumer, n, s.opt.ReclaimIdle, s.opt.ResendUnknown)
		if err != nil && ctx.Err() == nil {
			s.log.Error("reclaim outbox", "shard", n, "err", err)
		}
		if unknown > 0 {
			s.unknown.Add(int64(unknown))
			s.log.Warn("jobs of a dead sender may or may not have been delivered", "shard", n, "unknown", unknown)
		}
		out = append(out, jobs...)
	}
	return out
}

// outcome is what a send's result means for the job.
type outcome int

const (
	outSent      outcome = iota
	outThrottled         // 429
	outBlocked           // 403, chat not found
	outMigrated          // group upgraded
	outRejected          // Telegram refuses this message (other 400)
	outSystemic          // not delivered: Telegram or the network failed
	outUnknown           // the request left and no usable answer came back
	outNoStars           // a paid message the Stars balance cannot pay for
)

func (o outcome) String() string {
	return [...]string{"sent", "throttled", "blocked", "migrated", "rejected", "systemic", "unknown", "no_stars"}[o]
}

// outcomeOf maps what a send's error means (tgerr decides that, for the
// sender and the replies alike) to what happens to the job.
func outcomeOf(c tgerr.Class) outcome {
	switch c {
	case tgerr.OK:
		return outSent
	case tgerr.Throttled:
		return outThrottled
	case tgerr.Blocked, tgerr.Gone:
		return outBlocked
	case tgerr.Migrated:
		return outMigrated
	case tgerr.BadRequest:
		return outRejected
	case tgerr.Systemic:
		return outSystemic
	case tgerr.NoStars:
		return outNoStars
	default:
		return outUnknown
	}
}

// handle takes one job from read to its final state. It returns errCrashed
// when a test hook killed the worker.
//
// The job is begun only once its turn has come, right before the send,
// and un-begun whenever the worker keeps it to send again after a pause:
// it is in flight only while its request may be on the wire.
func (s *Sender) handle(ctx context.Context, job outbox.Job) error {
	if s.crashBeforeBegin != nil && s.crashBeforeBegin(job) {
		s.crash()
		return errCrashed
	}
	log := s.log.With("job", job.ID, "chat_id", job.ChatID)
	// A retried job waits out its backoff unbegun: a short wait here, a
	// long one among the held jobs, so the worker serves others meanwhile.
	if wait := job.NotBefore.Sub(s.now()); wait > 0 {
		if wait > holdAfter {
			s.hold(job)
			return nil
		}
		if schedule.Wait(ctx, wait) != nil {
			return nil
		}
	}
	// From the first write on the job must reach a state: Redis writes use
	// a context that outlives a shutdown, bounded from when they start (a
	// job may wait out a long pause in between).
	cancelSettle := func() {}
	defer func() { cancelSettle() }()
	fresh := func() context.Context {
		cancelSettle()
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		cancelSettle = cancel
		return c
	}
	settle := fresh()

	text, markup, err := s.outbox.JobContent(ctx, job)
	if errors.Is(err, outbox.ErrTextExpired) {
		if ok, _ := s.outbox.Begin(settle, job, s.opt.Consumer); ok {
			log.Warn("job dropped: its shared text expired")
			s.skipped.Add(1)
			s.finish(settle, log, job, outbox.StateSkipped("expired"), "")
		}
		return nil
	}
	if err != nil {
		if ctx.Err() == nil {
			log.Error("read job text", "err", err)
			if err := s.outbox.Requeue(settle, job); err != nil {
				log.Error("hand back job", "err", err)
			}
		}
		return nil // still pending: the janitor gets it back
	}

	chat := job.ChatID
	for moves := 0; ; {
		paid, err := s.waitTurn(ctx, job, chat)
		settle = fresh()
		if err != nil {
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				// Shutting down before the send: hand the job back untouched.
				if err := s.outbox.Requeue(settle, job); err != nil {
					log.Error("hand back job at shutdown", "err", err)
				}
				return nil
			}
			log.Error("wait for rate limit", "err", err)
			_ = schedule.Wait(ctx, time.Second)
			continue
		}
		ok, err := s.outbox.Begin(ctx, job, s.opt.Consumer)
		if paid && (err != nil || !ok) {
			s.refundPaid(settle, log) // nothing will be sent on this slot
		}
		if err != nil {
			if ctx.Err() != nil {
				if err := s.outbox.Requeue(settle, job); err != nil {
					log.Error("hand back job at shutdown", "err", err)
				}
				return nil
			}
			log.Error("begin job", "err", err)
			return nil // still pending: the janitor gets it back
		}
		if !ok {
			s.skipped.Add(1)
			return nil
		}
		if s.crashAfterBegin != nil && s.crashAfterBegin(job) {
			s.crash()
			return errCrashed
		}
		msg, call, err := s.send(ctx, job, chat, text, markup, paid)
		if s.crashAfterSend != nil && s.crashAfterSend(job) {
			s.crash()
			return errCrashed
		}
		out := outcomeOf(tgerr.Classify(err, call))
		if out == outNoStars && !paid {
			out = outRejected // not a paid message: the words are the only match
		}
		if paid && out != outSent && out != outUnknown {
			// Not delivered, so not charged: the slot goes back to the
			// day's budget (the next try takes a slot of its own).
			s.refundPaid(settle, log)
		}
		if out != outSystemic && out != outUnknown {
			s.reached(settle, log)
		}
		switch out {
		case outSent:
			id := 0
			if msg != nil {
				id = msg.ID
			}
			// Counters move before the state: whoever sees the job
			// finished also sees it counted.
			s.sent.Add(1)
			if paid {
				s.paid.Add(1)
			}
			// The daily count that feeds /stats moves in the same step.
			s.finish(settle, log, job, outbox.StateSent(id), "sent:"+job.Kind)
			return nil
		case outThrottled:
			wait := tgerr.RetryAfter(err)
			s.throttled.Add(1)
			log.Warn("telegram asks to slow down: pausing every sender", "retry_after", wait)
			if err := s.lim.Pause(settle, wait); err != nil {
				log.Error("pause", "err", err)
			}
			s.unbegin(settle, log, job)
			continue // the same worker sends it after the pause, keeping its order
		case outSystemic:
			s.failedSystemic(settle, log, err)
			s.unbegin(settle, log, job)
			continue // as for a 429: sent after the pause, not an attempt
		case outNoStars:
			s.noStars.Add(1)
			started, herr := s.lim.HoldPaid(settle)
			switch {
			case herr != nil:
				log.Error("hold paid sending", "err", herr)
			case started:
				s.log.Warn("telegram says the Stars balance is too low: paid sending stops, delivery goes on at the free rate",
					"hold", s.opt.Paid.Hold, "reason", tgerr.Description(err))
			}
			s.unbegin(settle, log, job)
			continue // sent again at the free rate, not an attempt
		case outBlocked:
			s.markBlocked(settle, log, chat, err)
			s.blocked.Add(1)
			s.finish(settle, log, job, outbox.StateBlocked, "")
			return nil
		case outMigrated:
			to := tgerr.MigrateTo(err)
			if moves++; moves > 3 || to == 0 || to == chat {
				s.retry(settle, log, job, "migration loop: "+err.Error())
				return nil
			}
			if err := s.readers.MoveReader(settle, chat, to); err != nil && !errors.Is(err, subscribers.ErrNotFound) {
				log.Error("move reader to supergroup", "to", to, "err", err)
			}
			s.migrated.Add(1)
			log.Info("group upgraded to a supergroup: reader moved", "to", to)
			chat = to
			s.unbegin(settle, log, job)
			continue
		case outRejected:
			if permanent(err) {
				s.deadLetter(settle, log, job, err.Error())
				return nil
			}
			s.retry(settle, log, job, err.Error())
			return nil
		case outUnknown:
			if s.opt.ResendUnknown {
				s.retry(settle, log, job, "answer lost: "+err.Error())
				return nil
			}
			log.Warn("request sent but the answer was lost: not resending", "err", err)
			s.unknown.Add(1)
			s.finish(settle, log, job, outbox.StateUnknown, "")
			return nil
		}
	}
}

// refundPaid gives a paid slot back to the day's budget: no message was
// delivered on it.
func (s *Sender) refundPaid(ctx context.Context, log *slog.Logger) {
	if err := s.lim.RefundPaid(ctx); err != nil {
		log.Warn("refund paid message", "err", err)
	}
}

// failedSystemic pauses every instance after a call that failed because
// Telegram or the network did. The outage is logged once, by the instance
// whose failure began it.
func (s *Sender) failedSystemic(ctx context.Context, log *slog.Logger, cause error) {
	s.systemic.Add(1)
	s.outage.Store(true)
	s.pauseSeen.Store(true)
	started, pause, err := s.lim.OutageFailed(ctx, s.opt.OutageBackoff, s.opt.MaxOutageBackoff)
	switch {
	case err != nil:
		log.Error("record outage", "err", err, "cause", cause)
	case started:
		s.log.Error("telegram unreachable: every sender pauses until it answers again", "err", cause, "pause", pause)
	default:
		log.Debug("telegram still unreachable", "err", cause, "pause", pause)
	}
}

// reached notes a call that Telegram answered: an outage is over. Only an
// instance that saw the pause asks Redis, and the one that ends the outage
// logs it.
func (s *Sender) reached(ctx context.Context, log *slog.Logger) {
	s.outage.Store(false)
	if !s.pauseSeen.Swap(false) {
		return
	}
	ended, lasted, err := s.lim.OutageOver(ctx)
	if err != nil {
		log.Error("record end of outage", "err", err)
		return
	}
	if ended {
		s.log.Info("telegram answers again: sending resumes", "outage", lasted.Round(time.Second))
	}
}

func (s *Sender) unbegin(ctx context.Context, log *slog.Logger, job outbox.Job) {
	if err := s.outbox.Unbegin(ctx, job, s.opt.Consumer); err != nil {
		// Still in flight: at worst a crash during the wait records it
		// unknown; the worker still sends it.
		log.Warn("mark job queued while it waits", "err", err)
	}
}

// permanent reports a refusal that no retry of the same message can turn
// into a delivery: the text, its entities or its buttons are wrong.
func permanent(err error) bool {
	d := strings.ToLower(tgerr.Description(err))
	for _, s := range []string{
		"can't parse entities", "can't find end of", "unsupported start tag", "message is too long",
		"message_too_long", "entities_too_long", "message text is empty", "text must be non-empty",
		"reply markup", "button_data_invalid", "button_url_invalid", "button_type_invalid",
		"inline keyboard", "keyboard button", "wrong http url",
	} {
		if strings.Contains(d, s) {
			return true
		}
	}
	return false
}

// finish records the job's final state. The message has already gone (or
// gone for good), so a Redis that is away (a restart, a failover) is
// waited for: given up, the job would stay in flight and the janitor would
// call it unknown, or send it again under ResendUnknown. It keeps trying
// for half the janitor's patience, so the janitor never takes the job
// meanwhile, and at least the 10 s any settling write gets (a single
// write on a busy machine may take longer than a short patience).
//
// With metric set, the same step adds one to that daily count of the
// readers' stats (today, UTC), once however often it is tried.
func (s *Sender) finish(ctx context.Context, log *slog.Logger, job outbox.Job, state, metric string) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), max(s.opt.ReclaimIdle/2, 10*time.Second))
	defer cancel()
	wait := 100 * time.Millisecond
	for {
		var err error
		if metric == "" {
			err = s.outbox.Finish(rctx, job, state)
		} else {
			err = s.outbox.FinishCounted(rctx, job, state, metric, s.now())
		}
		if err == nil {
			return
		}
		if schedule.Wait(rctx, wait) != nil {
			// The janitor will find it in flight and call it unknown.
			log.Error("record job state: gave up", "state", state, "err", err)
			return
		}
		log.Warn("record job state: retrying", "state", state, "err", err, "in", wait)
		wait = min(2*wait, 5*time.Second)
	}
}

// retry puts the job back with a backoff for another attempt, or
// dead-letters it once it is older than MaxAge.
func (s *Sender) retry(ctx context.Context, log *slog.Logger, job outbox.Job, reason string) {
	if !job.EnqueuedAt.IsZero() && s.now().Sub(job.EnqueuedAt) >= s.opt.MaxAge {
		s.deadLetter(ctx, log, job, fmt.Sprintf("%s (still failing %s after it was queued)", reason, s.opt.MaxAge))
		return
	}
	backoff := min(s.opt.RetryBackoff<<min(job.Attempt, 20), s.opt.MaxRetryBackoff)
	next := job
	next.NotBefore = s.now().Add(backoff)
	s.retried.Add(1)
	log.Warn("telegram refused the message: retrying", "attempt", job.Attempt+1, "backoff", backoff, "reason", reason)
	if err := s.outbox.Retry(ctx, next); err != nil {
		log.Error("retry job", "err", err)
	}
}

func (s *Sender) deadLetter(ctx context.Context, log *slog.Logger, job outbox.Job, reason string) {
	s.failed.Add(1)
	log.Error("message not delivered: dead-lettered", "attempts", job.Attempt+1, "reason", reason)
	if err := s.outbox.DeadLetter(ctx, job, reason); err != nil {
		log.Error("dead-letter job", "err", err)
	}
}

func (s *Sender) markBlocked(ctx context.Context, log *slog.Logger, chat int64, cause error) {
	reason := tgerr.Description(cause)
	_, err := s.readers.SetStatus(ctx, chat, subscribers.Blocked, reason)
	if err != nil && !errors.Is(err, subscribers.ErrNotFound) {
		log.Error("mark reader blocked", "err", err)
	}
	log.Info("reader blocked the bot or is gone", "reason", reason)
}

// waitTurn waits for the shared pause to pass and for a slot of the chat's
// and the global rate (or, for bulk, a paid slot: paid says the message
// must carry allow_paid_broadcast). While it waits longer than the
// janitor's patience it keeps the job's entry fresh so the job is not
// taken for a dead one.
func (s *Sender) waitTurn(ctx context.Context, job outbox.Job, chat int64) (paid bool, err error) {
	touched := time.Now()
	wait := func(d time.Duration) error {
		if err := schedule.Wait(ctx, d); err != nil {
			return err
		}
		if time.Since(touched) > s.opt.ReclaimIdle/4 {
			touched = time.Now()
			if err := s.outbox.Touch(ctx, job, s.opt.Consumer); err != nil {
				return err
			}
		}
		return nil
	}
	waited := false // whether a step below had to wait
	until := func(step func(context.Context) (time.Duration, error)) error {
		for {
			d, err := step(ctx)
			if err != nil || d <= 0 {
				return err
			}
			waited = true
			if err := wait(min(d, s.opt.ReclaimIdle/4)); err != nil {
				return err
			}
		}
	}
	pauseLeft := func(ctx context.Context) (time.Duration, error) {
		d, err := s.lim.PauseLeft(ctx)
		if d > 0 {
			s.pauseSeen.Store(true)
		}
		return d, err
	}
	if err := until(pauseLeft); err != nil {
		return false, err
	}
	waited = false
	if err := until(func(ctx context.Context) (time.Duration, error) { return s.lim.TakeChat(ctx, chat) }); err != nil {
		return false, err
	}
	// A pause that began while the chat's turn was awaited is honoured
	// too; with the turn open at once, the check just made stands (at
	// 1,000 messages a second each round trip is throughput).
	if waited {
		if err := until(pauseLeft); err != nil {
			return false, err
		}
	}
	s.turn.Lock()
	defer s.turn.Unlock()
	if !paidKinds[job.Kind] {
		return false, until(s.lim.TakeGlobal)
	}
	err = until(func(ctx context.Context) (time.Duration, error) {
		var d time.Duration
		paid, d, err = s.lim.TakeBulk(ctx)
		return d, err
	})
	return paid, err
}

// send makes one sendMessage call, traced so that tgerr can tell whether
// the request was written. It is not cancelled by a shutdown: a send under
// way finishes (within SendTimeout) and is recorded.
func (s *Sender) send(ctx context.Context, job outbox.Job, chat int64, text, markup string, paid bool) (*models.Message, *tgerr.Call, error) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opt.SendTimeout)
	defer cancel()
	sctx, call := tgerr.Trace(sctx)
	p := &tg.SendMessageParams{
		ChatID:             chat,
		Text:               text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
		AllowPaidBroadcast: paid,
	}
	if markup != "" {
		if !json.Valid([]byte(markup)) {
			return nil, call, fmt.Errorf("%w, job %s has invalid reply markup", tg.ErrorBadRequest, job.ID)
		}
		p.ReplyMarkup = json.RawMessage(markup)
	}
	msg, err := s.opt.API.SendMessage(sctx, p)
	return msg, call, err
}

// PaidStatus is what paid sending is doing and has spent (the last days
// in all, today last), as every instance shares it.
func (s *Sender) PaidStatus(ctx context.Context, days int) (ratelimit.PaidStatus, error) {
	return s.lim.PaidStatus(ctx, days)
}
