package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/bot/telegramtest"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// redisServer is a redis-server process of the test's own, with the
// append-only file on as compose.yaml runs it, so that it can be
// restarted under a running nashra.
type redisServer struct {
	t    *testing.T
	dir  string
	port int
	cmd  *exec.Cmd
	logs *lockedBuffer
}

func startRedisServer(t *testing.T) *redisServer {
	t.Helper()
	if !redistest.Real() {
		// It starts a server of its own whatever the pass; one pass is enough.
		t.Skip("runs in the real-Redis pass (NASHRA_TEST_REDIS_URL set)")
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed (.ci/run installs it)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &redisServer{t: t, dir: t.TempDir(), port: port}
	s.start()
	t.Cleanup(func() {
		if s.cmd != nil && s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			_ = s.cmd.Wait()
		}
	})
	return s
}

func (s *redisServer) url() string { return "redis://127.0.0.1:" + strconv.Itoa(s.port) + "/0" }

func (s *redisServer) start() {
	s.t.Helper()
	s.logs = &lockedBuffer{}
	s.cmd = exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--dir", s.dir, "--save", "", "--appendonly", "yes", "--appendfsync", "everysec")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(s.port)})
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		// PING answers LOADING while the append-only file is replayed.
		if err := c.Ping(context.Background()).Err(); err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("redis-server did not come up:\n%s", s.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// restart stops the server as an operator's restart does (SIGTERM: it
// writes the append-only file out and exits), leaves it down for down,
// then starts it again on the same port and data.
func (s *redisServer) restart(down time.Duration) {
	s.t.Helper()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		s.t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		s.t.Logf("redis-server exited: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.dir, "appendonlydir")); err != nil {
		s.t.Fatalf("no append-only file after the restart: %v", err)
	}
	time.Sleep(down)
	s.start()
}

// restartHarness is one `nashra run` against a redis-server of its own and
// the fake Bot API, with readers written straight into Redis.
type restartHarness struct {
	t      *testing.T
	redis  *redisServer
	client *redis.Client
	store  *subscribers.Store
	srv    *telegramtest.Server
	env    map[string]string
	prefix string
}

const restartAdmin = 4242

// restartDowntime is how long Redis stays down: about what a restart under
// a service manager takes, with the append-only file replayed.
const restartDowntime = 5 * time.Second

func newRestartHarness(t *testing.T) *restartHarness {
	t.Helper()
	rs := startRedisServer(t)
	opt, _ := redis.ParseURL(rs.url())
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	prefix := "nashra:"
	srv := telegramtest.New(t, telegramtest.Options{})
	srv.SetLimits(telegramtest.Limits{PerSecond: 30, PerChatPerSecond: 1, PerGroupPerMinute: 20})
	return &restartHarness{
		t: t, redis: rs, client: c, srv: srv, prefix: prefix,
		store: subscribers.New(c, subscribers.Options{Prefix: prefix}),
		env: map[string]string{
			"NASHRA_TELEGRAM_TOKEN": srv.Token(),
			"NASHRA_TELEGRAM_API":   srv.URL(),
			"NASHRA_REDIS_URL":      rs.url(),
			"NASHRA_REDIS_PREFIX":   prefix,
			"NASHRA_HTTP_ADDR":      "127.0.0.1:0",
			"NASHRA_ADMINS":         strconv.Itoa(restartAdmin),
			"NASHRA_SEND_RATE":      "25",
			"NASHRA_LOG_LEVEL":      "debug",
		},
	}
}

// readers subscribes n private readers from base, with schedule sched.
func (h *restartHarness) readers(base int64, n int, sched string) []int64 {
	h.t.Helper()
	ctx := context.Background()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = base + int64(i)
		if _, err := h.store.Start(ctx, ids[i], subscribers.Joined{Lang: "ar", ChatType: "private"}); err != nil {
			h.t.Fatal(err)
		}
		if sched != "" {
			if err := h.store.SetSchedule(ctx, ids[i], sched); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	return ids
}

// received counts the messages each of ids got that match.
func (h *restartHarness) received(ids []int64, match func(telegramtest.Message) bool) map[int64]int {
	got := map[int64]int{}
	for _, id := range ids {
		for _, m := range h.srv.SentTo(id) {
			if match(m) {
				got[id]++
			}
		}
	}
	return got
}

// checkOnce fails unless every reader got exactly one matching message,
// and reports how many jobs ended in a state other than sent.
func (h *restartHarness) checkOnce(ids []int64, match func(telegramtest.Message) bool, logs *lockedBuffer) {
	h.t.Helper()
	got := h.received(ids, match)
	var missing, twice []int64
	for _, id := range ids {
		switch n := got[id]; {
		case n == 0:
			missing = append(missing, id)
		case n > 1:
			twice = append(twice, id)
		}
	}
	if len(missing) > 0 || len(twice) > 0 {
		h.t.Errorf("%d readers got nothing (%v), %d got it more than once (%v)\nlogs:\n%s",
			len(missing), head(missing), len(twice), head(twice), tail(logs.String(), 6000))
	}
	states := h.jobStates()
	h.t.Logf("job states: %v", states)
	for st, n := range states {
		if !strings.HasPrefix(st, "sent:") {
			h.t.Errorf("%d jobs ended %q; want every job sent", n, st)
		}
	}
}

// jobStates counts the outbox's job states by kind of state.
func (h *restartHarness) jobStates() map[string]int {
	h.t.Helper()
	ctx := context.Background()
	out := map[string]int{}
	iter := h.client.Scan(ctx, 0, h.prefix+"{r*}:j:*", 1000).Iterator()
	for iter.Next(ctx) {
		st, err := h.client.Get(ctx, iter.Val()).Result()
		if err != nil {
			continue
		}
		if i := strings.IndexByte(st, ':'); i > 0 && (strings.HasPrefix(st, "sent:") || strings.HasPrefix(st, "inflight:")) {
			st = st[:i+1]
		}
		out[st]++
	}
	if err := iter.Err(); err != nil {
		h.t.Fatal(err)
	}
	return out
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 10)] }

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool, logs *lockedBuffer) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v\nlogs:\n%s", what, d, tail(logs.String(), 6000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Restarting redis-server (append-only file on) in the middle of a
// broadcast loses nothing and duplicates nothing: every reader gets the
// announcement exactly once and the admin is told it is complete.
func TestRedisRestartDuringBroadcast(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a broadcast to 300 readers at 25 messages a second")
	}
	t.Parallel()
	h := newRestartHarness(t)
	ids := h.readers(800000, 300, "")
	child := startChild(t, h.env)

	admin := telegramtest.NewUser(restartAdmin, "ar")
	before := len(h.srv.SentTo(admin.ID))
	h.srv.SendText(admin, "/broadcast نشرة خاصة: تغطية مباشرة الليلة") // "special bulletin: live coverage tonight"
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	msgs, err := h.srv.WaitMessages(ctx, admin.ID, before+2)
	if err != nil {
		t.Fatalf("no broadcast preview: %v\n%s", err, child.logs.String())
	}
	control := msgs[before+1]
	var confirm string
	for _, b := range control.Buttons() {
		if i := strings.Index(b, "bc:confirm:"); i >= 0 {
			confirm = b[i:]
		}
	}
	if confirm == "" {
		t.Fatalf("no confirm button on %q: %v", control.Text, control.Buttons())
	}
	if _, err := h.srv.PressButton(admin.ID, control.MessageID, admin.ID, confirm); err != nil {
		t.Fatal(err)
	}
	isBroadcast := func(m telegramtest.Message) bool { return strings.Contains(m.Text, "تغطية مباشرة") }
	delivered := func() int { return len(h.received(ids, isBroadcast)) }
	waitFor(t, 60*time.Second, "a third of the broadcast delivered", func() bool { return delivered() >= 100 }, child.logs)
	h.redis.restart(restartDowntime)
	t.Logf("redis restarted after %d of %d deliveries", delivered(), len(ids))
	waitFor(t, 90*time.Second, "the broadcast completed", func() bool {
		for _, m := range h.srv.SentTo(admin.ID) {
			if m.MessageID == control.MessageID && strings.Contains(m.Text, "اكتمل الإرسال") { // "sending complete"
				return true
			}
		}
		return false
	}, child.logs)
	h.checkOnce(ids, isBroadcast, child.logs)
}

// Restarting redis-server in the middle of a digest run loses nothing and
// duplicates nothing: every reader gets exactly one digest.
func TestRedisRestartDuringDigests(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a digest minute")
	}
	t.Parallel()
	feedBody, err := os.ReadFile("../../testdata/site.rss")
	if err != nil {
		t.Fatal(err)
	}
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(feedBody) }))
	defer feeds.Close()
	h := newRestartHarness(t)
	h.env["NASHRA_FEEDS"] = feeds.URL + "/feed/"
	h.env["NASHRA_POLL_SCHEDULE"] = "@every 2s"
	ids := h.readers(900000, 300, subscribers.Instant)
	child := startChild(t, h.env)

	isDigest := func(m telegramtest.Message) bool { return strings.HasPrefix(m.Text, "📰") }
	delivered := func() int { return len(h.received(ids, isDigest)) }
	// The first digest minute after the articles arrive queues all 300.
	waitFor(t, 150*time.Second, "a third of the digests delivered", func() bool { return delivered() >= 100 }, child.logs)
	h.redis.restart(restartDowntime)
	t.Logf("redis restarted after %d of %d digests", delivered(), len(ids))
	waitFor(t, 90*time.Second, "every digest delivered", func() bool { return delivered() == len(ids) }, child.logs)
	// A few more digest ticks and polls, to see nothing comes twice.
	time.Sleep(65 * time.Second)
	h.checkOnce(ids, isDigest, child.logs)
}
