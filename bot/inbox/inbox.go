// Package inbox keeps the Telegram updates the bot polled until they are
// handled, and the claims that make sure each update is answered once
// across restarts, redeliveries and several instances. Only the bot uses
// it; the keys are keyspace's (upd:<id>, {inbox}:q, {inbox}:seen:<id>).
package inbox

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// Options configures a Store. The zero value is usable; Prefix defaults to
// keyspace.DefaultPrefix.
type Options struct {
	Prefix string
}

// Store is the update inbox and the update claims. It is safe for
// concurrent use.
type Store struct {
	rdb redis.UniversalClient
	ks  keyspace.Space
}

// New returns a Store on rdb.
func New(rdb redis.UniversalClient, opt Options) *Store {
	return &Store{rdb: rdb, ks: keyspace.New(opt.Prefix)}
}

// updateTTL covers Telegram's own retention of unconfirmed updates (24 h):
// an update redelivered after a restart or by webhook retries is still
// recognised.
const updateTTL = 25 * time.Hour

// Claim reports whether this is the first time any instance handles
// the Telegram update id. A long-polling bot that stops before confirming
// its last batch gets that batch again; the claim makes sure a reader's
// command is answered once.
func (s *Store) Claim(ctx context.Context, updateID int64) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.ks.UpdateClaim(updateID), 1, updateTTL).Result()
	if err != nil {
		return false, fmt.Errorf("claim update %d: %w", updateID, err)
	}
	return ok, nil
}

// The inbox keeps every update fetched by long polling from the moment it
// is stored until it is handled, so that Telegram can be told it was
// received (the next getUpdates offset) without waiting for a slow
// handler, and nothing is lost when the poller stops or dies with updates
// still queued:
//
//	<prefix>{inbox}:q          stream: one entry per unhandled update (id, raw JSON)
//	<prefix>{inbox}:seen:<id>  set when the update was stored (25 h): a second
//	                           fetch of it (unconfirmed before a crash) is not stored again
//
// The keys share a hash tag, so storing is one script on a cluster. The
// seen markers, not stream IDs, recognise a re-fetch: Telegram may restart
// update ids from a random number after a quiet week.

// Fields of an inbox entry.
const (
	fieldID     = "id" // the update's ID
	fieldUpdate = "u"  // its JSON as Telegram sent it
)

// storeUpdatesScript: KEYS stream, then one seen key per update. ARGV ttl
// seconds, then id and raw JSON per update. Returns, per update, the new
// stream entry's ID, or "" when it was stored before.
var storeUpdatesScript = keyspace.Script(`
local out = {}
for i = 2, #KEYS do
  local id, raw = ARGV[2 * i - 2], ARGV[2 * i - 1]
  if redis.call('SET', KEYS[i], 1, 'NX', 'EX', ARGV[1]) then
    out[#out + 1] = redis.call('XADD', KEYS[1], '*', $FieldID, id, $FieldUpdate, raw)
  else
    out[#out + 1] = ''
  end
end
return out
`, keyspace.Words{"FieldID": fieldID, "FieldUpdate": fieldUpdate})

// Update is an update waiting in the inbox.
type Update struct {
	Entry string // stream entry, for Handled
	ID    int64
	Raw   []byte // the update's JSON as Telegram sent it
}

// Add puts fetched updates in the inbox, in order, and returns
// those stored now; an update stored before (fetched again because its
// confirmation never reached Telegram) is left out.
func (s *Store) Add(ctx context.Context, ids []int64, raws [][]byte) ([]Update, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	keys := []string{s.ks.Inbox()}
	args := []any{int64(updateTTL / time.Second)}
	for i, id := range ids {
		keys = append(keys, s.ks.InboxSeen(id))
		args = append(args, id, raws[i])
	}
	res, err := storeUpdatesScript.Run(ctx, s.rdb, keys, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("store updates: %w", err)
	}
	var fresh []Update
	for i, entry := range res {
		if entry != "" {
			fresh = append(fresh, Update{Entry: entry, ID: ids[i], Raw: raws[i]})
		}
	}
	return fresh, nil
}

// Pending returns every update stored and not yet handled, oldest
// first: what a poller that stopped or died left behind.
func (s *Store) Pending(ctx context.Context) ([]Update, error) {
	msgs, err := s.rdb.XRange(ctx, s.ks.Inbox(), "-", "+").Result()
	if err != nil {
		return nil, fmt.Errorf("read inbox: %w", err)
	}
	out := make([]Update, 0, len(msgs))
	for _, m := range msgs {
		idStr, _ := m.Values[fieldID].(string)
		raw, _ := m.Values[fieldUpdate].(string)
		id, err := strconv.ParseInt(idStr, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("read inbox: entry %s has no update id", m.ID)
		}
		out = append(out, Update{Entry: m.ID, ID: id, Raw: []byte(raw)})
	}
	return out, nil
}

// Handled removes a handled update from the inbox.
func (s *Store) Handled(ctx context.Context, entry string) error {
	if err := s.rdb.XDel(ctx, s.ks.Inbox(), entry).Err(); err != nil {
		return fmt.Errorf("inbox done %s: %w", entry, err)
	}
	return nil
}

// Release undoes Claim for a handler that was cancelled
// before it finished, so that the update is handled when it comes again.
func (s *Store) Release(ctx context.Context, updateID int64) error {
	if err := s.rdb.Del(ctx, s.ks.UpdateClaim(updateID)).Err(); err != nil {
		return fmt.Errorf("release update %d: %w", updateID, err)
	}
	return nil
}
