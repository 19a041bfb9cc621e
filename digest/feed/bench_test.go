package feed

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// benchFeed is a WordPress-style feed of n items with full content.
func benchFeed(feed, n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>الحل نت</title><link>https://7al.net</link>`)
	para := "<p>أكد وزراء خارجية التحالف الدولي لهزيمة تنظيم داعش، اليوم الاثنين، عزمهم المشترك على مواصلة القتال ضد التنظيم.</p>\n"
	for i := range n {
		id := feed*1000 + i + 1
		fmt.Fprintf(&b, `<item><title>خبر رقم %d &#8211; قسد</title><link>https://7al.net/2023/06/12/%%d8%%ae%%d8%%a8%%d8%%b1-%d/</link>`, id, id)
		fmt.Fprintf(&b, `<dc:creator><![CDATA[الحل نت]]></dc:creator><pubDate>Mon, 12 Jun 2023 14:05:00 +0000</pubDate>`)
		b.WriteString(`<category><![CDATA[أخبار]]></category><category><![CDATA[داعش]]></category>`)
		fmt.Fprintf(&b, `<guid isPermaLink="false">https://7al.net/?p=%d</guid>`, id)
		b.WriteString(`<description><![CDATA[<p>أكد وزراء خارجية التحالف [&#8230;]</p>]]></description><content:encoded><![CDATA[`)
		b.WriteString(strings.Repeat(para, 8))
		b.WriteString(`]]></content:encoded></item>`)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// BenchmarkPoll fetches and parses 50 feeds of 100 items each from a
// loopback server, one at a time and with bounded concurrency.
func BenchmarkPoll(b *testing.B) {
	const feeds, items = 50, 100
	bodies := make([][]byte, feeds)
	for i := range bodies {
		bodies[i] = benchFeed(i, items)
	}
	mux := http.NewServeMux()
	for i := range bodies {
		mux.HandleFunc(fmt.Sprintf("/f/%d/feed/", i), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
			w.Write(bodies[i])
		})
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	reqs := make([]Request, feeds)
	for i := range reqs {
		reqs[i] = Request{URL: fmt.Sprintf("%s/f/%d/feed/", srv.URL, i)}
	}
	f := &Fetcher{Client: srv.Client(), Timeout: 30 * time.Second}

	for _, workers := range []int{1, 8} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			total := 0
			for b.Loop() {
				for _, o := range f.FetchAll(b.Context(), reqs, workers) {
					if o.Err != nil {
						b.Fatal(o.Err)
					}
					total += len(o.Result.Items)
				}
			}
			if total != b.N*feeds*items {
				b.Fatalf("parsed %d items, want %d", total, b.N*feeds*items)
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
