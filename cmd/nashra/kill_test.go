package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"nashra/bot/telegramtest"
	"nashra/digest/articles"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// TestMain lets the test binary run as nashra itself, so a test can start
// the real program as a child process and kill -9 it.
func TestMain(m *testing.M) {
	if os.Getenv("NASHRA_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type child struct {
	cmd  *exec.Cmd
	logs *lockedBuffer
}

func startChild(t *testing.T, env map[string]string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], "run"), logs: &lockedBuffer{}}
	c.cmd.Env = append(os.Environ(), "NASHRA_TEST_AS_MAIN=1")
	for k, v := range env {
		c.cmd.Env = append(c.cmd.Env, k+"="+v)
	}
	c.cmd.Stdout, c.cmd.Stderr = c.logs, c.logs
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.kill() })
	return c
}

// kill is kill -9: no shutdown, no cleanup.
func (c *child) kill() {
	if c.cmd.ProcessState == nil {
		_ = c.cmd.Process.Kill()
		_ = c.cmd.Wait()
	}
}

// A reader who follows قسد receives, at the time they chose, one digest
// with the in-scope SDF articles and nothing else, exactly once, across
// kill -9 and restarts of the program.
func TestDigestExactlyOnceAcrossKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a digest minute")
	}
	feedBody, err := os.ReadFile("../../testdata/site.rss")
	if err != nil {
		t.Fatal(err)
	}
	// The feed is empty until the reader has chosen a time: a reader who
	// subscribes while stories are stored gets the latest at once, and
	// this test is about the digest at their time.
	var published atomic.Bool
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !published.Load() {
			w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>7al</title></channel></rss>`))
			return
		}
		w.Write(feedBody)
	}))
	defer feeds.Close()
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	env := runEnv(srv, r)
	env["NASHRA_FEEDS"] = feeds.URL + "/feed/"
	env["NASHRA_POLL_SCHEDULE"] = "@every 1s"
	env["NASHRA_TIMEZONE"] = "Asia/Damascus"
	env["NASHRA_LOG_LEVEL"] = "debug"
	reader := telegramtest.NewUser(5151, "ar")
	ctx := context.Background()
	say := func(text string) telegramtest.Message {
		t.Helper()
		before := len(srv.SentTo(reader.ID))
		srv.SendText(reader, text)
		wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		msgs, err := srv.WaitMessages(wctx, reader.ID, before+1)
		if err != nil {
			t.Fatalf("%s: no reply: %v", text, err)
		}
		return msgs[before]
	}

	a := startChild(t, env)
	say("/start")
	say("/follow قسد") // follow SDF
	// The next whole minute in Damascus, with time to spare for the kill.
	loc, _ := time.LoadLocation("Asia/Damascus")
	at := time.Now().In(loc).Truncate(time.Minute).Add(time.Minute)
	if time.Until(at) < 25*time.Second {
		at = at.Add(time.Minute)
	}
	m := say(fmt.Sprintf("/time %02d:%02d", at.Hour(), at.Minute()))
	readers := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	if rd, err := readers.Get(ctx, reader.ID); err != nil || rd.Schedule != fmt.Sprintf("%d %d * * *", at.Minute(), at.Hour()) {
		t.Fatalf("after /time (reply %q) the schedule is %q, %v; want %s", m.Text, rd.Schedule, err, at.Format("15:04"))
	}
	published.Store(true)
	store := articles.New(r.Client, articles.Options{Prefix: r.Prefix})
	waitUntil(t, 30*time.Second, func() bool { n, _ := store.LastSeq(ctx); return n >= 4 })

	a.kill() // kill -9 before the digest time
	b := startChild(t, env)

	isDigest := func(m telegramtest.Message) bool { return strings.HasPrefix(m.Text, "📰") }
	digests := func() []telegramtest.Message {
		var out []telegramtest.Message
		for _, m := range srv.SentTo(reader.ID) {
			if isDigest(m) {
				out = append(out, m)
			}
		}
		return out
	}
	waitUntil(t, time.Until(at)+90*time.Second, func() bool { return len(digests()) > 0 })
	if got := time.Now(); got.Before(at) {
		t.Errorf("the digest came at %v, before the chosen %v", got, at)
	}
	b.kill() // kill -9 right after the delivery
	c := startChild(t, env)
	// Give the restarted program a couple of digest ticks to misbehave.
	time.Sleep(70 * time.Second)
	c.kill()

	ds := digests()
	if len(ds) != 1 {
		t.Fatalf("%d digests; want exactly 1\nlogs of the last run:\n%s", len(ds), c.logs.String())
	}
	d := ds[0].Text
	for _, want := range []string{"«تهديّدات “داعش” لم تنتهِ بعد»", "«قسد» تحبط تسلل"} { // the seed article; the SDF report
		if !strings.Contains(d, want) {
			t.Errorf("the digest lacks %q:\n%s", want, d)
		}
	}
	for _, unwanted := range []string{"أسعار الذهب", "مخيم الهول"} { // gold prices (out of scope); al-Hol (not SDF)
		if strings.Contains(d, unwanted) {
			t.Errorf("the digest contains %q:\n%s", unwanted, d)
		}
	}
	if !containsButtonText(ds[0], "do:pause") {
		t.Errorf("the digest has no pause button: %v", ds[0].Buttons())
	}
}

func containsButtonText(m telegramtest.Message, part string) bool {
	for _, b := range m.Buttons() {
		if strings.Contains(b, part) {
			return true
		}
	}
	return false
}

func waitUntil(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// After kill -9, the program restarted under the same instance identity
// answers within 10 s of starting: it takes its own polling lease back
// instead of waiting for it to expire, and a /start sent while it was down
// is answered too.
func TestRestartAfterKill9AnswersAtOnce(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	env := runEnv(srv, r)
	env["NASHRA_INSTANCE_ID"] = "test-host-1"
	reader := telegramtest.NewUser(5252, "ar")
	a := startChild(t, env)
	srv.SendText(reader, "/help")
	wctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	_, err := srv.WaitMessages(wctx, reader.ID, 1)
	cancel()
	if err != nil {
		t.Fatalf("no reply before the kill: %v\n%s", err, a.logs.String())
	}
	a.kill()
	srv.SendText(reader, "/start")
	b := startChild(t, env)
	started := time.Now()
	wctx, cancel = context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := srv.WaitMessages(wctx, reader.ID, 2); err != nil {
		t.Fatalf("the restarted program did not answer /start within 10s: %v\n%s", err, b.logs.String())
	}
	t.Logf("answered %v after the restart", time.Since(started))
}
