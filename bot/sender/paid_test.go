package sender

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/bot/ratelimit"
	"nashra/bot/telegramtest"
	"nashra/outbox"
)

// paidLimits are Telegram's limits: 30/s without allow_paid_broadcast,
// 1,000/s with it, 1/s per chat.
var paidLimits = telegramtest.Limits{PerSecond: 30, PaidPerSecond: 1000, PerChatPerSecond: 1}

// The senders' rates: freeRate without Stars, paidRate in all with them.
// The free rate is low so that even a slow machine (-race, beside other
// tests, a few messages a second) sends faster than it and needs paid
// slots.
const freeRate, paidRate = 2, 500

// paidSender is a sender at freeRate and paidRate with paid broadcasts, up
// to perDay paid messages a day.
func (e *env) paidSender(consumer string, perDay int64, mod func(*Options)) *Sender {
	return e.sender(consumer, func(o *Options) {
		o.Rate = freeRate
		o.Paid = ratelimit.Paid{Rate: paidRate, PerDay: perDay}
		o.Workers = 8
		if mod != nil {
			mod(o)
		}
	})
}

// paidOf splits what the fake Bot API received into paid and free
// messages, by chat.
func (e *env) paidOf() (paid, free map[int64]int) {
	paid, free = map[int64]int{}, map[int64]int{}
	for _, m := range e.srv.Sent() {
		if m.PaidBroadcast {
			paid[m.ChatID]++
		} else {
			free[m.ChatID]++
		}
	}
	return paid, free
}

// wantDelivered checks that every job ended sent, each chat got exactly
// one message, nothing was dead-lettered and Telegram never said 429.
func (e *env) wantDelivered(jobs []outbox.Job) {
	e.t.Helper()
	states := e.settle(jobs)
	for _, j := range jobs {
		if !strings.HasPrefix(states[j.ID], "sent:") {
			e.t.Errorf("job %s ended %q; want sent", j.ID, states[j.ID])
		}
	}
	e.exactlyOnce(chatsOf(jobs)...)
	if dl, err := e.queue.DeadLetters(context.Background(), 10); err != nil || len(dl) != 0 {
		e.t.Errorf("dead letters = %+v, %v; want none", dl, err)
	}
	if n := e.srv.Throttled(); n != 0 {
		e.t.Errorf("Telegram answered 429 %d times; want never", n)
	}
}

// hogFreeRate keeps asking for free slots of the overall rate from eight
// goroutines, as other bulk senders would, until until reports true: the
// senders under test then get few free slots and need paid ones however
// slowly the machine runs.
func (e *env) hogFreeRate(until func() bool) {
	lim := ratelimit.New(e.redis.Client, e.redis.Prefix, freeRate, 0.04)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for ctx.Err() == nil {
				d, err := lim.TakeGlobal(ctx)
				if err != nil {
					return
				}
				select {
				case <-ctx.Done():
				case <-time.After(d):
				}
			}
		})
	}
	wg.Go(func() {
		defer cancel()
		deadline := time.Now().Add(time.Minute)
		for !until() && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	})
	e.t.Cleanup(func() { cancel(); wg.Wait() })
}

func (e *env) paidStatus(perDay int64) ratelimit.PaidStatus {
	e.t.Helper()
	st, err := ratelimit.New(e.redis.Client, e.redis.Prefix, freeRate, 0.04).
		WithPaid(ratelimit.Paid{Rate: paidRate, PerDay: perDay}).PaidStatus(context.Background(), 7)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

// Digests and broadcasts go beyond the free rate with allow_paid_broadcast;
// notices share the free rate and are never paid; the Stars spent are
// counted in Redis as Telegram charged them.
func TestPaidOnlyForBulk(t *testing.T) {
	t.Parallel()
	e := newEnv(t, paidLimits)
	bulk := e.readers(10000, 240, "broadcast")
	notices := e.readers(20000, 4, "notice")
	s := e.paidSender("a", 100000, nil)
	began := time.Now()
	start(t, s)
	e.wantDelivered(append(bulk, notices...))
	took := time.Since(began)

	paid, _ := e.paidOf()
	for _, j := range notices {
		if paid[j.ChatID] > 0 {
			t.Errorf("notice to %d was sent with allow_paid_broadcast; only digests and broadcasts may be", j.ChatID)
		}
	}
	nPaid := e.srv.PaidSent()
	// 244 messages at 2/s free would take 2 min; at 500/s about 0.5 s
	// (the 4 notices take 2 s at the free rate).
	if nPaid < 120 {
		t.Errorf("%d of 240 broadcasts paid, all 244 messages in %v; want most paid", nPaid, took)
	}
	st := e.paidStatus(100000)
	if st.State != ratelimit.PaidOn || st.Today().Messages != int64(nPaid) || s.Stats().Paid != int64(nPaid) {
		t.Errorf("paid status %+v, sender counted %d; want on, with today's count = the %d paid messages Telegram saw", st, s.Stats().Paid, nPaid)
	}
	if got, want := st.Today().Stars(), float64(nPaid)/10; got != want {
		t.Errorf("Stars spent today = %v; want %v", got, want)
	}
}

// At the day's budget paid sending stops and the rest goes at the free
// rate, on every instance: two senders on one Redis spend the budget once
// between them. The next UTC day it starts again.
func TestPaidBudgetAcrossInstances(t *testing.T) {
	t.Parallel()
	e := newEnv(t, paidLimits)
	const budget = 30 // 3 Stars
	jobs := e.readers(30000, budget+8, "digest")
	a := e.paidSender("a", budget, nil)
	b := e.paidSender("b", budget, nil)
	// Free slots are scarce until the budget is spent; then the rest go
	// at the free rate.
	e.hogFreeRate(func() bool { return e.srv.PaidSent() >= budget })
	start(t, a)
	start(t, b)
	e.wantDelivered(jobs)

	if got := e.srv.PaidSent(); got != budget {
		t.Errorf("%d paid messages; want exactly the budget of %d", got, budget)
	}
	if got := a.Stats().Paid + b.Stats().Paid; got != budget {
		t.Errorf("the instances counted %d + %d paid messages; want %d in all", a.Stats().Paid, b.Stats().Paid, budget)
	}
	st := e.paidStatus(budget)
	if st.State != ratelimit.PaidBudget || st.Today().Messages != budget || st.Today().Stars() != 3 {
		t.Errorf("paid status %+v; want at budget, 30 messages (3 Stars) today", st)
	}
	// Free messages after the budget went at the free rate: the last 8
	// free ones took about 7 intervals of 1/1.92 s (the rate less its
	// headroom).
	var free []time.Time
	for _, m := range e.srv.Sent() {
		if !m.PaidBroadcast {
			free = append(free, m.Date)
		}
	}
	if n := len(free); n >= 8 {
		if span := free[n-1].Sub(free[n-8]); span < 3300*time.Millisecond {
			t.Errorf("the last 8 free messages took %v; want about 3.6 s at the free rate of 2/s", span)
		}
	}

	if e.redis.Mini == nil {
		return // the next day needs Redis's clock moved
	}
	e.redis.Mini.SetTime(time.Now().UTC().Truncate(24 * time.Hour).Add(24*time.Hour + time.Minute))
	st = e.paidStatus(budget)
	if st.State != ratelimit.PaidOn || st.Today().Messages != 0 || st.Days[len(st.Days)-2].Messages != budget {
		t.Errorf("the next day: paid status %+v; want on, nothing spent today, 30 yesterday", st)
	}
}

// When Telegram says the Stars balance is too low, paid sending stops on
// every instance and every message is delivered at the free rate: none is
// lost, retried with a backoff or dead-lettered for it. It is logged once.
func TestBalanceTooLowHoldsPaidNotDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t, paidLimits)
	e.srv.SetStarBalance(1) // 10 paid messages
	jobs := e.readers(40000, 18, "broadcast")
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	a := e.paidSender("a", 100000, func(o *Options) { o.Log = log })
	b := e.paidSender("b", 100000, func(o *Options) { o.Log = log })
	// Free slots are scarce until paid sending is held.
	e.hogFreeRate(func() bool { return e.paidStatus(100000).State == ratelimit.PaidHeld })
	start(t, a)
	start(t, b)
	e.wantDelivered(jobs)

	if got := e.srv.PaidSent(); got != 10 {
		t.Errorf("%d paid messages; want the 10 that 1 Star pays for", got)
	}
	sa, sb := a.Stats(), b.Stats()
	if sa.NoStars+sb.NoStars == 0 || sa.Retried+sb.Retried != 0 || sa.Failed+sb.Failed != 0 {
		t.Errorf("stats %+v and %+v; want balance refusals seen, nothing retried with a backoff or failed", sa, sb)
	}
	if st := e.paidStatus(100000); st.State != ratelimit.PaidHeld || st.HeldFor < 50*time.Minute {
		t.Errorf("paid status %+v; want held for the balance, about an hour left", st)
	}
	out := logs.String()
	if n := strings.Count(out, "Stars balance is too low"); n != 1 {
		t.Errorf("the balance logged %d times; want once:\n%s", n, out)
	}
	if !strings.Contains(out, "level=WARN msg=\"telegram says the Stars balance") {
		t.Errorf("the balance not logged at WARN:\n%s", out)
	}
	if strings.Contains(out, e.srv.Token()) {
		t.Errorf("the log holds the bot token:\n%s", out)
	}
}
