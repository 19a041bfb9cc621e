package digest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/feed"
	"nashra/digest/topics"
	"nashra/subscribers/redistest"
)

// loopbackOnly refuses any request that would leave the machine, so a
// fixture's real links can never be fetched by a test.
type loopbackOnly struct {
	offsite atomic.Int64
}

func (l *loopbackOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	host := r.URL.Hostname()
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		l.offsite.Add(1)
		return nil, fmt.Errorf("test refuses off-machine request to %s", host)
	}
	return http.DefaultTransport.RoundTrip(r)
}

type feedServer struct {
	*httptest.Server
	mu          sync.Mutex
	conditional int // requests that carried If-None-Match
	hits        map[string]int
	burst       []int // item numbers of /burst.rss, newest first
}

func newFeedServer(t *testing.T) *feedServer {
	t.Helper()
	fs := &feedServer{hits: map[string]int{}}
	mux := http.NewServeMux()
	serveFile := func(path, file string) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			fs.mu.Lock()
			fs.hits[path]++
			if r.Header.Get("If-None-Match") != "" {
				fs.conditional++
			}
			fs.mu.Unlock()
			etag := `"` + strconv.Itoa(len(data)) + `"`
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
			w.Write(data)
		})
	}
	serveFile("/site.rss", "../testdata/site.rss")
	serveFile("/broken.rss", "feed/testdata/broken.rss")
	serveFile("/category-syria.rss", "feed/testdata/category-syria.rss")
	serveFile("/category-isis.rss", "feed/testdata/category-isis.rss")
	serveFile("/edge-cases.rss", "feed/testdata/edge-cases.rss")
	mux.HandleFunc("/down.rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/burst.rss", func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		items := fs.burst
		fs.mu.Unlock()
		page, _ := strconv.Atoi(r.URL.Query().Get("paged"))
		page = max(page, 1)
		const perPage = 3
		from := (page - 1) * perPage
		if from >= len(items) {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(burstFeed(items[from:min(from+perPage, len(items))])))
	})
	mux.HandleFunc("/bad-reference.rss", func(w http.ResponseWriter, r *http.Request) {
		// The middle item's title names a character XML forbids (a vertical
		// tab, and an escape written with an upper-case X).
		w.Write([]byte(strings.Replace(burstFeed([]int{3, 2, 1}), "رقم 2", "&#11;رقم&#X1B; 2", 1)))
	})
	mux.HandleFunc("/excerpt.rss", func(w http.ResponseWriter, r *http.Request) {
		// An excerpt-only item that says nothing of SDF; the full text does.
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>%[1]s</link>
<item><title>تطورات ميدانية في الشمال السوري</title><link>%[1]s/2026/11/field/</link><guid isPermaLink="false">%[1]s/?p=77</guid>
<description><![CDATA[تشهد المنطقة تطورات متسارعة [&#8230;]]]></description></item></channel></rss>`, fs.URL)
	})
	mux.HandleFunc("/wp-json/wp/v2/posts/77", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":77,"content":{"rendered":"<p>قالت قوات سوريا الديمقراطية (قسد) إنها عززت مواقعها في ريف الرقة الشمالي.</p><p>وأضافت أن الهدوء يسود خطوط التماس.</p>","protected":false}}`)
	})
	fs.Server = httptest.NewServer(mux)
	t.Cleanup(fs.Close)
	return fs
}

// burstFeed is a WordPress-style page of in-scope items about قسد (SDF).
func burstFeed(nums []int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://7al.net</link>`)
	for _, n := range nums {
		fmt.Fprintf(&b, `<item><title>خبر عن قسد رقم %d</title><link>https://7al.net/burst-%d/</link><guid isPermaLink="false">https://7al.net/?p=%d</guid><pubDate>Mon, 12 Jun 2023 %02d:00:00 +0000</pubDate><description><![CDATA[قالت قوات سوريا الديمقراطية في بيان رقم %d إن الوضع مستقر في ريف دير الزور. وأضافت أن دورياتها مستمرة في المنطقة كلها منذ أيام عدة، بالتنسيق مع التحالف الدولي.]]></description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>قالت قوات سوريا الديمقراطية في بيان رقم %d إن الوضع مستقر في ريف دير الزور.</p><p>وأضافت أن دورياتها مستمرة في المنطقة كلها منذ أيام عدة، بالتنسيق مع التحالف الدولي.</p>]]></content:encoded></item>`, n, n, 1000+n, n%24, n, n)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

type pollEnv struct {
	poller *digest.Poller
	store  *articles.Store
	net    *loopbackOnly
	now    time.Time
}

func newPoller(t *testing.T, feeds ...string) *pollEnv {
	t.Helper()
	r := redistest.New(t)
	env := &pollEnv{net: &loopbackOnly{}, now: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	env.store = articles.New(r.Client, articles.Options{Prefix: r.Prefix, Now: func() time.Time { return env.now }})
	env.poller = &digest.Poller{
		Feeds:    feeds,
		Fetcher:  &feed.Fetcher{Client: &http.Client{Transport: env.net}},
		Store:    env.store,
		Classify: &digest.Classifier{Catalog: topics.Builtin()},
		Now:      func() time.Time { return env.now },
	}
	t.Cleanup(func() {
		if n := env.net.offsite.Load(); n > 0 {
			t.Errorf("%d requests tried to leave the machine", n)
		}
	})
	return env
}

func TestPollStoresEachArticleOnce(t *testing.T) {
	srv := newFeedServer(t)
	env := newPoller(t, srv.URL+"/site.rss")
	ctx := context.Background()

	res, err := env.poller.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 4 || res.Feeds[0].Status != "ok" {
		t.Fatalf("first poll added %d (%+v); want the fixture's 4 articles", len(res.Added), res.Feeds[0])
	}
	var seed, gold, future articles.Article
	for _, a := range res.Added {
		switch {
		case strings.Contains(a.Link, "coalition-isis-threats"):
			seed = a
		case strings.Contains(a.Link, "gold-prices"):
			gold = a
		case strings.Contains(a.Link, "al-hol-returns"):
			future = a
		}
	}
	if !seed.InScope || !hasAll(seed.Topics, "sdf", "coalition", "isis") {
		t.Errorf("seed article: in scope %v, topics %v; want in scope with sdf, coalition, isis", seed.InScope, seed.Topics)
	}
	// The summary starts from the lead: «أكد وزراء خارجية...» ("the foreign ministers affirmed").
	if len(seed.Summary) != digest.MaxSummarySentences || !strings.HasPrefix(seed.Summary[0], "أكد وزراء خارجية") {
		t.Errorf("seed summary = %q; want %d sentences from the lead", seed.Summary, digest.MaxSummarySentences)
	}
	if gold.InScope {
		t.Errorf("the gold-prices story is in scope (topics %v); want out of scope", gold.Topics)
	}
	if !future.Published.Equal(env.now) {
		t.Errorf("a 2099-dated item was published %v; want the time first seen %v", future.Published, env.now)
	}

	env.now = env.now.Add(5 * time.Minute)
	res, err = env.poller.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 0 || res.Feeds[0].Status != "not-modified" {
		t.Errorf("second poll: added %d, status %s; want nothing new and a 304", len(res.Added), res.Feeds[0].Status)
	}
	if srv.conditional != 1 {
		t.Errorf("%d conditional requests; want the second poll to send the stored ETag", srv.conditional)
	}
	got, _ := env.store.After(ctx, 0, 0)
	if len(got) != 3 {
		t.Errorf("%d in-scope articles stored; want 3 (the gold story is out of scope)", len(got))
	}
}

func TestPollCategoryFeedsShareArticles(t *testing.T) {
	srv := newFeedServer(t)
	env := newPoller(t, srv.URL+"/category-syria.rss", srv.URL+"/category-isis.rss")
	res, err := env.poller.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range res.Added {
		if ids[a.ID] {
			t.Errorf("article %s stored twice", a.ID)
		}
		ids[a.ID] = true
	}
	total := res.Feeds[0].Items + res.Feeds[1].Items
	if len(res.Added) >= total {
		t.Errorf("%d articles from %d items in two category feeds; want the shared article once", len(res.Added), total)
	}
}

// One broken feed and one down for maintenance never stop the others, and
// both are remembered with a backoff.
func TestPollFailingFeeds(t *testing.T) {
	srv := newFeedServer(t)
	env := newPoller(t, srv.URL+"/broken.rss", srv.URL+"/down.rss", srv.URL+"/site.rss", srv.URL+"/edge-cases.rss")
	ctx := context.Background()
	res, err := env.poller.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Feeds[0].Status != "error" || res.Feeds[1].Status != "error" || res.Feeds[2].New != 4 {
		t.Fatalf("feeds = %+v; want the broken and the down feeds failed and site.rss stored", res.Feeds)
	}
	if res.Feeds[3].Status != "ok" || res.Feeds[3].Skipped == 0 {
		t.Errorf("edge cases feed = %+v; want ok with skipped items", res.Feeds[3])
	}
	down, _ := env.store.FeedState(ctx, srv.URL+"/down.rss")
	if down.Failures != 1 || down.NextPoll.Sub(env.now) < time.Hour || !strings.Contains(down.LastError, "503") {
		t.Errorf("down feed state = %+v; want one failure, next poll after its Retry-After hour", down)
	}
	broken, _ := env.store.FeedState(ctx, srv.URL+"/broken.rss")
	if broken.Failures != 1 || broken.LastError == "" {
		t.Errorf("broken feed state = %+v; want the parse failure recorded", broken)
	}
	env.now = env.now.Add(2 * time.Minute) // the first backoff is 5 minutes
	res, _ = env.poller.Poll(ctx)
	if res.Feeds[1].Status != "backoff" {
		t.Errorf("down feed polled again within its backoff: %+v", res.Feeds[1])
	}
	if srv.hits["/broken.rss"] != 1 {
		t.Errorf("the broken feed was fetched %d times within 2 minutes; want once (backoff)", srv.hits["/broken.rss"])
	}
}

// One item naming a forbidden character costs nothing: every item is
// stored with a clean title and the feed is neither failing nor resting.
func TestPollFeedWithForbiddenCharacterReference(t *testing.T) {
	srv := newFeedServer(t)
	url := srv.URL + "/bad-reference.rss"
	env := newPoller(t, url)
	ctx := context.Background()
	res, err := env.poller.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fr := res.Feeds[0]; fr.Status != "ok" || fr.New != 3 || fr.Skipped != 0 {
		t.Fatalf("feed = %+v; want ok with its 3 items stored", fr)
	}
	for i, a := range res.Added {
		// "news about SDF number N"
		if want := fmt.Sprintf("خبر عن قسد رقم %d", i+1); a.Title != want {
			t.Errorf("article %d title = %q; want %q", i, a.Title, want)
		}
	}
	stored, err := env.store.After(ctx, 0, 0)
	if err != nil || len(stored) != 3 {
		t.Errorf("%d articles stored (%v); want all 3", len(stored), err)
	}
	st, err := env.store.FeedState(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if st.Failures != 0 || st.LastError != "" || st.NextPoll.After(env.now) {
		t.Errorf("feed state = %+v; want no failure and no backoff", st)
	}
	env.now = env.now.Add(time.Minute)
	res, _ = env.poller.Poll(ctx)
	if fr := res.Feeds[0]; fr.Status == "backoff" || fr.Status == "error" {
		t.Errorf("second poll a minute later = %+v; want the feed polled normally", fr)
	}
}

// A burst that pushes every known item off the first page is paged
// through, so nothing is lost.
func TestPollPagesBackThroughABurst(t *testing.T) {
	srv := newFeedServer(t)
	env := newPoller(t, srv.URL+"/burst.rss")
	ctx := context.Background()
	srv.burst = []int{3, 2, 1}
	if res, err := env.poller.Poll(ctx); err != nil || len(res.Added) != 3 {
		t.Fatalf("first poll added %d, %v; want 3", len(res.Added), err)
	}
	srv.mu.Lock()
	srv.burst = []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	srv.mu.Unlock()
	res, err := env.poller.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 7 || res.Feeds[0].Pages != 3 {
		t.Errorf("after a burst of 7: added %d over %d pages; want 7 over 3 pages", len(res.Added), res.Feeds[0].Pages)
	}
	for i, a := range res.Added {
		if want := fmt.Sprintf("رقم %d", i+4); !strings.Contains(a.Title, want) {
			t.Errorf("article %d is %q; want them stored oldest first (%s)", i, a.Title, want)
		}
	}
}

// An excerpt-only feed gets the full text from the WordPress REST API, and
// is classified and summarised on it.
func TestPollExcerptGetsFullText(t *testing.T) {
	srv := newFeedServer(t)
	env := newPoller(t, srv.URL+"/excerpt.rss")
	res, err := env.poller.Poll(context.Background())
	if err != nil || len(res.Added) != 1 {
		t.Fatalf("poll added %d, %v; want the one item", len(res.Added), err)
	}
	a := res.Added[0]
	if !a.InScope || !hasAll(a.Topics, "sdf", "raqqa") || !strings.Contains(strings.Join(a.Summary, " "), "عززت مواقعها") {
		t.Errorf("article = topics %v, summary %q; want SDF and Raqqa from the full text", a.Topics, a.Summary)
	}
}

// The store going away is the one failure Poll reports as an error.
func TestPollStoreDown(t *testing.T) {
	srv := newFeedServer(t)
	r := redistest.New(t)
	store := articles.New(r.Client, articles.Options{Prefix: r.Prefix})
	p := &digest.Poller{Feeds: []string{srv.URL + "/site.rss"}, Fetcher: &feed.Fetcher{}, Store: store, Classify: &digest.Classifier{Catalog: topics.Builtin()}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Poll(ctx); err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("poll with the store unreachable = %v; want the store's error", err)
	}
}

func hasAll(have []string, want ...string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}

// A feed URL may carry credentials (user:password@, ?token=): a failing
// feed's logs and recorded error name the feed without them.
func TestPollKeepsFeedCredentialsSecret(t *testing.T) {
	srv := newFeedServer(t)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // a feed whose server refuses connections
	withSecrets := func(base, path string) string {
		return strings.Replace(base, "http://", "http://reader:pw-S3CRET-1@", 1) + path + "?token=tok-S3CRET-2&cat=5"
	}
	feeds := []string{withSecrets(srv.URL, "/down.rss"), withSecrets(srv.URL, "/broken.rss"), withSecrets(gone.URL, "/gone.rss")}
	env := newPoller(t, feeds...)
	var logs bytes.Buffer
	env.poller.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	if _, err := env.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	for i, f := range feeds {
		st, err := env.store.FeedState(ctx, f)
		if err != nil || st.Failures != 1 {
			t.Fatalf("feed %d state = %+v, %v; want one failure", i, st, err)
		}
		if strings.Contains(st.LastError, "S3CRET") {
			t.Errorf("feed %d's recorded error shows its credentials: %s", i, st.LastError)
		}
	}
	for line := range strings.Lines(logs.String()) {
		if strings.Contains(line, "S3CRET") {
			t.Errorf("a log line shows a feed's credentials: %s", line)
		}
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if want := "feed=\"http://***@" + host + "/down.rss?token=***&cat=5\""; !strings.Contains(logs.String(), want) {
		t.Errorf("the logs do not name the failing feed as %s:\n%s", want, logs.String())
	}
}
