// Package settings makes and checks the links /settings sends to the
// preference page, and names what the page shows and saves.
//
// A link carries a token: the chat ID and the moment the link expires (an
// hour after it was made), and an HMAC-SHA256 of both and of the reader's
// settings nonce (subscribers.SettingsNonce), cut to 128 bits; the whole
// in unpadded base64url, about 35 characters. The nonce does not travel:
// it stays in the reader's record, so a link is refused once the reader
// has stopped (which deletes the nonce) or forgotten (which deletes the
// record), and a tampered, forged or expired one is refused on its own.
//
// The signing key is 32 random bytes kept in Redis under the keyspace
// (<prefix>settings:key), made by whichever instance needs it first and
// read by every instance for every link: deleting the key refuses every
// link out there, and the next /settings makes a new one.
package settings

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
	"nashra/subscribers"
)

// TTL is how long a link lasts.
const TTL = time.Hour

// The ways a link is refused. Whichever it is, the reader is asked to send
// /settings again.
var (
	// ErrMalformed: not a token at all.
	ErrMalformed = errors.New("settings link malformed")
	// ErrForged: the signature does not match (tampered, or signed with a
	// key deleted since).
	ErrForged = errors.New("settings link signature does not match")
	// ErrExpired: older than TTL.
	ErrExpired = errors.New("settings link expired")
	// ErrRevoked: the reader has stopped or forgotten since, or is gone.
	ErrRevoked = errors.New("settings link revoked")
)

// Nonces keeps each reader's settings nonce (subscribers.Store).
type Nonces interface {
	SettingsNonce(ctx context.Context, chatID int64) (string, error)
	CurrentSettingsNonce(ctx context.Context, chatID int64) (string, error)
}

// Options configure Links.
type Options struct {
	RDB    redis.UniversalClient
	Prefix string // of every key; keyspace.DefaultPrefix when empty
	Nonces Nonces
	// TTL is how long a link lasts; the package's TTL when zero.
	TTL time.Duration
	Now func() time.Time // time.Now when nil
}

// Links signs and checks links. It is safe for concurrent use.
type Links struct {
	rdb    redis.UniversalClient
	ks     keyspace.Space
	nonces Nonces
	ttl    time.Duration
	now    func() time.Time
}

// New returns Links on opt.
func New(opt Options) *Links {
	if opt.TTL <= 0 {
		opt.TTL = TTL
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Links{rdb: opt.RDB, ks: keyspace.New(opt.Prefix), nonces: opt.Nonces, ttl: opt.TTL, now: opt.Now}
}

// Issue returns a token for chatID's preference page and when it expires.
// subscribers.ErrNotFound for a chat that is not a reader.
func (l *Links) Issue(ctx context.Context, chatID int64) (string, time.Time, error) {
	nonce, err := l.nonces.SettingsNonce(ctx, chatID)
	if err != nil {
		return "", time.Time{}, err
	}
	key, err := l.key(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	// Whole seconds: what the token holds.
	exp := l.now().Add(l.ttl).Truncate(time.Second)
	return Format(chatID, exp.Unix(), sign(key, chatID, exp.Unix(), nonce)), exp, nil
}

// Check returns the chat a token is for, or why it is refused: one of the
// package's errors, or a Redis failure.
func (l *Links) Check(ctx context.Context, token string) (int64, error) {
	chatID, exp, mac, err := Parse(token)
	if err != nil {
		return 0, err
	}
	nonce, err := l.nonces.CurrentSettingsNonce(ctx, chatID)
	switch {
	case errors.Is(err, subscribers.ErrNotFound):
		return 0, ErrRevoked
	case err != nil:
		return 0, err
	case nonce == "":
		return 0, ErrRevoked
	}
	key, err := l.key(ctx)
	if err != nil {
		return 0, err
	}
	if !hmac.Equal(mac, sign(key, chatID, exp, nonce)) {
		return 0, ErrForged
	}
	if l.now().Unix() >= exp {
		return 0, ErrExpired
	}
	return chatID, nil
}

// keyLen is the signing key's length in bytes.
const keyLen = 32

// key reads the signing key, making it when there is none yet. It is read
// every time rather than kept, so that every instance sees a key deleted
// (and remade) at once.
func (l *Links) key(ctx context.Context) ([]byte, error) {
	k := l.ks.SettingsKey()
	v, err := l.rdb.Get(ctx, k).Result()
	if errors.Is(err, redis.Nil) {
		b := make([]byte, keyLen)
		_, _ = rand.Read(b) // never fails (crypto/rand)
		// The first instance's key wins; the others read it back.
		if err := l.rdb.SetNX(ctx, k, hex.EncodeToString(b), 0).Err(); err != nil {
			return nil, fmt.Errorf("settings link key: %w", err)
		}
		v, err = l.rdb.Get(ctx, k).Result()
	}
	if err != nil {
		return nil, fmt.Errorf("settings link key: %w", err)
	}
	key, err := hex.DecodeString(v)
	if err != nil || len(key) < keyLen {
		return nil, fmt.Errorf("settings link key in %s is not %d bytes in hex", k, keyLen)
	}
	return key, nil
}

// macLen is the signature's length in a token: HMAC-SHA256 cut to 128 bits.
const macLen = 16

// version is a token's first byte, for a later layout to tell itself apart.
const version = 1

// MaxTokenLen bounds a token's length: the version, two varints of at most
// 10 bytes and the signature, in base64.
const MaxTokenLen = (1 + 10 + 10 + macLen + 2) / 3 * 4

// sign is the signature of a link to chatID expiring at exp (unix s) for a
// reader whose nonce is nonce.
func sign(key []byte, chatID, exp int64, nonce string) []byte {
	m := hmac.New(sha256.New, key)
	var b [17]byte
	b[0] = version
	binary.BigEndian.PutUint64(b[1:], uint64(chatID))
	binary.BigEndian.PutUint64(b[9:], uint64(exp))
	m.Write([]byte("nashra settings link\x00"))
	m.Write(b[:])
	m.Write([]byte(nonce))
	return m.Sum(nil)[:macLen]
}

// Format lays a token out: the version, the chat ID (a zig-zag varint, as
// a group's is negative), the expiry (unix s, a varint) and the signature.
func Format(chatID, exp int64, mac []byte) string {
	b := []byte{version}
	b = binary.AppendVarint(b, chatID)
	b = binary.AppendVarint(b, exp)
	b = append(b, mac...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Parse reads a token's parts without checking the signature. It accepts
// exactly what Format writes, so that one link has one spelling.
func Parse(token string) (chatID, exp int64, mac []byte, err error) {
	if len(token) > MaxTokenLen {
		return 0, 0, nil, ErrMalformed
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) < 1+2+macLen || b[0] != version {
		return 0, 0, nil, ErrMalformed
	}
	rest := b[1:]
	chatID, n := binary.Varint(rest)
	if n <= 0 {
		return 0, 0, nil, ErrMalformed
	}
	rest = rest[n:]
	exp, n = binary.Varint(rest)
	if n <= 0 || exp <= 0 {
		return 0, 0, nil, ErrMalformed
	}
	rest = rest[n:]
	if len(rest) != macLen || chatID == 0 || Format(chatID, exp, rest) != token {
		return 0, 0, nil, ErrMalformed
	}
	return chatID, exp, rest, nil
}
