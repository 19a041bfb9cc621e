package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"nashra/bot/telegramtest"
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
