package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"nashra/bot"
	"nashra/bot/inbox"
	"nashra/bot/ratelimit"
	"nashra/bot/sender"
	"nashra/broadcasts"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/redact"
	"nashra/schedule"
	"nashra/signup"
	"nashra/signup/page"
	settingslink "nashra/signup/settings"
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
// Everything is built before the port is bound and anything starts, so a
// mistake found while building leaves nothing behind; then every part runs
// under one supervisor (see server.run).
func runServe(ctx context.Context, e *env) error {
	if e.cfg.Token == "" {
		return errors.New("NASHRA_TELEGRAM_TOKEN: required by run (the token @BotFather gave you)")
	}
	catalog, err := loadCatalog(e.cfg)
	if err != nil {
		return err
	}
	rdb, closeRedis, err := openRedis(ctx, e)
	if err != nil {
		return err
	}
	defer closeRedis()
	s, err := newServer(e, rdb, catalog)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", e.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("NASHRA_HTTP_ADDR: %w", err)
	}
	return s.run(ctx, ln)
}

// server is `nashra run` built and not yet started: nothing in it has a
// goroutine or a socket of its own until run.
type server struct {
	e      *env
	rdb    redis.UniversalClient
	bot    *bot.Bot
	sender *sender.Sender
	http   *http.Server
	live   *liveness
	jobs   []job
}

// job is a periodic task for the scheduler; atStart ones also run as the
// scheduler starts (schedule.AddAtStart). A shared one runs in every
// instance at each tick, each taking the parts of the tick it claims
// first (schedule.AddShared).
type job struct {
	name, spec string
	atStart    bool
	run        func(ctx context.Context) error
	shared     func(ctx context.Context, claim func(ctx context.Context, part string) (bool, error)) error
}

// newServer builds every part of `nashra run` on rdb, with the topic
// catalog loaded once by the caller.
func newServer(e *env, rdb redis.UniversalClient, catalog *topics.Catalog) (*server, error) {
	store := subscribers.New(rdb, subscribers.Options{Prefix: e.cfg.RedisPrefix})
	outboxStore := outbox.New(rdb, outbox.Options{Prefix: e.cfg.RedisPrefix})
	broadcastStore := broadcasts.New(rdb, broadcasts.Options{Prefix: e.cfg.RedisPrefix})
	inboxStore := inbox.New(rdb, inbox.Options{Prefix: e.cfg.RedisPrefix})
	articleStore := articles.New(rdb, articles.Options{Prefix: e.cfg.RedisPrefix})
	signups := signup.New(rdb, signup.Options{Prefix: e.cfg.RedisPrefix, Rate: e.cfg.SignupRate})
	// The preference page's links are signed with a key kept in Redis,
	// shared by every instance (package signup/settings).
	links := settingslink.New(settingslink.Options{RDB: rdb, Prefix: e.cfg.RedisPrefix, Nonces: store})
	settingsURL := ""
	if e.cfg.PublicURL != "" {
		settingsURL = e.cfg.PublicURL + "/settings"
	}
	builder := newBuilder(e, store, outboxStore, articleStore, catalog)
	after := newAfterPoll(e, store, outboxStore, builder)
	snd, err := newSender(e, store, outboxStore, rdb)
	if err != nil {
		return nil, err
	}
	b, err := bot.New(bot.Options{
		Token:           e.cfg.Token,
		Limiter:         ratelimit.New(rdb, e.cfg.RedisPrefix, e.cfg.SendRate, replyHeadroom).WithPaid(paidOf(e.cfg)),
		APIURL:          e.cfg.APIURL,
		Store:           store,
		Outbox:          outboxStore,
		Broadcasts:      broadcastStore,
		Inbox:           inboxStore,
		Signups:         signups,
		Settings:        links,
		SettingsURL:     settingsURL,
		Catalog:         catalog,
		Admins:          e.cfg.Admins,
		Log:             e.log,
		Digests:         builder,
		DefaultSchedule: e.cfg.DigestSchedule,
		Location:        e.cfg.Location,
		BreakingCap:     e.cfg.BreakingCap,
		Stats:           bot.StatsConfig{Articles: articleStore, Feeds: e.cfg.Feeds, Delivery: snd.Stats, Invites: signups.InviteCounts, Paid: snd.PaidStatus},
	})
	if err != nil {
		return nil, err
	}
	poller := newPoller(e, articleStore, catalog)
	pollLatency := newPollLatency()
	tgCheck, err := telegramCheck(e.cfg.APIURL, e.cfg.Token)
	if err != nil {
		return nil, err
	}
	signupPage, err := page.New(page.Options{
		Tokens:          signups,
		Catalog:         catalog,
		BotName:         newBotNameCache(e.cfg).get,
		Site:            page.Site{Name: e.cfg.SiteName, LogoURL: e.cfg.SiteLogo, Color: e.cfg.SiteColor},
		DefaultSchedule: e.cfg.DigestSchedule,
		Location:        e.cfg.Location,
		TrustedProxies:  e.cfg.TrustedProxies,
		EmbedOrigins:    e.cfg.embedOrigins(),
		Log:             e.log,
		Links:           links,
		Prefs:           b,
		PublicURL:       e.cfg.PublicURL,
	})
	if err != nil {
		return nil, fmt.Errorf("signup page: %w", err)
	}
	live := &liveness{}
	mux := http.NewServeMux()
	signupPage.Routes(mux)
	mux.Handle("GET /metrics", metricsHandler(metricsSources{Store: store, Outbox: outboxStore, Articles: articleStore, Feeds: e.cfg.Feeds, Sender: snd.Stats,
		PollLatency: pollLatency, Invites: signups.InviteCounts, Paid: snd.PaidStatus}))
	mux.Handle("GET /healthz", healthHandler(healthOptions{Redis: store, Telegram: tgCheck, Articles: articleStore, Feeds: e.cfg.Feeds, MaxPollAge: maxPollAge(e.cfg.PollSchedule, time.Now()), Started: time.Now()}))
	mux.Handle("GET /livez", live)
	if e.cfg.WebhookURL != "" {
		u, _ := url.Parse(e.cfg.WebhookURL)
		path := u.Path
		if path == "" {
			path = "/"
		}
		mux.Handle("POST "+path, b.WebhookHandler(e.cfg.WebhookSecret))
	}
	var slugs []string
	for _, t := range catalog.Topics() {
		slugs = append(slugs, t.Slug)
	}
	jobs := []job{
		// The first poll comes at start: a new or restarted instance
		// does not sit on stale articles for a whole interval.
		// What a poll stores goes at once to the readers who want it at
		// once (alerts, instant digests), within this run of the job.
		{name: "poll", spec: e.cfg.PollSchedule, atStart: true, run: func(ctx context.Context) error {
			start := time.Now()
			res, err := poller.Poll(ctx)
			pollLatency.Observe(time.Since(start).Seconds())
			e.log.Info("feeds polled", "new", len(res.Added))
			_, _, ferr := after.run(ctx, res.Added)
			return errors.Join(err, ferr)
		}},
		// Every instance builds the minute's digests, each the shards of
		// readers it claims first: more instances, a shorter build.
		{name: "digest", spec: "* * * * *", shared: func(ctx context.Context, claim func(context.Context, string) (bool, error)) error {
			res, err := builder.RunShared(ctx, func(ctx context.Context, shard int) (bool, error) {
				return claim(ctx, strconv.Itoa(shard))
			})
			if res.Due > 0 {
				e.log.Info("digests built", "due", res.Due, "queued", res.Queued, "empty", res.Empty, "stale", res.Stale)
			}
			return err
		}},
		{name: "trim", spec: "@daily", run: func(ctx context.Context) error {
			return articleStore.Trim(ctx, slugs)
		}},
	}
	return &server{
		e:      e,
		rdb:    rdb,
		bot:    b,
		sender: snd,
		http:   &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second},
		live:   live,
		jobs:   jobs,
	}, nil
}

// run serves HTTP on ln and runs the scheduler, the sender, the
// broadcasts and the bot until ctx is cancelled or one of them fails.
// Either way every part is stopped and waited for before run returns: a
// part that fails (a token Telegram rejects, the port closing) stops the
// others, and a part that ends on its own is a failure too. The HTTP
// server is stopped last, so that /healthz, /metrics and the webhook
// answer while the bot drains its handlers.
func (s *server) run(ctx context.Context, ln net.Listener) error {
	e := s.e
	// The lease names this instance by the address it listens on, known
	// only now (":0" picks a port).
	sched := schedule.New(schedule.Options{RDB: s.rdb, Prefix: e.cfg.RedisPrefix, Location: e.cfg.Location, Log: e.log, Instance: instanceID(e.cfg.InstanceID, ln.Addr())})
	for _, j := range s.jobs {
		var err error
		switch {
		case j.shared != nil:
			err = sched.AddShared(j.name, j.spec, func(ctx context.Context, tick time.Time) error {
				return j.shared(ctx, func(ctx context.Context, part string) (bool, error) { return sched.Claim(ctx, j.name, tick, part) })
			})
		case j.atStart:
			err = sched.AddAtStart(j.name, j.spec, j.run)
		default:
			err = sched.Add(j.name, j.spec, j.run)
		}
		if err != nil {
			_ = ln.Close()
			return err
		}
	}
	loops := []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"scheduler", func(ctx context.Context) error { sched.Run(ctx); return nil }},
		{"sender", s.sender.Run},
		{"broadcasts", s.bot.RunBroadcasts},
		{"bot", func(ctx context.Context) error { return s.runBot(ctx, sched) }},
	}
	g, gctx := errgroup.WithContext(ctx)
	var running sync.WaitGroup
	for _, l := range loops {
		s.live.started(l.name)
		running.Add(1)
		g.Go(func() error {
			defer running.Done()
			err := l.run(gctx)
			s.live.ended(l.name)
			switch {
			case err != nil && !errors.Is(err, context.Canceled):
				return err
			case gctx.Err() == nil:
				return fmt.Errorf("%s stopped on its own", l.name)
			}
			return nil
		})
	}
	e.log.Info("nashra started", "version", currentBuild().Version, "commit", currentBuild().Commit, "http", ln.Addr().String(), "redis", redact.URL(e.cfg.RedisURL), "feeds", len(e.cfg.Feeds), "admins", len(e.cfg.Admins))
	g.Go(func() error {
		if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		running.Wait()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
		defer cancel()
		if err := s.http.Shutdown(sctx); err != nil {
			e.log.Warn("http shutdown", "err", err)
			_ = s.http.Close()
		}
		return nil
	})
	err := g.Wait()
	e.log.Info("nashra stopped")
	return err
}

// runBot serves updates: by webhook in every instance, or by long polling
// in the one holding the lease (Telegram allows one poller per token;
// the other instances stand by).
func (s *server) runBot(ctx context.Context, sched *schedule.Scheduler) error {
	e := s.e
	if e.cfg.WebhookURL != "" {
		return s.bot.RunWebhook(ctx, e.cfg.WebhookURL, e.cfg.WebhookSecret)
	}
	return sched.Lease(ctx, "updates", pollLeaseTTL, func(ctx context.Context) error {
		err := s.bot.Run(ctx)
		if errors.Is(err, bot.ErrOtherPoller) {
			return fmt.Errorf("%w: %w", schedule.ErrYield, err)
		}
		return err
	})
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
