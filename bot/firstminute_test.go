package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"nashra/bot/telegramtest"
	"nashra/digest/articles"
	"nashra/subscribers"
)

// settle waits until every update sent to chat so far has been handled:
// a chat's updates are handled in order, so once /mytopics is answered,
// whatever came before it is done. It returns how many messages the
// chat holds before that answer.
func (h *harness) settle(u int64) int {
	h.t.Helper()
	m := h.sayIn(u, func() { h.srv.SendText(telegramtest.NewUser(u, ""), "/mytopics") })
	for i, sent := range h.srv.SentTo(u) {
		if sent.MessageID == m.MessageID {
			return i
		}
	}
	h.t.Fatal("the /mytopics answer is gone")
	return 0
}

// The screen /start answers with, as the reader reads it.
var startScreens = map[string]struct {
	new, again, back  string
	allNews, followed string
	buttons           []string
}{
	"ar": {
		new:   "👋 أهلاً بك في نشرة.",                                          // "welcome to Nashra"
		again: "👋 اشتراكك في نشرة مفعّل.",                                     // "your subscription is active"
		back:  "👋 أهلاً بعودتك! اشتراكك مفعّل من جديد، ومتابعاتك كما تركتها.", // "welcome back"
		// "we send you the news of North-East Syria, the SDF, the coalition and ISIS, each with a short summary"
		allNews: "نرسل إليك أخبار شمال شرق سوريا و«قسد» والتحالف الدولي و«داعش»، مع ملخص قصير لكل خبر.",
		// "we send you the news of what you follow"
		followed: "نرسل إليك أخبار ما تتابعه، مع ملخص قصير لكل خبر. متابعاتك في /mytopics",
		buttons:  []string{"📂 اختر المواضيع|go:topics", "⏰ موعد النشرة|go:time", "📰 آخر الأخبار الآن|go:latest"},
	},
	"en": {
		new:      "👋 Welcome to Nashra.",
		again:    "👋 You are subscribed to Nashra.",
		back:     "👋 Welcome back! Your subscription is active again, and your topics are as you left them.",
		allNews:  "We send you the news of North-East Syria, the SDF, the international coalition and ISIS, each story with a short summary.",
		followed: "We send you the news of what you follow, each story with a short summary. Your topics: /mytopics",
		buttons:  []string{"📂 Choose topics|go:topics", "⏰ Digest time|go:time", "📰 Latest news now|go:latest"},
	},
}

var startNext = map[string]string{
	// "choose your topics with the button below, or type the name of a topic or a town, such as SDF or Raqqa"
	"ar": "\n\nاختر مواضيعك بالزر أدناه، أو اكتب اسم موضوع أو مدينة، مثل قسد أو الرقة.\nالأوامر كلها في /help · For English: /lang en",
	"en": "\n\nChoose your topics with the button below, or type the name of a topic or a town, such as SDF or Raqqa.\nAll commands: /help · بالعربية: /lang ar",
}

// /start answers in one message: what we send, when in the reader's own
// time, and the three buttons; new, again, and back after /stop.
func TestStartAnswersInOneScreen(t *testing.T) {
	h := newHarness(t)
	ar := telegramtest.NewUser(801, "ar")
	s := startScreens["ar"]
	m := h.say(ar, "/start")
	// "your digest comes daily at 8:00 am Damascus time"
	want := s.new + "\n" + s.allNews + "\n⏰ تصلك النشرة يومياً الساعة 8:00 صباحاً بتوقيت دمشق." + startNext["ar"]
	if got := m.Visible(); got != want {
		t.Errorf("a new reader's /start:\n%s\nwant:\n%s", got, want)
	}
	if got := m.Buttons(); !slices.Equal(got, s.buttons) {
		t.Errorf("buttons %q; want %q", got, s.buttons)
	}
	if n := h.settle(ar.ID); n != 1 {
		t.Errorf("/start answered in %d messages; want one", n)
	}

	// Instant, then following something: both said.
	h.say(ar, "/time فوراً") // "instantly"
	h.say(ar, "/follow الرقة")
	m = h.say(ar, "/start")
	// "news comes to you as soon as it is published"
	want = s.again + "\n" + s.followed + "\n⚡ تصلك الأخبار فور نشرها." + startNext["ar"]
	if got := m.Visible(); got != want {
		t.Errorf("a subscribed reader's /start:\n%s\nwant:\n%s", got, want)
	}

	// English, at 7 pm, back after /stop.
	en := telegramtest.NewUser(802, "en")
	e := startScreens["en"]
	h.say(en, "/start")
	h.say(en, "/lang en")
	h.say(en, "/time 7pm")
	h.say(en, "/stop")
	m = h.say(en, "/start")
	want = e.back + "\n" + e.allNews + "\n⏰ Your digest comes daily at 7:00 pm Damascus time." + startNext["en"]
	if got := m.Visible(); got != want {
		t.Errorf("a returning English reader's /start:\n%s\nwant:\n%s", got, want)
	}
	if got := m.Buttons(); !slices.Equal(got, e.buttons) {
		t.Errorf("buttons %q; want %q", got, e.buttons)
	}
	if r := h.reader(en.ID); r.Status != subscribers.Active || r.Schedule != "0 19 * * *" {
		t.Errorf("after coming back: %+v; want active at 19:00", r)
	}
}

// A signup link's topics are followed and said on the same screen.
func TestStartFromSignupLink(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(803, "ar")
	m := h.say(u, "/start site-footer_follow-sdf_follow-raqqa")
	s := startScreens["ar"]
	want := s.new + "\n" + s.followed + "\n⏰ تصلك النشرة يومياً الساعة 8:00 صباحاً بتوقيت دمشق.\n\n" +
		"✅ تابعتَ من رابط الاشتراك: قوات سوريا الديمقراطية، الرقة" + startNext["ar"] // "followed from the signup link"
	if got := m.Visible(); got != want {
		t.Errorf("/start from a signup link:\n%s\nwant:\n%s", got, want)
	}
	if r := h.reader(u.ID); followKeys(r) != "t:raqqa,t:sdf" || r.Source != "site-footer" {
		t.Errorf("reader %+v; want t:raqqa,t:sdf from site-footer", r)
	}
	if n := h.settle(u.ID); n != 1 {
		t.Errorf("/start answered in %d messages; want one", n)
	}
}

// The buttons under /start do what /topics, /time and /digest do.
func TestStartButtons(t *testing.T) {
	h := newHarness(t)
	for i, lang := range []string{"ar", "en"} {
		u := telegramtest.NewUser(int64(804+i), lang)
		m := h.say(u, "/start")
		if lang == "en" {
			h.say(u, "/lang en")
			m = h.say(u, "/start")
		}
		topics := h.sayIn(u.ID, func() { h.srv.PressButton(u.ID, m.MessageID, u.ID, "go:topics") })
		if !containsButton(topics, "|t:sdf") || !containsButton(topics, "|tp:") {
			t.Errorf("%s: «choose topics» sent %q; want the first page of /topics", lang, topics.Buttons())
		}
		picker := h.sayIn(u.ID, func() { h.srv.PressButton(u.ID, m.MessageID, u.ID, "go:time") })
		if !containsButton(picker, "|time:07:00") || !containsButton(picker, "|time:instant") {
			t.Errorf("%s: «digest time» sent %q; want the /time picker", lang, picker.Buttons())
		}
		wantContains(t, picker, map[string]string{"ar": "الساعة 8:00 صباحاً بتوقيت دمشق", "en": "at 8:00 am Damascus time"}[lang])
		latest := h.sayIn(u.ID, func() { h.srv.PressButton(u.ID, m.MessageID, u.ID, "go:latest") })
		// Nothing is stored: what /digest says then.
		wantContains(t, latest, map[string]string{"ar": "لا جديد", "en": "Nothing new"}[lang])
	}
}

// story adds an in-scope SDF story, or one out of scope.
func (h *exitsHarness) story(id, title string, inScope bool) {
	h.t.Helper()
	if _, _, err := h.arts.Ingest(context.Background(), articles.Article{
		ID: id, Link: "https://7al.net/" + id, Title: title, Summary: []string{title + "."}, Text: title,
		Topics: []string{"sdf"}, InScope: inScope,
	}, nil); err != nil {
		h.t.Fatal(err)
	}
}

// A new reader gets the latest three in-scope stories at once, after the
// welcome, through the outbox; they do not come again in the first
// digest; and /start again brings nothing more.
func TestNewReaderGetsTheLatestThree(t *testing.T) {
	for i, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newExitsHarness(t, time.Date(2026, 12, 5, 7, 0, 0, 0, damascus))
			for n := 1; n <= 5; n++ {
				h.story(fmt.Sprint("s", n), fmt.Sprintf("SDF story %d", n), true)
			}
			h.story("out", "SDF story out of scope", false)
			u := telegramtest.NewUser(int64(811+i), lang)
			if lang == "en" {
				// A chat that chose English before it subscribed.
				h.say(u, "/lang en")
			}
			n := len(h.srv.SentTo(u.ID))
			h.srv.SendText(u, "/start")
			got := h.received(u.ID, n, 2)
			wantContains(t, got[0], startScreens[lang].allNews)
			header := map[string]string{"ar": "📰 نشرة السبت 5 كانون الأول · 3 أخبار جديدة", "en": "📰 Digest · Saturday 5 December · 3 new stories"}[lang]
			if first := strings.Split(got[1].Visible(), "\n")[0]; first != header {
				t.Errorf("the stories open with %q; want %q", first, header)
			}
			var titles []string
			for _, line := range strings.Split(got[1].Visible(), "\n") {
				if strings.HasPrefix(line, "SDF story") && !strings.HasSuffix(line, ".") { // titles, not summaries
					titles = append(titles, line)
				}
			}
			if want := []string{"SDF story 5", "SDF story 4", "SDF story 3"}; !slices.Equal(titles, want) {
				t.Errorf("a new reader receives %q; want %q, newest first", titles, want)
			}
			if r := h.reader(u.ID); r.Cursor != 6 {
				t.Errorf("cursor %d after the first stories; want 6, past everything stored", r.Cursor)
			}

			// /start again: the screen, and no stories. (The sender finishes
			// a job just after Telegram has it: wait for that first.)
			waitFor(t, func() bool { hi, lo, err := h.queue.QueueDepth(context.Background()); return err == nil && hi+lo == 0 })
			n = len(h.srv.SentTo(u.ID))
			h.say(u, "/start")
			if k := h.settle(u.ID); k != n+1 {
				t.Errorf("/start again sent %d messages; want only the screen", k-n)
			}
			if hi, lo, err := h.queue.QueueDepth(context.Background()); err != nil || hi+lo != 0 {
				t.Errorf("outbox holds %d+%d (%v) after /start again; want nothing", hi, lo, err)
			}
			// At 08:00 nothing old comes again; a new story does.
			h.at(5, 8, 0)
			if res := h.build(); res.Queued != 0 {
				t.Errorf("08:00 with nothing new: %+v; want nothing queued", res)
			}
			h.story("s6", "SDF story 6", true)
			h.at(6, 8, 0)
			n = len(h.srv.SentTo(u.ID))
			if res := h.build(); res.Queued != 1 {
				t.Fatalf("the next morning: %+v; want one digest", res)
			}
			d := h.received(u.ID, n, 1)[0]
			if v := d.Visible(); !strings.Contains(v, "SDF story 6") || strings.Contains(v, "SDF story 5") {
				t.Errorf("the next digest:\n%s\nwant only the new story", v)
			}
		})
	}
}

// With nothing to read, a new reader gets the screen only: no empty
// digest, no promise, and their first digest is left as it would be.
func TestNewReaderWithNothingToRead(t *testing.T) {
	h := newExitsHarness(t, time.Date(2026, 12, 5, 7, 0, 0, 0, damascus))
	h.story("out", "SDF story out of scope", false)
	u := telegramtest.NewUser(813, "ar")
	m := h.say(u, "/start")
	wantContains(t, m, startScreens["ar"].new)
	if n := h.settle(u.ID); n != 1 {
		t.Errorf("/start sent %d messages with nothing to read; want the screen only", n)
	}
	if hi, lo, err := h.queue.QueueDepth(context.Background()); err != nil || hi+lo != 0 {
		t.Errorf("outbox holds %d+%d (%v); want nothing", hi, lo, err)
	}
	if r := h.reader(u.ID); r.Cursor != 0 {
		t.Errorf("cursor %d; want 0, left for the first digest", r.Cursor)
	}
}

// In a group the screen does not invite plain text, which a group does
// not get answered; its buttons are the admins'.
func TestStartInAGroup(t *testing.T) {
	h := newHarness(t)
	const group = -1001234567888
	admin, member := telegramtest.NewUser(806, "ar"), telegramtest.NewUser(807, "ar")
	h.srv.SetMember(group, admin.ID, models.ChatMemberTypeAdministrator)
	h.srv.SetMember(group, member.ID, models.ChatMemberTypeMember)
	m := h.sayIn(group, func() { h.srv.SendGroupText(group, admin, "/start@nashra_bot") })
	// "the group's admins choose its topics with the button below"
	want := "\n\nيختار مشرفو المجموعة مواضيعها بالزر أدناه.\nالأوامر كلها في /help · For English: /lang en"
	if got := m.Visible(); !strings.HasSuffix(got, want) || strings.Contains(got, "اكتب اسم موضوع") {
		t.Errorf("a group's /start:\n%s\nwant it to end:%s", got, want)
	}
	if got := m.Buttons(); !slices.Equal(got, startScreens["ar"].buttons) {
		t.Errorf("buttons %q; want %q", got, startScreens["ar"].buttons)
	}
	if a := h.answerTo(h.srv.PressButton(group, m.MessageID, member.ID, "go:topics")); !strings.Contains(a.Text, "مشرفو المجموعة") {
		t.Errorf("a member's tap is answered %q; want the admins-only answer", a.Text)
	}
	topics := h.sayIn(group, func() { h.srv.PressButton(group, m.MessageID, admin.ID, "go:topics") })
	if !containsButton(topics, "|t:sdf") {
		t.Errorf("an admin's tap sent %q; want the first page of /topics", topics.Buttons())
	}
}
