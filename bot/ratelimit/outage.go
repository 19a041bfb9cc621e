package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// An outage is Telegram or the network failing every call (tgerr.Systemic:
// refused connections, 5xx, a proxy's error page). It is nobody's message's
// fault, so it is not counted against any: every instance pauses instead,
// through the same pause key as a 429, for a backoff that doubles with
// every probe that fails and is forgotten at the first success.
//
//	<prefix>tg:outage    hash: since (unix ms, Redis clock), backoff (ms),
//	                     until (unix ms the current pause ends)
//
// The backoff grows once per failed probe, not once per worker: a failure
// reported while the pause it caused is still running (the other workers'
// calls that were already on the wire) only learns the pause left. The
// key expires some time after the last pause ends, so an outage whose end
// nobody saw (every instance stopped) is not taken up again weeks later.
func (l *Limiter) outageKey() string { return l.prefix + "tg:outage" }

// outageKeep is how long the outage record outlives its last pause.
const outageKeep = 10 * time.Minute

// outageFailScript: KEYS outage. ARGV first backoff, longest backoff, keep
// (all ms). Returns {1 when this failure started the outage, ms to pause}.
var outageFailScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h = redis.call('HMGET', KEYS[1], 'since', 'backoff', 'until')
local untilMs = tonumber(h[3] or '0') or 0
if untilMs > now then return {0, untilMs - now} end
local started = 0
local backoff
if not h[1] then
  started = 1
  backoff = tonumber(ARGV[1])
  redis.call('HSET', KEYS[1], 'since', string.format('%.0f', now))
else
  backoff = math.min((tonumber(h[2]) or 0) * 2, tonumber(ARGV[2]))
  backoff = math.max(backoff, tonumber(ARGV[1]))
end
redis.call('HSET', KEYS[1], 'backoff', string.format('%.0f', backoff), 'until', string.format('%.0f', now + backoff))
redis.call('PEXPIRE', KEYS[1], backoff + tonumber(ARGV[3]))
return {started, backoff}
`)

// outageOverScript: KEYS outage. Returns how many ms the outage lasted
// (at least 1), or 0 when there was none.
var outageOverScript = redis.NewScript(`
local since = redis.call('HGET', KEYS[1], 'since')
if not since then return 0 end
redis.call('DEL', KEYS[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return math.max(now - tonumber(since), 1)
`)

// OutageFailed records a call that failed for systemic reasons and pauses
// every sender: for first at the start of an outage, then twice as long as
// the last pause after every later failed probe, up to longest. started
// is true for the failure that began the outage (log it once there); pause
// is how long everyone now waits.
func (l *Limiter) OutageFailed(ctx context.Context, first, longest time.Duration) (started bool, pause time.Duration, err error) {
	res, err := outageFailScript.Run(ctx, l.rdb, []string{l.outageKey()},
		first.Milliseconds(), longest.Milliseconds(), outageKeep.Milliseconds()).Int64Slice()
	if err != nil {
		return false, 0, fmt.Errorf("record outage: %w", err)
	}
	if len(res) != 2 {
		return false, 0, fmt.Errorf("record outage: unexpected answer %v", res)
	}
	pause = time.Duration(res[1]) * time.Millisecond
	// The pause key is what every sender waits on. Setting it from the
	// time left (never moving it earlier) is idempotent: a crash between
	// the two steps is repaired by the next failure.
	if err := l.Pause(ctx, pause); err != nil {
		return false, 0, err
	}
	return res[0] == 1, pause, nil
}

// OutageOver records a call that reached Telegram: an outage under way is
// over. ended is true for the one caller that closed it (log it once
// there), with how long it lasted.
func (l *Limiter) OutageOver(ctx context.Context) (ended bool, lasted time.Duration, err error) {
	ms, err := outageOverScript.Run(ctx, l.rdb, []string{l.outageKey()}).Int64()
	if err != nil {
		return false, 0, fmt.Errorf("end outage: %w", err)
	}
	return ms > 0, time.Duration(ms) * time.Millisecond, nil
}
