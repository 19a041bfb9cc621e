package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"nashra/digest/articles"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// Feeds that carry credentials, as a newsroom may configure a paywalled
// or private feed, and the secrets in them that must never be shown.
var (
	secretFeeds = []string{
		"https://reader:pw-S3CRET-1@feeds.example.org/private/feed/",
		"https://feeds.example.org/members.xml?key=key-S3CRET-2&cat=5",
		"https://api.example.org/feed/?access_token=tok-S3CRET-3&api_key=ak-S3CRET-4&auth=au-S3CRET-5&password=pa-S3CRET-6",
	}
	// shownFeeds is how each one may appear: the feed stays recognisable.
	shownFeeds = []string{
		"https://***@feeds.example.org/private/feed/",
		"https://feeds.example.org/members.xml?key=***&cat=5",
		"https://api.example.org/feed/?access_token=***&api_key=***&auth=***&password=***",
	}
)

// saveSecretFeeds records a state for each feed: a success for the first,
// a failure whose error names the URL, as a fetch error does, for the others.
func saveSecretFeeds(t *testing.T, arts *articles.Store, okAt time.Time) {
	t.Helper()
	ctx := context.Background()
	for i, f := range secretFeeds {
		st := articles.FeedState{URL: f, LastOK: okAt}
		if i > 0 {
			st = articles.FeedState{URL: f, Failures: 2, LastError: "GET " + f + ": HTTP 500 Internal Server Error"}
		}
		if err := arts.SaveFeedState(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
}

// get fetches url over HTTP and returns the body.
func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func checkNoSecrets(t *testing.T, what, body string) {
	t.Helper()
	for line := range strings.Lines(body) {
		if strings.Contains(line, "S3CRET") {
			t.Errorf("%s shows a feed's secret: %s", what, line)
		}
	}
}

func TestHealthzHidesFeedCredentials(t *testing.T) {
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix})
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	saveSecretFeeds(t, arts, now.Add(-time.Minute))
	h := healthHandler(healthOptions{Redis: store, Articles: arts, Feeds: secretFeeds, Now: func() time.Time { return now }})

	srv := httptest.NewServer(h)
	defer srv.Close()
	body := get(t, srv.URL+"/healthz")
	checkNoSecrets(t, "/healthz", body)
	var rep healthReport
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("/healthz body is not JSON: %v\n%s", err, body)
	}
	if len(rep.Feeds) != len(shownFeeds) {
		t.Fatalf("/healthz lists %d feeds; want %d:\n%s", len(rep.Feeds), len(shownFeeds), body)
	}
	for i, f := range rep.Feeds {
		if f.URL != shownFeeds[i] {
			t.Errorf("/healthz shows feed %d as %q; want %q", i, f.URL, shownFeeds[i])
		}
		if i > 0 && f.LastError != "GET "+shownFeeds[i]+": HTTP 500 Internal Server Error" {
			t.Errorf("/healthz shows feed %d's error as %q; want the URL in it hidden the same way", i, f.LastError)
		}
	}
}

func TestMetricsHideFeedCredentials(t *testing.T) {
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix})
	saveSecretFeeds(t, arts, time.Unix(1_790_000_000, 0))
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	srv := httptest.NewServer(metricsHandler(metricsSources{Store: store, Outbox: queue, Articles: arts, Feeds: secretFeeds}))
	defer srv.Close()

	body := get(t, srv.URL+"/metrics")
	checkNoSecrets(t, "/metrics", body)
	for i, f := range shownFeeds {
		failures := "0"
		if i > 0 {
			failures = "2"
		}
		for _, want := range []string{
			`nashra_feed_failures{feed="` + f + `"} ` + failures,
			`nashra_feed_last_success_timestamp_seconds{feed="` + f + `"} `,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
	}
}
