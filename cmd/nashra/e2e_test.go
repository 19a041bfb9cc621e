package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/bot/telegramtest"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

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

// process is one `nashra run` of the real binary's code path.
type process struct {
	cancel context.CancelFunc
	done   chan error
	logs   *lockedBuffer
}

func startProcess(t *testing.T, env map[string]string) *process {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &process{cancel: cancel, done: make(chan error, 1), logs: &lockedBuffer{}}
	go func() {
		p.done <- run(ctx, []string{"run"}, func(k string) string { return env[k] }, strings.NewReader(""), p.logs, p.logs)
	}()
	return p
}

// stop is SIGTERM: the program must return cleanly.
// logged waits up to d for line to appear in the logs. A job logs what it
// did after doing it, so a reader may see the outcome before the line is
// written.
func (p *process) logged(line string, d time.Duration) bool {
	for end := time.Now().Add(d); ; time.Sleep(20 * time.Millisecond) {
		if strings.Contains(p.logs.String(), line) {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

func (p *process) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("nashra run returned %v; logs:\n%s", err, p.logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("nashra run did not stop within 30s; logs:\n%s", p.logs.String())
	}
}

func TestRunEndToEnd(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	env := runEnv(srv, r)
	env["NASHRA_LOG_LEVEL"] = "debug"
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	ctx := context.Background()
	reader := telegramtest.NewUser(4242, "ar")

	say := func(text string, want ...string) {
		t.Helper()
		before := len(srv.SentTo(reader.ID))
		srv.SendText(reader, text)
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		msgs, err := srv.WaitMessages(wctx, reader.ID, before+1)
		if err != nil {
			t.Fatalf("%s: no reply: %v", text, err)
		}
		for _, w := range want {
			if !strings.Contains(msgs[before].Text, w) {
				t.Errorf("%s: reply %q lacks %q", text, msgs[before].Text, w)
			}
		}
	}
	follows := func() string {
		t.Helper()
		fs, err := store.Follows(ctx, reader.ID)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, f := range fs {
			keys = append(keys, f.Key)
		}
		return strings.Join(keys, ",")
	}
	status := func() subscribers.Status {
		t.Helper()
		rd, err := store.Get(ctx, reader.ID)
		if err != nil {
			t.Fatal(err)
		}
		return rd.Status
	}

	p := startProcess(t, env)
	say("/start", "أهلاً بك") // "welcome"
	if st := status(); st != subscribers.Active {
		t.Errorf("after /start status %s; want active", st)
	}
	say("/follow قسد", "قوات سوريا الديمقراطية") // follow SDF by its Arabic acronym
	say("/follow SDF", "من قبل")                 // the English alias: "already"
	if got := follows(); got != "t:sdf" {
		t.Errorf("after two follows of one topic: %q; want t:sdf once", got)
	}
	say("/mytopics", "قوات سوريا الديمقراطية")
	say("/follow انقطاع الكهرباء", "انقطاع الكهرباء") // "power cuts": a free keyword
	say("/unfollow قسد", "ألغيتَ متابعة")
	if got := follows(); got != "k:انقطاع الكهرباء" {
		t.Errorf("after unfollowing SDF: %q; want only the keyword", got)
	}
	say("/stop", "ألغينا اشتراكك")
	if st := status(); st != subscribers.Stopped {
		t.Errorf("after /stop status %s; want stopped", st)
	}
	p.stop(t)
	if strings.Contains(p.logs.String(), srv.Token()) {
		t.Errorf("the logs contain the bot token:\n%s", p.logs.String())
	}

	// A restart finds everything where it was.
	if got, st := follows(), status(); got != "k:انقطاع الكهرباء" || st != subscribers.Stopped {
		t.Errorf("after the restart follows %q, status %s; want the keyword, stopped", got, st)
	}
	p = startProcess(t, env)
	say("/start", "أهلاً بعودتك") // "welcome back"
	say("/mytopics", "انقطاع الكهرباء")
	if st := status(); st != subscribers.Active {
		t.Errorf("after /start again status %s; want active", st)
	}
	p.stop(t)
	// Every reply went out once: 9 commands, 9 answers.
	if n := len(srv.SentTo(reader.ID)); n != 9 {
		t.Errorf("%d messages to the reader; want 9, one per command", n)
	}
}

func TestRunMemoryStoreWarns(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	env := map[string]string{
		"NASHRA_TELEGRAM_TOKEN": srv.Token(),
		"NASHRA_TELEGRAM_API":   srv.URL(),
		"NASHRA_REDIS_URL":      "memory",
		"NASHRA_HTTP_ADDR":      "127.0.0.1:0",
	}
	p := startProcess(t, env)
	reader := telegramtest.NewUser(77, "en")
	srv.SendText(reader, "/start")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := srv.WaitMessages(ctx, reader.ID, 1); err != nil {
		t.Fatalf("no reply with the memory store: %v", err)
	}
	p.stop(t)
	if !strings.Contains(p.logs.String(), "LOST when it exits") {
		t.Errorf("no loud warning that the memory store loses state; logs:\n%s", p.logs.String())
	}
}

// A token Telegram rejects stops the program with a message naming the
// variable, not a retry loop; the token is not printed.
func TestRunRejectedToken(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	bad := "123456:" + strings.Repeat("x", 35)
	env := map[string]string{
		"NASHRA_TELEGRAM_TOKEN": bad,
		"NASHRA_TELEGRAM_API":   srv.URL(),
		"NASHRA_REDIS_URL":      "memory",
		"NASHRA_HTTP_ADDR":      "127.0.0.1:0",
	}
	p := startProcess(t, env)
	select {
	case err := <-p.done:
		if err == nil || !strings.Contains(err.Error(), "NASHRA_TELEGRAM_TOKEN") || strings.Contains(err.Error(), bad) {
			t.Errorf("run with a rejected token = %v; want an error naming NASHRA_TELEGRAM_TOKEN without the token", err)
		}
		if strings.Contains(p.logs.String(), bad) {
			t.Errorf("logs contain the token:\n%s", p.logs.String())
		}
	case <-time.After(30 * time.Second):
		p.cancel()
		t.Fatal("run kept going with a token Telegram rejects")
	}
}

// Two instances on one Redis: only the lease holder long-polls (Telegram
// would answer the other 409), and every command is answered once.
func TestTwoInstancesOnePoller(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	env := runEnv(srv, r)
	a, b := startProcess(t, env), startProcess(t, env)
	reader := telegramtest.NewUser(31, "ar")
	for i, text := range []string{"/start", "/follow قسد", "/mytopics", "/help"} {
		srv.SendText(reader, text)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, err := srv.WaitMessages(ctx, reader.ID, i+1)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
	}
	a.stop(t)
	b.stop(t)
	if n := len(srv.SentTo(reader.ID)); n != 4 {
		t.Errorf("%d replies to 4 commands; want 4", n)
	}
	for _, c := range srv.Calls("getUpdates") {
		if c.Status == 409 {
			t.Fatalf("a second poller got 409 Conflict: %s", c.Description)
		}
	}
}

// runEnv is the environment of a `nashra run` against the fake Bot API srv
// and the test Redis r, on a free local port. The feed is a local port
// nothing listens on: the poll at start must not reach the network.
func runEnv(srv *telegramtest.Server, r *redistest.Redis) map[string]string {
	return map[string]string{
		"NASHRA_TELEGRAM_TOKEN": srv.Token(),
		"NASHRA_TELEGRAM_API":   srv.URL(),
		"NASHRA_REDIS_URL":      r.URL,
		"NASHRA_REDIS_PREFIX":   r.Prefix,
		"NASHRA_HTTP_ADDR":      "127.0.0.1:0",
		"NASHRA_FEEDS":          "http://127.0.0.1:9/feed/",
	}
}
