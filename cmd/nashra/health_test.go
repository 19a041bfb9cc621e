package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/bot/telegramtest"
	"nashra/digest/articles"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func probe(t *testing.T, h http.Handler) (int, healthReport) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	var rep healthReport
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("/healthz content type %q; want application/json", ct)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatalf("/healthz body %q is not JSON: %v", rec.Body.String(), err)
	}
	return rec.Code, rep
}

func TestHealthz(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	c := ownClient(t, r)
	store := subscribers.New(c, subscribers.Options{Prefix: r.Prefix})
	arts := articles.New(c, articles.Options{Prefix: r.Prefix})
	clock := &testClock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	const feed = "https://7al.net/feed/"
	if err := arts.SaveFeedState(ctx, articles.FeedState{URL: feed, LastOK: clock.Now().Add(-10 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		tgCalls int
		tgErr   error
	)
	h := healthHandler(healthOptions{
		Redis: store,
		Telegram: func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			tgCalls++
			return tgErr
		},
		TelegramTTL: time.Minute,
		Articles:    arts, Feeds: []string{feed},
		MaxPollAge: time.Hour,
		Started:    clock.Now().Add(-24 * time.Hour),
		Now:        clock.Now,
	})

	code, rep := probe(t, h)
	if code != http.StatusOK || rep.Status != "ok" || rep.Redis != "ok" || rep.Telegram != "ok" || rep.Poll != "ok" {
		t.Fatalf("healthy: %d %+v; want 200, all ok", code, rep)
	}
	if rep.LastGoodPollAgeSec == nil || *rep.LastGoodPollAgeSec != 600 || len(rep.Feeds) != 1 {
		t.Errorf("healthy report %+v; want the last good poll 600 s ago and one feed", rep)
	}
	probe(t, h)
	if tgCalls != 1 {
		t.Errorf("two probes within the TTL called Telegram %d times; want 1 (cached)", tgCalls)
	}

	t.Run("telegram down", func(t *testing.T) {
		mu.Lock()
		tgErr = errors.New("telegram getMe: connection refused")
		mu.Unlock()
		clock.Advance(2 * time.Minute) // past the TTL
		code, rep := probe(t, h)
		if code != http.StatusServiceUnavailable || rep.Status != "unhealthy" || !strings.Contains(rep.Telegram, "refused") {
			t.Errorf("Telegram down: %d %+v; want 503 naming the Telegram error", code, rep)
		}
		mu.Lock()
		tgErr = nil
		mu.Unlock()
		clock.Advance(-2 * time.Minute)
	})

	t.Run("last good poll too old", func(t *testing.T) {
		clock.Advance(2 * time.Hour)
		defer clock.Advance(-2 * time.Hour)
		code, rep := probe(t, h)
		if code != http.StatusServiceUnavailable || rep.Poll != "too old" || rep.Redis != "ok" || rep.Telegram != "ok" {
			t.Errorf("poll 2h10m old: %d %+v; want 503 with poll too old and the rest ok", code, rep)
		}
	})

	t.Run("redis gone", func(t *testing.T) {
		_ = c.Close()
		code, rep := probe(t, h)
		if code != http.StatusServiceUnavailable || rep.Status != "unhealthy" || rep.Redis == "ok" {
			t.Errorf("Redis gone: %d %+v; want 503 naming the Redis error", code, rep)
		}
	})
}

func TestHealthzBeforeTheFirstPoll(t *testing.T) {
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix})
	clock := &testClock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
	h := healthHandler(healthOptions{
		Redis: store, Articles: arts, Feeds: []string{"https://7al.net/feed/"},
		MaxPollAge: 15 * time.Minute, Started: clock.Now(), Now: clock.Now,
	})
	if code, rep := probe(t, h); code != http.StatusOK || rep.Poll != "pending" || rep.Telegram != "" {
		t.Errorf("just started, never polled: %d %+v; want 200, poll pending, no Telegram check", code, rep)
	}
	clock.Advance(16 * time.Minute)
	if code, rep := probe(t, h); code != http.StatusServiceUnavailable || rep.Poll != "too old" {
		t.Errorf("never polled in 16 min: %d %+v; want 503, poll too old", code, rep)
	}
}

func TestTelegramCheck(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	check, err := telegramCheck(srv.URL(), srv.Token())
	if err != nil {
		t.Fatal(err)
	}
	if err := check(context.Background()); err != nil {
		t.Errorf("getMe against the fake Bot API: %v", err)
	}

	// Nothing listens here: the error must not carry the token.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	const token = "123456:SECRET-token-value"
	check, err = telegramCheck("http://"+addr, token)
	if err != nil {
		t.Fatal(err)
	}
	err = check(context.Background())
	if err == nil {
		t.Fatal("getMe against a closed port succeeded")
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error %q leaks the token", err)
	}
}

func TestMaxPollAge(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	for spec, want := range map[string]time.Duration{
		"@every 5m":    15 * time.Minute,
		"@every 1m":    15 * time.Minute, // the floor
		"*/30 * * * *": 90 * time.Minute,
		"0 * * * *":    3 * time.Hour,
		"not a spec":   time.Hour,
	} {
		if got := maxPollAge(spec, now); got != want {
			t.Errorf("maxPollAge(%q) = %v; want %v", spec, got, want)
		}
	}
}
