package telegramtest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"

	"nashra/bot/telegramtest"
)

func TestFaultsMapToClientErrors(t *testing.T) {
	tests := []struct {
		name  string
		fault telegramtest.Fault
		check func(error) error
	}{
		{"429", telegramtest.Fault{Kind: telegramtest.TooManyRequests, RetryAfter: 7}, func(err error) error {
			var tm *bot.TooManyRequestsError
			if !errors.As(fmt.Errorf("wrapped: %w", err), &tm) || tm.RetryAfter != 7 {
				return fmt.Errorf("want *bot.TooManyRequestsError with RetryAfter 7")
			}
			return nil
		}},
		{"blocked", telegramtest.Fault{Kind: telegramtest.Blocked}, func(err error) error {
			if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "Forbidden: bot was blocked by the user") {
				return fmt.Errorf("want ErrorForbidden, blocked by the user")
			}
			return nil
		}},
		{"chat not found", telegramtest.Fault{Kind: telegramtest.ChatNotFound}, func(err error) error {
			if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "Bad Request: chat not found") {
				return fmt.Errorf("want ErrorBadRequest, chat not found")
			}
			return nil
		}},
		{"upgraded", telegramtest.Fault{Kind: telegramtest.Upgraded, MigrateTo: -1001234567890}, func(err error) error {
			var me *bot.MigrateError
			if !errors.As(err, &me) || me.MigrateToChatID != -1001234567890 {
				return fmt.Errorf("want *bot.MigrateError to -1001234567890")
			}
			return nil
		}},
		{"502 html", telegramtest.Fault{Kind: telegramtest.BadGateway}, func(err error) error {
			if err == nil || !strings.Contains(err.Error(), "error decode response body") || !strings.Contains(err.Error(), "502 Bad Gateway") {
				return fmt.Errorf("want an undecodable HTML body")
			}
			return nil
		}},
		{"500 json", telegramtest.Fault{Kind: telegramtest.InternalError}, func(err error) error {
			if err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") {
				return fmt.Errorf("want a 500 error")
			}
			return nil
		}},
		{"deactivated", telegramtest.Fault{Kind: telegramtest.APIError, Code: 403, Description: "Forbidden: user is deactivated"}, func(err error) error {
			if !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "user is deactivated") {
				return fmt.Errorf("want ErrorForbidden, user is deactivated")
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := telegramtest.New(t, telegramtest.Options{})
			b := client(t, srv)
			ctx := testContext(t)
			f := tt.fault
			f.Method = "sendMessage"
			srv.Inject(f)
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: -300, Text: "x"})
			if cerr := tt.check(err); cerr != nil {
				t.Errorf("fault %+v: err = %v: %v", tt.fault, err, cerr)
			}
			if n := len(srv.Sent()); n != 0 {
				t.Errorf("a failed send was recorded as delivered")
			}
			if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: -300, Text: "x"}); err != nil {
				t.Errorf("a one-shot fault hit twice: %v", err)
			}
		})
	}
}

func TestFaultMatching(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "x"})
		return err
	}
	srv.Inject(telegramtest.Fault{Kind: telegramtest.Blocked, ChatID: 2, Times: 2})
	srv.Inject(telegramtest.Fault{Kind: telegramtest.ChatNotFound, Method: "editMessageText"})
	for i, tc := range []struct {
		chat    int64
		wantErr bool
	}{{1, false}, {2, true}, {1, false}, {2, true}, {2, false}} {
		if err := send(tc.chat); (err != nil) != tc.wantErr {
			t.Errorf("send %d to chat %d: err = %v, want error %v", i, tc.chat, err, tc.wantErr)
		}
	}
	_, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 1, MessageID: 1, Text: "y"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "chat not found") {
		t.Errorf("edit with a method fault: %v", err)
	}

	srv.Inject(telegramtest.Fault{Kind: telegramtest.InternalError, Times: -1})
	for range 3 {
		if err := send(1); err == nil {
			t.Errorf("a forever fault let a send through")
		}
	}
	srv.ClearFaults()
	if err := send(1); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
	if got := len(srv.Calls("sendMessage")); got != 9 {
		t.Errorf("recorded %d sendMessage calls, want 9", got)
	}
}

func TestOutageEndsOnTime(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	srv := telegramtest.New(t, telegramtest.Options{Now: clock})
	b := client(t, srv)
	ctx := testContext(t)
	srv.Outage("sendMessage", telegramtest.InternalError, clock().Add(time.Minute))
	for i := range 5 {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: int64(i + 1), Text: "x"})
		if err == nil || !strings.Contains(err.Error(), "500") {
			t.Errorf("send %d during the outage: err = %v; want a 500", i, err)
		}
		advance(10 * time.Second)
	}
	if _, err := b.GetMe(ctx); err != nil {
		t.Errorf("getMe during a sendMessage outage: %v; want it answered", err)
	}
	advance(10 * time.Second) // a minute has passed
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 1, Text: "x"}); err != nil {
		t.Errorf("send after the outage: %v; want it delivered", err)
	}
	if got := len(srv.SentTo(1)); got != 1 {
		t.Errorf("chat 1 got %d messages; want only the one after the outage", got)
	}
}

func TestSlowAnswerHonoursContext(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	srv.Inject(telegramtest.Fault{Kind: telegramtest.Slow, Delay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 1, Text: "x"})
		errc <- err
	}()
	// Give up only once the server holds the request.
	if _, err := srv.WaitFor(wait, func(s telegramtest.Snapshot) bool { return s.InFlight == 1 }); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("slow answer: err = %v, want context canceled", err)
	}
	calls, err := srv.WaitCalls(testContext(t), "sendMessage", 1)
	if err != nil {
		t.Fatal(err)
	}
	if calls[0].Status != 0 || len(srv.Sent()) != 0 {
		t.Errorf("abandoned slow call: status %d, %d messages; want nothing done", calls[0].Status, len(srv.Sent()))
	}

	srv.Inject(telegramtest.Fault{Kind: telegramtest.Slow, Delay: 10 * time.Millisecond})
	if _, err := b.SendMessage(testContext(t), &bot.SendMessageParams{ChatID: 1, Text: "x"}); err != nil {
		t.Errorf("short delay: %v", err)
	}
}

func TestDropAnswerLosesResponseNotMessage(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	srv.Inject(telegramtest.Fault{Kind: telegramtest.DropAnswer, Method: "sendMessage"})
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 8, Text: "نشرة اليوم"}) // "today's digest"
	if err == nil {
		t.Fatal("a dropped answer gave no error")
	}
	if errors.Is(err, bot.ErrorBadRequest) || errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "error do request") {
		t.Errorf("dropped answer: err = %v, want a transport error", err)
	}
	if got := srv.SentTo(8); len(got) != 1 || got[0].Text != "نشرة اليوم" {
		t.Errorf("the message was not recorded as delivered: %+v", got)
	}
	if c := srv.Calls("sendMessage"); len(c) != 1 || !c[0].Dropped || c[0].Status != 200 {
		t.Errorf("call record = %+v", c)
	}
	m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 8, Text: "again"})
	if err != nil || m.ID != 2 {
		t.Errorf("retry: %+v, %v; want message 2 (a duplicate, as in production)", m, err)
	}
}

func TestBlockAndMigrate(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "x"})
		return err
	}
	srv.Block(5)
	srv.Block(-700)
	for range 2 {
		if err := send(5); !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "blocked by the user") {
			t.Errorf("blocked user: %v", err)
		}
	}
	if err := send(-700); !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "kicked from the group chat") {
		t.Errorf("kicked from group: %v", err)
	}
	srv.Unblock(5)
	if err := send(5); err != nil {
		t.Errorf("after Unblock: %v", err)
	}

	srv.Migrate(-800, -1000000000800)
	for range 2 {
		var me *bot.MigrateError
		if err := send(-800); !errors.As(err, &me) || me.MigrateToChatID != -1000000000800 {
			t.Errorf("migrated group: %v", err)
		}
	}
	if err := send(-1000000000800); err != nil {
		t.Errorf("send to the supergroup: %v", err)
	}
}

func TestRateLimits(t *testing.T) {
	clock := newClock()
	srv := telegramtest.New(t, telegramtest.Options{Now: clock.Now,
		Limits: telegramtest.Limits{PerSecond: 5, PerChatPerSecond: 1, PerGroupPerMinute: 20}})
	b := client(t, srv)
	ctx := testContext(t)
	send := func(chat int64) (int, error) {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "x"})
		var tm *bot.TooManyRequestsError
		if errors.As(err, &tm) {
			return tm.RetryAfter, nil
		}
		return 0, err
	}

	// Two messages to one chat in the same instant: the second waits.
	if ra, err := send(1); ra != 0 || err != nil {
		t.Fatalf("first send: retry %d, %v", ra, err)
	}
	if ra, err := send(1); ra != 1 || err != nil {
		t.Errorf("second send in the same second: retry_after %d, %v; want 1", ra, err)
	}
	// Paced at the limit: no 429.
	for i := range 5 {
		clock.Advance(time.Second)
		if ra, err := send(1); ra != 0 || err != nil {
			t.Errorf("paced send %d: retry_after %d, %v", i, ra, err)
		}
	}

	// Twenty chats at once against 5/s overall, concurrently: exactly 5 pass.
	clock.Advance(time.Second)
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		throttled int
	)
	for chat := range int64(20) {
		wg.Go(func() {
			ra, err := send(100 + chat)
			if err != nil {
				t.Errorf("chat %d: %v", 100+chat, err)
			}
			if ra > 0 {
				mu.Lock()
				throttled++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if throttled != 15 {
		t.Errorf("burst of 20 at 5/s: %d throttled, want 15", throttled)
	}

	// A group: 20 a minute even when paced at 1/s.
	clock.Advance(time.Second)
	for i := range 20 {
		if ra, err := send(-900); ra != 0 || err != nil {
			t.Fatalf("group send %d: retry_after %d, %v", i, ra, err)
		}
		clock.Advance(time.Second)
	}
	if ra, _ := send(-900); ra != 40 {
		t.Errorf("21st group message after 20s: retry_after %d, want 40", ra)
	}
	if got, want := srv.Throttled(), 1+15+1; got != want {
		t.Errorf("Throttled() = %d, want %d", got, want)
	}
}

// allow_paid_broadcast lifts the free limit to the paid one, charges 0.1
// Star per message, and answers BALANCE_TOO_LOW once the Stars run out;
// the per-chat limit holds for paid messages too.
func TestPaidBroadcastLimits(t *testing.T) {
	clock := newClock()
	srv := telegramtest.New(t, telegramtest.Options{Now: clock.Now,
		Limits: telegramtest.Limits{PerSecond: 3, PaidPerSecond: 10, PerChatPerSecond: 1}})
	b := client(t, srv)
	ctx := testContext(t)
	send := func(chat int64, paid bool) (retry int, err error) {
		_, err = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "x", AllowPaidBroadcast: paid})
		var tm *bot.TooManyRequestsError
		if errors.As(err, &tm) {
			return tm.RetryAfter, nil
		}
		return 0, err
	}
	count := func(from int64, n int, paid bool) (ok, throttled int) {
		for i := range int64(n) {
			ra, err := send(from+i, paid)
			switch {
			case err != nil:
				t.Fatalf("chat %d: %v", from+i, err)
			case ra > 0:
				throttled++
			default:
				ok++
			}
		}
		return ok, throttled
	}
	// Free: 3 in the second.
	if ok, th := count(100, 5, false); ok != 3 || th != 2 {
		t.Errorf("5 free messages at 3/s: %d sent, %d throttled; want 3 and 2", ok, th)
	}
	// Paid on top: 10 in the second counting the free ones, so 7 more.
	if ok, th := count(200, 9, true); ok != 7 || th != 2 {
		t.Errorf("9 paid messages after 3 free at 10/s: %d sent, %d throttled; want 7 and 2", ok, th)
	}
	if got := srv.PaidSent(); got != 7 {
		t.Errorf("PaidSent() = %d; want 7", got)
	}
	paid := 0
	for _, m := range srv.Sent() {
		if m.PaidBroadcast {
			paid++
		}
	}
	if paid != 7 {
		t.Errorf("%d messages recorded as paid; want 7", paid)
	}
	// The per-chat limit holds for a paid message.
	clock.Advance(time.Second)
	if ra, _ := send(300, true); ra != 0 {
		t.Fatalf("first paid message to chat 300 throttled")
	}
	if ra, _ := send(300, true); ra != 1 {
		t.Errorf("second paid message to chat 300 in the same second: retry_after %d; want 1", ra)
	}

	// 0.2 Star pays for two messages; the third is refused for the
	// balance, and a free message still goes.
	clock.Advance(time.Second)
	srv.SetStarBalance(0.2)
	if ok, th := count(400, 2, true); ok != 2 || th != 0 {
		t.Fatalf("2 paid messages with 0.2 Star: %d sent, %d throttled", ok, th)
	}
	_, err := send(500, true)
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), telegramtest.BalanceTooLow) {
		t.Errorf("paid message with no Stars left: %v; want 400 %s", err, telegramtest.BalanceTooLow)
	}
	if ra, err := send(501, false); ra != 0 || err != nil {
		t.Errorf("free message with no Stars left: retry_after %d, %v; want sent", ra, err)
	}
}
