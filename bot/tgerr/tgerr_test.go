package tgerr_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"nashra/bot/telegramtest"
	"nashra/bot/tgerr"
)

// TestClassifyFaults sends one message through the real client against the
// fake Bot API under each fault Telegram or the network produces, and
// pins what it means.
func TestClassifyFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault telegramtest.Fault
		want  tgerr.Class
	}{
		{"delivered", telegramtest.Fault{}, tgerr.OK},
		{"429", telegramtest.Fault{Kind: telegramtest.TooManyRequests, RetryAfter: 3}, tgerr.Throttled},
		{"403 blocked", telegramtest.Fault{Kind: telegramtest.Blocked}, tgerr.Blocked},
		{"403 kicked", telegramtest.Fault{Kind: telegramtest.APIError, Code: 403, Description: "Forbidden: bot was kicked from the group chat"}, tgerr.Blocked},
		{"403 deactivated", telegramtest.Fault{Kind: telegramtest.APIError, Code: 403, Description: "Forbidden: user is deactivated"}, tgerr.Gone},
		{"400 chat not found", telegramtest.Fault{Kind: telegramtest.ChatNotFound}, tgerr.Gone},
		{"400 upgraded", telegramtest.Fault{Kind: telegramtest.Upgraded}, tgerr.Migrated},
		{"400 entities", telegramtest.Fault{Kind: telegramtest.APIError, Code: 400, Description: "Bad Request: can't parse entities: unsupported start tag"}, tgerr.BadRequest},
		{"400 too long", telegramtest.Fault{Kind: telegramtest.APIError, Code: 400, Description: "Bad Request: message is too long"}, tgerr.BadRequest},
		{"400 stars balance too low", telegramtest.Fault{Kind: telegramtest.APIError, Code: 400, Description: "Bad Request: " + telegramtest.BalanceTooLow}, tgerr.NoStars},
		{"400 not enough stars", telegramtest.Fault{Kind: telegramtest.APIError, Code: 400, Description: "Bad Request: not enough stars to send paid broadcast"}, tgerr.NoStars},
		{"402 balance too low", telegramtest.Fault{Kind: telegramtest.APIError, Code: 402, Description: "Payment Required: BALANCE_TOO_LOW"}, tgerr.NoStars},
		{"400 balance of something else", telegramtest.Fault{Kind: telegramtest.APIError, Code: 400, Description: "Bad Request: wrong balance"}, tgerr.BadRequest},
		{"401", telegramtest.Fault{Kind: telegramtest.APIError, Code: 401, Description: "Unauthorized"}, tgerr.Systemic},
		{"404 method", telegramtest.Fault{Kind: telegramtest.APIError, Code: 404, Description: "Not Found"}, tgerr.Systemic},
		{"json 500", telegramtest.Fault{Kind: telegramtest.InternalError}, tgerr.Systemic},
		{"json 502", telegramtest.Fault{Kind: telegramtest.APIError, Code: 502, Description: "Bad Gateway"}, tgerr.Systemic},
		{"html 502 from a proxy", telegramtest.Fault{Kind: telegramtest.BadGateway}, tgerr.Systemic},
		{"answer dropped", telegramtest.Fault{Kind: telegramtest.DropAnswer}, tgerr.Unknown},
		{"answer too slow", telegramtest.Fault{Kind: telegramtest.Slow, Delay: 5 * time.Second}, tgerr.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := telegramtest.New(t, telegramtest.Options{})
			if tt.fault.Kind != 0 {
				tt.fault.Method = "sendMessage"
				srv.Inject(tt.fault)
			}
			client := &http.Client{Transport: tgerr.Transport(nil), Timeout: 500 * time.Millisecond}
			api, err := srv.Client(tg.WithSkipGetMe(), tg.WithHTTPClient(time.Second, client))
			if err != nil {
				t.Fatal(err)
			}
			ctx, call := tgerr.Trace(context.Background())
			_, err = api.SendMessage(ctx, &tg.SendMessageParams{ChatID: 42, Text: "نشرة"})
			if got := tgerr.Classify(err, call); got != tt.want {
				t.Errorf("%s: Classify(%v, wrote=%v, status=%d) = %s; want %s", tt.name, err, call.Wrote(), call.Status(), got, tt.want)
			}
		})
	}
}

// TestClassifyNetwork covers failures before any answer: a refused
// connection and an unknown host never left, so the message was not sent.
func TestClassifyNetwork(t *testing.T) {
	t.Parallel()
	// A port nobody listens on: take one, then close it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	for _, tt := range []struct{ name, url string }{
		{"connection refused", closed},
		{"no such host", "http://nashra-test.invalid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := &http.Client{Transport: tgerr.Transport(nil), Timeout: 5 * time.Second}
			api, err := tg.New("1:token", tg.WithSkipGetMe(), tg.WithServerURL(tt.url), tg.WithHTTPClient(time.Second, client))
			if err != nil {
				t.Fatal(err)
			}
			ctx, call := tgerr.Trace(context.Background())
			_, err = api.SendMessage(ctx, &tg.SendMessageParams{ChatID: 42, Text: "x"})
			if got := tgerr.Classify(err, call); got != tgerr.Systemic {
				t.Errorf("Classify(%v, wrote=%v) = %s; want systemic", err, call.Wrote(), got)
			}
		})
	}
}

func TestClassifyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err   error
		wrote bool
		want  tgerr.Class
	}{
		{nil, true, tgerr.OK},
		{fmt.Errorf("wrapped: %w", &tg.TooManyRequestsError{RetryAfter: 3}), true, tgerr.Throttled},
		{fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden), true, tgerr.Blocked},
		// Telegram's capitals vary; the classifier must not care.
		{fmt.Errorf("%w, Bad Request: Chat Not Found", tg.ErrorBadRequest), true, tgerr.Gone},
		{fmt.Errorf("%w, Bad Request: PEER_ID_INVALID", tg.ErrorBadRequest), true, tgerr.Gone},
		{fmt.Errorf("%w, Bad Request: not enough rights to send text messages to the chat", tg.ErrorBadRequest), true, tgerr.Blocked},
		{fmt.Errorf("%w, Conflict", tg.ErrorConflict), true, tgerr.Systemic},
		{errors.New("error response from telegram for method sendMessage, 420 FLOOD_WAIT"), true, tgerr.BadRequest},
		{errors.New("error response from telegram for method sendMessage, 503 Service Unavailable"), true, tgerr.Systemic},
		{fmt.Errorf("error do request for method sendMessage, %w", context.DeadlineExceeded), false, tgerr.Systemic},
		{fmt.Errorf("error do request for method sendMessage, %w", context.DeadlineExceeded), true, tgerr.Unknown},
		{fmt.Errorf("error do request for method sendMessage, %w", io.ErrUnexpectedEOF), true, tgerr.Unknown},
		{errors.New("error decode response body for method sendMessage, <html>, invalid character"), true, tgerr.Unknown},
		{errors.New("error decode response body for method sendMessage, <html>, invalid character"), false, tgerr.Systemic},
		{errors.New("error decode response result for method sendMessage, json: cannot unmarshal"), true, tgerr.OK},
	}
	for _, tt := range tests {
		ctx, call := tgerr.Trace(context.Background())
		_ = ctx
		if tt.wrote {
			markWritten(t, ctx)
		}
		if got := tgerr.Classify(tt.err, call); got != tt.want {
			t.Errorf("Classify(%v, wrote=%v) = %s; want %s", tt.err, tt.wrote, got, tt.want)
		}
	}
}

func TestDescription(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w, Forbidden: bot was blocked by the user", tg.ErrorForbidden), "Forbidden: bot was blocked by the user"},
		{fmt.Errorf("send: %w", fmt.Errorf("%w, Bad Request: chat not found", tg.ErrorBadRequest)), "Bad Request: chat not found"},
		{&tg.TooManyRequestsError{Message: "too many requests, Too Many Requests: retry after 5", RetryAfter: 5}, "Too Many Requests: retry after 5"},
	}
	for _, tt := range tests {
		if got := tgerr.Description(tt.err); got != tt.want {
			t.Errorf("Description(%v) = %q; want %q", tt.err, got, tt.want)
		}
	}
	if got := tgerr.RetryAfter(fmt.Errorf("x: %w", &tg.TooManyRequestsError{RetryAfter: 0})); got != time.Second {
		t.Errorf("RetryAfter of retry_after 0 = %v; want at least 1s", got)
	}
	if got := tgerr.MigrateTo(&tg.MigrateError{MigrateToChatID: -100123}); got != -100123 {
		t.Errorf("MigrateTo = %d", got)
	}
}

// markWritten sends one request with ctx to a local server so that the
// Call records it as written, as a real send would.
func markWritten(t *testing.T, ctx context.Context) {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.Options{})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
