package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot"
	"nashra/bot/inbox"
	"nashra/bot/telegramtest"
	"nashra/broadcasts"
	"nashra/digest"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// edited waits until message msgID in chat has been edited n times and
// returns it as the reader sees it then.
func (h *harness) edited(chat int64, msgID, n int) telegramtest.Message {
	h.t.Helper()
	var out telegramtest.Message
	_, err := h.srv.WaitFor(20*time.Second, func(s telegramtest.Snapshot) bool {
		for _, m := range s.SentTo(chat) {
			if m.MessageID == msgID && m.Edits >= n {
				out = m
				return true
			}
		}
		return false
	})
	if err != nil {
		h.t.Fatalf("message %d in chat %d not edited %d times: %v", msgID, chat, n, err)
	}
	return out
}

// /breaking says what breaking news is and whether the reader has it, and
// its button switches it, in place; /breaking on|off (or in Arabic) too.
func TestBreakingCommand(t *testing.T) {
	h := newHarness(t)
	ar := telegramtest.NewUser(130, "ar")
	h.say(ar, "/start")

	m := h.say(ar, "/breaking")
	wantContains(t, m, "الأخبار العاجلة", "الحد الأقصى 3 أخبار في اليوم", "ولا نكرره في نشرتك", "الأخبار العاجلة متوقفة لديك") // "at most 3 stories a day", "not repeated in your digest", "off for you"
	if !containsButton(m, "🔔 تفعيل الأخبار العاجلة|brk:on") {
		t.Fatalf("/breaking buttons %v; want the one that turns it on", m.Buttons())
	}
	a := h.answerTo(h.srv.PressButton(ar.ID, m.MessageID, ar.ID, "brk:on"))
	if a.Text != "فعّلنا الأخبار العاجلة" { // "we turned breaking news on"
		t.Errorf("toast %q", a.Text)
	}
	if !h.reader(ar.ID).Breaking {
		t.Fatal("the button did not turn breaking news on")
	}
	e := h.edited(ar.ID, m.MessageID, 1)
	wantContains(t, e, "الأخبار العاجلة مفعّلة لديك") // "on for you"
	if !containsButton(e, "🔕 إيقاف الأخبار العاجلة|brk:off") {
		t.Errorf("after turning it on the buttons are %v; want the one that turns it off", e.Buttons())
	}
	h.answerTo(h.srv.PressButton(ar.ID, m.MessageID, ar.ID, "brk:off"))
	if e := h.edited(ar.ID, m.MessageID, 2); !strings.Contains(e.Text, "متوقفة لديك") || h.reader(ar.ID).Breaking {
		t.Errorf("after turning it off: %q, stored %v", e.Text, h.reader(ar.ID).Breaking)
	}

	m = h.say(ar, "/breaking تفعيل") // "turn on"
	wantContains(t, m, "فعّلنا الأخبار العاجلة", "الحد الأقصى 3 أخبار في اليوم")
	if !h.reader(ar.ID).Breaking {
		t.Error("/breaking تفعيل did not turn it on")
	}
	m = h.say(ar, "/breaking off")
	wantContains(t, m, "أوقفنا الأخبار العاجلة", "في نشرتك") // "we turned it off", "in your digest"
	if h.reader(ar.ID).Breaking {
		t.Error("/breaking off did not turn it off")
	}

	en := telegramtest.NewUser(131, "en")
	h.say(en, "/start")
	h.say(en, "/lang en")
	m = h.say(en, "/breaking on")
	wantContains(t, m, "Breaking news is on", "at most 3 stories a day")
	m = h.say(en, "/breaking")
	wantContains(t, m, "Breaking news is on for you.")
	if !containsButton(m, "🔕 Turn off breaking news|brk:off") {
		t.Errorf("English /breaking buttons %v", m.Buttons())
	}
	m = h.say(en, "/mydata")
	wantContains(t, m, "Breaking news: on")
	m = h.say(ar, "/mydata")
	wantContains(t, m, "الأخبار العاجلة: متوقفة") // "breaking news: off"

	for _, u := range []struct {
		user models.User
		want string
	}{{ar, "/breaking"}, {en, "/breaking"}} {
		wantContains(t, h.say(u.user, "/help"), u.want)
	}
	for _, lang := range []string{"", "en"} {
		found := false
		for _, c := range h.srv.Commands(nil, lang) {
			found = found || c.Command == "breaking"
		}
		if !found {
			t.Errorf("the %q command menu lacks /breaking", lang)
		}
	}
}

// The button under an alert turns alerts off and then, pressed again, on;
// the news above it stays as it was.
func TestAlertButtonMutes(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(132, "ar")
	h.say(u, "/start")
	h.say(u, "/breaking on")
	client, err := h.srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	alert, err := client.SendMessage(context.Background(), &tg.SendMessageParams{
		ChatID: u.ID, Text: "<b>🔴 عاجل</b>\nخبر", ParseMode: "HTML", // "urgent", "news"
		ReplyMarkup: json.RawMessage(digest.AlertButtons("ar", true)),
	})
	if err != nil {
		t.Fatal(err)
	}
	a := h.answerTo(h.srv.PressButton(u.ID, alert.ID, u.ID, digest.AlertButtonMute))
	if a.Text != "أوقفنا الأخبار العاجلة" || h.reader(u.ID).Breaking {
		t.Errorf("after the alert's button: toast %q, stored %v; want alerts off", a.Text, h.reader(u.ID).Breaking)
	}
	e := h.edited(u.ID, alert.ID, 1)
	if e.Text != "🔴 عاجل\nخبر" || !containsButton(e, digest.AlertButtonUnmute) {
		t.Errorf("the alert after the press: %q %v; want the news unchanged and a button to turn alerts on", e.Text, e.Buttons())
	}
	h.answerTo(h.srv.PressButton(u.ID, alert.ID, u.ID, digest.AlertButtonUnmute))
	if e := h.edited(u.ID, alert.ID, 2); !h.reader(u.ID).Breaking || !containsButton(e, digest.AlertButtonMute) {
		t.Errorf("after pressing again: stored %v, buttons %v; want alerts on again", h.reader(u.ID).Breaking, e.Buttons())
	}
}

// A newsroom that sends no breaking news (a cap of 0) says so, and a
// reader's /breaking on changes nothing.
func TestBreakingWhenTheNewsroomSendsNone(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	b, err := bot.New(bot.Options{Token: srv.Token(), APIURL: srv.URL(), Store: store, Outbox: outbox.New(r.Client, outbox.Options{Prefix: r.Prefix}),
		Broadcasts: broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix}), Inbox: inbox.New(r.Client, inbox.Options{Prefix: r.Prefix}),
		Catalog: topics.Builtin(), PollTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	defer func() { cancel(); <-done }()
	u := telegramtest.NewUser(133, "ar")
	for i, text := range []string{"/start", "/breaking on"} {
		srv.SendText(u, text)
		wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
		msgs, err := srv.WaitMessages(wctx, u.ID, i+1)
		wcancel()
		if err != nil {
			t.Fatal(err)
		}
		if text == "/breaking on" && msgs[i].Text != "لا نرسل أخباراً عاجلة حالياً، وتجد كل الأخبار في نشرتك." { // "we send no breaking news at the moment; every story comes in your digest"
			t.Errorf("/breaking on with no alerts sent: %q", msgs[i].Text)
		}
	}
	if rd, err := store.Get(ctx, u.ID); err != nil || rd.Breaking {
		t.Errorf("stored opt-in %v, %v; want none", rd.Breaking, err)
	}
}
