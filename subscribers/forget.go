package subscribers

import (
	"context"
	"fmt"

	"nashra/keyspace"
)

// Forget deletes everything stored about chatID: the record, the follows,
// its place in the topic index, the status sets and the readers set, in
// one script on the reader's slot. Afterwards the chat is unknown, as if it
// had never sent /start. Forgetting an unknown chat is not an error.
//
// Delivery records of messages already sent (job states, kept JobTTL for
// deduplication) are not reader data and expire by themselves.
func (s *Store) Forget(ctx context.Context, chatID int64) error {
	k := s.ks.ForChat(chatID)
	for range 10 {
		cur, err := s.currentState(ctx, []int64{chatID})
		if err != nil {
			return fmt.Errorf("forget %d: %w", chatID, err)
		}
		keys := append([]string{k.Reader(chatID), k.Follows(chatID), k.Readers()}, k.StatusSets()...)
		keys = append(keys, k.Offers(chatID))
		args := []any{chatID}
		keys, args = appendIndex(k, keys, args, nil, cur[0].followKeys)
		res, err := forgetScript.Run(ctx, s.rdb, keys, args...).Slice()
		if err != nil {
			return fmt.Errorf("forget %d: %w", chatID, err)
		}
		if n, _ := res[0].(int64); n >= 0 {
			prev, _ := res[1].(string)
			// A reader who asks to be forgotten leaves the audience.
			s.countStatus(ctx, chatID, Status(prev), "", "forget")
			return nil
		}
	}
	return fmt.Errorf("forget %d: the follows keep changing; try again", chatID)
}

// forgetScript: KEYS reader, follows, all readers, the four status sets,
// the words offered to follow, then the topic index of each follow the
// reader has. ARGV chat, then the
// follow key of each index key, in the order of KEYS. Returns how many of
// the reader's two hashes existed, or -1 without writing when a follow is
// not declared (it was added since the caller read the follows), and the
// status the reader had (empty for none).
var forgetScript = keyspace.Script(`
local chat = ARGV[1]
local index = {}
for i = 2, #ARGV do index[ARGV[i]] = KEYS[7 + i] end
local old = redis.call('HKEYS', KEYS[2])
for _, key in ipairs(old) do
  if not index[key] then return {-1, ''} end
end
local prev = redis.call('HGET', KEYS[1], $FieldStatus) or ''
for _, key in ipairs(old) do redis.call('SREM', index[key], chat) end
local n = redis.call('DEL', KEYS[1], KEYS[2])
redis.call('DEL', KEYS[8])
redis.call('ZREM', KEYS[3], chat)
for i = 4, 7 do redis.call('SREM', KEYS[i], chat) end
return {n, prev}
`, nil)
