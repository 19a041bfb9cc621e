// Package signup keeps what a reader chose on the site's signup page (the
// topics ticked, the digest time, the page's language) under a short random
// token until the bot applies it. The token travels in the t.me deep link's
// start parameter, which holds at most 64 characters: the choice itself,
// however many topics it ticks, stays in Redis for 30 days.
//
// A token is redeemed once: the first chat that sends it to the bot gets the
// choice, and the token then keeps only the mark that it was used, no chat
// ID (the choice lives on in the reader's record, which /forget deletes);
// whoever sends it again gets ErrUsed. Token creation is rate-limited per
// client address (Allow).
package signup

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

const (
	// TokenLen is the length of a token: 80 random bits in base32.
	TokenLen = 16
	// TokenPrefix marks the token's part of a start parameter:
	// "<source>_tk-<token>".
	TokenPrefix = "tk-"
	// MaxSourceLen bounds the source part of a start parameter, as every
	// part of one (bot/handlers.go parsePayload).
	MaxSourceLen = 40
	// MaxTopics bounds the topics one choice holds.
	MaxTopics = 200
	// DefaultTTL is how long an unredeemed token lasts.
	DefaultTTL = 30 * 24 * time.Hour
	// DefaultRate tokens per DefaultWindow may come from one client address.
	DefaultRate   = 30
	DefaultWindow = time.Hour
)

// The ways a token is refused.
var (
	// ErrUnknown: no such token, because it expired or never existed.
	ErrUnknown = errors.New("signup token unknown or expired")
	// ErrUsed: the token was redeemed before.
	ErrUsed = errors.New("signup token already used")
)

// Choice is what a reader chose on the page.
type Choice struct {
	Topics []string // catalog slugs
	// Schedule is the digest time as subscribers.SetSchedule takes it: a
	// daily cron spec, "instant", or "" for the default.
	Schedule string
	Lang     string // "ar", "en" or "" (the page's language)
	// Invite is the keyed hash of the email address an invitation was
	// made for (InviteHash), empty for a page's token. Redeeming the token
	// counts the invitation accepted.
	Invite string
}

var (
	slugPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
	sourcePattern = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)
	tokenPattern  = regexp.MustCompile(`^[a-z2-7]{16}$`)
	hashPattern   = regexp.MustCompile(`^[0-9a-f]{32}$`)
	encoding      = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
)

func (c Choice) check() error {
	if len(c.Topics) > MaxTopics {
		return fmt.Errorf("%d topics; at most %d", len(c.Topics), MaxTopics)
	}
	for _, s := range c.Topics {
		if !slugPattern.MatchString(s) {
			return fmt.Errorf("topic %q is not a slug", s)
		}
	}
	if len(c.Schedule) > 64 {
		return fmt.Errorf("schedule of %d characters", len(c.Schedule))
	}
	switch c.Lang {
	case "", "ar", "en":
	default:
		return fmt.Errorf("language %q", c.Lang)
	}
	if c.Invite != "" && !hashPattern.MatchString(c.Invite) {
		// Never echoed: it might be the address itself.
		return errors.New("invitation is not a keyed hash (InviteHash)")
	}
	return nil
}

// ValidToken reports whether s has a token's form.
func ValidToken(s string) bool { return tokenPattern.MatchString(s) }

// CheckSource reports whether s may name a signup source in a start
// parameter: 1 to 40 of a-z 0-9 -, and not a topic or a token part.
func CheckSource(s string) error {
	switch {
	case !sourcePattern.MatchString(s):
		return fmt.Errorf("source %q: 1 to %d lower-case letters, digits and '-'", s, MaxSourceLen)
	case strings.HasPrefix(s, "follow-"):
		return fmt.Errorf("source %q: must not start with follow- (that names a topic)", s)
	case strings.HasPrefix(s, TokenPrefix):
		return fmt.Errorf("source %q: must not start with %s (that marks a signup token)", s, TokenPrefix)
	}
	return nil
}

// Payload is the start parameter of a signup: the source, then the token
// when there is one. With a valid source it is at most 60 characters.
func Payload(source, token string) string {
	if token == "" {
		return source
	}
	return source + "_" + TokenPrefix + token
}

// TokenOf finds the token part of a start parameter.
func TokenOf(payload string) (string, bool) {
	for part := range strings.SplitSeq(strings.ToLower(payload), "_") {
		if tok, ok := strings.CutPrefix(part, TokenPrefix); ok {
			return tok, true
		}
	}
	return "", false
}

// ClientKey names a client address for the rate limit: an IPv4 address as
// it is, an IPv6 one by its /64 (what one subscriber line holds), anything
// else unchanged.
func ClientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// Options configure a Store.
type Options struct {
	Prefix string        // of every key; keyspace.DefaultPrefix when empty
	TTL    time.Duration // DefaultTTL when zero
	// Rate tokens per Window from one client address; DefaultRate per
	// DefaultWindow when zero.
	Rate   int
	Window time.Duration
}

// Store keeps signup tokens in Redis. It is safe for concurrent use.
type Store struct {
	rdb redis.UniversalClient
	ks  keyspace.Space
	opt Options
}

// New returns a Store on rdb.
func New(rdb redis.UniversalClient, opt Options) *Store {
	if opt.TTL <= 0 {
		opt.TTL = DefaultTTL
	}
	if opt.Rate <= 0 {
		opt.Rate = DefaultRate
	}
	if opt.Window <= 0 {
		opt.Window = DefaultWindow
	}
	return &Store{rdb: rdb, ks: keyspace.New(opt.Prefix), opt: opt}
}

// createScript: KEYS token. ARGV topics, schedule, lang, TTL (ms),
// invitation hash or "". Returns 0 when the token exists (a collision:
// draw another).
var createScript = keyspace.Script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], $FieldSignupTopics, ARGV[1], $FieldSchedule, ARGV[2], $FieldLang, ARGV[3])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], $FieldSignupInvite, ARGV[5]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`, nil)

// updateScript: KEYS token. ARGV topics, schedule, lang. Returns 0 when
// the token is gone or redeemed.
var updateScript = keyspace.Script(`
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], $FieldSignupUsed) == 1 then return 0 end
redis.call('HSET', KEYS[1], $FieldSignupTopics, ARGV[1], $FieldSchedule, ARGV[2], $FieldLang, ARGV[3])
return 1
`, nil)

// redeemScript: KEYS token. Returns {"unknown"}, {"used"} or {"ok",
// topics, schedule, lang, invitation}, and leaves a redeemed token holding
// only its mark (its expiry unchanged).
var redeemScript = keyspace.Script(`
local v = redis.call('HMGET', KEYS[1], $FieldSignupTopics, $FieldSchedule, $FieldLang, $FieldSignupUsed, $FieldSignupInvite)
if v[4] then return {$Used} end
if not v[1] then return {$Unknown} end
-- The mark first: a hash left with no field is deleted, its expiry with it.
redis.call('HSET', KEYS[1], $FieldSignupUsed, '1')
redis.call('HDEL', KEYS[1], $FieldSignupTopics, $FieldSchedule, $FieldLang, $FieldSignupInvite)
return {$OK, v[1], v[2] or '', v[3] or '', v[5] or ''}
`, keyspace.Words{"Unknown": "unknown", "Used": "used", "OK": "ok"})

// rateScript: KEYS counter. ARGV window (ms). Returns the count so far.
var rateScript = keyspace.Script(`
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`, nil)

// Create stores c under a new token and returns the token.
func (s *Store) Create(ctx context.Context, c Choice) (string, error) {
	if err := c.check(); err != nil {
		return "", fmt.Errorf("create signup token: %w", err)
	}
	for range 3 {
		tok := newToken()
		ok, err := createScript.Run(ctx, s.rdb, []string{s.ks.SignupToken(tok)}, s.createArgs(c)...).Int()
		if err != nil {
			return "", fmt.Errorf("create signup token: %w", err)
		}
		if ok == 1 {
			return tok, nil
		}
	}
	return "", errors.New("create signup token: three random tokens taken")
}

// createArgs are createScript's arguments for c.
func (s *Store) createArgs(c Choice) []any {
	return []any{strings.Join(c.Topics, ","), c.Schedule, c.Lang, s.opt.TTL.Milliseconds(), c.Invite}
}

// Update replaces the choice under tok while no chat has redeemed it. It
// reports false, without error, for a token gone, redeemed or malformed:
// the page then asks for a new one.
func (s *Store) Update(ctx context.Context, tok string, c Choice) (bool, error) {
	if err := c.check(); err != nil {
		return false, fmt.Errorf("update signup token: %w", err)
	}
	if !ValidToken(tok) {
		return false, nil
	}
	ok, err := updateScript.Run(ctx, s.rdb, []string{s.ks.SignupToken(tok)},
		strings.Join(c.Topics, ","), c.Schedule, c.Lang).Int()
	if err != nil {
		return false, fmt.Errorf("update signup token: %w", err)
	}
	return ok == 1, nil
}

// Redeem returns the choice under tok, once: after that the token is
// ErrUsed. A token that expired or never existed is ErrUnknown. The token
// of an invitation counts it accepted.
func (s *Store) Redeem(ctx context.Context, tok string) (Choice, error) {
	if !ValidToken(tok) {
		return Choice{}, ErrUnknown
	}
	res, err := redeemScript.Run(ctx, s.rdb, []string{s.ks.SignupToken(tok)}).StringSlice()
	if err != nil {
		return Choice{}, fmt.Errorf("redeem signup token: %w", err)
	}
	switch res[0] {
	case "unknown":
		return Choice{}, ErrUnknown
	case "used":
		return Choice{}, ErrUsed
	}
	c := Choice{Schedule: res[2], Lang: res[3], Invite: res[4]}
	if res[1] != "" {
		c.Topics = strings.Split(res[1], ",")
	}
	if c.Invite != "" {
		s.accept(ctx, c.Invite)
	}
	return c, nil
}

// Allow counts one token made for client (ClientKey) and reports whether it
// is within the rate: Rate per Window.
func (s *Store) Allow(ctx context.Context, client string) (bool, error) {
	n, err := rateScript.Run(ctx, s.rdb, []string{s.ks.SignupRate(ClientKey(client))}, s.opt.Window.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("signup rate of %s: %w", client, err)
	}
	return n <= s.opt.Rate, nil
}

func newToken() string {
	b := make([]byte, TokenLen*5/8)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return encoding.EncodeToString(b)
}
