package subscribers

import "nashra/keyspace"

// The scripts check everything before their first write: neither Lua nor
// MULTI rolls back, so a script that failed half-way would leave a reader
// half-changed. Each declares every key it touches; all of them share the
// reader's hash tag. Field and status names are keyspace's ($Name).

// startScript: KEYS reader, all readers, then one set per status (active,
// paused, blocked, stopped). ARGV chat, now, lang, source, chat type.
// Returns {"created"} or {"existing", previous status}.
var startScript = keyspace.Script(`
local chat, now = ARGV[1], ARGV[2]
local prev = redis.call('HGET', KEYS[1], $FieldStatus)
if prev then
  for i = 3, 6 do redis.call('SREM', KEYS[i], chat) end
  redis.call('SADD', KEYS[3], chat)
  redis.call('HSET', KEYS[1], $FieldStatus, $StatusActive, $FieldUpdated, now, $FieldStatusReason, 'start')
  redis.call('HDEL', KEYS[1], $FieldPausedUntil)
  if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], $FieldChatType, ARGV[5]) end
  return {$StartExisting, prev}
end
redis.call('HSET', KEYS[1], $FieldStatus, $StatusActive, $FieldLang, ARGV[3], $FieldSource, ARGV[4],
  $FieldChatType, ARGV[5], $FieldCursor, '0', $FieldJoined, now, $FieldUpdated, now, $FieldStatusReason, 'start')
redis.call('ZADD', KEYS[2], now, chat)
redis.call('SADD', KEYS[3], chat)
return {$StartCreated}
`, keyspace.Words{"StartCreated": startCreated, "StartExisting": startExisting})

// What startScript did.
const (
	startCreated  = "created"
	startExisting = "existing"
)

// setStatusScript: KEYS reader, then the status sets (active, paused,
// blocked, stopped). ARGV chat, status, now, reason, the end of a pause
// (unix s; empty for none), then the statuses the change may start from (none
// listed: any). The end is kept only with the status paused; every other
// change drops it. Stopping drops the settings nonce. Returns {previous status, the end of the previous pause
// or empty, 1 when the reader moved or 0 when their status was not one to
// start from}, or nil when the reader does not exist.
var setStatusScript = keyspace.Script(`
local chat, st = ARGV[1], ARGV[2]
local prev = redis.call('HGET', KEYS[1], $FieldStatus)
if not prev then return false end
local before = ''
if prev == $StatusPaused then before = redis.call('HGET', KEYS[1], $FieldPausedUntil) or '' end
local target
for i, name in ipairs($Statuses) do
  if name == st then target = KEYS[i + 1] end
end
if not target then return redis.error_reply('unknown status ' .. st) end
if #ARGV > 5 then
  local allowed = false
  for i = 6, #ARGV do
    if ARGV[i] == prev then allowed = true end
  end
  if not allowed then return {prev, before, 0} end
end
for i = 2, 5 do redis.call('SREM', KEYS[i], chat) end
redis.call('SADD', target, chat)
redis.call('HSET', KEYS[1], $FieldStatus, st, $FieldUpdated, ARGV[3], $FieldStatusReason, ARGV[4])
if st == $StatusPaused and ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], $FieldPausedUntil, ARGV[5])
else
  redis.call('HDEL', KEYS[1], $FieldPausedUntil)
end
-- A reader who stops refuses every preference page link sent before.
if st == $StatusStopped then redis.call('HDEL', KEYS[1], $FieldSettingsNonce) end
return {prev, before, 1}
`, nil)

// setFieldScript: KEYS reader. ARGV field, value, now. Writes only to an
// existing reader; returns 1, or 0 when there is none.
var setFieldScript = keyspace.Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], $FieldUpdated, ARGV[3])
return 1
`, nil)

// followScript: KEYS reader, follows, topic index. ARGV chat, key, label,
// max follows, now. Returns 1 added, 0 already following, -1 no reader,
// -2 the cap is reached.
var followScript = keyspace.Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 0 end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then return -2 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], $FieldUpdated, ARGV[5])
return 1
`, nil)

// unfollowScript: KEYS reader, follows, topic index. ARGV chat, key, now.
// Returns 1 when the follow existed.
var unfollowScript = keyspace.Script(`
local n = redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('SREM', KEYS[3], ARGV[1])
if n == 1 and redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], $FieldUpdated, ARGV[3])
end
return n
`, nil)
