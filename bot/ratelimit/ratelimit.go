// Package ratelimit keeps Telegram's flood limits for every instance at
// once, in Redis: the overall rate, each chat's and each group's, and the
// pause every sender honours after a 429 or during an outage (outage.go). The sender and the bot's replies
// take their turns from the same Limiter.
package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Telegram's flood limits, shared by every instance through Redis:
//
//	<prefix>tg:pause_until        unix ms (Redis clock) until which nobody sends (after a 429)
//	<prefix>tg:rate:global        GCRA state: Options.Rate messages per second overall
//	<prefix>tg:rate:chat:<id>     GCRA state: 1 message per second in a private chat
//	<prefix>tg:rate:group:<id>    GCRA state: 20 messages per minute in a group (negative id)
//	<prefix>tg:{paid}:…           paid broadcasts: their rate, Stars spent, balance hold (paid.go)
//
// Each is one key, so each step is a single-key script that runs anywhere
// on a cluster (paid broadcasts' keys share the hash tag {paid}, so their
// one script runs on one slot). Every clock reading is Redis's TIME: instances whose clocks
// disagree still share one schedule.
//
// The limiter is a GCRA (as in github.com/go-redis/redis_rate, written here
// so the keys stay under the prefix and rates need not be whole numbers).
// Telegram counts messages as they arrive, not as we grant them, and the
// trip from grant to arrival varies by a few milliseconds: at exactly 30/s
// against a limit of 30 in any second, one message that travels a little
// faster than the one thirty places before it is over the limit. So every
// limit is spaced by Headroom (4% by default: about 40 ms of slack per
// second at 30/s, which measured jitter on a busy two-core machine needs),
// and only the global limit lets a worker ask a little early (up to 2 ms),
// so one that wakes late from its sleep does not push every later slot
// back.

// gcraScript: KEYS state. ARGV emission interval and tolerance, both in
// microseconds. Grants one message and returns 0, or returns how many
// microseconds to wait before asking again (nothing is used up).
var gcraScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait > 0 then return math.ceil(wait) end
local nxt = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.ceil((nxt - now) / 1000) + 1000)
return 0
`)

// pauseScript: KEYS pause key. ARGV pause in milliseconds. Moves the
// deadline later, never earlier (a short retry_after arriving after a long
// one must not cut the long one short). Returns 1 when nothing was paused
// before, 0 when a pause was already running. Paid sending's hold
// (HoldPaid) is the same kind of deadline.
var pauseScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if untilMs > cur then
  redis.call('SET', KEYS[1], string.format('%.0f', untilMs), 'PX', tonumber(ARGV[1]) + 1000)
end
if cur > now then return 0 end
return 1
`)

// pauseLeftScript: KEYS pause key. Returns the milliseconds left, 0 when
// sending is allowed.
var pauseLeftScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local u = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if u > now then return u - now end
return 0
`)

// Telegram's per-chat limits (Bots FAQ): about one message a second in a
// chat, 20 a minute in a group.
const (
	chatInterval  = time.Second
	groupInterval = time.Minute / 20
)

// Limiter takes turns under Telegram's limits, shared through Redis.
type Limiter struct {
	rdb      redis.UniversalClient
	prefix   string
	rate     float64 // free messages a second overall
	headroom float64
	// intervals between grants, headroom included
	global, chat, group time.Duration
	tolerance           time.Duration // of the global limit

	// Paid broadcasts (paid.go); paidInterval 0 is off.
	paid                        Paid
	paidInterval, paidTolerance time.Duration
	// freeAt is when the free rate's next slot opens for bulk, as it last
	// said (unix ns): a lower bound, since other takes only push it later.
	freeAt *atomic.Int64
}

// New returns a Limiter for rate messages a second overall, keeping
// headroom (a fraction, e.g. 0.04) of every limit unused; its keys live
// under prefix.
func New(rdb redis.UniversalClient, prefix string, rate, headroom float64) *Limiter {
	stretch := func(d time.Duration) time.Duration { return time.Duration(float64(d) / (1 - headroom)) }
	l := &Limiter{
		rdb: rdb, prefix: prefix, rate: rate, headroom: headroom,
		global: stretch(time.Duration(float64(time.Second) / rate)),
		chat:   stretch(chatInterval),
		group:  stretch(groupInterval),
		freeAt: new(atomic.Int64),
	}
	l.tolerance = min(l.global/10, 2*time.Millisecond)
	return l
}

func (l *Limiter) pauseKey() string { return l.prefix + "tg:pause_until" }

// Pause stops every sender for d, unless they already wait longer.
func (l *Limiter) Pause(ctx context.Context, d time.Duration) error {
	if err := pauseScript.Run(ctx, l.rdb, []string{l.pauseKey()}, d.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("pause sending: %w", err)
	}
	return nil
}

// PauseLeft is how long every sender must still wait after a 429.
func (l *Limiter) PauseLeft(ctx context.Context) (time.Duration, error) {
	ms, err := pauseLeftScript.Run(ctx, l.rdb, []string{l.pauseKey()}).Int64()
	if err != nil {
		return 0, fmt.Errorf("read pause: %w", err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// TakeChat asks for the chat's turn: 0 when granted, else how long to wait.
func (l *Limiter) TakeChat(ctx context.Context, chatID int64) (time.Duration, error) {
	id := strconv.FormatInt(chatID, 10)
	if chatID < 0 {
		return l.take(ctx, l.prefix+"tg:rate:group:"+id, l.group, 0)
	}
	return l.take(ctx, l.prefix+"tg:rate:chat:"+id, l.chat, 0)
}

// TakeGlobal asks for a slot of the overall rate: 0 when granted, else how
// long to wait.
func (l *Limiter) TakeGlobal(ctx context.Context) (time.Duration, error) {
	return l.take(ctx, l.prefix+"tg:rate:global", l.global, l.tolerance)
}

func (l *Limiter) take(ctx context.Context, key string, interval, tolerance time.Duration) (time.Duration, error) {
	us, err := gcraScript.Run(ctx, l.rdb, []string{key}, interval.Microseconds(), tolerance.Microseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	return time.Duration(us) * time.Microsecond, nil
}
