package settings_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/signup/settings"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type fixture struct {
	links  *settings.Links
	store  *subscribers.Store
	clock  *clock
	redis  *redistest.Redis
	prefix string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	r := redistest.New(t)
	c := &clock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: c.Now})
	return &fixture{
		links: settings.New(settings.Options{RDB: r.Client, Prefix: r.Prefix, Nonces: store, Now: c.Now}),
		store: store, clock: c, redis: r, prefix: r.Prefix,
	}
}

func (f *fixture) reader(t *testing.T, chat int64) {
	t.Helper()
	if _, err := f.store.Start(context.Background(), chat, subscribers.Joined{Source: "direct", ChatType: "private"}); err != nil {
		t.Fatal(err)
	}
}

func TestLinkSignedAndChecked(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, chat := range []int64{42, -1001234567890, 9007199254740993} { // a private chat, a supergroup, a large ID
		f.reader(t, chat)
		tok, exp, err := f.links.Issue(ctx, chat)
		if err != nil {
			t.Fatalf("Issue(%d): %v", chat, err)
		}
		if want := f.clock.Now().Add(time.Hour); !exp.Equal(want) {
			t.Errorf("Issue(%d) expires %v; want %v", chat, exp, want)
		}
		if len(tok) > 40 || strings.Trim(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			t.Errorf("token %q: want at most 40 URL-safe characters", tok)
		}
		if got, err := f.links.Check(ctx, tok); got != chat || err != nil {
			t.Errorf("Check(Issue(%d)) = %d, %v", chat, got, err)
		}
	}
	// The key is made once and kept in Redis, where every instance reads it.
	key, err := f.redis.Client.Get(ctx, f.prefix+"settings:key").Result()
	if err != nil || len(key) != 64 {
		t.Errorf("settings:key = %q, %v; want 32 bytes in hex", key, err)
	}
	if ttl := f.redis.Client.TTL(ctx, f.prefix+"settings:key").Val(); ttl > 0 {
		t.Errorf("settings:key expires in %v; want it kept", ttl)
	}
	other := settings.New(settings.Options{RDB: f.redis.Client, Prefix: f.prefix, Nonces: f.store, Now: f.clock.Now})
	tok, _, _ := f.links.Issue(ctx, 42)
	if got, err := other.Check(ctx, tok); got != 42 || err != nil {
		t.Errorf("another instance's Check = %d, %v; want 42", got, err)
	}
}

func TestLinkRefused(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	const chat = 77
	f.reader(t, chat)
	tok, _, err := f.links.Issue(ctx, chat)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	flip := func(i int) string {
		b := append([]byte{}, raw...)
		b[i] ^= 2 // not the sign of a zig-zag varint
		return base64.RawURLEncoding.EncodeToString(b)
	}
	if _, _, err := f.links.Issue(ctx, 78); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("Issue for a stranger = %v; want ErrNotFound", err)
	}
	f.reader(t, 79)
	if _, _, err := f.links.Issue(ctx, 79); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, token string
		want        error
	}{
		{"empty", "", settings.ErrMalformed},
		{"garbage", "not a token!", settings.ErrMalformed},
		{"padded", tok + "=", settings.ErrMalformed},
		{"too long", strings.Repeat("A", 200), settings.ErrMalformed},
		{"cut short", tok[:len(tok)-3], settings.ErrMalformed},
		{"signature changed", flip(len(raw) - 1), settings.ErrForged},
		{"expiry moved", flip(3), settings.ErrForged},
		{"another chat", settings.Format(79, f.clock.Now().Add(time.Hour).Unix(), raw[len(raw)-16:]), settings.ErrForged},
		{"a chat that is no reader", settings.Format(80, f.clock.Now().Add(time.Hour).Unix(), raw[len(raw)-16:]), settings.ErrRevoked},
	} {
		if _, err := f.links.Check(ctx, tt.token); !errors.Is(err, tt.want) {
			t.Errorf("%s: Check(%q) = %v; want %v", tt.name, tt.token, err, tt.want)
		}
	}
	// An hour later, to the second, it is expired.
	f.clock.Add(time.Hour - time.Second)
	if _, err := f.links.Check(ctx, tok); err != nil {
		t.Errorf("Check a second before the hour = %v; want it valid", err)
	}
	f.clock.Add(time.Second)
	if _, err := f.links.Check(ctx, tok); !errors.Is(err, settings.ErrExpired) {
		t.Errorf("Check after an hour = %v; want ErrExpired", err)
	}
}

func TestLinkRevoked(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	const chat = 91
	f.reader(t, chat)
	issue := func() string {
		t.Helper()
		tok, _, err := f.links.Issue(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	first := issue()
	// A second /settings does not refuse the first link: a reader who asked
	// twice may open either.
	second := issue()
	for _, tok := range []string{first, second} {
		if _, err := f.links.Check(ctx, tok); err != nil {
			t.Errorf("Check = %v; want both links valid", err)
		}
	}
	// /stop refuses them, and coming back does not bring them back.
	if _, err := f.store.SetStatus(ctx, chat, subscribers.Stopped, "stop"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Start(ctx, chat, subscribers.Joined{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.links.Check(ctx, first); !errors.Is(err, settings.ErrRevoked) && !errors.Is(err, settings.ErrForged) {
		t.Errorf("Check after /stop and /start = %v; want refused", err)
	}
	third := issue()
	if _, err := f.links.Check(ctx, third); err != nil {
		t.Errorf("a link asked for after coming back: %v", err)
	}
	// /forget refuses every link.
	if err := f.store.Forget(ctx, chat); err != nil {
		t.Fatal(err)
	}
	if _, err := f.links.Check(ctx, third); !errors.Is(err, settings.ErrRevoked) {
		t.Errorf("Check after /forget = %v; want ErrRevoked", err)
	}
	// Coming back after /forget is a new reader: the old link stays refused.
	f.reader(t, chat)
	if _, err := f.links.Check(ctx, third); err == nil {
		t.Error("a link from before /forget works for the reader who came back")
	}
	// Deleting the key refuses every link out there.
	tok := issue()
	if err := f.redis.Client.Del(ctx, f.prefix+"settings:key").Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.links.Check(ctx, tok); !errors.Is(err, settings.ErrForged) {
		t.Errorf("Check after the key was deleted = %v; want ErrForged", err)
	}
}

// Parse accepts exactly what Format writes, and never panics.
func FuzzParse(f *testing.F) {
	mac := make([]byte, 16)
	f.Add(settings.Format(42, 1800000000, mac))
	f.Add(settings.Format(-1001234567890, 1, mac))
	f.Add("")
	f.Add("AQ")
	f.Add(strings.Repeat("_", 40))
	f.Fuzz(func(t *testing.T, tok string) {
		chat, exp, m, err := settings.Parse(tok)
		if err != nil {
			if !errors.Is(err, settings.ErrMalformed) {
				t.Fatalf("Parse(%q) = %v; want ErrMalformed", tok, err)
			}
			return
		}
		if chat == 0 || exp <= 0 || len(m) != 16 {
			t.Fatalf("Parse(%q) = %d, %d, %x", tok, chat, exp, m)
		}
		if again := settings.Format(chat, exp, m); again != tok {
			t.Fatalf("Parse(%q) then Format = %q", tok, again)
		}
		if len(tok) > settings.MaxTokenLen {
			t.Fatalf("Parse(%q) accepted %d characters", tok, len(tok))
		}
	})
}

// Instances that make their first links at once agree on one key: every
// link any of them made is valid everywhere.
func TestKeyMadeOnceByConcurrentInstances(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	const chat = 55
	f.reader(t, chat)
	const n = 8
	toks := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			l := settings.New(settings.Options{RDB: f.redis.Client, Prefix: f.prefix, Nonces: f.store, Now: f.clock.Now})
			toks[i], _, errs[i] = l.Issue(ctx, chat)
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Issue %d: %v", i, errs[i])
		}
		if _, err := f.links.Check(ctx, toks[i]); err != nil {
			t.Errorf("link %d made at the same time as the others: %v", i, err)
		}
	}
}
