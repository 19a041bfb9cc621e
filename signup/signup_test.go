package signup_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/signup"
	"nashra/subscribers/redistest"
)

func newStore(t testing.TB, opt signup.Options) (*signup.Store, *redistest.Redis) {
	t.Helper()
	r := redistest.New(t)
	opt.Prefix = r.Prefix
	return signup.New(r.Client, opt), r
}

func TestTokenCarriesTheChoiceOnce(t *testing.T) {
	s, r := newStore(t, signup.Options{})
	ctx := context.Background()
	want := signup.Choice{Topics: []string{"sdf", "raqqa"}, Schedule: "0 7 * * *", Lang: "en"}
	tok, err := s.Create(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	if !signup.ValidToken(tok) || len(tok) != signup.TokenLen {
		t.Fatalf("token %q: want %d of a-z2-7", tok, signup.TokenLen)
	}
	key := r.Prefix + "signup:t:" + tok
	ttl, err := r.Client.TTL(ctx, key).Result()
	if err != nil || ttl < 29*24*time.Hour || ttl > 30*24*time.Hour {
		t.Errorf("TTL of %s = %v, %v; want 30 days", key, ttl, err)
	}

	got, err := s.Redeem(ctx, tok)
	if err != nil || !equal(got, want) {
		t.Fatalf("Redeem = %+v, %v; want %+v", got, err, want)
	}
	// Used: whoever sends it again (a second tap, a shared link) is told so.
	if _, err := s.Redeem(ctx, tok); !errors.Is(err, signup.ErrUsed) {
		t.Errorf("second Redeem = %v; want ErrUsed", err)
	}
	// Once redeemed, the page can no longer change it.
	if ok, err := s.Update(ctx, tok, signup.Choice{Topics: []string{"isis"}}); ok || err != nil {
		t.Errorf("Update after Redeem = %v, %v; want false", ok, err)
	}
	// The used token keeps nothing of the choice, and no chat ID: the
	// choice now lives in the reader's record, which /forget deletes.
	h, err := r.Client.HGetAll(ctx, key).Result()
	if err != nil || len(h) != 1 || h["used"] != "1" {
		t.Errorf("a used token holds %v, %v; want only used=1", h, err)
	}
	if ttl, err := r.Client.TTL(ctx, key).Result(); err != nil || ttl < 29*24*time.Hour {
		t.Errorf("a used token's TTL = %v, %v; want its 30 days kept", ttl, err)
	}
}

func TestForgedAndExpiredTokens(t *testing.T) {
	s, r := newStore(t, signup.Options{TTL: 2 * time.Second})
	ctx := context.Background()
	for _, tok := range []string{"aaaaaaaaaaaaaaaa", "abc", "", "AAAAAAAAAAAAAAAA", "aaaaaaaaaaaaaaa!"} {
		if _, err := s.Redeem(ctx, tok); !errors.Is(err, signup.ErrUnknown) {
			t.Errorf("Redeem(%q) = %v; want ErrUnknown", tok, err)
		}
	}
	tok, err := s.Create(ctx, signup.Choice{Topics: []string{"sdf"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Mini != nil {
		r.Mini.FastForward(3 * time.Second)
	} else {
		time.Sleep(2100 * time.Millisecond)
	}
	if _, err := s.Redeem(ctx, tok); !errors.Is(err, signup.ErrUnknown) {
		t.Errorf("Redeem of an expired token = %v; want ErrUnknown", err)
	}
	if ok, err := s.Update(ctx, tok, signup.Choice{}); ok || err != nil {
		t.Errorf("Update of an expired token = %v, %v; want false", ok, err)
	}
	if keys := r.Keys(t); len(keys) != 0 {
		t.Errorf("an expired token left %v", keys)
	}
}

func TestUpdateBeforeRedeem(t *testing.T) {
	s, _ := newStore(t, signup.Options{})
	ctx := context.Background()
	tok, err := s.Create(ctx, signup.Choice{Topics: []string{"sdf"}})
	if err != nil {
		t.Fatal(err)
	}
	want := signup.Choice{Topics: []string{"isis"}, Schedule: "instant", Lang: "ar"}
	if ok, err := s.Update(ctx, tok, want); !ok || err != nil {
		t.Fatalf("Update = %v, %v; want true", ok, err)
	}
	if got, err := s.Redeem(ctx, tok); err != nil || !equal(got, want) {
		t.Errorf("Redeem after Update = %+v, %v; want %+v", got, err, want)
	}
}

func TestChoiceIsChecked(t *testing.T) {
	s, r := newStore(t, signup.Options{})
	ctx := context.Background()
	bad := []signup.Choice{
		{Topics: []string{"SDF"}},
		{Topics: []string{"a,b"}},
		{Topics: []string{strings.Repeat("a", 33)}},
		{Topics: make([]string, signup.MaxTopics+1)},
		{Schedule: strings.Repeat("1", 65)},
		{Lang: "fr"},
	}
	for _, c := range bad {
		if _, err := s.Create(ctx, c); err == nil {
			t.Errorf("Create(%+v) took it; want an error", c)
		}
	}
	if keys := r.Keys(t); len(keys) != 0 {
		t.Errorf("refused choices left %v", keys)
	}
}

// Chats redeeming one token at once: exactly one gets the choice.
func TestRedeemRace(t *testing.T) {
	s, _ := newStore(t, signup.Options{})
	ctx := context.Background()
	tok, err := s.Create(ctx, signup.Choice{Topics: []string{"sdf"}})
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { _, errs[i] = s.Redeem(ctx, tok) })
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, signup.ErrUsed):
			t.Errorf("chat %d: %v; want nil or ErrUsed", 100+i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d chats redeemed one token; want 1", won)
	}
}

func TestRateLimitPerClient(t *testing.T) {
	s, r := newStore(t, signup.Options{Rate: 3, Window: time.Minute})
	ctx := context.Background()
	for i := range 3 {
		if ok, err := s.Allow(ctx, "203.0.113.7"); !ok || err != nil {
			t.Fatalf("token %d of 3 from one address: %v, %v; want allowed", i+1, ok, err)
		}
	}
	if ok, err := s.Allow(ctx, "203.0.113.7"); ok || err != nil {
		t.Errorf("a 4th token within the window = %v, %v; want refused", ok, err)
	}
	if ok, _ := s.Allow(ctx, "203.0.113.8"); !ok {
		t.Errorf("another address is refused; want its own budget")
	}
	ttl, err := r.Client.TTL(ctx, r.Prefix+"signup:rate:203.0.113.7").Result()
	if err != nil || ttl <= 0 || ttl > time.Minute {
		t.Errorf("rate counter TTL = %v, %v; want within the window", ttl, err)
	}
}

// ClientKey buckets an IPv6 client by its /64, which one subscriber holds
// whole, and leaves IPv4 as it is.
func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":               "203.0.113.7",
		"2001:db8:1:2:3:4:5:6":      "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":      "2001:db8:1:2::/64",
		"::ffff:203.0.113.7":        "203.0.113.7",
		"not an address":            "not an address",
		"2001:db8:1:2:3:4:5:6%eth0": "2001:db8:1:2::/64",
		"":                          "",
	} {
		if got := signup.ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestPayload(t *testing.T) {
	tok := strings.Repeat("z", signup.TokenLen)
	long := strings.Repeat("s", signup.MaxSourceLen)
	for _, tt := range []struct{ source, token, want string }{
		{"site-footer", tok, "site-footer_tk-" + tok},
		{"site-footer", "", "site-footer"},
		{long, tok, long + "_tk-" + tok},
	} {
		got := signup.Payload(tt.source, tt.token)
		if got != tt.want || len(got) > 64 {
			t.Errorf("Payload(%q, %q) = %q; want %q, at most 64 characters", tt.source, tt.token, got, tt.want)
		}
		if token, ok := signup.TokenOf(got); ok != (tt.token != "") || token != tt.token {
			t.Errorf("TokenOf(%q) = %q, %v; want %q", got, token, ok, tt.token)
		}
	}
	for _, s := range []string{"site-footer", "a", "web-2"} {
		if err := signup.CheckSource(s); err != nil {
			t.Errorf("CheckSource(%q) = %v; want nil", s, err)
		}
	}
	for _, s := range []string{"", "Site", "follow-sdf", "tk-x", "a_b", "a b", long + "s", "<script>"} {
		if err := signup.CheckSource(s); err == nil {
			t.Errorf("CheckSource(%q) = nil; want an error", s)
		}
	}
}

func equal(a, b signup.Choice) bool {
	return slices.Equal(a.Topics, b.Topics) && a.Schedule == b.Schedule && a.Lang == b.Lang
}
