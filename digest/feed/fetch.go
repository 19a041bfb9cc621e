package feed

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults for a zero Fetcher.
const (
	DefaultUserAgent = "nashra/1.0 (news digest bot; RSS reader)"
	DefaultMaxBytes  = 5 << 20
	DefaultTimeout   = 20 * time.Second
)

// Validators are the HTTP cache validators of a feed, kept between polls
// for a conditional GET. On WordPress they are site-wide (any new comment
// changes them), so a 200 with no new items is normal.
type Validators struct {
	ETag         string
	LastModified string
}

// Fetcher fetches and parses feeds and article pages. The zero value is
// ready to use; it is safe for concurrent use.
type Fetcher struct {
	Client    *http.Client  // nil: a client with no timeout of its own
	UserAgent string        // "": DefaultUserAgent
	MaxBytes  int64         // largest body read, after decompression; 0: DefaultMaxBytes
	Timeout   time.Duration // per request, body included; 0: DefaultTimeout
}

// HTTPError is a response with a status other than 200 or 304.
type HTTPError struct {
	URL    string
	Status int
	// RetryAfter is the server's Retry-After (429, 503), zero when absent.
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("GET %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// TooLargeError is a body over the Fetcher's MaxBytes. Nothing of it is
// parsed: a truncated feed would look like a feed that lost its old items.
type TooLargeError struct {
	URL   string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("GET %s: body larger than %d bytes", e.URL, e.Limit)
}

// Fetch GETs a feed and parses it. v are the validators from the previous
// fetch of the same URL (zero the first time); a 304 returns
// Result{NotModified: true} with those validators. Failures are typed:
// *HTTPError, *TooLargeError, *ParseError, or the transport error (a timeout
// satisfies errors.Is(err, context.DeadlineExceeded)).
func (f *Fetcher) Fetch(ctx context.Context, url string, v Validators) (*Result, error) {
	header := http.Header{}
	header.Set("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
	if v.ETag != "" {
		header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		header.Set("If-Modified-Since", v.LastModified)
	}
	body, resp, err := f.get(ctx, url, header, http.StatusNotModified)
	if err != nil {
		return nil, err
	}
	got := Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	if resp.StatusCode == http.StatusNotModified {
		// A 304 need not repeat the validators; keep the ones that worked.
		if got.ETag == "" {
			got.ETag = v.ETag
		}
		if got.LastModified == "" {
			got.LastModified = v.LastModified
		}
		return &Result{NotModified: true, Validators: got}, nil
	}
	res, err := Parse(body, url, resp.Header.Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	res.Validators = got
	return res, nil
}

// get performs one GET under the timeout and size cap and returns the
// decompressed body of a 200 (or of a status in also). Any other status is
// an *HTTPError.
func (f *Fetcher) get(ctx context.Context, url string, header http.Header, also ...int) ([]byte, *http.Response, error) {
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", url, err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	ua := f.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	req.Header.Set("User-Agent", ua)
	// Asking for gzip ourselves turns off the transport's transparent
	// decompression, so we decompress below, under our own size cap, and
	// it works whatever transport the caller configured.
	req.Header.Set("Accept-Encoding", "gzip")

	client := f.Client
	if client == nil {
		client = &http.Client{}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", url, contextErr(ctx, err))
	}
	defer resp.Body.Close()

	ok := resp.StatusCode == http.StatusOK
	for _, s := range also {
		ok = ok || resp.StatusCode == s
	}
	if !ok {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, resp, &HTTPError{URL: url, Status: resp.StatusCode, RetryAfter: retryAfter(resp)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, resp, nil
	}

	limit := f.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	// A compressed body over the limit would be larger still unpacked.
	if resp.ContentLength > limit {
		return nil, resp, &TooLargeError{URL: url, Limit: limit}
	}
	var r io.Reader = bufio.NewReader(resp.Body)
	// Some servers gzip without saying so; the magic number tells.
	gzipped := strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip")
	if magic, _ := r.(*bufio.Reader).Peek(2); gzipped || len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, resp, fmt.Errorf("GET %s: gzip: %w", url, contextErr(ctx, err))
		}
		defer zr.Close()
		r = zr
	}
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, resp, fmt.Errorf("GET %s: read body: %w", url, contextErr(ctx, err))
	}
	if int64(len(body)) > limit {
		return nil, resp, &TooLargeError{URL: url, Limit: limit}
	}
	return body, resp, nil
}

// contextErr makes a timeout or cancellation recognisable with errors.Is
// whatever the transport wrapped it in.
func contextErr(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return err
}

// retryAfter reads Retry-After as seconds or as an HTTP date. A date is
// measured against the response's own Date header, so our clock's skew does
// not matter.
func retryAfter(resp *http.Response) time.Duration {
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	now := time.Now()
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		now = d
	}
	if d := at.Sub(now); d > 0 {
		return d
	}
	return 0
}

// Request names a feed to fetch and the validators from its last fetch.
type Request struct {
	URL        string
	Validators Validators
}

// Outcome is the result of one Request: Result or Err is set.
type Outcome struct {
	URL    string
	Result *Result
	Err    error
}

// FetchAll fetches every request with at most workers fetches in flight
// (at least 1) and returns the outcomes in request order. A failing feed
// only fails its own Outcome. All goroutines have finished when it returns.
func (f *Fetcher) FetchAll(ctx context.Context, reqs []Request, workers int) []Outcome {
	out := make([]Outcome, len(reqs))
	workers = max(1, min(workers, len(reqs)))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				res, err := f.Fetch(ctx, reqs[i].URL, reqs[i].Validators)
				out[i] = Outcome{URL: reqs[i].URL, Result: res, Err: err}
			}
		})
	}
	for i := range reqs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
