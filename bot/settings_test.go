package bot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot"
	"nashra/bot/sender"
	"nashra/bot/telegramtest"
	"nashra/digest/topics"
	"nashra/signup"
	"nashra/signup/page"
	"nashra/signup/settings"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// settingsHarness is the bot with the preference page published: the page
// served over HTTP beside it, and a sender delivering what the outbox
// holds through the fake Bot API.
type settingsHarness struct {
	*harness
	links *settings.Links
	page  *httptest.Server
}

func newSettingsHarness(t *testing.T) *settingsHarness {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	var links *settings.Links
	h := newHarnessWith(t, nil, func(o *bot.Options, r *redistest.Redis, store *subscribers.Store) {
		links = settings.New(settings.Options{RDB: r.Client, Prefix: r.Prefix, Nonces: store})
		o.Settings, o.SettingsURL = links, srv.URL+"/settings"
	})
	p, err := page.New(page.Options{
		Tokens: signup.New(h.redis.Client, signup.Options{Prefix: h.redis.Prefix}), Catalog: topics.Builtin(),
		BotName:         func(context.Context) (string, error) { return "nashra_bot", nil },
		DefaultSchedule: "0 8 * * *", Location: damascus,
		Links: links, Prefs: h.bot, PublicURL: srv.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	p.Routes(mux)
	api, err := h.srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	s, err := sender.New(sender.Options{API: api, Outbox: h.queue, Readers: h.store, RDB: h.redis.Client,
		Prefix: h.redis.Prefix, Rate: 2000, Consumer: "settings", Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &settingsHarness{harness: h, links: links, page: srv}
}

// settingsButton is the URL of the button under m that opens the page.
func settingsButton(t *testing.T, m telegramtest.Message) string {
	t.Helper()
	if m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard) != 1 || len(m.ReplyMarkup.InlineKeyboard[0]) != 1 {
		t.Fatalf("reply %q has no single button: %+v", m.Text, m.ReplyMarkup)
	}
	return m.ReplyMarkup.InlineKeyboard[0][0].URL
}

func TestSettingsSendsAPersonalLink(t *testing.T) {
	h := newSettingsHarness(t)
	u := telegramtest.NewUser(8101, "ar")
	h.say(u, "/start")
	m := h.say(u, "/settings")
	wantContains(t, m, "صفحة الإعدادات", "ساعة واحدة", "لا تُعِد توجيهه") // "settings page", "one hour", "do not forward it"
	link := settingsButton(t, m)
	tok, ok := strings.CutPrefix(link, h.page.URL+"/settings?t=")
	if !ok {
		t.Fatalf("button opens %q; want %s/settings?t=…", link, h.page.URL)
	}
	if chat, err := h.links.Check(context.Background(), tok); chat != u.ID || err != nil {
		t.Errorf("the link's token is for %d, %v; want %d", chat, err, u.ID)
	}
	if m.LinkPreview == nil || m.LinkPreview.IsDisabled == nil || !*m.LinkPreview.IsDisabled {
		t.Error("the link's message shows a preview")
	}
	// A chat that never subscribed is asked to.
	stranger := telegramtest.NewUser(8102, "ar")
	m = h.say(stranger, "/settings")
	wantContains(t, m, "/start")
	if m.ReplyMarkup != nil {
		t.Errorf("a stranger got a button: %+v", m.ReplyMarkup)
	}
	// The menu and /help name it.
	found := false
	for _, c := range h.srv.Commands(nil, "") {
		found = found || c.Command == "settings"
	}
	if !found {
		t.Error("/settings is not in the command menu")
	}
	wantContains(t, h.say(u, "/help"), "/settings")
}

func TestSettingsWithoutAPage(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(8201, "en")
	h.say(u, "/start")
	m := h.say(u, "/settings")
	wantContains(t, m, "/topics", "/time")
	if m.ReplyMarkup != nil {
		t.Errorf("without a page the reply has a button: %+v", m.ReplyMarkup)
	}
}

// In a group only its admins may ask, and the link goes to them in
// private: whoever holds it may change the group's settings.
func TestSettingsInAGroup(t *testing.T) {
	h := newSettingsHarness(t)
	const group = -1008300000001
	admin := telegramtest.NewUser(8301, "ar")
	member := telegramtest.NewUser(8302, "ar")
	h.srv.SetMember(group, admin.ID, models.ChatMemberTypeAdministrator)
	h.srv.SetMember(group, member.ID, models.ChatMemberTypeMember)
	h.sayIn(group, func() { h.srv.SendGroupText(group, admin, "/start@nashra_bot") })

	m := h.sayIn(group, func() { h.srv.SendGroupText(group, member, "/settings@nashra_bot") })
	wantContains(t, m, "مشرفو المجموعة") // "the group's admins"
	if len(h.srv.SentTo(member.ID)) != 0 {
		t.Error("a plain member was sent something in private")
	}

	before := len(h.srv.SentTo(group))
	private := h.sayIn(admin.ID, func() { h.srv.SendGroupText(group, admin, "/settings@nashra_bot") })
	wantContains(t, private, "إعدادات المجموعة") // "the group's settings"
	tok, _ := strings.CutPrefix(settingsButton(t, private), h.page.URL+"/settings?t=")
	if chat, err := h.links.Check(context.Background(), tok); chat != group || err != nil {
		t.Errorf("the admin's link is for %d, %v; want the group %d", chat, err, group)
	}
	msgs, err := h.srv.WaitMessages(ctxTimeout(t), group, before+1)
	if err != nil {
		t.Fatal(err)
	}
	if g := msgs[before]; g.ReplyMarkup != nil || !strings.Contains(g.Visible(), "رسالة خاصة") { // "a private message"
		t.Errorf("in the group: %q %+v; want a note that the link went privately, and no link", g.Text, g.ReplyMarkup)
	}

	// An admin who never opened a chat with the bot is told how to.
	h.srv.Block(admin.ID)
	m = h.sayIn(group, func() { h.srv.SendGroupText(group, admin, "/settings@nashra_bot") })
	wantContains(t, m, "افتح محادثة معنا") // "open a chat with us"
	if u := settingsButton(t, m); u != "https://t.me/nashra_bot" {
		t.Errorf("the button opens %q; want the bot", u)
	}
}

// The whole way: /settings, the page in a browser's place, a save; the
// reader is told at once and /mytopics shows the change.
func TestSettingsSaveReflectedInTheBot(t *testing.T) {
	h := newSettingsHarness(t)
	u := telegramtest.NewUser(8401, "ar")
	h.say(u, "/start")
	h.say(u, "/follow قسد") // SDF
	h.say(u, "/follow حلب") // Aleppo: a keyword
	h.say(u, "/time 07:00")
	link := settingsButton(t, h.say(u, "/settings"))

	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", link, resp.StatusCode)
	}
	tok := strings.TrimPrefix(link, h.page.URL+"/settings?t=")
	tok, _ = url.QueryUnescape(tok)
	before := len(h.srv.SentTo(u.ID))
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(h.page.URL+"/settings", url.Values{
		"t": {tok}, "topic": {"raqqa", "hasakah"}, "keyword": {"k:حلب"}, "time": {"instant"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /settings = %d; want 303", resp.StatusCode)
	}
	msgs, err := h.srv.WaitMessages(ctxTimeout(t), u.ID, before+1)
	if err != nil {
		t.Fatalf("no confirmation in the bot: %v", err)
	}
	wantContains(t, msgs[before], "حفظنا", "الرقة", "الحسكة", "حلب", "فور نشرها") // saved, Raqqa, Hasakah, Aleppo, as soon as published
	if strings.Contains(msgs[before].Visible(), "قوات سوريا الديمقراطية") {
		t.Errorf("confirmation %q still names the SDF, unticked", msgs[before].Text)
	}
	m := h.say(u, "/mytopics")
	wantContains(t, m, "الرقة", "الحسكة", "حلب")
	if strings.Contains(m.Visible(), "قوات سوريا الديمقراطية") {
		t.Errorf("/mytopics %q still lists the SDF", m.Text)
	}
	if r := h.reader(u.ID); r.Schedule != subscribers.Instant {
		t.Errorf("schedule %q; want instant", r.Schedule)
	}
	if p := h.srv.LayoutProblems(); len(p) > 0 {
		t.Errorf("messages laid out wrong: %v", p)
	}
}

func ctxTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}
