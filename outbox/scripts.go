package outbox

import "nashra/keyspace"

// Outbox scripts. Each one touches a job's state key and the stream the
// job sits in (and, for a digest, the reader), all under one shard's hash
// tag, so a state change and the ack that goes with it are one step: there
// is no crash point between "marked" and "acked". As in every script of
// nashra, every read and check comes before the first write: neither Lua
// nor MULTI rolls back.
//
// Job states (the value of <tag>j:<job id>, EX 7d):
//
//	queued                    in a stream, not begun (written with the XADD;
//	                          a digest's jobs have no state until begun)
//	inflight:<consumer>:<ms>  a sender began it; the send may be under way
//	sent:<message id>         delivered
//	failed:<reason>           not delivered (blocked; or dead-lettered, until an operator redrives it)
//	unknown                   the send may or may not have reached Telegram
//	skipped:<why>             deliberately not sent
//
// "queued" is what lets Enqueue skip a job fed twice even before any
// sender has seen it; a job with no state is queued as far as every
// script is concerned. The names are keyspace's ($Name), or the answers and
// modes below, which the Go that reads them spells once too.

// Answers and modes of the scripts, beside keyspace's names.
const (
	beginOwned        = "go"        // beginScript: the caller owns the send
	retryAgain        = "again"     // retryScript: back to the end of the stream
	retryDead         = "dead"      // retryScript: to the dead-letter stream
	reclaimResend     = "redeliver" // reclaimScript: the caller owns a job to send
	reclaimSettled    = "done"      // reclaimScript: already final, acked
	reclaimResendFlag = "1"         // reclaimScript's argument: resend jobs that were in flight
)

var words = keyspace.Words{
	"BeginOwned": beginOwned, "RetryAgain": retryAgain, "RetryDead": retryDead,
	"ReclaimResend": reclaimResend, "ReclaimSettled": reclaimSettled, "ReclaimResendFlag": reclaimResendFlag,
	"RedriveQueued": RedriveQueued, "RedriveSent": RedriveSent, "RedriveBusy": RedriveBusy, "RedriveGone": RedriveGone,
}

// enqueueScript: KEYS state, stream. ARGV ttl seconds, then the entry's
// field/value pairs. Returns the new entry ID, or false when the job
// already has a state (queued, under way or done).
var enqueueScript = keyspace.Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
redis.call('SET', KEYS[1], $StateQueued, 'EX', ARGV[1])
return id
`, words)

// enqueueDigestsScript queues the digests of several readers of one
// shard, each reader's step as EnqueueDigest describes it: the checks on
// that reader, then its writes. KEYS the shard's high-priority stream,
// then each reader's record. ARGV now (unix s), now (unix ms, the queued
// time of short entries), then per reader: its chat, its number of jobs,
// expected cursor, new cursor, expected list of breaking alerts, then for
// each job the number of values of its entry and the entry's field/value
// pairs, or 0 and the short form of a job whose text is shared: its ID,
// kind and ref (the entry Entry makes of it: ID, chat, kind, ref and
// queued time). Returns, per reader, 1 when queued; -1 no reader, -2 not
// active, -3 the cursor moved or an alert was queued since (a stale
// build). Each reader's checks come before that reader's writes; a write
// that fails leaves the readers before it queued and their cursors moved,
// and the rest as they were, to be built again.
//
// A digest's jobs get no state here: the cursor check is what keeps a
// digest from being queued twice, and a job without a state is queued
// to every script after this one. Writing "queued" for each job was a new
// key per reader at the morning's peak, a third of Redis's work in the
// build; the state is written when a sender begins the job, at the
// sending rate. Should a job be queued again all the same (a reader's
// cursor set back), beginScript finds it final and drops the entry.
//
// The short form is most of the morning's jobs. Each argument costs Redis
// three conversions (read, made a Lua string, made a Redis string again
// for XADD); the field names, the chat and the time written here instead
// take a reader's digest from fifteen arguments to nine.
var enqueueDigestsScript = keyspace.Script(`
local out = {}
local a = 3
for k = 2, #KEYS do
  local chat, n = ARGV[a], tonumber(ARGV[a + 1])
  local r = redis.call('HMGET', KEYS[k], $FieldStatus, $FieldCursor, $FieldBreakingSent)
  local res = 1
  if not r[1] then res = -1
  elseif r[1] ~= $StatusActive then res = -2
  elseif (r[2] or '0') ~= ARGV[a + 2] or (r[3] or '') ~= ARGV[a + 4] then res = -3 end
  local e = a + 5
  for i = 1, n do
    local len = tonumber(ARGV[e])
    if len == 0 then
      if res == 1 then
        redis.call('XADD', KEYS[1], '*', $JobID, ARGV[e + 1], $JobChat, chat, $JobKind, ARGV[e + 2],
          $JobRef, ARGV[e + 3], $JobEnqueued, ARGV[2])
      end
      e = e + 4
    else
      if res == 1 then redis.call('XADD', KEYS[1], '*', unpack(ARGV, e + 1, e + len)) end
      e = e + 1 + len
    end
  end
  if res == 1 then
    redis.call('HSET', KEYS[k], $FieldCursor, ARGV[a + 3], $FieldLastDigest, ARGV[1])
  end
  out[#out + 1] = res
  a = e
end
return out
`, words)

// enqueueAlertScript: KEYS reader, high-priority stream, the job's state.
// ARGV the article's sequence number, the day (YYYY-MM-DD), the daily cap,
// ttl seconds, then the job's field/value pairs. Queues a breaking news
// alert for an active reader who opted in and whose cursor has not passed
// the article, unless the job was queued before or the reader had the
// day's cap of alerts; counts it against the day and records the article
// among the reader's alerts (dropping those the cursor has passed).
// Returns one of the alert* answers below.
var enqueueAlertScript = keyspace.Script(`
local r = redis.call('HMGET', KEYS[1], $FieldStatus, $FieldBreaking, $FieldCursor,
  $FieldBreakingDay, $FieldBreakingCount, $FieldBreakingSent)
if not r[1] then return $AlertNoReader end
if r[1] ~= $StatusActive then return $AlertInactive end
if r[2] ~= $BreakingOn then return $AlertNotWanted end
local seq, cur = tonumber(ARGV[1]), tonumber(r[3] or '0')
if cur >= seq then return $AlertInDigest end
if redis.call('EXISTS', KEYS[3]) == 1 then return $AlertDuplicate end
local n = 0
if r[4] == ARGV[2] then n = tonumber(r[5] or '0') end
if n >= tonumber(ARGV[3]) then return $AlertCapped end
local sent = {}
for s in string.gmatch(r[6] or '', '[^,]+') do
  if tonumber(s) > cur then sent[#sent + 1] = s end
end
sent[#sent + 1] = ARGV[1]
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 5))
redis.call('SET', KEYS[3], $StateQueued, 'EX', ARGV[4])
redis.call('HSET', KEYS[1], $FieldBreakingDay, ARGV[2], $FieldBreakingCount, n + 1,
  $FieldBreakingSent, table.concat(sent, ','))
return $AlertQueued
`, alertWords)

// beginScript: KEYS state, stream. ARGV entry ID, inflight value, ttl.
// Returns beginOwned when the caller now owns the send; otherwise the
// state that stopped it. A finished job's entry is acked and deleted (a
// duplicate entry); one in flight elsewhere is left for its owner or the
// janitor.
var beginScript = keyspace.Script(`
local st = redis.call('GET', KEYS[1])
if st and st ~= $StateQueued then
  if not starts(st, $PrefixInflight) then
    redis.call('XACK', KEYS[2], $Group, ARGV[1])
    redis.call('XDEL', KEYS[2], ARGV[1])
  end
  return st
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return $BeginOwned
`, words)

// finishScript: KEYS state, stream, and optionally a daily counter. ARGV
// entry ID, final state, ttl, and with the counter the day's field. The
// counter goes up by one unless the job already had that final state.
var finishScript = keyspace.Script(`
local prev = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('XACK', KEYS[2], $Group, ARGV[1])
redis.call('XDEL', KEYS[2], ARGV[1])
if KEYS[3] and prev ~= ARGV[2] then redis.call('HINCRBY', KEYS[3], ARGV[4], 1) end
return 1
`, words)

// retryScript: KEYS state, stream of the entry, dead-letter stream. ARGV
// entry ID, mode (retryAgain or retryDead), final state for retryDead,
// ttl, then the new entry's field/value pairs. retryAgain puts a copy at
// the end of the stream and marks the job queued; retryDead moves it to
// the dead-letter stream and marks it failed. Either way the old entry is
// acked and deleted in the same step. A job that already reached a final
// state (the janitor marked it unknown meanwhile) is only acked. Returns
// the new entry ID, or false when nothing was added.
var retryScript = keyspace.Script(`
local st = redis.call('GET', KEYS[1])
local added = false
if not st or st == $StateQueued or starts(st, $PrefixInflight) then
  if ARGV[2] == $RetryDead then
    added = redis.call('XADD', KEYS[3], 'MAXLEN', '~', '10000', '*', unpack(ARGV, 5))
    redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
  else
    added = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 5))
    redis.call('SET', KEYS[1], $StateQueued, 'EX', ARGV[4])
  end
end
redis.call('XACK', KEYS[2], $Group, ARGV[1])
redis.call('XDEL', KEYS[2], ARGV[1])
return added
`, words)

// unbeginScript: KEYS state. ARGV "inflight:<consumer>:", ttl. Marks the
// job queued again if that consumer owns its send.
var unbeginScript = keyspace.Script(`
local st = redis.call('GET', KEYS[1])
if st and starts(st, ARGV[1]) then
  redis.call('SET', KEYS[1], $StateQueued, 'EX', ARGV[2])
  return 1
end
return 0
`, words)

// redriveScript: KEYS state, dead-letter stream, the stream the job goes
// back to (all in the job's shard). ARGV dead-letter entry ID, ttl, then
// the new entry's field/value pairs. Returns RedriveQueued, or why not:
// RedriveGone (no such dead letter: redriven already), RedriveSent
// (delivered after all), RedriveBusy (queued or in flight already).
var redriveScript = keyspace.Script(`
if #redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1]) == 0 then return $RedriveGone end
local st = redis.call('GET', KEYS[1])
if st then
  if starts(st, $PrefixSent) then return $RedriveSent end
  if st == $StateQueued or starts(st, $PrefixInflight) then return $RedriveBusy end
end
redis.call('XADD', KEYS[3], '*', unpack(ARGV, 3))
redis.call('SET', KEYS[1], $StateQueued, 'EX', ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[1])
return $RedriveQueued
`, words)

// reclaimScript: KEYS state, stream. ARGV entry ID, reclaimResendFlag to
// resend jobs that were in flight (else ""), ttl. Called for an entry the
// janitor just claimed from a consumer that went quiet. Returns
// reclaimResend (the caller now owns a job that was never sent),
// StateUnknown (it was in flight: the send may have happened; marked and
// acked) or reclaimSettled (already final; acked).
var reclaimScript = keyspace.Script(`
local st = redis.call('GET', KEYS[1])
if not st or st == $StateQueued then return $ReclaimResend end
local out = $ReclaimSettled
if starts(st, $PrefixInflight) then
  if ARGV[2] == $ReclaimResendFlag then
    redis.call('SET', KEYS[1], $StateQueued, 'EX', ARGV[3])
    return $ReclaimResend
  end
  redis.call('SET', KEYS[1], $StateUnknown, 'EX', ARGV[3])
  out = $StateUnknown
end
redis.call('XACK', KEYS[2], $Group, ARGV[1])
redis.call('XDEL', KEYS[2], ARGV[1])
return out
`, words)

// endPauseScript: KEYS reader, the status sets (active, paused, blocked,
// stopped), high-priority stream, the notice's state key, the shard's
// daily counter of readers made active. ARGV chat, the end of the pause as
// read (unix s), now (unix s), reason, ttl seconds, today's counter field,
// then the notice's field/value pairs. Only a reader still paused with
// that same end, reached by now, is made active and sent the notice:
// one resumed, stopped or paused again meanwhile is left alone, and of two
// builders racing only one tells the reader. Returns 1 when the reader was
// made active, else 0.
var endPauseScript = keyspace.Script(`
local chat = ARGV[1]
local r = redis.call('HMGET', KEYS[1], $FieldStatus, $FieldPausedUntil)
if r[1] ~= $StatusPaused or r[2] ~= ARGV[2] then return 0 end
if tonumber(ARGV[2]) > tonumber(ARGV[3]) then return 0 end
for i, name in ipairs($Statuses) do
  if name == $StatusActive then redis.call('SADD', KEYS[i + 1], chat) else redis.call('SREM', KEYS[i + 1], chat) end
end
redis.call('HSET', KEYS[1], $FieldStatus, $StatusActive, $FieldUpdated, ARGV[3], $FieldStatusReason, ARGV[4])
redis.call('HDEL', KEYS[1], $FieldPausedUntil)
redis.call('HINCRBY', KEYS[8], ARGV[6], 1)
if redis.call('EXISTS', KEYS[7]) == 0 then
  redis.call('XADD', KEYS[6], '*', unpack(ARGV, 7))
  redis.call('SET', KEYS[7], $StateQueued, 'EX', ARGV[5])
end
return 1
`, words)
