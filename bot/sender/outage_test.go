package sender

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"nashra/bot/telegramtest"
	"nashra/bot/tgerr"
	"nashra/outbox"
	"nashra/subscribers"
)

// refuseUntil fails every request before until without writing anything,
// as a refused connection does, then lets them through.
type refuseUntil struct {
	until time.Time
	base  http.RoundTripper
}

func (r refuseUntil) RoundTrip(req *http.Request) (*http.Response, error) {
	if time.Now().Before(r.until) {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, errors.New("dial tcp 149.154.167.220:443: connect: connection refused")
	}
	return r.base.RoundTrip(req)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// digests queues one digest for each of n new readers from base.
func (e *env) digests(base int64, n int) []outbox.Job {
	e.t.Helper()
	ctx := context.Background()
	var jobs []outbox.Job
	for i := range n {
		chat := base + int64(i)
		if _, err := e.store.Start(ctx, chat, subscribers.Joined{ChatType: "private"}); err != nil {
			e.t.Fatal(err)
		}
		j := outbox.Job{ID: fmt.Sprintf("d:%d:0-9:1", chat), ChatID: chat, Kind: "digest",
			Text: fmt.Sprintf("<b>📰 نشرة</b> %d", chat)} // "newsletter"
		if ok, err := e.queue.EnqueueDigest(ctx, chat, 0, 9, []outbox.Job{j}); err != nil || !ok {
			e.t.Fatalf("EnqueueDigest = %v, %v", ok, err)
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// drained waits until the outbox is empty (every entry finished and
// deleted) and returns when that was seen.
func (e *env) drained(within time.Duration) time.Time {
	e.t.Helper()
	deadline := time.Now().Add(within)
	for {
		hi, lo, err := e.queue.QueueDepth(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if hi+lo == 0 {
			return time.Now()
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("outbox not drained within %v: %d jobs left", within, hi+lo)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A minute of Telegram answering 500 to every message, or of refused
// connections, loses nothing and sends nothing twice: the senders pause
// (with a backoff that doubles per failed probe, from 1 s) and deliver
// everything once Telegram is back. Under -short the outage lasts 10 s.
func TestOutageLosesNothing(t *testing.T) {
	t.Parallel()
	outage := 60 * time.Second
	if testing.Short() {
		outage = 10 * time.Second
	}
	const readers = 1000
	for i, tc := range []struct {
		name   string
		refuse bool
	}{{"http 500", false}, {"connection refused", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, telegramtest.Limits{})
			jobs := e.digests(int64(100000*(i+1)), readers)
			until := time.Now().Add(outage)
			api := e.api()
			if tc.refuse {
				api = e.api(tg.WithHTTPClient(time.Minute, &http.Client{Transport: tgerr.Transport(refuseUntil{until: until, base: http.DefaultTransport})}))
			} else {
				e.srv.Outage("sendMessage", telegramtest.InternalError, until)
			}
			logs := &lockedBuffer{}
			s := e.sender("a", func(o *Options) {
				o.API = api
				o.OutageBackoff, o.MaxOutageBackoff = 0, 0 // the defaults: 1 s doubling up to 5 min
				o.Log = slog.New(slog.NewTextHandler(logs, nil))
			})
			start(t, s)
			done := e.drained(outage + 5*time.Minute + time.Minute)
			var first time.Time
			for _, c := range e.srv.Calls("sendMessage") {
				if c.Status == http.StatusOK && (first.IsZero() || c.Time.Before(first)) {
					first = c.Time
				}
			}
			t.Logf("%s: after a %v outage, the first message went out %.1f s after it ended, all %d %.1f s after it ended (%d systemic errors)",
				tc.name, outage, first.Sub(until).Seconds(), readers, done.Sub(until).Seconds(), s.Stats().Systemic)

			states := e.settle(jobs)
			for _, j := range jobs {
				if !strings.HasPrefix(states[j.ID], "sent:") {
					t.Errorf("job %s ended %q; want sent", j.ID, states[j.ID])
				}
			}
			e.exactlyOnce(chatsOf(jobs)...)
			if dl, err := e.queue.DeadLetters(context.Background(), 10); err != nil || len(dl) != 0 {
				t.Errorf("dead letters = %+v, %v; want none", dl, err)
			}
			st := s.Stats()
			if st.Unknown != 0 || st.Failed != 0 || st.Retried != 0 || st.Systemic == 0 || st.Outage {
				t.Errorf("stats = %+v; want no unknown, failed or retried, some systemic, outage over", st)
			}
			// The pause held everyone back: a few probes, not a storm.
			if calls := len(e.srv.Calls("sendMessage")); !tc.refuse && calls > readers+40 {
				t.Errorf("%d sendMessage calls for %d readers; want a few probes during the outage", calls, readers)
			}
			if st.Systemic > 40 {
				t.Errorf("%d systemic errors; want a few probes during the outage", st.Systemic)
			}
			out := logs.String()
			if n := strings.Count(out, "telegram unreachable"); n != 1 {
				t.Errorf("outage start logged %d times; want once:\n%s", n, out)
			}
			if n := strings.Count(out, "telegram answers again"); n != 1 {
				t.Errorf("outage end logged %d times; want once:\n%s", n, out)
			}
		})
	}
}
