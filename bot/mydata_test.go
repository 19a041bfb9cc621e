package bot_test

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"nashra/bot/telegramtest"
	"nashra/subscribers"
)

func TestMyDataShowsWhatIsStored(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(301, "ar")
	h.say(u, "/start site-footer_follow-sdf")
	h.say(u, "/follow اقتصاد") // economy
	h.say(u, "/time 07:30")
	// A stored string with markup in it must be shown, not interpreted.
	if _, err := h.store.SetStatus(context.Background(), 301, subscribers.Paused, "<b>pause</b> & co"); err != nil {
		t.Fatal(err)
	}
	m := h.say(u, "/mydata")
	wantContains(t, m,
		"ما نحفظه عنك", // what we store about you
		"301",
		"متوقف مؤقتاً", // paused
		"<b>pause</b> & co",
		"العربية",            // Arabic
		"الساعة 7:30 صباحاً", // at 7:30 in the morning
		"site-footer",
		"قوات سوريا الديمقراطية", // SDF, followed from the link
		"اقتصاد", // economy, a keyword
		"/forget",
	)
	if !strings.Contains(m.Raw, "&lt;b&gt;pause&lt;/b&gt; &amp; co") {
		t.Errorf("raw reply %q; want the status reason escaped", m.Raw)
	}

	en := telegramtest.NewUser(302, "en")
	m = h.say(en, "/mydata")
	wantContains(t, m, "/start")
	h.say(en, "/start")
	h.say(en, "/lang en")
	m = h.say(en, "/mydata")
	wantContains(t, m, "What we store about you", "subscribed", "English", "direct", "You follow: nothing")
}

// Words a reader typed and was offered to follow wait in Redis for 48
// hours; /mydata lists them with the moment they are deleted.
func TestMyDataListsWordsOffered(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(305, "ar")
	h.say(u, "/start")
	h.say(u, "فرن بلدي") // "a local bakery": no topic, offered as a keyword
	m := h.say(u, "/mydata")
	wantContains(t, m,
		"كلمات عرضنا عليك متابعتها", // "words we offered you to follow"
		"• فرن بلدي",
		"تُحذف", // "deleted"
	)
	en := telegramtest.NewUser(306, "en")
	h.say(en, "/start")
	h.say(en, "/lang en")
	m = h.say(en, "/mydata")
	if strings.Contains(m.Visible(), "offered") {
		t.Errorf("/mydata without offers mentions them: %q", m.Visible())
	}
	h.say(en, "local bakery")
	wantContains(t, h.say(en, "/mydata"), "Words we offered you to follow", "• local bakery", "deleted on")
}

func TestForgetAsksThenDeletesEverything(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const chat = 303
	u := telegramtest.NewUser(chat, "ar")
	h.say(u, "/start site-footer_follow-sdf")
	h.say(u, "/follow اقتصاد, الرقة") // economy, Raqqa
	h.say(u, "/time instant")
	h.say(telegramtest.NewUser(304, "ar"), "/start site-footer_follow-sdf") // a neighbour who stays

	ask := h.say(u, "/forget")
	if got := strings.Join(ask.Buttons(), " "); !strings.Contains(got, "|fg:yes") || !strings.Contains(got, "|fg:no") {
		t.Fatalf("/forget buttons = %v; want fg:yes and fg:no", ask.Buttons())
	}
	// "No" keeps everything.
	edited := press(t, h, chat, ask.MessageID, "fg:no")
	wantContains(t, edited, "لم نحذف شيئاً") // nothing was deleted
	if r := h.reader(chat); len(r.Follows) != 3 {
		t.Fatalf("follows after cancelling = %s; want all three kept", followKeys(r))
	}

	ask = h.say(u, "/forget")
	edited = press(t, h, chat, ask.MessageID, "fg:yes")
	wantContains(t, edited, "حذفنا كل ما كنا نحفظه عنك") // we deleted everything
	if edited.ReplyMarkup != nil && len(edited.ReplyMarkup.InlineKeyboard) > 0 {
		t.Errorf("the confirmation kept its buttons: %v", edited.Buttons())
	}
	if _, err := h.store.Get(ctx, chat); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("Get after /forget: %v; want ErrNotFound", err)
	}
	h.noKeysAbout(chat)
	if ids, _ := h.store.Followers(ctx, "t:sdf"); len(ids) != 1 || ids[0] != 304 {
		t.Errorf("followers of sdf = %v; want only the neighbour", ids)
	}

	m := h.say(u, "/mydata")
	wantContains(t, m, "لا نحفظ عنك أي بيانات") // we store nothing about you
	h.say(u, "/start")
	if r := h.reader(chat); r.Source != "direct" || len(r.Follows) != 0 || r.Schedule != "" {
		t.Errorf("reader after /forget and /start = %+v; want a new one", r)
	}
}

// press presses a button and returns the message once it has been edited.
func press(t *testing.T, h *harness, chat int64, msgID int, data string) telegramtest.Message {
	t.Helper()
	var before int
	for _, m := range h.srv.SentTo(chat) {
		if m.MessageID == msgID {
			before = m.Edits
		}
	}
	if _, err := h.srv.PressButton(chat, msgID, chat, data); err != nil {
		t.Fatal(err)
	}
	snap, err := h.srv.WaitFor(20*time.Second, func(s telegramtest.Snapshot) bool {
		for _, m := range s.SentTo(chat) {
			if m.MessageID == msgID && m.Edits > before {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("pressing %s did not edit message %d: %v", data, msgID, err)
	}
	for _, m := range snap.SentTo(chat) {
		if m.MessageID == msgID {
			return m
		}
	}
	return telegramtest.Message{}
}

// noKeysAbout fails when any key under the test prefix is the chat's or
// lists it as a member (status sets, readers set, topic index).
func (h *harness) noKeysAbout(chat int64) {
	h.t.Helper()
	ctx := context.Background()
	id := strconv.FormatInt(chat, 10)
	for _, key := range h.redis.Keys(h.t) {
		if strings.Contains(key, ":u:"+id) {
			h.t.Errorf("key %s is left", key)
			continue
		}
		typ, err := h.redis.Client.Type(ctx, key).Result()
		if err != nil {
			h.t.Fatal(err)
		}
		var member bool
		switch typ {
		case "set":
			member, err = h.redis.Client.SIsMember(ctx, key, id).Result()
		case "zset":
			err = h.redis.Client.ZScore(ctx, key, id).Err()
			member = err == nil
			if err != nil && strings.Contains(err.Error(), "nil") {
				err = nil
			}
		}
		if err != nil {
			h.t.Fatal(err)
		}
		if member {
			h.t.Errorf("%s %s still lists chat %d", typ, key, chat)
		}
	}
}

// TestMyDataSaysItInWords: /mydata shows an Arabic reader no code. Why the
// status last changed, the chat's kind, where the subscription came from
// and every date are said in words; only commands stay in Latin letters.
func TestMyDataSaysItInWords(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	reasons := []struct {
		status subscribers.Status
		reason string
		want   string
	}{
		{subscribers.Active, "start", "اشتركت"},                                       // you subscribed
		{subscribers.Stopped, "stop", "ألغيت الاشتراك"},                               // you unsubscribed
		{subscribers.Paused, "pause", "أوقفت النشرة مؤقتاً"},                          // you paused the digest
		{subscribers.Active, "resume", "استأنفت النشرة"},                              // you resumed it
		{subscribers.Active, "undo stop", "تراجعت عن إلغاء الاشتراك"},                 // you undid unsubscribing
		{subscribers.Active, "pause ended", "انتهى الإيقاف المؤقت"},                   // the pause ended
		{subscribers.Blocked, "bot kicked", "أُزيل البوت من المحادثة"},                // the bot was removed
		{subscribers.Blocked, "Forbidden: bot was blocked by the user", "رفض تلغرام"}, // Telegram refused
		{subscribers.Blocked, "migrated to -100123", "مجموعة خارقة"},                  // became a supergroup
	}
	for i, r := range reasons {
		chat := int64(330 + i)
		u := telegramtest.NewUser(chat, "ar")
		h.say(u, "/start")
		if _, err := h.store.SetStatus(ctx, chat, r.status, r.reason); err != nil {
			t.Fatal(err)
		}
		m := h.say(u, "/mydata")
		wantContains(t, m,
			r.want,
			"محادثة خاصة", // a private chat
			"مباشرة",      // directly, without a signup link
			"بتوقيت",      // a date and time in words, with its zone
		)
		shown := regexp.MustCompile(`/[a-z]+`).ReplaceAllString(m.Text, "")
		if latin := regexp.MustCompile(`[A-Za-z]+`).FindAllString(shown, -1); len(latin) > 0 {
			t.Errorf("reason %q: /mydata shows %q in Latin letters:\n%s", r.reason, latin, m.Text)
		}
		if iso := regexp.MustCompile(`\d{4}-\d\d-\d\d`).FindString(m.Text); iso != "" {
			t.Errorf("reason %q: /mydata writes a date as %s, not in words:\n%s", r.reason, iso, m.Text)
		}
	}

	en := telegramtest.NewUser(340, "en")
	h.say(en, "/start")
	h.say(en, "/lang en")
	m := h.say(en, "/mydata")
	wantContains(t, m, "private chat", "directly", "you subscribed", "time")
}

// TestDoubleTapSendsNothingTwice: a reader's second tap on a button, which
// Telegram delivers after the first has already changed the message, finds
// the message showing the outcome; it must not arrive again as a new one.
func TestDoubleTapSendsNothingTwice(t *testing.T) {
	h := newHarness(t)
	const chat = 350
	u := telegramtest.NewUser(chat, "ar")
	h.say(u, "/start")
	ask := h.say(u, "/forget")
	press(t, h, chat, ask.MessageID, "fg:no")
	before := len(h.srv.SentTo(chat))
	if _, err := h.srv.ForgeCallback(chat, ask.MessageID, chat, "fg:no"); err != nil {
		t.Fatal(err)
	}
	// The answer to the second tap is the sign that it was handled.
	if _, err := h.srv.WaitFor(20*time.Second, func(s telegramtest.Snapshot) bool {
		return len(s.CallsTo("answerCallbackQuery")) >= 2
	}); err != nil {
		t.Fatal(err)
	}
	if got := h.srv.SentTo(chat); len(got) != before {
		t.Errorf("after a second tap %d messages, want %d: %q", len(got), before, got[len(got)-1].Text)
	}
}
