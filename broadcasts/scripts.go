package broadcasts

import "nashra/keyspace"

// Broadcast scripts. The record (<prefix>bc:<id>) is one key, changed by
// single-key scripts. Everything else is per shard and changes in one
// script on the shard's slot: the shard's progress hash, its "todo" set
// (readers not yet fed), its "wait" set (fed, final state not yet counted),
// its low-priority stream, and the readers' records and job states of the
// chats a step names. Chats are read first (ZRANGE, SSCAN, XRANGE) and the
// script is then handed their keys, so every key is declared; each script
// re-checks membership before it acts, so a stale read changes nothing.
//
// Job entries are outbox entries: the feed is handed one made by
// outbox.Entry and sets each chat's job ID and chat in it, so a broadcast
// job is laid out like every other. Names are keyspace's or those below
// ($Name), each spelled once.

// Fields of a broadcast's record, <prefix>bc:<id>.
const (
	recText       = "text" // Telegram HTML, escaped by the caller
	recBy         = "by"
	recTarget     = "target" // topic slug, "" for every active reader
	recStatus     = "status"
	recCreated    = "created" // unix ms
	recUpdated    = "updated" // unix ms
	recStarted    = "started" // unix ms, first confirmation
	recTotal      = "total"
	recStatusChat = "status_chat"
	recStatusMsg  = "status_msg"
)

// Fields of a shard's progress, <prefix>{rN}:bc:<id>.
const (
	progTotal     = "total"
	progEnqueued  = "enqueued"
	progSkipped   = "skipped"
	progSent      = "sent"
	progBlocked   = "blocked"
	progFailed    = "failed"
	progUnknown   = "unknown"
	progCancelled = "cancelled"
	progStop      = "stop" // set once the shard is stopped by a cancel
)

var words = keyspace.Words{
	"RecStatus": recStatus, "RecUpdated": recUpdated, "RecStarted": recStarted,
	"Running":   string(Running),
	"ProgTotal": progTotal, "ProgEnqueued": progEnqueued, "ProgSkipped": progSkipped, "ProgSent": progSent,
	"ProgBlocked": progBlocked, "ProgFailed": progFailed, "ProgUnknown": progUnknown,
	"ProgCancelled": progCancelled, "ProgStop": progStop,
}

// bcTransitionScript: KEYS record. ARGV new status, now (unix ms), then
// the statuses it may move from. Returns {1, previous} when moved, {0,
// current} when the current status is not among them, {-1} when there is
// no such broadcast. Moving to running drops the expiry a draft has and,
// the first time, records when it started.
var bcTransitionScript = keyspace.Script(`
local cur = redis.call('HGET', KEYS[1], $RecStatus)
if not cur then return {-1} end
for i = 3, #ARGV do
  if cur == ARGV[i] then
    redis.call('HSET', KEYS[1], $RecStatus, ARGV[1], $RecUpdated, ARGV[2])
    if ARGV[1] == $Running then
      redis.call('PERSIST', KEYS[1])
      if redis.call('HEXISTS', KEYS[1], $RecStarted) == 0 then
        redis.call('HSET', KEYS[1], $RecStarted, ARGV[2])
      end
    end
    return {1, cur}
  end
end
return {0, cur}
`, words)

// bcSnapshotScript: KEYS shard progress, todo, the shard's active set,
// then the topic index for a targeted broadcast. Copies the audience of
// the shard into todo once (ZUNIONSTORE/ZINTERSTORE accept plain sets; all
// scores are equal, so todo is ordered by chat ID as a string, a stable
// order) and records its size as the shard's total. Running it again
// returns the recorded total and changes nothing.
var bcSnapshotScript = keyspace.Script(`
local total = redis.call('HGET', KEYS[1], $ProgTotal)
if total then return tonumber(total) end
local n
if #KEYS == 4 then
  n = redis.call('ZINTERSTORE', KEYS[2], 2, KEYS[3], KEYS[4])
else
  n = redis.call('ZUNIONSTORE', KEYS[2], 1, KEYS[3])
end
redis.call('HSET', KEYS[1], $ProgTotal, n, $ProgEnqueued, 0, $ProgSkipped, 0)
return n
`, words)

// bcFeedScript: KEYS shard progress, todo, wait, low-priority stream, then
// for each chat its reader record and its job state. ARGV ttl seconds, max
// stream length, the job ID prefix ("b:<id>:"), the number n of values of
// the job's entry, the entry (outbox.Entry of the broadcast's job, whose
// ID and chat are set here for each chat), then the chats. For each chat
// still in todo: remove it; a reader no longer active is counted as
// skipped; otherwise the job is queued (XADD + state queued) unless it
// already has a state, and the chat goes to wait. Taking the chat out of
// todo and queueing its job are one step, so feeding twice, or after a
// crash, never queues a chat twice. Refuses (returns -1) when the shard was
// stopped (cancelled) or the stream already holds max entries. Returns the
// number of jobs queued.
var bcFeedScript = keyspace.Script(`
local per = tonumber(ARGV[4])
local entry, idAt, chatAt = {}, nil, nil
for i = 1, per do
  entry[i] = ARGV[4 + i]
  if i % 2 == 0 and ARGV[3 + i] == $JobID then idAt = i end
  if i % 2 == 0 and ARGV[3 + i] == $JobChat then chatAt = i end
end
if not idAt or not chatAt then return redis.error_reply('the job entry lacks its ID or chat') end
if redis.call('HGET', KEYS[1], $ProgStop) then return -1 end
if redis.call('XLEN', KEYS[4]) >= tonumber(ARGV[2]) then return -1 end
local first = 5 + per
local fed, skipped = 0, 0
for i = first, #ARGV do
  local chat = ARGV[i]
  local reader = KEYS[5 + 2 * (i - first)]
  local state = KEYS[6 + 2 * (i - first)]
  if redis.call('ZREM', KEYS[2], chat) == 1 then
    if redis.call('HGET', reader, $FieldStatus) ~= $StatusActive then
      skipped = skipped + 1
    else
      if redis.call('EXISTS', state) == 0 then
        entry[idAt], entry[chatAt] = ARGV[3] .. chat, chat
        redis.call('XADD', KEYS[4], '*', unpack(entry))
        redis.call('SET', state, $StateQueued, 'EX', ARGV[1])
      end
      redis.call('SADD', KEYS[3], chat)
      fed = fed + 1
    end
  end
end
if fed > 0 then redis.call('HINCRBY', KEYS[1], $ProgEnqueued, fed) end
if skipped > 0 then redis.call('HINCRBY', KEYS[1], $ProgSkipped, skipped) end
return fed
`, words)

// bcSettleScript: KEYS shard progress, wait, then one job state per chat.
// ARGV the chats. Counts each chat in wait whose job reached a final state
// (or lost its state: counted unknown) under sent, blocked, failed,
// unknown or skipped, and takes it out of wait: each job is counted once.
// Returns how many were counted.
var bcSettleScript = keyspace.Script(`
local n = 0
for i = 1, #ARGV do
  local st = redis.call('GET', KEYS[2 + i])
  local field
  if not st then field = $ProgUnknown
  elseif st == $StateUnknown then field = $ProgUnknown
  elseif starts(st, $PrefixSent) then field = $ProgSent
  elseif st == $StateBlocked then field = $ProgBlocked
  elseif starts(st, $PrefixFailed) then field = $ProgFailed
  elseif starts(st, $PrefixSkipped) then field = $ProgSkipped
  end
  if field and redis.call('SREM', KEYS[2], ARGV[i]) == 1 then
    redis.call('HINCRBY', KEYS[1], field, 1)
    n = n + 1
  end
end
return n
`, words)

// bcStopScript: KEYS shard progress, todo, then the states of this
// broadcast's jobs found in the shard's stream. ARGV ttl seconds. Stops
// the shard for good: readers not yet fed are counted as cancelled and
// forgotten, and every job still queued becomes StateCancelled, which a
// sender's Begin treats as done (it acks the entry and sends nothing). A
// job already in flight is left alone and ends as it ends. Running it
// again changes nothing more than marking jobs queued since (there are
// none: the feed refuses a stopped shard). A shard stopped before its
// snapshot gets a total of 0, so no snapshot is taken later. Returns the
// jobs marked.
var bcStopScript = keyspace.Script(`
if not redis.call('HGET', KEYS[1], $ProgStop) then
  if not redis.call('HGET', KEYS[1], $ProgTotal) then
    redis.call('HSET', KEYS[1], $ProgTotal, 0, $ProgEnqueued, 0, $ProgSkipped, 0)
  end
  local left = redis.call('ZCARD', KEYS[2])
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], $ProgStop, 1)
  redis.call('HINCRBY', KEYS[1], $ProgCancelled, left)
end
local n = 0
for i = 3, #KEYS do
  if redis.call('GET', KEYS[i]) == $StateQueued then
    redis.call('SET', KEYS[i], $StateCancelled, 'EX', ARGV[1])
    n = n + 1
  end
end
return n
`, words)

// bcEditScript: KEYS the edit stamp. ARGV period in ms. Returns 1 and
// stamps the time when the last stamp is at least a period old, else 0.
// The time is Redis's, so instances whose clocks differ agree; the stamp
// is compared rather than left to expire, which also works where TTLs do
// not run down by themselves (miniredis).
var bcEditScript = keyspace.Script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if now - last < tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], now, 'PX', 2 * tonumber(ARGV[1]) + 60000)
return 1
`, words)
