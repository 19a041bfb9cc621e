package subscribers

import (
	"context"
	"fmt"
	"strconv"

	"nashra/keyspace"

	"github.com/redis/go-redis/v9"
)

// MoveReader follows a group's upgrade to a supergroup (Telegram's
// migrate_to_chat_id): the reader's record, follows and index memberships
// are copied to chat to, and from is marked blocked with the reason
// "migrated to <to>". Readers are kept, never deleted.
//
// The two chats are in different slots in general, so this is two steps,
// each idempotent, in an order that leaves a consistent state after a crash
// between them:
//  1. copy to `to` (one script on to's slot; merges into an existing reader
//     and keeps the larger cursor, so nothing is sent twice);
//  2. mark `from` blocked (one script on from's slot).
//
// A crash after 1 leaves both chats active with the same follows and
// cursor. Telegram refuses every send to `from` with the same migrate
// error, so nothing reaches the group twice, and the next send's MoveReader
// finishes step 2. Calling it again after both steps changes nothing.
func (s *Store) MoveReader(ctx context.Context, from, to int64) error {
	if from == to {
		return nil
	}
	ko, kn := s.ks.ForChat(from), s.ks.ForChat(to)
	var rget, fget *redis.MapStringStringCmd
	var nexists *redis.IntCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		rget = p.HGetAll(ctx, ko.Reader(from))
		fget = p.HGetAll(ctx, ko.Follows(from))
		nexists = p.Exists(ctx, kn.Reader(to))
		return nil
	})
	if err != nil {
		return fmt.Errorf("move reader %d to %d: %w", from, to, err)
	}
	old := rget.Val()
	movedReason := "migrated to " + strconv.FormatInt(to, 10)
	switch {
	case len(old) == 0 && nexists.Val() == 1:
		return nil
	case len(old) == 0:
		return ErrNotFound
	case old[keyspace.FieldStatus] == string(Blocked) && old[keyspace.FieldStatusReason] == movedReason && nexists.Val() == 1:
		return nil // both steps done
	}
	if old[keyspace.FieldStatus] == string(Blocked) && old[keyspace.FieldStatusReason] == movedReason {
		old[keyspace.FieldStatus] = string(Active)
	}
	if old[keyspace.FieldChatType] == "group" {
		old[keyspace.FieldChatType] = "supergroup"
	}
	delete(old, keyspace.FieldMigratedTo)
	delete(old, keyspace.FieldStatusReason)
	delete(old, keyspace.FieldUpdated)

	keys := append([]string{kn.Reader(to), kn.Follows(to), kn.Readers()}, kn.StatusSets()...)
	args := []any{to, from, s.now().Unix(), len(old)}
	for f, v := range old {
		args = append(args, f, v)
	}
	for key, label := range fget.Val() {
		keys = append(keys, kn.Index(key))
		args = append(args, key, label)
	}
	if err := copyReaderScript.Run(ctx, s.rdb, keys, args...).Err(); err != nil {
		return fmt.Errorf("move reader %d to %d: copy: %w", from, to, err)
	}
	if err := s.rdb.HSet(ctx, ko.Reader(from), keyspace.FieldMigratedTo, to).Err(); err != nil {
		return fmt.Errorf("move reader %d to %d: mark: %w", from, to, err)
	}
	if _, err := s.SetStatus(ctx, from, Blocked, movedReason); err != nil {
		return fmt.Errorf("move reader %d to %d: mark: %w", from, to, err)
	}
	return nil
}

// copyReaderScript: KEYS new reader, new follows, all readers, the four
// status sets (active, paused, blocked, stopped), then one follow index per
// follow. ARGV new chat, old chat, now, number of reader field/value pairs,
// those pairs, then follow key/label pairs (in the order of the index
// keys). A new chat that is not a reader yet gets the old record; one that
// already is (it sent /start, or an earlier try got this far) keeps its
// own fields, gains the missing ones and the follows, and takes the larger
// cursor, so no article is sent to the group twice. Running it again
// changes nothing.
var copyReaderScript = keyspace.Script(`
local chat, from, now = ARGV[1], ARGV[2], ARGV[3]
local nf = tonumber(ARGV[4])
local old = {}
for i = 0, nf - 1 do old[ARGV[5 + 2 * i]] = ARGV[6 + 2 * i] end
local exists = redis.call('EXISTS', KEYS[1]) == 1
if exists then
  for k, v in pairs(old) do redis.call('HSETNX', KEYS[1], k, v) end
  local curNew = tonumber(redis.call('HGET', KEYS[1], $FieldCursor) or '0') or 0
  local curOld = tonumber(old[$FieldCursor] or '0') or 0
  if curOld > curNew then redis.call('HSET', KEYS[1], $FieldCursor, old[$FieldCursor]) end
else
  local st = old[$FieldStatus] or $StatusActive
  for k, v in pairs(old) do redis.call('HSET', KEYS[1], k, v) end
  redis.call('HSET', KEYS[1], $FieldStatus, st, $FieldMigratedFrom, from, $FieldUpdated, now,
    $FieldStatusReason, 'migrated from ' .. from)
  for i, name in ipairs($Statuses) do
    if name == st then redis.call('SADD', KEYS[3 + i], chat) else redis.call('SREM', KEYS[3 + i], chat) end
  end
  redis.call('ZADD', KEYS[3], tonumber(old[$FieldJoined] or now) or now, chat)
end
local fbase = 5 + 2 * nf
for i = 8, #KEYS do
  local j = fbase + 2 * (i - 8)
  redis.call('HSETNX', KEYS[2], ARGV[j], ARGV[j + 1])
  redis.call('SADD', KEYS[i], chat)
end
return exists and 1 or 0
`, nil)
