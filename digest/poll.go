package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"nashra/digest/articles"
	"nashra/digest/feed"
	"nashra/redact"
)

// Poller fetches every feed once per Poll and stores the new articles.
type Poller struct {
	Feeds    []string
	Fetcher  *feed.Fetcher
	Store    *articles.Store
	Classify *Classifier
	Log      *slog.Logger
	Now      func() time.Time
	// MaxPages bounds paging back through a WordPress feed (?paged=N)
	// when a poll finds nothing seen before. 5 when zero.
	MaxPages int
	// Workers is how many feeds are fetched at once. 4 when zero.
	Workers int
}

// FeedResult says what one feed gave in one poll.
type FeedResult struct {
	URL     string
	Status  string // "ok", "not-modified", "backoff" or "error"
	Items   int    // items read, over every page
	Pages   int
	New     int // articles stored
	Skipped int // items the feed got wrong (logged)
	Err     error
}

// PollResult is the outcome of one poll of every feed.
type PollResult struct {
	Feeds []FeedResult
	Added []articles.Article // oldest first
}

// Poll fetches each feed (one failing feed never holds up the others) and
// stores what is new. It returns an error only when the store is
// unreachable; feed failures are in the result and in each feed's state.
func (p *Poller) Poll(ctx context.Context) (PollResult, error) {
	workers := p.Workers
	if workers <= 0 {
		workers = 4
	}
	var (
		mu     sync.Mutex
		res    = PollResult{Feeds: make([]FeedResult, len(p.Feeds))}
		sem    = make(chan struct{}, workers)
		wg     sync.WaitGroup
		fatal  error
		errsMu sync.Mutex
	)
	for i, url := range p.Feeds {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fr, added, err := p.pollFeed(ctx, url)
			if err != nil {
				errsMu.Lock()
				fatal = errors.Join(fatal, err)
				errsMu.Unlock()
			}
			mu.Lock()
			res.Feeds[i] = fr
			res.Added = append(res.Added, added...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(res.Added, func(i, j int) bool { return res.Added[i].Seq < res.Added[j].Seq })
	return res, fatal
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Poller) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.New(slog.DiscardHandler)
}

// backoff is how long a feed rests after n consecutive failures.
func backoff(n int, retryAfter time.Duration) time.Duration {
	d := 5 * time.Minute
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	d = min(d, 6*time.Hour)
	return max(d, retryAfter)
}

// pollFeed polls one feed. Its error is only for the store; the feed's own
// failures are recorded in its state and result.
func (p *Poller) pollFeed(ctx context.Context, url string) (FeedResult, []articles.Article, error) {
	log := p.log().With("feed", redact.URL(url))
	fr := FeedResult{URL: url}
	st, err := p.Store.FeedState(ctx, url)
	if err != nil {
		fr.Status, fr.Err = "error", err
		return fr, nil, err
	}
	now := p.now()
	if now.Before(st.NextPoll) {
		fr.Status = "backoff"
		return fr, nil, nil
	}
	st.LastAttempt = now
	got, err := p.Fetcher.Fetch(ctx, url, feed.Validators{ETag: st.ETag, LastModified: st.LastModified})
	if err != nil {
		return p.failed(ctx, log, st, fr, err)
	}
	fr.Pages = 1
	if got.NotModified {
		fr.Status = "not-modified"
		st.ETag, st.LastModified = got.Validators.ETag, got.Validators.LastModified
		return fr, nil, p.succeeded(ctx, st)
	}
	items := got.Items
	skipped := got.Skipped
	// A burst of posts may push everything we know off the first page:
	// page back until a known item shows up, so none is lost. A feed
	// polled for the first time starts from what it shows now.
	if st.Polls > 0 {
		for page := 2; page <= p.maxPages(); page++ {
			known, err := p.anySeen(ctx, items)
			if err != nil {
				fr.Status, fr.Err = "error", err
				return fr, nil, err
			}
			if known {
				break
			}
			more, err := p.Fetcher.Fetch(ctx, feed.PageURL(url, page), feed.Validators{})
			if err != nil || len(more.Items) == 0 {
				break // past the last page, or a feed without paging
			}
			fr.Pages++
			items = append(items, more.Items...)
			skipped = append(skipped, more.Skipped...)
		}
	}
	for _, s := range skipped {
		log.Info("feed item skipped", "item", s)
	}
	fr.Items, fr.Skipped = len(items), len(skipped)

	added, err := p.ingest(ctx, log, items, now)
	if err != nil {
		fr.Status, fr.Err = "error", err
		return fr, nil, err
	}
	fr.New = len(added)
	fr.Status = "ok"
	// Validators are saved only once the items are stored: a crash in
	// between refetches the whole feed, and dedup absorbs it.
	st.ETag, st.LastModified = got.Validators.ETag, got.Validators.LastModified
	return fr, added, p.succeeded(ctx, st)
}

func (p *Poller) maxPages() int {
	if p.MaxPages > 0 {
		return p.MaxPages
	}
	return 5
}

func (p *Poller) anySeen(ctx context.Context, items []feed.Item) (bool, error) {
	for _, it := range items {
		seen, err := p.Store.Seen(ctx, it.SeenKeys()...)
		if err != nil || seen {
			return seen, err
		}
	}
	return false, nil
}

func (p *Poller) failed(ctx context.Context, log *slog.Logger, st articles.FeedState, fr FeedResult, cause error) (FeedResult, []articles.Article, error) {
	st.Failures++
	// Fetch errors repeat the URL, which may carry credentials.
	st.LastError = redact.Text(cause.Error())
	var retry time.Duration
	var he *feed.HTTPError
	if errors.As(cause, &he) {
		retry = he.RetryAfter
	}
	st.NextPoll = p.now().Add(backoff(st.Failures, retry))
	log.Warn("feed poll failed", "err", st.LastError, "failures", st.Failures, "next_poll", st.NextPoll)
	fr.Status, fr.Err = "error", cause
	if err := p.Store.SaveFeedState(ctx, st); err != nil {
		return fr, nil, err
	}
	return fr, nil, nil
}

func (p *Poller) succeeded(ctx context.Context, st articles.FeedState) error {
	st.Failures, st.LastError, st.NextPoll = 0, "", time.Time{}
	st.LastOK = st.LastAttempt
	st.Polls++
	return p.Store.SaveFeedState(ctx, st)
}

// ingest stores the items not seen before, oldest first, so article
// numbers follow publication order within a feed.
func (p *Poller) ingest(ctx context.Context, log *slog.Logger, items []feed.Item, now time.Time) ([]articles.Article, error) {
	fresh := make([]feed.Item, 0, len(items))
	ids := make(map[string]bool)
	for _, it := range items {
		if ids[it.ID] {
			continue
		}
		ids[it.ID] = true
		seen, err := p.Store.Seen(ctx, it.SeenKeys()...)
		if err != nil {
			return nil, err
		}
		if !seen {
			fresh = append(fresh, it)
		}
	}
	sort.SliceStable(fresh, func(i, j int) bool {
		return fresh[i].EffectiveTime(now).Before(fresh[j].EffectiveTime(now))
	})
	var added []articles.Article
	for _, it := range fresh {
		body := it.Text
		if it.Excerpt {
			if full, err := p.Fetcher.FullText(ctx, it); err == nil && full != "" {
				body = full
			} else if err != nil {
				log.Info("full text unavailable; using the feed's excerpt", "link", it.Link, "err", err)
			}
		}
		a := p.Classify.Article(it, body, now)
		seq, isNew, err := p.Store.Ingest(ctx, a, it.SeenKeys())
		if err != nil {
			return added, fmt.Errorf("store %s: %w", it.Link, err)
		}
		if isNew {
			a.Seq = seq
			added = append(added, a)
		}
	}
	return added, nil
}
