package subscribers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// The preference page's links (signup/settings) are signed over a nonce in
// the reader's record, so that a link is refused once the reader has
// stopped (the status script deletes the nonce) or forgotten (the record
// is gone).

// settingsNonceScript: KEYS reader. ARGV a new nonce. Keeps the nonce the
// reader has, else stores ARGV[1]; returns the nonce, or nil when there is
// no reader.
var settingsNonceScript = keyspace.Script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSETNX', KEYS[1], $FieldSettingsNonce, ARGV[1])
return redis.call('HGET', KEYS[1], $FieldSettingsNonce)
`, nil)

// SettingsNonce returns the reader's settings nonce, made now when they
// have none. ErrNotFound for a chat that is not a reader.
func (s *Store) SettingsNonce(ctx context.Context, chatID int64) (string, error) {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	k := s.ks.ForChat(chatID)
	n, err := settingsNonceScript.Run(ctx, s.rdb, []string{k.Reader(chatID)}, base64.RawURLEncoding.EncodeToString(b)).Text()
	if errors.Is(err, redis.Nil) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("settings nonce of %d: %w", chatID, err)
	}
	return n, nil
}

// CurrentSettingsNonce returns the reader's settings nonce, "" when they
// have none. ErrNotFound for a chat that is not a reader.
func (s *Store) CurrentSettingsNonce(ctx context.Context, chatID int64) (string, error) {
	v, err := s.rdb.HMGet(ctx, s.ks.ForChat(chatID).Reader(chatID), keyspace.FieldStatus, keyspace.FieldSettingsNonce).Result()
	if err != nil {
		return "", fmt.Errorf("settings nonce of %d: %w", chatID, err)
	}
	if v[0] == nil {
		return "", ErrNotFound
	}
	n, _ := v[1].(string)
	return n, nil
}
