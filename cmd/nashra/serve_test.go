package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"nashra/bot/telegramtest"
	"nashra/digest/articles"
	"nashra/subscribers/redistest"
)

// A mistake found at start stops `nashra run` with a message naming the
// setting, and leaves no goroutine and no listener behind: the port is
// free again when run returns.
func TestRunEarlyErrorsLeakNothing(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name   string
		env    map[string]string
		inject *telegramtest.Fault
		want   string
	}{
		{"port in use", map[string]string{"NASHRA_HTTP_ADDR": busy.Addr().String()}, nil, "NASHRA_HTTP_ADDR"},
		{"redis unreachable", map[string]string{"NASHRA_REDIS_URL": "redis://" + freeAddr(t) + "/0"}, nil, "NASHRA_REDIS_URL"},
		{"token rejected", map[string]string{"NASHRA_TELEGRAM_TOKEN": "123456:" + strings.Repeat("x", 35)}, nil, "NASHRA_TELEGRAM_TOKEN"},
		{"webhook refused", map[string]string{
			"NASHRA_WEBHOOK_URL":    "https://bot.example/hook",
			"NASHRA_WEBHOOK_SECRET": "s3cret",
		}, &telegramtest.Fault{Kind: telegramtest.APIError, Method: "setWebhook", Code: 400, Description: "Bad Request: bad webhook: Failed to resolve host: Name or service not known"}, "NASHRA_WEBHOOK_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := runEnv(srv, r)
			env["NASHRA_HTTP_ADDR"] = freeAddr(t)
			for k, v := range tt.env {
				env[k] = v
			}
			if tt.inject != nil {
				srv.Inject(*tt.inject)
			}
			before := goleak.IgnoreCurrent()
			logs := &lockedBuffer{}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := run(ctx, []string{"run"}, func(k string) string { return env[k] }, strings.NewReader(""), logs, logs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run = %v; want an error naming %s; logs:\n%s", err, tt.want, logs.String())
			}
			if ctx.Err() != nil {
				t.Fatalf("run returned only when the test gave up: %v", err)
			}
			// The Bot API client keeps connections for the next call in
			// the process-wide pool; that pool is not run's to close.
			http.DefaultTransport.(*http.Transport).CloseIdleConnections()
			goleak.VerifyNone(t, before)
			if tt.name != "port in use" {
				ln, err := net.Listen("tcp", env["NASHRA_HTTP_ADDR"])
				if err != nil {
					t.Fatalf("the HTTP port is still taken after run returned: %v", err)
				}
				ln.Close()
			}
		})
	}
}

// getJSON fetches url and decodes its JSON body into v.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return resp.StatusCode
}

// With Telegram and the feed down, the bot is not ready (/healthz 503) but
// alive (/livez 200): the container health check, which asks /livez,
// passes, so an orchestrator does not restart it for something a restart
// cannot fix.
func TestLivezApartFromHealthz(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	srv.Outage("getMe", telegramtest.InternalError, time.Now().Add(time.Hour))
	r := redistest.New(t)
	env := runEnv(srv, r)
	env["NASHRA_HTTP_ADDR"] = freeAddr(t)
	base := "http://" + env["NASHRA_HTTP_ADDR"]
	p := startProcess(t, env)
	defer p.stop(t)
	waitUntil(t, 20*time.Second, func() bool {
		resp, err := http.Get(base + "/livez")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
	var live livenessReport
	if code := getJSON(t, base+"/livez", &live); code != http.StatusOK || live.Status != "ok" || len(live.Running) != 4 {
		t.Errorf("/livez = %d %+v; want 200, ok, the four loops running", code, live)
	}
	var ready healthReport
	if code := getJSON(t, base+"/healthz", &ready); code != http.StatusServiceUnavailable || ready.Telegram == "ok" {
		t.Errorf("/healthz with Telegram down = %d %+v; want 503 naming Telegram", code, ready)
	}
	check := func(args ...string) error {
		_, _, err := runCmd(t, map[string]string{"NASHRA_HTTP_ADDR": env["NASHRA_HTTP_ADDR"]}, "", append([]string{"healthcheck"}, args...)...)
		return err
	}
	if err := check(); err != nil {
		t.Errorf("nashra healthcheck = %v; want it to pass on /livez", err)
	}
	if err := check("--ready"); err == nil || !strings.Contains(err.Error(), "/healthz answered 503") {
		t.Errorf("nashra healthcheck --ready = %v; want /healthz's 503", err)
	}
}

// /livez turns 503 as soon as one of the main loops has ended: the
// process is going down, whatever else still answers.
func TestLivezReportsAnEndedLoop(t *testing.T) {
	l := &liveness{}
	probe := func() (int, livenessReport) {
		rec := httptest.NewRecorder()
		l.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/livez", nil))
		var rep livenessReport
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatalf("/livez body %q: %v", rec.Body.String(), err)
		}
		return rec.Code, rep
	}
	if code, rep := probe(); code != http.StatusServiceUnavailable {
		t.Errorf("/livez before any loop started = %d %+v; want 503", code, rep)
	}
	l.started("scheduler")
	l.started("sender")
	if code, rep := probe(); code != http.StatusOK || rep.Status != "ok" {
		t.Errorf("/livez with every loop running = %d %+v; want 200 ok", code, rep)
	}
	l.ended("sender")
	code, rep := probe()
	if code != http.StatusServiceUnavailable || rep.Status != "down" || len(rep.Ended) != 1 || rep.Ended[0] != "sender" {
		t.Errorf("/livez after the sender ended = %d %+v; want 503 down naming the sender", code, rep)
	}
}

// The first poll comes as the instance starts, not a poll interval later.
func TestFirstPollAtStart(t *testing.T) {
	body, err := os.ReadFile(seedFeed)
	if err != nil {
		t.Fatal(err)
	}
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer feeds.Close()
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	env := runEnv(srv, r)
	feed := feeds.URL + "/feed/"
	env["NASHRA_FEEDS"] = feed
	env["NASHRA_POLL_SCHEDULE"] = "@every 1h"
	p := startProcess(t, env)
	defer p.stop(t)
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix})
	waitUntil(t, 20*time.Second, func() bool {
		st, err := arts.FeedStates(context.Background(), []string{feed})
		return err == nil && len(st) == 1 && !st[0].LastOK.IsZero()
	})
}
