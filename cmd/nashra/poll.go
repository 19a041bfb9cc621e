package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/feed"
	"nashra/digest/topics"
	"nashra/redact"
)

// newPoller wires a Poller for the configured feeds.
func newPoller(e *env, store *articles.Store, catalog *topics.Catalog) *digest.Poller {
	return &digest.Poller{
		Feeds:    e.cfg.Feeds,
		Fetcher:  &feed.Fetcher{},
		Store:    store,
		Classify: &digest.Classifier{Catalog: catalog},
		Log:      e.log,
	}
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
		p := newPoller(e, articles.New(rdb, articles.Options{Prefix: e.cfg.RedisPrefix}), catalog)
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
		if err != nil {
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
