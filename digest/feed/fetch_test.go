package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// serveBytes serves data as a feed from a loopback server.
func serveBytes(t testing.TB, data []byte, contentType string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchConditionalGET(t *testing.T) {
	const etag = `"a1b2c3"`
	const lastMod = "Mon, 12 Jun 2023 14:05:00 GMT"
	data := readFixture(t, "wordpress.rss")
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if ua := r.Header.Get("User-Agent"); ua != "nashra-test/1" {
			t.Errorf("User-Agent = %q", ua)
		}
		// WordPress answers 304 only when every validator sent matches.
		if r.Header.Get("If-None-Match") == etag && r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		w.Write(data)
	}))
	defer srv.Close()
	f := &Fetcher{UserAgent: "nashra-test/1"}
	ctx := t.Context()

	first, err := f.Fetch(ctx, srv.URL, Validators{})
	if err != nil {
		t.Fatalf("first fetch: %v", err)
	}
	if first.NotModified || len(first.Items) != 3 {
		t.Fatalf("first fetch: NotModified=%v, %d items; want a full feed", first.NotModified, len(first.Items))
	}
	want := Validators{ETag: etag, LastModified: lastMod}
	if first.Validators != want {
		t.Errorf("validators = %+v, want %+v", first.Validators, want)
	}

	second, err := f.Fetch(ctx, srv.URL, first.Validators)
	if err != nil {
		t.Fatalf("second fetch: %v", err)
	}
	if !second.NotModified || len(second.Items) != 0 {
		t.Errorf("second fetch: NotModified=%v, %d items; want a 304", second.NotModified, len(second.Items))
	}
	if second.Validators != want {
		t.Errorf("304 validators = %+v, want the stored %+v", second.Validators, want)
	}

	// A stale ETag gets the full feed again.
	third, err := f.Fetch(ctx, srv.URL, Validators{ETag: `"old"`, LastModified: lastMod})
	if err != nil || third.NotModified {
		t.Errorf("stale ETag: NotModified=%v, err=%v; want the feed", third != nil && third.NotModified, err)
	}
	if n := requests.Load(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
}

func TestFetchGzip(t *testing.T) {
	data := readFixture(t, "wordpress.rss")
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(data)
	zw.Close()
	for _, tc := range []struct {
		name     string
		declared bool
	}{
		{"declared", true},
		{"undeclared", false}, // some servers gzip without saying so
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
					t.Errorf("Accept-Encoding = %q", r.Header.Get("Accept-Encoding"))
				}
				if tc.declared {
					w.Header().Set("Content-Encoding", "gzip")
				}
				w.Write(zipped.Bytes())
			}))
			defer srv.Close()
			res, err := (&Fetcher{}).Fetch(t.Context(), srv.URL, Validators{})
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if len(res.Items) != 3 {
				t.Errorf("got %d items, want 3", len(res.Items))
			}
		})
	}
}

// feedStream writes a syntactically fine feed of n bytes or more without
// holding it in memory, stopping when the client goes away.
func feedStream(w http.ResponseWriter, n int) {
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>big</title>`))
	chunk := []byte(strings.Repeat("<item><title>خبر</title><link>https://7al.net/x</link><description>نص طويل</description></item>\n", 100))
	for written := 0; written < n; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	w.Write([]byte("</channel></rss>"))
}

func TestFetchSizeCap(t *testing.T) {
	const big = 20 << 20
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(bytes.Repeat([]byte(" "), big))
	zw.Close()

	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"20 MB streamed without a length", func(w http.ResponseWriter, r *http.Request) {
			feedStream(w, big)
		}},
		{"20 MB announced by Content-Length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(big))
			feedStream(w, big)
		}},
		{"gzip bomb: small on the wire, 20 MB unpacked", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			res, err := (&Fetcher{}).Fetch(t.Context(), srv.URL, Validators{})
			var tl *TooLargeError
			if !errors.As(err, &tl) {
				t.Fatalf("Fetch = %v, %v; want a *TooLargeError", res, err)
			}
			if tl.Limit != DefaultMaxBytes || tl.URL != srv.URL {
				t.Errorf("TooLargeError = %+v", tl)
			}
		})
	}

	t.Run("just under the cap parses", func(t *testing.T) {
		data := readFixture(t, "wordpress.rss")
		srv := serveBytes(t, data, "application/rss+xml")
		if _, err := (&Fetcher{MaxBytes: int64(len(data))}).Fetch(t.Context(), srv.URL, Validators{}); err != nil {
			t.Errorf("Fetch with MaxBytes = len(body): %v", err)
		}
		var tl *TooLargeError
		if _, err := (&Fetcher{MaxBytes: int64(len(data) - 1)}).Fetch(t.Context(), srv.URL, Validators{}); !errors.As(err, &tl) {
			t.Errorf("Fetch with MaxBytes = len(body)-1: %v, want a *TooLargeError", err)
		}
	})
}

func TestFetchTimeout(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"no headers", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}},
		{"body trickles", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			start := time.Now()
			_, err := (&Fetcher{Timeout: 100 * time.Millisecond}).Fetch(t.Context(), srv.URL, Validators{})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Fetch = %v, want context.DeadlineExceeded", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Fetch took %v with a 100ms timeout", d)
			}
		})
	}
}

func TestFetchHTTPErrors(t *testing.T) {
	date := time.Date(2023, 6, 12, 14, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
		want       time.Duration
	}{
		{"429 with seconds", http.StatusTooManyRequests, "120", 2 * time.Minute},
		{"503 with an HTTP date", http.StatusServiceUnavailable, date.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"503 with a past date", http.StatusServiceUnavailable, date.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"429 with garbage", http.StatusTooManyRequests, "soon", 0},
		{"500", http.StatusInternalServerError, "", 0},
		{"502", http.StatusBadGateway, "", 0},
		{"404", http.StatusNotFound, "", 0},
		{"403", http.StatusForbidden, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Date", date.Format(http.TimeFormat))
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, "<html><body>error page</body></html>")
			}))
			defer srv.Close()
			_, err := (&Fetcher{}).Fetch(t.Context(), srv.URL, Validators{})
			var he *HTTPError
			if !errors.As(err, &he) {
				t.Fatalf("Fetch = %v, want an *HTTPError", err)
			}
			if he.Status != tc.status || he.RetryAfter != tc.want || he.URL != srv.URL {
				t.Errorf("HTTPError = %+v, want status %d, retry after %v", he, tc.status, tc.want)
			}
		})
	}
}

func TestFetchBrokenFeed(t *testing.T) {
	srv := serveBytes(t, readFixture(t, "broken.rss"), "application/rss+xml")
	_, err := (&Fetcher{}).Fetch(t.Context(), srv.URL, Validators{})
	var pe *ParseError
	if !errors.As(err, &pe) || pe.URL != srv.URL {
		t.Errorf("Fetch = %v, want a *ParseError naming %s", err, srv.URL)
	}
}

func TestFetchContentTypeCharset(t *testing.T) {
	srv := serveBytes(t, encodedFeedBytes(t), "text/xml; charset=windows-1256")
	res, err := (&Fetcher{}).Fetch(t.Context(), srv.URL, Validators{})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if len(res.Items) != 1 || res.Items[0].Title != encTitle {
		t.Errorf("Items = %+v, want the title %q", res.Items, encTitle)
	}
}

// FetchAll polls several feeds; one failing feed fails only its own
// outcome, and the article shared by two category feeds has one ID.
func TestFetchAll(t *testing.T) {
	mux := http.NewServeMux()
	for path, fixture := range map[string]string{
		"/category/syria/feed/": "category-syria.rss",
		"/tag/isis/feed/":       "category-isis.rss",
		"/feed/atom/":           "wordpress.atom",
	} {
		data := readFixture(t, fixture)
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { w.Write(data) })
	}
	mux.HandleFunc("/broken/feed/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	paths := []string{"/category/syria/feed/", "/broken/feed/", "/tag/isis/feed/", "/feed/atom/"}
	var reqs []Request
	for _, p := range paths {
		reqs = append(reqs, Request{URL: srv.URL + p})
	}
	for _, workers := range []int{0, 1, 3, 10} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			outs := (&Fetcher{}).FetchAll(t.Context(), reqs, workers)
			if len(outs) != len(reqs) {
				t.Fatalf("got %d outcomes", len(outs))
			}
			feedsOf := map[string][]string{}
			for i, o := range outs {
				if o.URL != reqs[i].URL {
					t.Errorf("outcome %d is for %s, want %s", i, o.URL, reqs[i].URL)
				}
				if paths[i] == "/broken/feed/" {
					var he *HTTPError
					if !errors.As(o.Err, &he) || he.Status != http.StatusBadGateway {
						t.Errorf("broken feed: %v, want HTTP 502", o.Err)
					}
					continue
				}
				if o.Err != nil {
					t.Errorf("%s: %v", o.URL, o.Err)
					continue
				}
				for _, it := range o.Result.Items {
					feedsOf[it.ID] = append(feedsOf[it.ID], it.FeedURL)
				}
			}
			if got := len(feedsOf["https://7al.net/?p=123456"]); got != 3 {
				t.Errorf("the shared article came under its ID from %d feeds, want 3 (two categories and atom)", got)
			}
		})
	}
}
