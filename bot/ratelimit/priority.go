package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Replies to readers go first. A reader who typed a command is waiting for
// the answer; a digest or a broadcast can leave a moment later. Both share
// the same limits (Telegram counts every message), so priority cannot be a
// separate budget: it is the right to ask earlier.
//
// The global GCRA grants a bulk message once its theoretical arrival time
// (TAT) is at most the bulk tolerance (2 ms) ahead of now. A priority take
// is granted while the TAT is up to PriorityBorrow intervals ahead: when
// bulk senders keep the limiter saturated the TAT sits about one interval
// ahead of now, so a reply is granted at once, pushes the TAT one interval
// further, and the next bulk message waits that interval instead. A second
// reply at the same instant waits one interval, still ahead of every bulk
// message, and so on: replies form their own queue in front.
//
// The bound: GCRA with tolerance τ grants at most floor((T+τ)/I)+1 messages
// in any window of length T. With τ = PriorityBorrow·I = I, that is at most
// one message more than the configured rate allows in any window, on top
// of the rate's Headroom. At the default 25/s (Telegram allows about 30)
// a second holds at most 26 messages.
const PriorityBorrow = 1

// holdChatScript: KEYS chat GCRA state. ARGV hold in microseconds. Moves
// the chat's next turn to now+hold unless it is already later; the same
// key TakeChat reads, so digests to that chat wait too.
var holdChatScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untilUs = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if untilUs > tat then
  redis.call('SET', KEYS[1], string.format('%.0f', untilUs), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 1000)
end
return 1
`)

// TakeGlobalFirst asks for a slot of the overall rate ahead of bulk sends
// (see PriorityBorrow): 0 when granted, else how long to wait.
func (l *Limiter) TakeGlobalFirst(ctx context.Context) (time.Duration, error) {
	return l.take(ctx, l.prefix+"tg:rate:global", l.global, PriorityBorrow*l.global)
}

// HoldChat keeps every sender from the chat for d: Telegram answered 429
// to a message there. A reply was already granted a global slot, so the
// limit it met is most likely the chat's own; holding the chat rather than
// pausing everyone keeps one flooding reader from stalling all the others.
func (l *Limiter) HoldChat(ctx context.Context, chatID int64, d time.Duration) error {
	id := strconv.FormatInt(chatID, 10)
	key := l.prefix + "tg:rate:chat:" + id
	if chatID < 0 {
		key = l.prefix + "tg:rate:group:" + id
	}
	if err := holdChatScript.Run(ctx, l.rdb, []string{key}, d.Microseconds()).Err(); err != nil {
		return fmt.Errorf("hold chat %d: %w", chatID, err)
	}
	return nil
}
