package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"nashra/bot/ratelimit"
	"nashra/subscribers/redistest"
)

// takeBulkFor takes bulk slots as fast as granted for d and counts the
// free and the paid ones.
func takeBulkFor(t *testing.T, lim *ratelimit.Limiter, d time.Duration) (free, paid int) {
	t.Helper()
	ctx := context.Background()
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		p, wait, err := lim.TakeBulk(ctx)
		switch {
		case err != nil:
			t.Fatal(err)
		case wait > 0:
			time.Sleep(wait)
		case p:
			paid++
		default:
			free++
		}
	}
	return free, paid
}

// Bulk takes a free slot when one is open and a paid one otherwise, up to
// the paid rate in all; the day's count is the paid slots taken.
func TestBulkTakesFreeThenPaid(t *testing.T) {
	r := redistest.New(t)
	lim := ratelimit.New(r.Client, r.Prefix, 10, 0).WithPaid(ratelimit.Paid{Rate: 50, PerDay: 1000})
	free, paid := takeBulkFor(t, lim, time.Second)
	// 10 free and 40 paid in a second, give or take the first instant's
	// burst and a slow machine.
	if free < 8 || free > 12 || paid < 30 || paid > 43 {
		t.Errorf("in 1 s at 10/s free and 50/s in all: %d free, %d paid; want about 10 and 40", free, paid)
	}
	st, err := lim.PaidStatus(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != ratelimit.PaidOn || st.Today().Messages != int64(paid) || len(st.Days) != 3 {
		t.Errorf("status %+v; want on, today = the %d paid slots, 3 days", st, paid)
	}
	// Replies never take a paid slot: however many ask, the count stays.
	for range 20 {
		if _, err := lim.TakeGlobalFirst(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if st2, _ := lim.PaidStatus(context.Background(), 3); st2.Today().Messages != st.Today().Messages {
		t.Errorf("replies moved the paid count from %d to %d", st.Today().Messages, st2.Today().Messages)
	}
}

// At the day's budget, and while held for the balance, bulk gets free
// slots only.
func TestPaidBudgetAndHold(t *testing.T) {
	r := redistest.New(t)
	ctx := context.Background()
	lim := ratelimit.New(r.Client, r.Prefix, 10, 0).WithPaid(ratelimit.Paid{Rate: 100, PerDay: 5})
	free, paid := takeBulkFor(t, lim, 500*time.Millisecond)
	if paid != 5 || free < 4 || free > 7 {
		t.Errorf("in 0.5 s with a budget of 5: %d free, %d paid; want 5 paid and about 5 free", free, paid)
	}
	if st, _ := lim.PaidStatus(ctx, 1); st.State != ratelimit.PaidBudget || st.Today().Stars() != 0.5 {
		t.Errorf("status %+v; want at budget, 0.5 Star spent", st)
	}
	// A refund (a paid message Telegram refused) gives one back.
	if err := lim.RefundPaid(ctx); err != nil {
		t.Fatal(err)
	}
	if _, paid := takeBulkFor(t, lim, 300*time.Millisecond); paid != 1 {
		t.Errorf("after a refund %d paid; want 1", paid)
	}

	held := ratelimit.New(r.Client, r.Prefix+"h:", 10, 0).WithPaid(ratelimit.Paid{Rate: 100, PerDay: 1000, Hold: time.Minute})
	for i, want := range []bool{true, false} {
		started, err := held.HoldPaid(ctx)
		if err != nil || started != want {
			t.Errorf("HoldPaid #%d = %v, %v; want started %v", i+1, started, err, want)
		}
	}
	if _, paid := takeBulkFor(t, held, 300*time.Millisecond); paid != 0 {
		t.Errorf("held for the balance: %d paid; want none", paid)
	}
	if st, _ := held.PaidStatus(ctx, 1); st.State != ratelimit.PaidHeld || st.HeldFor < 55*time.Second {
		t.Errorf("status %+v; want held for about a minute", st)
	}
	off := ratelimit.New(r.Client, r.Prefix+"o:", 10, 0)
	if st, _ := off.PaidStatus(ctx, 1); st.State != ratelimit.PaidOff {
		t.Errorf("without paid sending: status %+v; want off", st)
	}
}
