package bot

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"nashra/bot/inbox"
	"nashra/bot/telegramtest"
	"nashra/broadcasts"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newTestBot(t *testing.T, logw *syncBuffer) (*Bot, *telegramtest.Server) {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	b, err := New(Options{
		Token:      srv.Token(),
		APIURL:     srv.URL(),
		Store:      subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix}),
		Outbox:     outbox.New(r.Client, outbox.Options{Prefix: r.Prefix}),
		Broadcasts: broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix}),
		Inbox:      inbox.New(r.Client, inbox.Options{Prefix: r.Prefix}),
		Catalog:    topics.Builtin(),
		Log:        slog.New(slog.NewTextHandler(logw, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	b.username = "nashra_bot"
	return b, srv
}

// A panic in a handler is logged and the next update is served.
func TestHandlerPanicIsRecovered(t *testing.T) {
	var logs syncBuffer
	b, srv := newTestBot(t, &logs)
	// A callback query without a message or sender exercises a path that
	// dereferences a nil catalog once we remove it.
	b.catalog = nil
	u := telegramtest.NewUser(5, "ar")
	upd := srv.SendText(u, "/topics")
	b.handle(context.Background(), &upd)
	if !strings.Contains(logs.String(), "handler panic") {
		t.Fatalf("logs %q; want the panic logged", logs.String())
	}
	b.catalog = topics.Builtin()
	upd = srv.SendText(u, "/help")
	b.handle(context.Background(), &upd)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := srv.WaitMessages(ctx, 5, 1); err != nil {
		t.Errorf("the bot did not answer after a panic: %v", err)
	}
}

// Telegram redelivers the last batch after a restart; it is answered once.
func TestRedeliveredUpdateIsAnsweredOnce(t *testing.T) {
	var logs syncBuffer
	b, srv := newTestBot(t, &logs)
	upd := srv.SendText(telegramtest.NewUser(6, "ar"), "/help")
	b.handle(context.Background(), &upd)
	again := upd
	b.handle(context.Background(), &again)
	if n := len(srv.SentTo(6)); n != 1 {
		t.Errorf("%d replies to one update delivered twice; want 1", n)
	}
}

func TestChatOfCallbackWithoutMessage(t *testing.T) {
	upd := &models.Update{CallbackQuery: &models.CallbackQuery{From: models.User{ID: 9}}}
	if chatOf(upd) != 9 {
		t.Errorf("chatOf(callback without message) = %d; want the sender", chatOf(upd))
	}
}

func TestParsePayload(t *testing.T) {
	tests := []struct {
		in, source string
		slugs      []string
	}{
		{"site-footer", "site-footer", nil},
		{"site-footer_follow-sdf_follow-isis", "site-footer", []string{"sdf", "isis"}},
		{"follow-sdf", "", []string{"sdf"}},
		{"SITE-FOOTER", "site-footer", nil},
		{"<script>_follow-sdf", "", []string{"sdf"}},
		{"x_follow-sdf_follow-sdf_FOLLOW-ISIS_follow-sdf_y", "x", []string{"sdf", "isis"}},
		{"", "", nil},
	}
	for _, tt := range tests {
		source, slugs := parsePayload(tt.in)
		if source != tt.source || strings.Join(slugs, ",") != strings.Join(tt.slugs, ",") {
			t.Errorf("parsePayload(%q) = %q, %v; want %q, %v", tt.in, source, slugs, tt.source, tt.slugs)
		}
	}
}

func TestValidTopic(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"قسد", true}, // SDF
		{"قوات سوريا الديمقراطية", true}, // SDF's full name
		{"تهديّدات", true},               // "threats", with a shadda
		{"Deir ez-Zor", true},
		{"<b>x</b>", false},
		{"😀", false},
		{"---", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := validTopic(cleanTopic(tt.in)); got != tt.ok {
			t.Errorf("validTopic(%q) = %v; want %v", tt.in, got, tt.ok)
		}
	}
}
