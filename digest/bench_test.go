package digest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/feed"
	"nashra/digest/topics"
	"nashra/subscribers/redistest"
)

// BenchmarkClassifySummarize is the per-article cost of ingestion on the
// seed article: topics, scope and summary.
func BenchmarkClassifySummarize(b *testing.B) {
	data, err := os.ReadFile("../testdata/seed-article.txt")
	if err != nil {
		b.Fatal(err)
	}
	title, body, _ := strings.Cut(string(data), "\n")
	c := &digest.Classifier{Catalog: topics.Builtin()}
	b.ReportAllocs()
	for b.Loop() {
		cl := c.Classify(title, nil, body)
		if !cl.InScope || len(cl.Summary) == 0 {
			b.Fatal("seed article not classified")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkPoll50Feeds polls 50 feeds of 100 full-text items each from a
// local server into Redis (real when NASHRA_TEST_REDIS_URL is set): the
// whole path of fetch, parse, dedup, classify, summarise and store.
func BenchmarkPoll50Feeds(b *testing.B) {
	const feeds, items = 50, 100
	seed, err := os.ReadFile("../testdata/seed-article.txt")
	if err != nil {
		b.Fatal(err)
	}
	paragraphs := strings.Split(strings.TrimSpace(string(seed)), "\n\n")
	body := "<p>" + strings.Join(paragraphs[2:len(paragraphs)-1], "</p><p>") + "</p>"
	pages := make([]string, feeds)
	for f := range feeds {
		var sb strings.Builder
		sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title><link>https://7al.net</link>`)
		for i := range items {
			id := f*items + i
			fmt.Fprintf(&sb, `<item><title>خبر %d عن قسد</title><link>https://7al.net/b/%d/</link><guid isPermaLink="false">https://7al.net/?p=%d</guid><pubDate>Mon, 12 Jun 2023 10:00:00 +0000</pubDate><content:encoded><![CDATA[%s]]></content:encoded></item>`, id, id, id, body)
		}
		sb.WriteString(`</channel></rss>`)
		pages[f] = sb.String()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Path, "/feed/%d", &n)
		w.Write([]byte(pages[n]))
	}))
	defer srv.Close()
	urls := make([]string, feeds)
	for i := range urls {
		urls[i] = fmt.Sprintf("%s/feed/%d", srv.URL, i)
	}
	r := redistest.New(b)
	catalog := topics.Builtin()
	run := 0
	b.ReportAllocs()
	for b.Loop() {
		run++
		p := &digest.Poller{
			Feeds:    urls,
			Fetcher:  &feed.Fetcher{},
			Store:    articles.New(r.Client, articles.Options{Prefix: fmt.Sprintf("%s%d:", r.Prefix, run)}),
			Classify: &digest.Classifier{Catalog: catalog},
		}
		res, err := p.Poll(context.Background())
		if err != nil || len(res.Added) != feeds*items {
			b.Fatalf("poll stored %d, %v; want %d", len(res.Added), err, feeds*items)
		}
	}
	b.ReportMetric(float64(b.N*feeds*items)/b.Elapsed().Seconds(), "items/s")
}
