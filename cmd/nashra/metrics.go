package main

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"nashra/bot/ratelimit"
	"nashra/bot/sender"
	"nashra/digest/articles"
	"nashra/outbox"
	"nashra/redact"
	"nashra/signup"
	"nashra/subscribers"
)

// metricsSources is what /metrics reads. Only Store and Outbox are
// required; a nil source leaves its metrics out.
type metricsSources struct {
	Store    *subscribers.Store
	Outbox   *outbox.Store
	Articles *articles.Store
	Feeds    []string
	// Sender returns this instance's send counters (sender.Sender.Stats).
	Sender func() sender.Stats
	// PollLatency is observed by the poll job (see newPollLatency).
	PollLatency prometheus.Histogram
	// Invites counts the email list's invitations
	// (signup.Store.InviteCounts).
	Invites func(context.Context) (signup.InviteCounts, error)
	// Paid reads paid broadcasts' state and the Stars spent over the last
	// days (sender.Sender.PaidStatus).
	Paid func(ctx context.Context, days int) (ratelimit.PaidStatus, error)
}

// paidDays is how many days of Stars spent /metrics shows (days_ago 0-6).
const paidDays = 7

// newPollLatency is the histogram of how long one poll of every feed
// takes; the poll job observes it and metricsHandler exposes it.
func newPollLatency() prometheus.Histogram {
	return prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "nashra_poll_duration_seconds",
		Help:    "Time taken by one poll of every feed.",
		Buckets: []float64{0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160},
	})
}

// metricsHandler serves Prometheus metrics: the Go runtime's, the build,
// the poll latency, and what a scrape reads from Redis and the sender at
// that moment (readers, queue, feeds, messages).
func metricsHandler(src metricsSources) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&stateCollector{src: src},
		buildInfoGauge(currentBuild()),
	)
	if src.PollLatency != nil {
		reg.MustRegister(src.PollLatency)
	}
	// A scrape during a Redis outage still gets the sender's counters and
	// nashra_redis_up 0 instead of a bare 500.
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

var (
	descMessages = prometheus.NewDesc("nashra_messages_total",
		"Messages this instance's sender finished, by result.", []string{"result"}, nil)
	descThrottled = prometheus.NewDesc("nashra_telegram_throttled_total",
		"429 Too Many Requests answers this instance's sender received.", nil, nil)
	descRetried = prometheus.NewDesc("nashra_send_retries_total",
		"Messages Telegram refused that this instance queued again with a backoff.", nil, nil)
	descSystemic = prometheus.NewDesc("nashra_telegram_systemic_errors_total",
		"Calls this instance's sender saw fail because Telegram or the network did (5xx, refused, unreachable); never counted against a message.", nil, nil)
	descOutage = prometheus.NewDesc("nashra_telegram_outage",
		"1 while this instance's last call to Telegram failed for systemic reasons: every sender is paused.", nil, nil)
	descQueue = prometheus.NewDesc("nashra_queue_depth",
		"Jobs waiting or under way in the outbox, by priority (hi: digests and replies, lo: broadcasts).", []string{"priority"}, nil)
	descReaders = prometheus.NewDesc("nashra_readers",
		"Readers by status.", []string{"status"}, nil)
	descFeedFailures = prometheus.NewDesc("nashra_feed_failures",
		"Consecutive failed polls of a feed (0 when the last poll succeeded).", []string{"feed"}, nil)
	descFeedLastOK = prometheus.NewDesc("nashra_feed_last_success_timestamp_seconds",
		"Unix time of a feed's last successful poll (0 when never).", []string{"feed"}, nil)
	descInvitesIssued = prometheus.NewDesc("nashra_invites_issued",
		"Email subscribers nashra invite made a personal link for (distinct addresses, counted by keyed hash; kept 30 days past the links).", nil, nil)
	descInvitesAccepted = prometheus.NewDesc("nashra_invites_accepted",
		"Invited email subscribers whose link a chat opened in the bot (each counted once).", nil, nil)
	descPaidSent = prometheus.NewDesc("nashra_paid_messages_total",
		"Messages this instance's sender delivered as paid broadcasts (allow_paid_broadcast, 0.1 Star each).", nil, nil)
	descNoStars = prometheus.NewDesc("nashra_paid_balance_refusals_total",
		"Paid messages Telegram refused to this instance's sender because the Stars balance was too low (each sent again unpaid).", nil, nil)
	descPaidStars = prometheus.NewDesc("nashra_paid_stars_spent",
		"Telegram Stars spent on paid broadcasts by every instance, by UTC day: days_ago 0 is today.", []string{"days_ago"}, nil)
	descPaidBudget = prometheus.NewDesc("nashra_paid_stars_budget",
		"Telegram Stars paid broadcasts may spend a UTC day (NASHRA_PAID_STARS_PER_DAY; 0 when off).", nil, nil)
	descPaidState = prometheus.NewDesc("nashra_paid_state",
		"1 for what paid broadcasts are doing: off, on, budget (today's Stars are spent) or balance (Telegram said the balance is too low).", []string{"state"}, nil)
	descRedisUp = prometheus.NewDesc("nashra_redis_up",
		"1 when Redis answered this scrape's reads.", nil, nil)
)

// stateCollector reads the current state at each scrape, so every
// instance reports the same shared numbers for Redis-backed metrics and
// its own for the sender's.
type stateCollector struct {
	src metricsSources
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descMessages, descThrottled, descRetried, descSystemic, descOutage, descQueue,
		descReaders, descFeedFailures, descFeedLastOK, descInvitesIssued, descInvitesAccepted,
		descPaidSent, descNoStars, descPaidStars, descPaidBudget, descPaidState, descRedisUp} {
		ch <- d
	}
}

// scrapeTimeout bounds the Redis reads of one scrape; Collect is given no
// context, and Prometheus' own timeout is 10 s by default.
const scrapeTimeout = 5 * time.Second

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	if c.src.Sender != nil {
		st := c.src.Sender()
		for result, n := range map[string]int64{"sent": st.Sent, "failed": st.Failed, "blocked": st.Blocked, "unknown": st.Unknown} {
			ch <- prometheus.MustNewConstMetric(descMessages, prometheus.CounterValue, float64(n), result)
		}
		ch <- prometheus.MustNewConstMetric(descThrottled, prometheus.CounterValue, float64(st.Throttled429))
		ch <- prometheus.MustNewConstMetric(descRetried, prometheus.CounterValue, float64(st.Retried))
		ch <- prometheus.MustNewConstMetric(descSystemic, prometheus.CounterValue, float64(st.Systemic))
		outage := 0.0
		if st.Outage {
			outage = 1
		}
		ch <- prometheus.MustNewConstMetric(descOutage, prometheus.GaugeValue, outage)
		ch <- prometheus.MustNewConstMetric(descPaidSent, prometheus.CounterValue, float64(st.Paid))
		ch <- prometheus.MustNewConstMetric(descNoStars, prometheus.CounterValue, float64(st.NoStars))
	}

	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	up := 1.0
	fail := func(d *prometheus.Desc, err error) {
		up = 0
		ch <- prometheus.NewInvalidMetric(d, err)
	}
	if counts, err := c.src.Store.Counts(ctx); err != nil {
		fail(descReaders, err)
	} else {
		for st, n := range counts {
			ch <- prometheus.MustNewConstMetric(descReaders, prometheus.GaugeValue, float64(n), string(st))
		}
	}
	if hi, lo, err := c.src.Outbox.QueueDepth(ctx); err != nil {
		fail(descQueue, err)
	} else {
		ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(hi), "hi")
		ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(lo), "lo")
	}
	if c.src.Articles != nil && len(c.src.Feeds) > 0 {
		if states, err := c.src.Articles.FeedStates(ctx, c.src.Feeds); err != nil {
			fail(descFeedFailures, err)
		} else {
			for _, f := range states {
				feed := redact.URL(f.URL) // a feed URL may carry credentials
				ch <- prometheus.MustNewConstMetric(descFeedFailures, prometheus.GaugeValue, float64(f.Failures), feed)
				last := 0.0
				if !f.LastOK.IsZero() {
					last = float64(f.LastOK.Unix())
				}
				ch <- prometheus.MustNewConstMetric(descFeedLastOK, prometheus.GaugeValue, last, feed)
			}
		}
	}
	if c.src.Invites != nil {
		if inv, err := c.src.Invites(ctx); err != nil {
			fail(descInvitesIssued, err)
		} else {
			ch <- prometheus.MustNewConstMetric(descInvitesIssued, prometheus.GaugeValue, float64(inv.Issued))
			ch <- prometheus.MustNewConstMetric(descInvitesAccepted, prometheus.GaugeValue, float64(inv.Accepted))
		}
	}
	if c.src.Paid != nil {
		if st, err := c.src.Paid(ctx, paidDays); err != nil {
			fail(descPaidStars, err)
		} else {
			for i, d := range st.Days {
				ch <- prometheus.MustNewConstMetric(descPaidStars, prometheus.GaugeValue, d.Stars(), strconv.Itoa(len(st.Days)-1-i))
			}
			ch <- prometheus.MustNewConstMetric(descPaidBudget, prometheus.GaugeValue, float64(st.PerDay)/ratelimit.MessagesPerStar)
			for _, s := range ratelimit.PaidStates {
				v := 0.0
				if s == st.State {
					v = 1
				}
				ch <- prometheus.MustNewConstMetric(descPaidState, prometheus.GaugeValue, v, string(s))
			}
		}
	}
	ch <- prometheus.MustNewConstMetric(descRedisUp, prometheus.GaugeValue, up)
}
