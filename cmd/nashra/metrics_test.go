package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/bot/ratelimit"
	"nashra/bot/sender"
	"nashra/digest/articles"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// ownClient is a client of the test's Redis that the test may close to
// make Redis "go away" without disturbing the test's own cleanup.
func ownClient(t *testing.T, r *redistest.Redis) redis.UniversalClient {
	t.Helper()
	if strings.Contains(r.URL, "+cluster://") {
		opt, err := redis.ParseClusterURL(strings.Replace(r.URL, "+cluster", "", 1))
		if err != nil {
			t.Fatal(err)
		}
		return redis.NewClusterClient(opt)
	}
	opt, err := redis.ParseURL(r.URL)
	if err != nil {
		t.Fatal(err)
	}
	return redis.NewClient(opt)
}

func scrape(t *testing.T, h http.Handler) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestMetrics(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	c := ownClient(t, r)
	store := subscribers.New(c, subscribers.Options{Prefix: r.Prefix})
	queue := outbox.New(c, outbox.Options{Prefix: r.Prefix})
	arts := articles.New(c, articles.Options{Prefix: r.Prefix})
	for chat := int64(1); chat <= 4; chat++ {
		if _, err := store.Start(ctx, chat, subscribers.Joined{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.SetStatus(ctx, 4, subscribers.Blocked, "403"); err != nil {
		t.Fatal(err)
	}
	err := queue.Enqueue(ctx,
		outbox.Job{ID: "b:1:1", ChatID: 1, Kind: "broadcast", Text: "x", Priority: outbox.Low},
		outbox.Job{ID: "b:1:2", ChatID: 2, Kind: "broadcast", Text: "x", Priority: outbox.Low},
		outbox.Job{ID: "n:3", ChatID: 3, Kind: "notice", Text: "x", Priority: outbox.High})
	if err != nil {
		t.Fatal(err)
	}
	const broken = "https://example.org/broken.xml"
	okAt := time.Unix(1_790_000_000, 0)
	if err := arts.SaveFeedState(ctx, articles.FeedState{URL: "https://7al.net/feed/", LastOK: okAt}); err != nil {
		t.Fatal(err)
	}
	if err := arts.SaveFeedState(ctx, articles.FeedState{URL: broken, Failures: 4, LastError: "500"}); err != nil {
		t.Fatal(err)
	}
	poll := newPollLatency()
	poll.Observe(1.5)
	poll.Observe(30)
	h := metricsHandler(metricsSources{
		Store: store, Outbox: queue, Articles: arts, Feeds: []string{"https://7al.net/feed/", broken},
		Sender: func() sender.Stats {
			return sender.Stats{Sent: 12, Failed: 2, Blocked: 1, Unknown: 3, Throttled429: 5, Retried: 6, Systemic: 7, Outage: true}
		},
		PollLatency: poll,
	})

	code, body := scrape(t, h)
	if code != http.StatusOK {
		t.Fatalf("/metrics answered %d:\n%s", code, body)
	}
	for _, want := range []string{
		`nashra_messages_total{result="sent"} 12`,
		`nashra_messages_total{result="failed"} 2`,
		`nashra_messages_total{result="blocked"} 1`,
		`nashra_messages_total{result="unknown"} 3`,
		`nashra_telegram_throttled_total 5`,
		`nashra_send_retries_total 6`,
		`nashra_telegram_systemic_errors_total 7`,
		`nashra_telegram_outage 1`,
		`nashra_queue_depth{priority="hi"} 1`,
		`nashra_queue_depth{priority="lo"} 2`,
		`nashra_readers{status="active"} 3`,
		`nashra_readers{status="blocked"} 1`,
		`nashra_readers{status="paused"} 0`,
		`nashra_feed_failures{feed="https://example.org/broken.xml"} 4`,
		`nashra_feed_failures{feed="https://7al.net/feed/"} 0`,
		`nashra_feed_last_success_timestamp_seconds{feed="https://7al.net/feed/"} 1.79e+09`,
		`nashra_poll_duration_seconds_count 2`,
		`nashra_poll_duration_seconds_bucket{le="2.5"} 1`,
		`nashra_poll_duration_seconds_sum 31.5`,
		`nashra_redis_up 1`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !strings.Contains(body, "\ngo_goroutines ") {
		t.Errorf("/metrics lacks the Go runtime metrics")
	}

	// Redis gone: the sender's counters and the poll histogram are still
	// served, with nashra_redis_up 0.
	_ = c.Close()
	code, body = scrape(t, h)
	if code != http.StatusOK {
		t.Fatalf("/metrics without Redis answered %d:\n%s", code, body)
	}
	for _, want := range []string{`nashra_redis_up 0`, `nashra_messages_total{result="sent"} 12`, `nashra_poll_duration_seconds_count 2`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics without Redis lacks %q", want)
		}
	}
	if strings.Contains(body, "nashra_readers{") {
		t.Errorf("/metrics without Redis still reports readers:\n%s", body)
	}
}

// /metrics shows the Stars paid broadcasts spent today, shared by every
// instance, the budget, and what paid sending is doing.
func TestMetricsPaidBroadcasts(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	// 3 Stars a day: 30 paid messages, taken by bulk sends at 100/s in all.
	lim := ratelimit.New(r.Client, r.Prefix, 5, 0).WithPaid(paidOf(Config{PaidRate: 100, PaidStarsPerDay: 3}))
	paid := 0
	for paid < 30 {
		p, wait, err := lim.TakeBulk(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p {
			paid++
		}
		time.Sleep(wait)
	}
	h := metricsHandler(metricsSources{
		Store: store, Outbox: queue, Paid: lim.PaidStatus,
		Sender: func() sender.Stats { return sender.Stats{Sent: 40, Paid: 30, NoStars: 2} },
	})
	_, body := scrape(t, h)
	for _, want := range []string{
		`nashra_paid_stars_spent{days_ago="0"} 3`,
		`nashra_paid_stars_spent{days_ago="1"} 0`,
		`nashra_paid_stars_spent{days_ago="6"} 0`,
		`nashra_paid_stars_budget 3`,
		`nashra_paid_state{state="budget"} 1`,
		`nashra_paid_state{state="on"} 0`,
		`nashra_paid_messages_total 30`,
		`nashra_paid_balance_refusals_total 2`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if _, err := lim.HoldPaid(ctx); err != nil {
		t.Fatal(err)
	}
	if _, body = scrape(t, h); !strings.Contains(body, `nashra_paid_state{state="balance"} 1`+"\n") {
		t.Errorf("held for the balance: /metrics lacks nashra_paid_state{state=\"balance\"} 1")
	}
	// Without paid broadcasts configured, what was spent is still shown.
	off := ratelimit.New(r.Client, r.Prefix, 5, 0)
	_, body = scrape(t, metricsHandler(metricsSources{Store: store, Outbox: queue, Paid: off.PaidStatus}))
	for _, want := range []string{`nashra_paid_state{state="off"} 1`, `nashra_paid_stars_spent{days_ago="0"} 3`, `nashra_paid_stars_budget 0`} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("paid broadcasts off: /metrics lacks %q", want)
		}
	}
}
