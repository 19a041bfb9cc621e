package main

import (
	"context"
	"flag"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"time"

	"nashra/digest"
	"nashra/digest/arabic"
	"nashra/digest/feed"
	"nashra/redact"
)

// previewCommand is `nashra preview [--feed URL-or-file]... [--follow TOPIC]...`:
// the digest a reader following those topics would get from those feeds,
// with no Redis and no Telegram.
func previewCommand(fs *flag.FlagSet) func(context.Context, *env) error {
	var feeds, follows repeated
	fs.Var(&feeds, "feed", "feed `URL` or file (repeatable; default NASHRA_FEEDS)")
	fs.Var(&follows, "follow", "a `TOPIC` or keyword, as after /follow (repeatable; none = everything in scope)")
	lang := fs.String("lang", "ar", "digest language: ar or en")
	format := fs.String("format", "text", "text (as the reader sees it) or html (as sent to Telegram)")
	return func(ctx context.Context, e *env) error {
		if *lang != "ar" && *lang != "en" {
			return fmt.Errorf("%w: --lang must be ar or en", errUsage)
		}
		if *format != "text" && *format != "html" {
			return fmt.Errorf("%w: --format must be text or html", errUsage)
		}
		if len(feeds) == 0 {
			feeds = e.cfg.Feeds
		}
		catalog, err := loadCatalog(e.cfg)
		if err != nil {
			return err
		}
		cls := &digest.Classifier{Catalog: catalog}
		interest := digest.ParseInterest(catalog, follows)
		fetcher := &feed.Fetcher{}
		now := time.Now()

		seen := map[string]bool{}
		var picked []digest.Entry
		var unread []string
		for _, src := range feeds {
			items, remote, err := readFeed(ctx, fetcher, src)
			if err != nil {
				e.log.Warn("feed skipped", "feed", redact.URL(src), "err", redact.Text(err.Error()))
				unread = append(unread, redact.URL(src))
				continue
			}
			for _, it := range items {
				if seen[it.ID] {
					continue
				}
				seen[it.ID] = true
				body := it.Text
				if it.Excerpt && remote {
					if full, err := fetcher.FullText(ctx, it); err == nil && full != "" {
						body = full
					}
				}
				a := cls.Article(it, body, now)
				if text := arabic.NewText(it.Title + "\n" + body); interest.Matches(a, text) {
					picked = append(picked, digest.Entry{Article: a, Why: interest.Why(catalog, *lang, a, text)})
				}
			}
		}
		if len(unread) > 0 && len(unread) == len(feeds) {
			return errNoFeedRead(len(unread))
		}
		reportUnread(e, unread, len(feeds))
		if len(picked) == 0 {
			fmt.Fprintln(e.stderr, "nothing in these feeds matches (articles outside the site's scope never enter a digest)")
			return nil
		}
		msgs := digest.Render(picked, digest.RenderOptions{Lang: *lang, SiteURL: siteURL(e.cfg.Feeds), Date: now.In(e.cfg.Location)})
		for i, m := range msgs {
			if i > 0 {
				fmt.Fprintln(e.stdout, "\n────────")
			}
			if *format == "text" {
				m = htmlToText(m)
			}
			fmt.Fprintln(e.stdout, m)
		}
		return nil
	}
}

// readFeed parses a feed from a URL or a file; remote says which.
func readFeed(ctx context.Context, f *feed.Fetcher, src string) ([]feed.Item, bool, error) {
	if u, err := url.Parse(src); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		res, err := f.Fetch(ctx, src, feed.Validators{})
		if err != nil {
			return nil, true, err
		}
		return res.Items, true, nil
	}
	data, err := readFileLimited(src)
	if err != nil {
		return nil, false, err
	}
	res, err := feed.Parse(data, "file://"+src, "")
	if err != nil {
		return nil, false, err
	}
	return res.Items, false, nil
}

// siteURL is the site's home, from the first feed: where "+N more" points.
func siteURL(feeds []string) string {
	if len(feeds) == 0 {
		return ""
	}
	u, err := url.Parse(feeds[0])
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/"
}

var (
	anchor = regexp.MustCompile(`<a href="([^"]*)">(.*?)</a>`)
	tag    = regexp.MustCompile(`<[^>]+>`)
)

// htmlToText shows a rendered message as a reader sees it, with each
// link's address on the line after its text.
func htmlToText(m string) string {
	m = anchor.ReplaceAllString(m, "$2\n$1")
	return html.UnescapeString(tag.ReplaceAllString(m, ""))
}
