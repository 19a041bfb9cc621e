package signup

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"nashra/keyspace"
)

// Invitations of an email list (`nashra invite`): one token per subscriber,
// made in pipelined batches with the store's TTL, each carrying the keyed
// hash of the subscriber's address (InviteHash) so that invitations issued
// and accepted can be counted without the addresses. The hashes of the
// addresses invited and of those whose link a chat redeemed are two sets
// (keyspace InvitesIssued, InvitesAccepted): a second run over the same
// list adds no invitation, and a subscriber who opens two of their links is
// accepted once. The sets outlive the newest links by InviteCountsGrace, so
// the outcome of a campaign can still be read after its links expire.

const (
	// InviteKeyMin is the shortest key InviteHash should be given, in
	// bytes: 32, as `openssl rand -hex 32` gives 64.
	InviteKeyMin = 32
	// InviteCountsGrace is how long the counts outlive the newest links.
	InviteCountsGrace = 30 * 24 * time.Hour
	// inviteBatch is how many tokens one pipelined round trip makes.
	inviteBatch = 1000
)

// InviteHash is the keyed hash of an email address: HMAC-SHA256 under key
// of the address trimmed and in lower case, its first 128 bits in hex.
// Without the key nobody can tell which address a hash stands for, nor
// test a guess.
func InviteHash(key []byte, email string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// InviteCounts are an email list's invitations: the addresses a link was
// made for, and those whose link a chat opened.
type InviteCounts struct {
	Issued, Accepted int64
}

// issueScript: KEYS issued, accepted. ARGV TTL (ms), hash... Adds the
// hashes to the issued set and makes both sets last at least TTL. Returns
// how many hashes were new.
var issueScript = keyspace.Script(`
local n = 0
for i = 2, #ARGV do n = n + redis.call('SADD', KEYS[1], ARGV[i]) end
local ttl = tonumber(ARGV[1])
for _, k in ipairs(KEYS) do
  local left = redis.call('PTTL', k)
  if left ~= -2 and left < ttl then redis.call('PEXPIRE', k, ttl) end
end
return n
`, nil)

// acceptScript: KEYS issued, accepted. ARGV hash. Counts an issued hash
// accepted, with the issued set's expiry; returns 1 when it was not yet.
var acceptScript = keyspace.Script(`
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end
local n = redis.call('SADD', KEYS[2], ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left > 0 then redis.call('PEXPIRE', KEYS[2], left) end
return n
`, nil)

// CreateInvites stores each choice under a new token, in pipelined
// batches, and counts the invitations it carries as issued. It returns the
// tokens in the order of choices and how many invitations were new (not
// issued by an earlier run). On an error some tokens may have been made;
// none is returned.
func (s *Store) CreateInvites(ctx context.Context, choices []Choice) ([]string, int, error) {
	for i, c := range choices {
		if err := c.check(); err != nil {
			return nil, 0, fmt.Errorf("create invitation %d: %w", i+1, err)
		}
	}
	toks := make([]string, 0, len(choices))
	fresh := 0
	for start := 0; start < len(choices); start += inviteBatch {
		batch := choices[start:min(start+inviteBatch, len(choices))]
		bt, err := s.createBatch(ctx, batch)
		if err != nil {
			return nil, 0, err
		}
		toks = append(toks, bt...)
		args := []any{(s.opt.TTL + InviteCountsGrace).Milliseconds()}
		for _, c := range batch {
			if c.Invite != "" {
				args = append(args, c.Invite)
			}
		}
		if len(args) == 1 {
			continue
		}
		n, err := issueScript.Run(ctx, s.rdb, []string{s.ks.InvitesIssued(), s.ks.InvitesAccepted()}, args...).Int()
		if err != nil {
			return nil, 0, fmt.Errorf("count invitations issued: %w", err)
		}
		fresh += n
	}
	return toks, fresh, nil
}

// createBatch makes one token per choice in one round trip; a token drawn
// twice (a collision, 1 in 2^80) is drawn again on its own.
func (s *Store) createBatch(ctx context.Context, batch []Choice) ([]string, error) {
	toks := make([]string, len(batch))
	calls := make([]keyspace.Call, len(batch))
	for i, c := range batch {
		toks[i] = newToken()
		calls[i] = keyspace.Call{Keys: []string{s.ks.SignupToken(toks[i])}, Args: s.createArgs(c)}
	}
	cmds, err := keyspace.RunBatch(ctx, s.rdb, createScript, calls)
	if err != nil {
		return nil, fmt.Errorf("create invitations: %w", err)
	}
	for i, cmd := range cmds {
		ok, err := cmd.Int()
		if err != nil {
			return nil, fmt.Errorf("create invitations: %w", err)
		}
		if ok == 0 {
			if toks[i], err = s.Create(ctx, batch[i]); err != nil {
				return nil, err
			}
		}
	}
	return toks, nil
}

// accept counts the invitation hash accepted. A count is not state: when
// Redis fails here the reader still gets their choice, and one acceptance
// goes uncounted.
func (s *Store) accept(ctx context.Context, hash string) {
	_ = acceptScript.Run(ctx, s.rdb, []string{s.ks.InvitesIssued(), s.ks.InvitesAccepted()}, hash).Err()
}

// InviteCounts returns the invitations issued and accepted whose counts
// have not expired.
func (s *Store) InviteCounts(ctx context.Context) (InviteCounts, error) {
	issued := s.rdb.SCard(ctx, s.ks.InvitesIssued())
	accepted := s.rdb.SCard(ctx, s.ks.InvitesAccepted())
	if err := issued.Err(); err != nil {
		return InviteCounts{}, fmt.Errorf("invitations issued: %w", err)
	}
	if err := accepted.Err(); err != nil {
		return InviteCounts{}, fmt.Errorf("invitations accepted: %w", err)
	}
	return InviteCounts{Issued: issued.Val(), Accepted: accepted.Val()}, nil
}
