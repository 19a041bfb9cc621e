package bot_test

import (
	"bytes"
	"context"
	"image"
	_ "image/png"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"nashra/bot"
	"nashra/bot/inbox"
	"nashra/bot/sender"
	"nashra/bot/telegramtest"
	"nashra/broadcasts"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

const statsFeed = "https://7al.net/feed/"

// brokenFeed carries credentials, as a private feed may; /stats must name
// it without them.
const brokenFeed = "https://reader:pw-S3CRET-1@example.org/broken.xml?token=tok-S3CRET-2"

// newStatsHarness is newHarness with /stats fully configured.
func newStatsHarness(t *testing.T, now time.Time) *harness {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	clock := func() time.Time { return now }
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: clock})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix, Now: clock})
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix})
	b, err := bot.New(bot.Options{
		Token:       srv.Token(),
		APIURL:      srv.URL(),
		Store:       store,
		Outbox:      queue,
		Broadcasts:  broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix}),
		Inbox:       inbox.New(r.Client, inbox.Options{Prefix: r.Prefix}),
		Catalog:     topics.Builtin(),
		Admins:      []int64{adminID},
		PollTimeout: 5 * time.Second,
		Stats: bot.StatsConfig{
			Articles: arts,
			Feeds:    []string{statsFeed, brokenFeed},
			Delivery: func() sender.Stats {
				return sender.Stats{Sent: 1234, Failed: 5, Blocked: 6, Unknown: 7, Retried: 8, Throttled429: 9}
			},
			Now: clock,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, srv: srv, store: store, arts: arts, redis: r, done: make(chan error, 1), stop: cancel}
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(func() { h.shutdown() })
	return h
}

// seedAudience makes a small audience with a history.
func seedAudience(t *testing.T, h *harness, now time.Time) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, src := range []string{"site-footer", "site-footer", "site-footer", "article-end", ""} {
		chat := int64(2001 + i)
		_, err := h.store.Start(ctx, chat, subscribers.Joined{Source: src})
		must(err)
		_, err = h.store.Follow(ctx, chat, subscribers.TopicFollow("sdf"))
		must(err)
		if i < 2 {
			_, err = h.store.Follow(ctx, chat, subscribers.TopicFollow("isis"))
			must(err)
		}
	}
	_, err := h.store.SetStatus(ctx, 2005, subscribers.Blocked, "403")
	must(err)
	_, err = h.store.SetStatus(ctx, 2004, subscribers.Paused, "pause")
	must(err)
	must(h.store.RecordDaily(ctx, 2001, subscribers.StatSentDigest, now, 40))
	must(h.store.RecordDaily(ctx, 2002, subscribers.StatSentBroadcast, now.AddDate(0, 0, -2), 3))
	must(h.arts.SaveFeedState(ctx, articles.FeedState{URL: statsFeed, LastOK: now.Add(-10 * time.Minute), Polls: 3}))
	must(h.arts.SaveFeedState(ctx, articles.FeedState{URL: brokenFeed, Failures: 4, LastError: "GET " + brokenFeed + ": 500 <Internal>"}))
}

// statsReply sends /stats as user and returns the text and the photo.
func statsReply(t *testing.T, h *harness, chat int64, lang string) (text, photo telegramtest.Message) {
	t.Helper()
	before := len(h.srv.SentTo(chat))
	h.srv.SendText(telegramtest.NewUser(chat, lang), "/stats")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := h.srv.WaitMessages(ctx, chat, before+2)
	if err != nil {
		t.Fatalf("/stats: want a text and a photo: %v", err)
	}
	return msgs[before], msgs[before+1]
}

func TestStatsForAdmin(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	h := newStatsHarness(t, now)
	seedAudience(t, h, now)

	text, photo := statsReply(t, h, adminID, "ar")
	wantContains(t, text,
		"إحصاءات النشرة",           // "newsletter statistics"
		"نشطون: 3",                 // "active: 3"
		"أوقفوا الخلاصة مؤقتاً: 1", // "paused: 1"
		"حظروا البوت: 1",           // "blocked the bot: 1"
		"11-28: +5 / +0 / −1 ← 4",  // today: 5 joined, 1 lost, 4 subscribed
		"1. قوات سوريا الديمقراطية — المتابعون: 5",      // SDF has 5 followers
		"2. داعش — المتابعون: 2",                        // ISIS has 2
		"site-footer: 3", "article-end: 1", "مباشرة: 1", // "direct"
		"رسائل الخلاصة 40، الرسائل الجماعية 3", // 40 digests, 3 broadcasts
		"أُرسلت 1234", "ردود 429: 9",
		"✅ https://7al.net/feed/", "قبل 10 د", // "10 min ago"
		"⚠️ https://***@example.org/broken.xml?token=***", "إخفاقات متتالية: 4", // "4 consecutive failures"
		"GET https://***@example.org/broken.xml?token=***: 500 <Internal>",
	)
	if strings.Contains(text.Raw, "S3CRET") {
		t.Errorf("/stats shows a feed's credentials: %s", text.Raw)
	}
	if !strings.Contains(text.Raw, "&lt;Internal&gt;") {
		t.Errorf("the feed error is not escaped in %q", text.Raw)
	}
	if text.ParseMode != "HTML" {
		t.Errorf("stats parse mode %q; want HTML", text.ParseMode)
	}
	if n := len(utf16.Encode([]rune(text.Raw))); n > 4096 {
		t.Errorf("stats text is %d UTF-16 units; Telegram allows 4096", n)
	}
	if photo.Method != "sendPhoto" {
		t.Fatalf("second reply is %s; want the chart photo", photo.Method)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(photo.Photo))
	if err != nil || format != "png" || cfg.Width != 1200 || cfg.Height != 800 {
		t.Errorf("chart: %s %d×%d, %v; want a 1200×800 PNG", format, cfg.Width, cfg.Height, err)
	}
	if !strings.Contains(photo.Text, "القرّاء النشطون: 3") { // "active readers: 3"
		t.Errorf("caption %q; want the active count", photo.Text)
	}
}

func TestStatsInEnglish(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	h := newStatsHarness(t, now)
	seedAudience(t, h, now)
	if _, err := h.store.Start(context.Background(), adminID, subscribers.Joined{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	text, photo := statsReply(t, h, adminID, "en")
	wantContains(t, text, "Newsletter statistics", "active: 4", "1. Syrian Democratic Forces — 5 followers",
		"direct: 2", "10 min ago", "4 consecutive failures")
	if strings.ContainsAny(text.Text, "ابتثجحخدذرزسشصضطظعغفقكلمنهوي") {
		t.Errorf("English stats contain Arabic: %q", text.Text)
	}
	if photo.Method != "sendPhoto" || !strings.HasPrefix(photo.Text, "Active readers: 4") {
		t.Errorf("photo %s with caption %q; want the chart with an English caption", photo.Method, photo.Text)
	}
}

func TestStatsRefusedToNonAdmin(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	h := newStatsHarness(t, now)
	u := telegramtest.NewUser(777, "ar")
	m := h.say(u, "/stats")
	wantContains(t, m, "مخصّص لمحرّري النشرة") // "for the newsletter's editors"
	// Replies in one chat come in order: once /help is answered, a photo
	// for /stats would have been sent already.
	h.say(u, "/help")
	for _, m := range h.srv.SentTo(777) {
		if m.Method == "sendPhoto" || strings.Contains(m.Text, "إحصاءات") {
			t.Errorf("a non-admin got stats: %s %q", m.Method, m.Text)
		}
	}
}
