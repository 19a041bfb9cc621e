package subscribers

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// Offers are the words a reader typed that name no topic, kept for a while
// so that the button offering to follow them as a keyword can do it:
// callback data carries 64 bytes, fewer than 64 Arabic letters take, so the
// button names the words by a short token and the words wait here.

// OfferTTL is how long an offer lasts after the reader's last one.
const OfferTTL = 48 * time.Hour

// maxOffers bounds the offers a reader holds at once; the one after it
// drops the others (their buttons then say the offer has lapsed).
const maxOffers = 20

// OfferKeyword keeps f, a keyword follow, for the reader to accept within
// OfferTTL, and returns the token that names it: 12 hex digits of the
// follow's key, so the same words offered twice are one offer.
func (s *Store) OfferKeyword(ctx context.Context, chatID int64, f Follow) (string, error) {
	if err := f.validate(); err != nil || f.Topic != "" {
		return "", fmt.Errorf("offer %q to %d: not a keyword follow", f.Key, chatID)
	}
	sum := sha1.Sum([]byte(f.Key))
	token := hex.EncodeToString(sum[:6])
	k := s.ks.ForChat(chatID)
	err := offerScript.Run(ctx, s.rdb, []string{k.Offers(chatID)},
		token, f.Keyword, maxOffers, OfferTTL.Milliseconds()).Err()
	if err != nil {
		return "", fmt.Errorf("offer %q to %d: %w", f.Key, chatID, err)
	}
	return token, nil
}

// Offered returns the words offered under token; ok is false when the
// offer has lapsed (or never was).
func (s *Store) Offered(ctx context.Context, chatID int64, token string) (words string, ok bool, err error) {
	words, err = s.rdb.HGet(ctx, s.ks.ForChat(chatID).Offers(chatID), token).Result()
	switch {
	case errors.Is(err, redis.Nil):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("offer %s to %d: %w", token, chatID, err)
	}
	return words, true, nil
}

// Offers returns the words offered to the reader that still wait, in no
// particular order, and when they are deleted (zero when there are none).
func (s *Store) Offers(ctx context.Context, chatID int64) (words []string, until time.Time, err error) {
	key := s.ks.ForChat(chatID).Offers(chatID)
	var vals *redis.StringSliceCmd
	var ttl *redis.DurationCmd
	if _, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		vals = p.HVals(ctx, key)
		ttl = p.PTTL(ctx, key)
		return nil
	}); err != nil {
		return nil, time.Time{}, fmt.Errorf("offers to %d: %w", chatID, err)
	}
	if len(vals.Val()) == 0 {
		return nil, time.Time{}, nil
	}
	return vals.Val(), s.now().Add(ttl.Val()), nil
}

// offerScript: KEYS the reader's offers. ARGV token, words, the most
// offers kept, the lifetime in ms. A new token beyond the most drops the
// others first; every offer restarts the lifetime of all.
var offerScript = keyspace.Script(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
  redis.call('DEL', KEYS[1])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`, nil)
