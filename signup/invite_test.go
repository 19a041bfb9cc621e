package signup_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"nashra/signup"
)

var inviteKey = []byte("k3y-for-tests-only-0123456789abcdef")

func TestInviteHashIsKeyedAndNormalised(t *testing.T) {
	h := signup.InviteHash(inviteKey, "Reader@Example.org")
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(h) {
		t.Fatalf("hash %q: want 32 hex digits", h)
	}
	for _, same := range []string{"reader@example.org", "  READER@EXAMPLE.ORG\t", "Reader@example.ORG"} {
		if got := signup.InviteHash(inviteKey, same); got != h {
			t.Errorf("hash of %q = %s; want %s, as for Reader@Example.org", same, got, h)
		}
	}
	if got := signup.InviteHash([]byte("another-key-0123456789abcdef0123"), "Reader@Example.org"); got == h {
		t.Errorf("two keys give the same hash %s", h)
	}
	if got := signup.InviteHash(inviteKey, "other@example.org"); got == h {
		t.Errorf("two addresses give the same hash %s", h)
	}
}

// A campaign's links: one token per subscriber, each carrying the topics
// and the keyed hash; issued counts distinct hashes however often the list
// is run, accepted counts a subscriber once however many of their links
// they open.
func TestInvitesCountedOnce(t *testing.T) {
	s, r := newStore(t, signup.Options{TTL: 60 * 24 * time.Hour})
	ctx := context.Background()
	a, b := signup.InviteHash(inviteKey, "a@example.org"), signup.InviteHash(inviteKey, "b@example.org")
	toks, fresh, err := s.CreateInvites(ctx, []signup.Choice{
		{Topics: []string{"sdf", "raqqa"}, Lang: "ar", Invite: a},
		{Invite: b}, // no group mapped: a plain subscription
	})
	if err != nil || len(toks) != 2 || fresh != 2 {
		t.Fatalf("CreateInvites = %v, %d, %v; want two tokens, two new invitations", toks, fresh, err)
	}
	// The same list again (a second run): new links, no new invitation.
	again, fresh, err := s.CreateInvites(ctx, []signup.Choice{{Topics: []string{"sdf"}, Invite: a}})
	if err != nil || fresh != 0 {
		t.Fatalf("second run: %d new, %v; want none new", fresh, err)
	}
	checkCounts(t, s, 2, 0)

	for _, tok := range append(toks, again...) {
		key := r.Prefix + "signup:t:" + tok
		if ttl, err := r.Client.TTL(ctx, key).Result(); err != nil || ttl < 59*24*time.Hour || ttl > 60*24*time.Hour {
			t.Errorf("TTL of %s = %v, %v; want the campaign's 60 days", key, ttl, err)
		}
	}
	for _, set := range []string{"{invite}:issued"} {
		if ttl, err := r.Client.TTL(ctx, r.Prefix+set).Result(); err != nil || ttl < 89*24*time.Hour || ttl > 90*24*time.Hour {
			t.Errorf("TTL of %s = %v, %v; want 30 days past the links", set, ttl, err)
		}
	}

	got, err := s.Redeem(ctx, toks[0])
	if err != nil || strings.Join(got.Topics, ",") != "sdf,raqqa" || got.Lang != "ar" || got.Invite != a {
		t.Fatalf("Redeem = %+v, %v; want sdf,raqqa in Arabic from invitation %s", got, err, a)
	}
	checkCounts(t, s, 2, 1)
	if _, err := s.Redeem(ctx, toks[0]); !errors.Is(err, signup.ErrUsed) {
		t.Errorf("second Redeem = %v; want ErrUsed", err)
	}
	// Their link from the second run: applied, not counted again.
	if _, err := s.Redeem(ctx, again[0]); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, 2, 1)
	if ttl, err := r.Client.TTL(ctx, r.Prefix+"{invite}:accepted").Result(); err != nil || ttl < 89*24*time.Hour {
		t.Errorf("TTL of the accepted set = %v, %v; want that of the issued set", ttl, err)
	}
	got, err = s.Redeem(ctx, toks[1])
	if err != nil || len(got.Topics) != 0 || got.Invite != b {
		t.Fatalf("Redeem = %+v, %v; want no topics from invitation %s", got, err, b)
	}
	checkCounts(t, s, 2, 2)

	// A page's token carries no invitation and counts none.
	tok, err := s.Create(ctx, signup.Choice{Topics: []string{"isis"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redeem(ctx, tok); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, 2, 2)
}

// An acceptance counts only a hash that was issued: once the issued set
// has expired, a late link is applied but changes no count.
func TestAcceptanceNeedsAnIssuedHash(t *testing.T) {
	s, r := newStore(t, signup.Options{TTL: time.Hour})
	ctx := context.Background()
	toks, _, err := s.CreateInvites(ctx, []signup.Choice{{Invite: signup.InviteHash(inviteKey, "a@example.org")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Client.Del(ctx, r.Prefix+"{invite}:issued").Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redeem(ctx, toks[0]); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, 0, 0)
}

func TestCreateInvitesRefusesABadChoice(t *testing.T) {
	s, _ := newStore(t, signup.Options{})
	ctx := context.Background()
	for _, c := range []signup.Choice{
		{Topics: []string{"Not A Slug"}, Invite: signup.InviteHash(inviteKey, "a@example.org")},
		{Invite: "a@example.org"}, // an address, not a hash: never stored
	} {
		if toks, _, err := s.CreateInvites(ctx, []signup.Choice{c}); err == nil {
			t.Errorf("CreateInvites(%+v) = %v; want an error", c, toks)
		}
	}
}

// Many links at once go in pipelined batches: every one is its own token
// and carries its own choice.
func TestCreateInvitesInBatches(t *testing.T) {
	s, _ := newStore(t, signup.Options{TTL: 24 * time.Hour})
	ctx := context.Background()
	const n = 2500
	choices := make([]signup.Choice, n)
	for i := range choices {
		choices[i] = signup.Choice{Topics: []string{fmt.Sprintf("t%d", i)}, Invite: signup.InviteHash(inviteKey, fmt.Sprintf("r%d@example.org", i))}
	}
	toks, fresh, err := s.CreateInvites(ctx, choices)
	if err != nil || len(toks) != n || fresh != n {
		t.Fatalf("CreateInvites = %d tokens, %d new, %v; want %d", len(toks), fresh, err, n)
	}
	seen := map[string]bool{}
	for _, tok := range toks {
		if seen[tok] {
			t.Fatalf("token %s made twice", tok)
		}
		seen[tok] = true
	}
	for _, i := range []int{0, 999, 1000, 2499} {
		got, err := s.Redeem(ctx, toks[i])
		if err != nil || len(got.Topics) != 1 || got.Topics[0] != fmt.Sprintf("t%d", i) {
			t.Errorf("token %d redeems %+v, %v; want topic t%d", i, got, err, i)
		}
	}
	checkCounts(t, s, n, 4)
}

func checkCounts(t *testing.T, s *signup.Store, issued, accepted int64) {
	t.Helper()
	got, err := s.InviteCounts(context.Background())
	if err != nil || got.Issued != issued || got.Accepted != accepted {
		t.Errorf("InviteCounts = %+v, %v; want %d issued, %d accepted", got, err, issued, accepted)
	}
}

func BenchmarkCreateInvites(b *testing.B) {
	s, _ := newStore(b, signup.Options{TTL: time.Hour})
	ctx := context.Background()
	choices := make([]signup.Choice, 1000)
	for i := range choices {
		choices[i] = signup.Choice{Topics: []string{"sdf", "raqqa"}, Invite: signup.InviteHash(inviteKey, fmt.Sprintf("r%d@example.org", i))}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := s.CreateInvites(ctx, choices); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(choices)), "µs/link")
}
