package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Paid broadcasts. A message sent with allow_paid_broadcast is not held to
// Telegram's free limit of about 30 a second: up to 1,000 a second go out,
// for 0.1 Star each, taken from the bot's balance. Only digests and
// broadcasts (bulk) may spend Stars; replies never do, and bulk takes a free
// slot whenever one is open, so Stars pay only for what the free rate
// cannot carry.
//
//	<prefix>tg:{paid}:rate      GCRA state: Paid.Rate − Rate paid messages a second
//	<prefix>tg:{paid}:spent     HASH: UTC day (days since 1970-01-01) → paid messages
//	                            sent that day, by every instance; days older than
//	                            SpentKeepDays are dropped
//	<prefix>tg:{paid}:held      STRING: unix ms (Redis clock) until which nobody
//	                            spends Stars: Telegram said the balance ran short
//
// The three keys share the hash tag {paid}: taking a paid slot checks the
// hold, checks and counts the day's budget and moves the GCRA in one script,
// on one slot of a cluster. The day is Redis's (TIME), so every instance
// counts against the same day whatever its own clock says.

// MessagesPerStar is how many paid messages one Star pays for (0.1 Star
// each).
const MessagesPerStar = 10

// SpentKeepDays is how many days of spending the spent hash keeps.
const SpentKeepDays = 31

// Paid configures paid broadcasts. The zero value is off.
type Paid struct {
	// Rate is bulk messages a second in all, free and paid (Telegram
	// allows 1,000 with allow_paid_broadcast). At or below the free rate,
	// paid sending is off.
	Rate float64
	// PerDay is how many paid messages may go out a UTC day, across every
	// instance: the Stars budget × 10. 0 is none.
	PerDay int64
	// Hold is how long paid sending stops after Telegram says the balance
	// is too low. Default 1 h.
	Hold time.Duration
}

// PaidState is what paid sending is doing.
type PaidState string

const (
	PaidOff    PaidState = "off"     // not configured
	PaidOn     PaidState = "on"      // spending as needed
	PaidBudget PaidState = "budget"  // today's budget is spent: free rate until tomorrow (UTC)
	PaidHeld   PaidState = "balance" // the Stars balance ran short: free rate until the hold ends
)

// paidTakeScript: KEYS paid GCRA state, spent hash, held. ARGV emission
// interval and tolerance (µs), messages allowed a day, days kept. Returns
// {0, 0} granted (and counted), {1, µs} wait for the paid rate, {2, 0} the
// day's budget is spent, {3, ms} held for that long.
var paidTakeScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local nowMs = math.floor(now / 1000)
local held = tonumber(redis.call('GET', KEYS[3]) or '0') or 0
if held > nowMs then return {3, held - nowMs} end
local day = math.floor(tonumber(t[1]) / 86400)
local spent = tonumber(redis.call('HGET', KEYS[2], tostring(day)) or '0') or 0
if spent >= tonumber(ARGV[3]) then return {2, 0} end
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait > 0 then return {1, math.ceil(wait)} end
local nxt = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.ceil((nxt - now) / 1000) + 1000)
if redis.call('HINCRBY', KEYS[2], tostring(day), 1) == 1 then
  for _, f in ipairs(redis.call('HKEYS', KEYS[2])) do
    if (tonumber(f) or 0) <= day - tonumber(ARGV[4]) then redis.call('HDEL', KEYS[2], f) end
  end
end
return {0, 0}
`)

// paidRefundScript: KEYS spent hash. Takes one paid message off today's
// count (never below 0).
var paidRefundScript = redis.NewScript(`
local t = redis.call('TIME')
local day = tostring(math.floor(tonumber(t[1]) / 86400))
if (tonumber(redis.call('HGET', KEYS[1], day) or '0') or 0) > 0 then
  redis.call('HINCRBY', KEYS[1], day, -1)
end
return 1
`)

// paidStatusScript: KEYS spent hash, held. Returns {today (UTC day
// number), ms the hold has left, then day, count pairs}.
var paidStatusScript = redis.NewScript(`
local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
local out = {math.floor(tonumber(t[1]) / 86400), math.max(held - nowMs, 0)}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  table.insert(out, tonumber(all[i]) or 0)
  table.insert(out, tonumber(all[i + 1]) or 0)
end
return out
`)

// WithPaid returns a copy of l that lets bulk sends (TakeBulk) spend Stars
// as p says. p.Rate is spaced by the same headroom as every other limit.
func (l *Limiter) WithPaid(p Paid) *Limiter {
	c := *l
	if p.Hold <= 0 {
		p.Hold = time.Hour
	}
	c.paid = p
	c.paidInterval = 0
	if extra := p.Rate - l.rate; extra > 0 {
		c.paidInterval = time.Duration(float64(time.Second) / extra / (1 - l.headroom))
		// A worker that wakes a little late keeps its slot: up to 2 ms
		// early, as for the free rate (a burst of 2 messages at 1,000/s,
		// well inside the headroom).
		c.paidTolerance = 2 * time.Millisecond
	}
	return &c
}

// PaidOn reports whether paid sending is configured at all.
func (l *Limiter) PaidOn() bool { return l.paidInterval > 0 && l.paid.PerDay > 0 }

func (l *Limiter) paidKey(name string) string { return l.prefix + "tg:{paid}:" + name }

// TakeBulk asks for a slot for a digest or a broadcast: a free slot of the
// overall rate when one is open, else, when paid sending is on and neither
// today's budget nor a balance hold stops it, a paid slot (counted against
// today's budget at once). paid says the message must be sent with
// allow_paid_broadcast; wait > 0 says nothing was granted and how long to
// wait before asking again.
func (l *Limiter) TakeBulk(ctx context.Context) (paid bool, wait time.Duration, err error) {
	if l.PaidOn() {
		// The free rate said when its next slot opens; other senders'
		// takes can only make that later. Until then, ask for a paid slot
		// alone: one round trip instead of two, while a sender's turns
		// are taken one at a time.
		if free := time.Until(time.Unix(0, l.freeAt.Load())); free > 0 {
			return l.takePaid(ctx, free)
		}
	}
	free, err := l.TakeGlobal(ctx)
	if err != nil || free <= 0 || !l.PaidOn() {
		return false, free, err
	}
	l.freeAt.Store(time.Now().Add(free).UnixNano())
	return l.takePaid(ctx, free)
}

// takePaid asks for a paid slot when the free rate's next is free away:
// paid, or how long to wait before asking again.
func (l *Limiter) takePaid(ctx context.Context, free time.Duration) (paid bool, wait time.Duration, err error) {
	res, err := paidTakeScript.Run(ctx, l.rdb,
		[]string{l.paidKey("rate"), l.paidKey("spent"), l.paidKey("held")},
		l.paidInterval.Microseconds(), l.paidTolerance.Microseconds(), l.paid.PerDay, SpentKeepDays).Int64Slice()
	if err != nil {
		return false, 0, fmt.Errorf("paid rate limit: %w", err)
	}
	if len(res) != 2 {
		return false, 0, fmt.Errorf("paid rate limit: unexpected answer %v", res)
	}
	switch res[0] {
	case 0:
		return true, 0, nil
	case 1:
		return false, min(free, time.Duration(res[1])*time.Microsecond), nil
	}
	return false, free, nil // budget spent or held: the free rate only
}

// RefundPaid gives back a paid slot whose message Telegram did not take
// (a 429, a blocked reader, the balance): the day's count stays what
// Telegram charged. A message whose answer was lost stays counted.
func (l *Limiter) RefundPaid(ctx context.Context) error {
	if err := paidRefundScript.Run(ctx, l.rdb, []string{l.paidKey("spent")}).Err(); err != nil {
		return fmt.Errorf("refund paid message: %w", err)
	}
	return nil
}

// HoldPaid stops every instance from spending Stars for the configured
// hold: Telegram refused a paid message because the balance is too low.
// Sending goes on at the free rate. started is true for the call that
// began the hold (log it once there).
func (l *Limiter) HoldPaid(ctx context.Context) (started bool, err error) {
	n, err := pauseScript.Run(ctx, l.rdb, []string{l.paidKey("held")}, l.paid.Hold.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("hold paid sending: %w", err)
	}
	return n == 1, nil
}

// DaySpent is the paid messages of one UTC day.
type DaySpent struct {
	Day      time.Time // midnight UTC
	Messages int64
}

// Stars is what the day's paid messages cost.
func (d DaySpent) Stars() float64 { return float64(d.Messages) / MessagesPerStar }

// PaidStatus is what /stats and /metrics show of paid sending.
type PaidStatus struct {
	State PaidState
	// HeldFor is what is left of a balance hold.
	HeldFor time.Duration
	// Days are the last days, oldest first, today last; days nothing was
	// spent are there with 0.
	Days []DaySpent
	// PerDay is the budget in messages (0 when off).
	PerDay int64
}

// Today is today's spending (UTC).
func (s PaidStatus) Today() DaySpent {
	if len(s.Days) == 0 {
		return DaySpent{}
	}
	return s.Days[len(s.Days)-1]
}

// PaidStatus reads today's and the last days' spending (days in all, at
// most SpentKeepDays) and the state of paid sending. What was spent is
// read even when paid sending is off now.
func (l *Limiter) PaidStatus(ctx context.Context, days int) (PaidStatus, error) {
	days = max(1, min(days, SpentKeepDays))
	res, err := paidStatusScript.Run(ctx, l.rdb, []string{l.paidKey("spent"), l.paidKey("held")}).Int64Slice()
	if err != nil {
		return PaidStatus{}, fmt.Errorf("read paid sending: %w", err)
	}
	if len(res) < 2 || len(res)%2 != 0 {
		return PaidStatus{}, fmt.Errorf("read paid sending: unexpected answer %v", res)
	}
	today := res[0]
	byDay := make(map[int64]int64, len(res)/2)
	for i := 2; i+1 < len(res); i += 2 {
		byDay[res[i]] = res[i+1]
	}
	st := PaidStatus{State: PaidOff}
	for d := today - int64(days) + 1; d <= today; d++ {
		st.Days = append(st.Days, DaySpent{Day: time.Unix(d*86400, 0).UTC(), Messages: byDay[d]})
	}
	if !l.PaidOn() {
		return st, nil
	}
	st.PerDay = l.paid.PerDay
	switch {
	case res[1] > 0:
		st.State, st.HeldFor = PaidHeld, time.Duration(res[1])*time.Millisecond
	case st.Today().Messages >= l.paid.PerDay:
		st.State = PaidBudget
	default:
		st.State = PaidOn
	}
	return st, nil
}

// PaidStates lists every state, for a metric that shows which one holds.
var PaidStates = []PaidState{PaidOff, PaidOn, PaidBudget, PaidHeld}
