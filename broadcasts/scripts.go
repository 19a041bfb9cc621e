package broadcasts

import "github.com/redis/go-redis/v9"

// Broadcast scripts. The record (<prefix>bc:<id>) is one key, changed by
// single-key scripts. Everything else is per shard and changes in one
// script on the shard's slot: the shard's progress hash, its "todo" set
// (readers not yet fed), its "wait" set (fed, final state not yet counted),
// its low-priority stream, and the readers' records and job states of the
// chats a step names. Chats are read first (ZRANGE, SSCAN, XRANGE) and the
// script is then handed their keys, so every key is declared; each script
// re-checks membership before it acts, so a stale read changes nothing.

// bcTransitionScript: KEYS record. ARGV new status, now (unix ms), then
// the statuses it may move from. Returns {1, previous} when moved, {0,
// current} when the current status is not among them, {-1} when there is
// no such broadcast. Moving to running drops the expiry a draft has and,
// the first time, records "started".
var bcTransitionScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], 'status')
if not cur then return {-1} end
for i = 3, #ARGV do
  if cur == ARGV[i] then
    redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updated', ARGV[2])
    if ARGV[1] == 'running' then
      redis.call('PERSIST', KEYS[1])
      if redis.call('HEXISTS', KEYS[1], 'started') == 0 then
        redis.call('HSET', KEYS[1], 'started', ARGV[2])
      end
    end
    return {1, cur}
  end
end
return {0, cur}
`)

// bcSnapshotScript: KEYS shard progress, todo, the shard's active set,
// then the topic index for a targeted broadcast. Copies the audience of
// the shard into todo once (ZUNIONSTORE/ZINTERSTORE accept plain sets; all
// scores are equal, so todo is ordered by chat ID as a string, a stable
// order) and records its size as the shard's total. Running it again
// returns the recorded total and changes nothing.
var bcSnapshotScript = redis.NewScript(`
local total = redis.call('HGET', KEYS[1], 'total')
if total then return tonumber(total) end
local n
if #KEYS == 4 then
  n = redis.call('ZINTERSTORE', KEYS[2], 2, KEYS[3], KEYS[4])
else
  n = redis.call('ZUNIONSTORE', KEYS[2], 1, KEYS[3])
end
redis.call('HSET', KEYS[1], 'total', n, 'enqueued', 0, 'skipped', 0)
return n
`)

// bcFeedScript: KEYS shard progress, todo, wait, low-priority stream, then
// for each chat its reader record and its job state. ARGV ttl seconds, max
// stream length, broadcast id, text, now (unix ms), then the chats. For
// each chat still in todo: remove it; a reader no longer active is counted
// as skipped; otherwise the job is queued (XADD + state "queued") unless it
// already has a state, and the chat goes to wait. Taking the chat out of
// todo and queueing its job are one step, so feeding twice, or after a
// crash, never queues a chat twice. Refuses (returns -1) when the shard was
// stopped (cancelled) or the stream already holds max entries. Returns the
// number of jobs queued.
var bcFeedScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'stop') then return -1 end
if redis.call('XLEN', KEYS[4]) >= tonumber(ARGV[2]) then return -1 end
local fed, skipped = 0, 0
for i = 6, #ARGV do
  local chat = ARGV[i]
  local reader = KEYS[5 + 2 * (i - 6)]
  local state = KEYS[6 + 2 * (i - 6)]
  if redis.call('ZREM', KEYS[2], chat) == 1 then
    if redis.call('HGET', reader, 'status') ~= 'active' then
      skipped = skipped + 1
    else
      if redis.call('EXISTS', state) == 0 then
        redis.call('XADD', KEYS[4], '*', 'job', 'b:' .. ARGV[3] .. ':' .. chat, 'chat', chat,
          'kind', 'broadcast', 'text', ARGV[4], 'markup', '', 'att', '0', 'nb', '0', 'enq', ARGV[5])
        redis.call('SET', state, 'queued', 'EX', ARGV[1])
      end
      redis.call('SADD', KEYS[3], chat)
      fed = fed + 1
    end
  end
end
if fed > 0 then redis.call('HINCRBY', KEYS[1], 'enqueued', fed) end
if skipped > 0 then redis.call('HINCRBY', KEYS[1], 'skipped', skipped) end
return fed
`)

// bcSettleScript: KEYS shard progress, wait, then one job state per chat.
// ARGV the chats. Counts each chat in wait whose job reached a final state
// (or lost its state: counted unknown) under sent, blocked, failed,
// unknown or skipped, and takes it out of wait: each job is counted once.
// Returns how many were counted.
var bcSettleScript = redis.NewScript(`
local n = 0
for i = 1, #ARGV do
  local st = redis.call('GET', KEYS[2 + i])
  local field
  if not st then field = 'unknown'
  elseif st == 'unknown' then field = 'unknown'
  elseif string.sub(st, 1, 5) == 'sent:' then field = 'sent'
  elseif st == 'failed:blocked' then field = 'blocked'
  elseif string.sub(st, 1, 7) == 'failed:' then field = 'failed'
  elseif string.sub(st, 1, 8) == 'skipped:' then field = 'skipped'
  end
  if field and redis.call('SREM', KEYS[2], ARGV[i]) == 1 then
    redis.call('HINCRBY', KEYS[1], field, 1)
    n = n + 1
  end
end
return n
`)

// bcStopScript: KEYS shard progress, todo, then the states of this
// broadcast's jobs found in the shard's stream. ARGV ttl seconds. Stops
// the shard for good: readers not yet fed are counted as cancelled and
// forgotten, and every job still queued becomes "skipped:cancelled", which
// a sender's Begin treats as done (it acks the entry and sends nothing).
// A job already in flight is left alone and ends as it ends. Running it
// again changes nothing more than marking jobs queued since (there are
// none: the feed refuses a stopped shard). A shard stopped before its
// snapshot gets a total of 0, so no snapshot is taken later. Returns the
// jobs marked.
var bcStopScript = redis.NewScript(`
if not redis.call('HGET', KEYS[1], 'stop') then
  if not redis.call('HGET', KEYS[1], 'total') then
    redis.call('HSET', KEYS[1], 'total', 0, 'enqueued', 0, 'skipped', 0)
  end
  local left = redis.call('ZCARD', KEYS[2])
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'stop', 1)
  redis.call('HINCRBY', KEYS[1], 'cancelled', left)
end
local n = 0
for i = 3, #KEYS do
  if redis.call('GET', KEYS[i]) == 'queued' then
    redis.call('SET', KEYS[i], 'skipped:cancelled', 'EX', ARGV[1])
    n = n + 1
  end
end
return n
`)

// bcEditScript: KEYS the edit stamp. ARGV period in ms. Returns 1 and
// stamps the time when the last stamp is at least a period old, else 0.
// The time is Redis's, so instances whose clocks differ agree; the stamp
// is compared rather than left to expire, which also works where TTLs do
// not run down by themselves (miniredis).
var bcEditScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if now - last < tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], now, 'PX', 2 * tonumber(ARGV[1]) + 60000)
return 1
`)
