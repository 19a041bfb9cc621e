package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nashra/bot/telegramtest"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// signupRun is `nashra run` with its HTTP address known, for the signup
// page's tests.
type signupRun struct {
	srv   *telegramtest.Server
	redis *redistest.Redis
	store *subscribers.Store
	base  string // http://127.0.0.1:port
	proc  *process
}

func startSignupRun(t *testing.T, settings ...string) *signupRun {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	env := runEnv(srv, r)
	env["NASHRA_HTTP_ADDR"] = freeAddr(t)
	env["NASHRA_SITE_NAME"] = "حال نت" // the site's name
	for i := 0; i+1 < len(settings); i += 2 {
		env[settings[i]] = settings[i+1]
	}
	run := &signupRun{srv: srv, redis: r, store: subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix}),
		base: "http://" + env["NASHRA_HTTP_ADDR"], proc: startProcess(t, env)}
	t.Cleanup(func() { run.proc.stop(t) })
	waitUntil(t, 20*time.Second, func() bool {
		resp, err := http.Get(run.base + "/livez")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	return run
}

var startLink = regexp.MustCompile(`^https://t\.me/nashra_bot\?start=([A-Za-z0-9_-]{1,64})$`)

// start sends the payload of a t.me link to the bot as reader and returns
// the bot's answer.
func (s *signupRun) start(t *testing.T, reader int64, link string) telegramtest.Message {
	t.Helper()
	m := startLink.FindStringSubmatch(link)
	if m == nil {
		t.Fatalf("link %q: want https://t.me/nashra_bot?start= and at most 64 of A-Z a-z 0-9 _ -", link)
	}
	u := telegramtest.NewUser(reader, "ar")
	before := len(s.srv.SentTo(reader))
	s.srv.SendText(u, "/start "+m[1])
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := s.srv.WaitMessages(ctx, reader, before+1)
	if err != nil {
		t.Fatalf("no answer to /start %s: %v", m[1], err)
	}
	return msgs[before]
}

// checkReader asserts that reader follows exactly topics (slugs) at the
// schedule, signed up from source.
func (s *signupRun) checkReader(t *testing.T, reader int64, topics []string, schedule, source string) {
	t.Helper()
	r, err := s.store.Get(context.Background(), reader)
	if err != nil {
		t.Fatalf("reader %d: %v", reader, err)
	}
	var got []string
	for _, f := range r.Follows {
		got = append(got, f.Topic)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(topics))
	if !slices.Equal(got, want) || r.Schedule != schedule || r.Source != source || r.Status != subscribers.Active {
		t.Errorf("reader %d follows %v at %q from %q (%s); want %v at %q from %q, active", reader, got, r.Schedule, r.Source, r.Status, want, schedule, source)
	}
}

// The page without a browser: the form posts, the answer is the bot's
// link, and /start with it makes the reader follow what was ticked.
func TestSignupPageEndToEnd(t *testing.T) {
	s := startSignupRun(t)
	resp, err := http.Get(s.base + "/subscribe?source=site-footer")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `value="hasakah"`) || !strings.Contains(string(body), "حال نت") {
		t.Fatalf("GET /subscribe = %d; want the page with its topics and the site's name", resp.StatusCode)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(s.base+"/subscribe?source=site-footer", url.Values{
		"topic": {"hasakah", "al-hol", "sdf"}, "time": {"21:00"}, "source": {"site-footer"}, "lang": {"ar"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /subscribe = %d; want 303", resp.StatusCode)
	}
	m := s.start(t, 5101, resp.Header.Get("Location"))
	if !strings.Contains(m.Visible(), "الحسكة") || !strings.Contains(m.Visible(), "9:00 مساءً") { // Hasakah, 9 pm
		t.Errorf("welcome %q; want the topics and the time chosen", m.Text)
	}
	s.checkReader(t, 5101, []string{"hasakah", "al-hol", "sdf"}, "0 21 * * *", "site-footer")
	signups, err := s.store.SignupsBySource(context.Background())
	if err != nil || signups["site-footer"] != 1 {
		t.Errorf("/stats counts %v, %v; want one signup from site-footer", signups, err)
	}
}
