package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/feed"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/redact"
	"nashra/subscribers"
)

// newPoller wires a Poller for the configured feeds.
func newPoller(e *env, store *articles.Store, catalog *topics.Catalog) *digest.Poller {
	return &digest.Poller{
		Feeds:    e.cfg.Feeds,
		Fetcher:  &feed.Fetcher{},
		Store:    store,
		Classify: &digest.Classifier{Catalog: catalog, Markers: e.cfg.BreakingMarkers},
		Log:      e.log,
	}
}

// afterPoll is what a poll that stored articles sets off at once, rather
// than at the next minute's digest run: breaking news alerts, then the
// digests of the readers who chose instant delivery (the digests leave
// out what the alerts just sent). Both are safe to repeat: an alert and
// a digest are queued once, whoever queues them.
type afterPoll struct {
	alerts  *digest.Alerts
	builder *digest.Builder
	log     *slog.Logger
}

func newAfterPoll(e *env, readers *subscribers.Store, queue *outbox.Store, builder *digest.Builder) *afterPoll {
	return &afterPoll{alerts: newAlerts(e, readers, queue), builder: builder, log: e.log}
}

// run queues what added calls for; it does nothing when no article is in
// the site's scope.
func (f *afterPoll) run(ctx context.Context, added []articles.Article) (digest.AlertResult, digest.BuildResult, error) {
	if !slices.ContainsFunc(added, func(a articles.Article) bool { return a.InScope }) {
		return digest.AlertResult{}, digest.BuildResult{}, nil
	}
	alerts, aerr := f.alerts.Send(ctx, added)
	if alerts.Urgent > 0 {
		f.log.Info("breaking news alerts queued", "urgent", alerts.Urgent, "readers", alerts.Readers, "queued", alerts.Queued, "capped", alerts.Capped)
	}
	digests, derr := f.builder.RunInstant(ctx)
	if digests.Due > 0 {
		f.log.Info("instant digests built", "due", digests.Due, "queued", digests.Queued, "empty", digests.Empty, "stale", digests.Stale)
	}
	return alerts, digests, errors.Join(aerr, derr)
}

// pollCommand is `nashra poll`: poll every feed once now, store the new
// articles, print what was added.
func pollCommand(*flag.FlagSet) func(context.Context, *env) error {
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
		arts := articles.New(rdb, articles.Options{Prefix: e.cfg.RedisPrefix})
		p := newPoller(e, arts, catalog)
		res, err := p.Poll(ctx)
		for _, f := range res.Feeds {
			line := fmt.Sprintf("%s\t%s\titems=%d new=%d skipped=%d", redact.URL(f.URL), f.Status, f.Items, f.New, f.Skipped)
			if f.Err != nil {
				line += "\t" + redact.Text(f.Err.Error())
			}
			fmt.Fprintln(e.stderr, line)
		}
		for _, a := range res.Added {
			scope := "in-scope"
			if !a.InScope {
				scope = "out-of-scope"
			}
			fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\n", a.Seq, scope, strings.Join(a.Topics, ","), a.Title, a.Link)
		}
		// Articles stored here reach instant readers and breaking news
		// readers as they would from a poll of `nashra run` (whose senders
		// deliver what is queued).
		readers := subscribers.New(rdb, subscribers.Options{Prefix: e.cfg.RedisPrefix})
		queue := outbox.New(rdb, outbox.Options{Prefix: e.cfg.RedisPrefix})
		follow := newAfterPoll(e, readers, queue, newBuilder(e, readers, queue, arts, catalog))
		alerts, digests, ferr := follow.run(ctx, res.Added)
		if alerts.Queued > 0 || digests.Queued > 0 {
			fmt.Fprintf(e.stderr, "queued %d breaking news alerts and %d instant digests\n", alerts.Queued, digests.Queued)
		}
		if err = errors.Join(err, ferr); err != nil {
			return err
		}
		var unread []string
		for _, f := range res.Feeds {
			if f.Status == "error" || f.Status == "backoff" {
				unread = append(unread, redact.URL(f.URL))
			}
		}
		if len(unread) > 0 && len(unread) == len(res.Feeds) {
			return errNoFeedRead(len(unread))
		}
		fmt.Fprintf(e.stderr, "%d new articles\n", len(res.Added))
		reportUnread(e, unread, len(res.Feeds))
		return nil
	}
}

// errNoFeedRead is the failure of poll and preview when not one of the n
// feeds could be read: each one's error was printed before it.
func errNoFeedRead(n int) error {
	if n == 1 {
		return errors.New("no feed could be read (its error is above)")
	}
	return fmt.Errorf("no feed could be read (the errors of all %d are above)", n)
}

// reportUnread names the feeds that could not be read when others could:
// the command succeeds, but not silently.
func reportUnread(e *env, unread []string, of int) {
	if len(unread) > 0 {
		fmt.Fprintf(e.stderr, "%d of %d feeds could not be read: %s\n", len(unread), of, strings.Join(unread, ", "))
	}
}
