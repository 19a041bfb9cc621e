package subscribers_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// Words offered as a keyword wait under a short token in the reader's own
// key, for two days, and only for that reader.
func TestOfferKeyword(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	s := storeOn(r, &clock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}, 60)
	const chat, other = 4243, 4244
	// "the Ras al-Ain water station", 27 letters: more than callback data holds.
	words := "محطة مياه علوك في رأس العين"
	tok, err := s.OfferKeyword(ctx, chat, keyword(t, words))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(tok) {
		t.Errorf("token %q; want 12 hex digits", tok)
	}
	// The same words spelt otherwise (tatweel, hamza) are the same offer.
	again, err := s.OfferKeyword(ctx, chat, keyword(t, "محطـة مياه علوك في راس العين"))
	if err != nil || again != tok {
		t.Errorf("the same words again: token %q, %v; want %q", again, err, tok)
	}
	key := r.Prefix + "{r3}:u:4243:o"
	if h, err := r.Client.HGetAll(ctx, key).Result(); err != nil || len(h) != 1 || h[tok] == "" {
		t.Errorf("%s holds %v, %v; want one offer under %s", key, h, err, tok)
	}
	if ttl := r.Client.PTTL(ctx, key).Val(); ttl < subscribers.OfferTTL-time.Minute || ttl > subscribers.OfferTTL {
		t.Errorf("offers expire in %v; want %v", ttl, subscribers.OfferTTL)
	}
	if got, ok, err := s.Offered(ctx, chat, tok); err != nil || !ok || got != "محطـة مياه علوك في راس العين" {
		t.Errorf("Offered = %q, %v, %v; want the words as last typed", got, ok, err)
	}
	if _, ok, err := s.Offered(ctx, other, tok); err != nil || ok {
		t.Errorf("another chat's Offered = %v, %v; want nothing", ok, err)
	}
	if _, err := s.OfferKeyword(ctx, chat, subscribers.TopicFollow("sdf")); err == nil {
		t.Error("a topic offered as a keyword was accepted")
	}
}

// A reader holds at most 20 offers: the 21st drops the others.
func TestOffersAreBounded(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	s := storeOn(r, &clock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}, 60)
	const chat = 4245
	var first string
	for i := range 20 {
		tok, err := s.OfferKeyword(ctx, chat, keyword(t, fmt.Sprintf("كلمة %d", i))) // "word i"
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = tok
		}
	}
	if _, ok, _ := s.Offered(ctx, chat, first); !ok {
		t.Fatal("the first of 20 offers is gone")
	}
	last, err := s.OfferKeyword(ctx, chat, keyword(t, "كلمة أخيرة")) // "a last word"
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Client.HLen(ctx, r.Prefix+"{r5}:u:4245:o").Val(); n != 1 {
		t.Errorf("%d offers after the 21st; want only it", n)
	}
	if _, ok, _ := s.Offered(ctx, chat, last); !ok {
		t.Error("the 21st offer is not kept")
	}
	if _, ok, _ := s.Offered(ctx, chat, first); ok {
		t.Error("the first offer outlived the bound")
	}
}

// An offer lapses after OfferTTL.
func TestOfferLapses(t *testing.T) {
	r := redistest.New(t)
	if r.Mini == nil {
		t.Skip("needs miniredis's clock; real Redis is checked by the TTL in TestOfferKeyword")
	}
	ctx := context.Background()
	s := storeOn(r, &clock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}, 60)
	tok, err := s.OfferKeyword(ctx, 4246, keyword(t, "فرن")) // "bakery"
	if err != nil {
		t.Fatal(err)
	}
	r.Mini.FastForward(subscribers.OfferTTL - time.Second)
	if _, ok, _ := s.Offered(ctx, 4246, tok); !ok {
		t.Fatal("the offer lapsed early")
	}
	r.Mini.FastForward(2 * time.Second)
	if _, ok, _ := s.Offered(ctx, 4246, tok); ok {
		t.Error("the offer outlived OfferTTL")
	}
}
