package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/robfig/cron/v3"

	"nashra/digest/articles"
	"nashra/redact"
)

// healthOptions is what /healthz checks. Redis is required; a nil
// Telegram or Articles skips that check.
type healthOptions struct {
	Redis interface {
		Ping(ctx context.Context) error
	}
	// Telegram reports whether the Bot API answers (telegramCheck). Its
	// result is kept for TelegramTTL, so frequent probes cost one call.
	Telegram    func(ctx context.Context) error
	TelegramTTL time.Duration // 1 min when zero
	// Articles and Feeds give the last good poll: the newest successful
	// fetch of any feed. It must be younger than MaxPollAge (maxPollAge).
	Articles   *articles.Store
	Feeds      []string
	MaxPollAge time.Duration // 1 h when zero
	// Started is when the process started: before the first good poll
	// the instance counts as healthy for MaxPollAge.
	Started time.Time
	Now     func() time.Time
	// Timeout bounds each check; 3 s when zero.
	Timeout time.Duration
}

// healthReport is the JSON body of /healthz.
type healthReport struct {
	Status   string `json:"status"` // ok or unhealthy
	Redis    string `json:"redis"`
	Telegram string `json:"telegram,omitempty"`
	// Poll is ok, pending (no good poll yet, within the grace period),
	// too old, or the error reading the feed states.
	Poll               string       `json:"poll,omitempty"`
	LastGoodPoll       *time.Time   `json:"last_good_poll,omitempty"`
	LastGoodPollAgeSec *float64     `json:"last_good_poll_age_seconds,omitempty"`
	MaxPollAgeSec      float64      `json:"max_poll_age_seconds,omitempty"`
	Feeds              []feedHealth `json:"feeds,omitempty"`
}

type feedHealth struct {
	URL       string     `json:"url"`
	LastOK    *time.Time `json:"last_ok,omitempty"`
	Failures  int        `json:"failures"`
	LastError string     `json:"last_error,omitempty"`
}

// healthHandler answers 200 with a JSON report when Redis and Telegram
// answer and the feeds were polled recently, 503 with the same report
// otherwise.
func healthHandler(o healthOptions) http.Handler {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Started.IsZero() {
		o.Started = o.Now()
	}
	if o.TelegramTTL <= 0 {
		o.TelegramTTL = time.Minute
	}
	if o.MaxPollAge <= 0 {
		o.MaxPollAge = time.Hour
	}
	if o.Timeout <= 0 {
		o.Timeout = 3 * time.Second
	}
	tgCheck := &cachedCheck{check: o.Telegram, ttl: o.TelegramTTL, now: o.Now}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), o.Timeout)
		defer cancel()
		rep := healthReport{Status: "ok", Redis: "ok"}
		healthy := true
		if err := o.Redis.Ping(ctx); err != nil {
			rep.Redis, healthy = redact.Text(err.Error()), false
		}
		if o.Telegram != nil {
			rep.Telegram = "ok"
			if err := tgCheck.run(ctx); err != nil {
				rep.Telegram, healthy = err.Error(), false
			}
		}
		if o.Articles != nil && len(o.Feeds) > 0 && rep.Redis == "ok" {
			if !pollHealth(ctx, o, &rep) {
				healthy = false
			}
		}
		code := http.StatusOK
		if !healthy {
			rep.Status, code = "unhealthy", http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(rep)
	})
}

// pollHealth fills in the feeds and reports whether the last good poll is
// recent enough.
func pollHealth(ctx context.Context, o healthOptions, rep *healthReport) bool {
	states, err := o.Articles.FeedStates(ctx, o.Feeds)
	if err != nil {
		rep.Poll = redact.Text(err.Error())
		return false
	}
	now := o.Now()
	var last time.Time
	for _, f := range states {
		// A feed URL may carry credentials; so may an error that repeats it.
		fh := feedHealth{URL: redact.URL(f.URL), Failures: f.Failures, LastError: redact.Text(f.LastError)}
		if !f.LastOK.IsZero() {
			t := f.LastOK.UTC()
			fh.LastOK = &t
			if t.After(last) {
				last = t
			}
		}
		rep.Feeds = append(rep.Feeds, fh)
	}
	rep.MaxPollAgeSec = o.MaxPollAge.Seconds()
	if last.IsZero() {
		if now.Sub(o.Started) < o.MaxPollAge {
			rep.Poll = "pending"
			return true
		}
		rep.Poll = "too old"
		return false
	}
	age := now.Sub(last)
	ageSec := age.Round(time.Second).Seconds()
	rep.LastGoodPoll, rep.LastGoodPollAgeSec = &last, &ageSec
	if age > o.MaxPollAge {
		rep.Poll = "too old"
		return false
	}
	rep.Poll = "ok"
	return true
}

// cachedCheck runs check at most once per ttl; callers in between get the
// last result. Probes that arrive during a check wait for it.
type cachedCheck struct {
	check func(ctx context.Context) error
	ttl   time.Duration
	now   func() time.Time

	mu   sync.Mutex
	at   time.Time
	last error
}

func (c *cachedCheck) run(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && c.now().Sub(c.at) < c.ttl {
		return c.last
	}
	c.last = c.check(ctx)
	// A probe cancelled by its own caller says nothing about Telegram.
	if !errors.Is(ctx.Err(), context.Canceled) {
		c.at = c.now()
	}
	return c.last
}

// telegramCheck returns a check that Telegram answers getMe for token,
// with its own short-timeout client. Errors never contain the token.
func telegramCheck(apiURL, token string) (func(ctx context.Context) error, error) {
	opts := []tg.Option{
		tg.WithSkipGetMe(),
		tg.WithHTTPClient(5*time.Second, &http.Client{Timeout: 5 * time.Second}),
	}
	if apiURL != "" {
		opts = append(opts, tg.WithServerURL(apiURL))
	}
	api, err := tg.New(token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram health check: %w", err)
	}
	return func(ctx context.Context) error {
		if _, err := api.GetMe(ctx); err != nil {
			msg := err.Error()
			if token != "" {
				msg = strings.ReplaceAll(msg, token, "<token>")
			}
			return fmt.Errorf("telegram getMe: %s", msg)
		}
		return nil
	}, nil
}

// maxPollAge is how old the last good poll may be for a poll schedule:
// three poll intervals, and never less than 15 minutes, so that a site
// down for a few polls does not make the instance look broken.
func maxPollAge(spec string, now time.Time) time.Duration {
	const floor = 15 * time.Minute
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return time.Hour
	}
	a := sched.Next(now)
	b := sched.Next(a)
	return max(3*b.Sub(a), floor)
}
