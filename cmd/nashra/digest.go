package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/redis/go-redis/v9"

	"nashra/bot/ratelimit"
	"nashra/bot/sender"
	"nashra/bot/tgerr"
	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
)

func newBuilder(e *env, readers *subscribers.Store, queue *outbox.Store, arts *articles.Store, catalog *topics.Catalog) *digest.Builder {
	return &digest.Builder{
		Readers:         readers,
		Outbox:          queue,
		Articles:        arts,
		DefaultSchedule: e.cfg.DigestSchedule,
		Location:        e.cfg.Location,
		SiteURL:         siteURL(e.cfg.Feeds),
		Topics:          catalog,
		Log:             e.log,
	}
}

func newAlerts(e *env, readers *subscribers.Store, queue *outbox.Store) *digest.Alerts {
	return &digest.Alerts{
		Readers:  readers,
		Queue:    queue,
		Cap:      e.cfg.BreakingCap,
		Location: e.cfg.Location,
	}
}

// newSender builds the outbox's sender with a Bot API client of its own,
// sized for NASHRA_SEND_RATE. Its transport records each answer's HTTP
// status, so that a proxy's HTML 502 is known as an outage (the request
// did not get through) rather than a lost answer.
func newSender(e *env, readers *subscribers.Store, queue *outbox.Store, rdb redis.UniversalClient) (*sender.Sender, error) {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	opts := []tg.Option{
		tg.WithSkipGetMe(),
		tg.WithHTTPClient(time.Minute, &http.Client{Transport: tgerr.Transport(transport), Timeout: 40 * time.Second}),
		tg.WithErrorsHandler(func(err error) { e.log.Debug("sender telegram", "err", err) }),
	}
	if e.cfg.APIURL != "" {
		opts = append(opts, tg.WithServerURL(e.cfg.APIURL))
	}
	api, err := tg.New(e.cfg.Token, opts...)
	if err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	host, _ := os.Hostname()
	return sender.New(sender.Options{
		API:           api,
		Outbox:        queue,
		Readers:       readers,
		RDB:           rdb,
		Prefix:        e.cfg.RedisPrefix,
		Rate:          e.cfg.SendRate,
		Paid:          paidOf(e.cfg),
		ResendUnknown: e.cfg.ResendUnknown,
		Consumer:      host + ":" + strconv.Itoa(os.Getpid()) + ":" + strconv.FormatInt(time.Now().UnixNano(), 36),
		Log:           e.log,
	})
}

// paidOf is the paid broadcasts cfg asks for, for the sender and for
// what /stats and /metrics show of them.
func paidOf(cfg Config) ratelimit.Paid {
	return ratelimit.Paid{Rate: cfg.PaidRate, PerDay: cfg.PaidStarsPerDay * ratelimit.MessagesPerStar}
}

// digestCommand is `nashra digest [--dry-run]`: build the digests due now
// and queue them (the running senders deliver them); with --dry-run,
// print them and write nothing.
func digestCommand(fs *flag.FlagSet) func(context.Context, *env) error {
	dry := fs.Bool("dry-run", false, "print the digests instead of queueing them")
	return func(ctx context.Context, e *env) error {
		catalog, err := loadCatalog(e.cfg)
		if err != nil {
			return err
		}
		rdb, closeRedis, err := openRedis(ctx, e)
		if err != nil {
			return err
		}
		defer closeRedis()
		b := newBuilder(e, subscribers.New(rdb, subscribers.Options{Prefix: e.cfg.RedisPrefix}),
			outbox.New(rdb, outbox.Options{Prefix: e.cfg.RedisPrefix}),
			articles.New(rdb, articles.Options{Prefix: e.cfg.RedisPrefix}), catalog)
		res, err := b.Run(ctx, *dry)
		if err != nil {
			return err
		}
		for _, d := range res.Digests {
			fmt.Fprintf(e.stdout, "═══ chat %d (%s), cursor %d→%d\n", d.ChatID, d.Lang, d.From, d.To)
			for _, m := range d.Messages {
				fmt.Fprintln(e.stdout, htmlToText(m))
				fmt.Fprintln(e.stdout, "────────")
			}
		}
		fmt.Fprintf(e.stderr, "%d active readers, %d due, %d digests, %d with nothing new, %d taken by another instance\n",
			res.Readers, res.Due, res.Queued, res.Empty, res.Stale)
		return nil
	}
}
