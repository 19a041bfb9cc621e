package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"nashra/bot"
	"nashra/bot/ratelimit"
	"nashra/digest/articles"
	"nashra/schedule"
	"nashra/redact"
	"nashra/subscribers"
)

// openRedis connects to NASHRA_REDIS_URL, or starts the in-process store
// for "memory". The returned close function releases either.
func openRedis(ctx context.Context, e *env) (redis.UniversalClient, func(), error) {
	if e.cfg.RedisURL == "memory" {
		m := miniredis.NewMiniRedis()
		if err := m.Start(); err != nil {
			return nil, nil, fmt.Errorf("start the in-memory store: %w", err)
		}
		e.log.Warn("NASHRA_REDIS_URL=memory: readers, follows and articles live in this process only and are LOST when it exits; use Redis for anything but a trial")
		c := redis.NewClient(&redis.Options{Addr: m.Addr()})
		return c, func() { _ = c.Close(); m.Close() }, nil
	}
	var c redis.UniversalClient
	if strings.Contains(e.cfg.RedisURL, "+cluster://") {
		opt, err := redis.ParseClusterURL(strings.Replace(e.cfg.RedisURL, "+cluster", "", 1))
		if err != nil {
			return nil, nil, fmt.Errorf("NASHRA_REDIS_URL: %w", err)
		}
		c = redis.NewClusterClient(opt)
	} else {
		opt, err := redis.ParseURL(e.cfg.RedisURL)
		if err != nil {
			return nil, nil, fmt.Errorf("NASHRA_REDIS_URL: %w", err)
		}
		c = redis.NewClient(opt)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		_ = c.Close()
		return nil, nil, fmt.Errorf("NASHRA_REDIS_URL: redis at %s does not answer: %w", redact.URL(e.cfg.RedisURL), err)
	}
	return c, func() { _ = c.Close() }, nil
}

// runServe is `nashra run`: the bot and the HTTP server, until a signal.
func runServe(ctx context.Context, e *env) error {
	if e.cfg.Token == "" {
		return errors.New("NASHRA_TELEGRAM_TOKEN: required by run (the token @BotFather gave you)")
	}
	rdb, closeRedis, err := openRedis(ctx, e)
	if err != nil {
		return err
	}
	defer closeRedis()
	catalog, err := loadCatalog(e.cfg)
	if err != nil {
		return err
	}
	store := subscribers.New(rdb, subscribers.Options{Prefix: e.cfg.RedisPrefix})
	articleStore := articles.New(rdb, articles.Options{Prefix: e.cfg.RedisPrefix})
	builder := newBuilder(e, store, articleStore)
	snd, err := newSender(e, store, rdb)
	if err != nil {
		return err
	}
	b, err := bot.New(bot.Options{
		Token:           e.cfg.Token,
		Limiter:         ratelimit.New(rdb, e.cfg.RedisPrefix, e.cfg.SendRate, replyHeadroom),
		APIURL:          e.cfg.APIURL,
		Store:           store,
		Catalog:         catalog,
		Admins:          e.cfg.Admins,
		Log:             e.log,
		Digests:         builder,
		DefaultSchedule: e.cfg.DigestSchedule,
		Location:        e.cfg.Location,
		Stats:           bot.StatsConfig{Articles: articleStore, Feeds: e.cfg.Feeds, Delivery: snd.Stats},
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", e.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("NASHRA_HTTP_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	pollLatency := newPollLatency()
	tgCheck, err := telegramCheck(e.cfg.APIURL, e.cfg.Token)
	if err != nil {
		return err
	}
	mux.Handle("GET /metrics", metricsHandler(metricsSources{Store: store, Articles: articleStore, Feeds: e.cfg.Feeds, Sender: snd.Stats, PollLatency: pollLatency}))
	mux.Handle("GET /healthz", healthHandler(healthOptions{Redis: store, Telegram: tgCheck, Articles: articleStore, Feeds: e.cfg.Feeds, MaxPollAge: maxPollAge(e.cfg.PollSchedule, time.Now()), Started: time.Now()}))
	if e.cfg.WebhookURL != "" {
		u, _ := url.Parse(e.cfg.WebhookURL)
		path := u.Path
		if path == "" {
			path = "/"
		}
		mux.Handle("POST "+path, b.WebhookHandler(e.cfg.WebhookSecret))
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	httpDone := make(chan error, 1)
	go func() { httpDone <- srv.Serve(ln) }()
	e.log.Info("nashra started", "http", ln.Addr().String(), "redis", redact.URL(e.cfg.RedisURL), "feeds", len(e.cfg.Feeds), "admins", len(e.cfg.Admins))

	poller, err := newPoller(e, articleStore)
	if err != nil {
		return err
	}
	sched := schedule.New(schedule.Options{RDB: rdb, Prefix: e.cfg.RedisPrefix, Location: e.cfg.Location, Log: e.log, Instance: instanceID(e.cfg.InstanceID, ln.Addr())})
	if err := sched.Add("poll", e.cfg.PollSchedule, func(ctx context.Context) error {
		start := time.Now()
		res, err := poller.Poll(ctx)
		pollLatency.Observe(time.Since(start).Seconds())
		e.log.Info("feeds polled", "new", len(res.Added))
		return err
	}); err != nil {
		return err
	}
	if err := sched.Add("digest", "* * * * *", func(ctx context.Context) error {
		res, err := builder.Run(ctx, false)
		if res.Due > 0 {
			e.log.Info("digests built", "due", res.Due, "queued", res.Queued, "empty", res.Empty, "stale", res.Stale)
		}
		return err
	}); err != nil {
		return err
	}
	if err := sched.Add("trim", "@daily", func(ctx context.Context) error {
		var slugs []string
		for _, t := range catalog.Topics() {
			slugs = append(slugs, t.Slug)
		}
		return articleStore.Trim(ctx, slugs)
	}); err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	schedDone := make(chan struct{})
	go func() { sched.Run(sctx); close(schedDone) }()
	sendDone := make(chan error, 1)
	go func() { sendDone <- snd.Run(sctx) }()
	broadcastsDone := make(chan struct{})
	go func() {
		if err := b.RunBroadcasts(sctx); err != nil && sctx.Err() == nil {
			e.log.Error("broadcasts stopped", "err", err)
		}
		close(broadcastsDone)
	}()

	// Telegram allows one long poller per token: with several instances,
	// the one holding the lease polls and the others stand by. A webhook
	// lets every instance serve.
	var botErr error
	if e.cfg.WebhookURL != "" {
		botErr = b.RunWebhook(ctx, e.cfg.WebhookURL, e.cfg.WebhookSecret)
	} else {
		botErr = sched.Lease(ctx, "updates", pollLeaseTTL, func(ctx context.Context) error {
			err := b.Run(ctx)
			if errors.Is(err, bot.ErrOtherPoller) {
				return fmt.Errorf("%w: %w", schedule.ErrYield, err)
			}
			return err
		})
	}
	if botErr != nil {
		stop()
	}
	<-schedDone
	<-broadcastsDone
	if err := <-sendDone; err != nil && !errors.Is(err, context.Canceled) {
		e.log.Warn("sender stopped", "err", err)
	}

	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		e.log.Warn("http shutdown", "err", err)
	}
	if err := <-httpDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	e.log.Info("nashra stopped")
	if errors.Is(botErr, context.Canceled) {
		return nil
	}
	return botErr
}

// pollLeaseTTL is how long the polling lease outlives its holder's last
// heartbeat (every third of it): how long the bot can be deaf after a
// crash when another instance, or this one under a new identity, takes
// over. The same identity takes it back at once.
const pollLeaseTTL = 10 * time.Second

// replyHeadroom is the share of every limit replies leave unused, as the
// sender's default does (see package ratelimit).
const replyHeadroom = 0.04

// instanceID names this instance to the polling lease: NASHRA_INSTANCE_ID,
// or the host name and the address it listens on, which a restart keeps
// (a container's host name, the same port) while two live processes can
// never share it.
func instanceID(configured string, addr net.Addr) string {
	if configured != "" {
		return configured
	}
	host, _ := os.Hostname()
	return host + "/" + addr.String()
}
