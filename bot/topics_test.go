package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"nashra/bot/telegramtest"
	"nashra/digest/topics"
)

// message is the bot's message msgID in chat as the reader sees it now.
func (h *harness) message(chat int64, msgID int) telegramtest.Message {
	h.t.Helper()
	for _, m := range h.srv.SentTo(chat) {
		if m.MessageID == msgID {
			return m
		}
	}
	h.t.Fatalf("no message %d in chat %d", msgID, chat)
	return telegramtest.Message{}
}

// press presses the button with data on message msgID and returns the
// toast that answers it and the message after the press.
func (h *harness) press(chat int64, msgID int, data string) (string, telegramtest.Message) {
	h.t.Helper()
	a := h.answerTo(h.srv.PressButton(chat, msgID, chat, data))
	return a.Text, h.message(chat, msgID)
}

// pageButtons splits a /topics message's buttons: the topics' data and
// the row that turns pages.
func pageButtons(m telegramtest.Message) (topicData []string, nav []models.InlineKeyboardButton) {
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			switch {
			case strings.HasPrefix(b.CallbackData, "t:"):
				topicData = append(topicData, b.CallbackData)
			case strings.HasPrefix(b.CallbackData, "tp:"):
				nav = append(nav, b)
			}
		}
	}
	return topicData, nav
}

// /topics comes a group at a time; the page buttons, pressed as a reader
// presses them, lead through every group and back to the first, and every
// topic of the catalog is on one of the pages.
func TestTopicsPagesReachEveryTopic(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		user       models.User
		first      []string // on the first page
		next       int      // the next page's button in the page row
		groupNames func(topics.Group) string
	}{
		// "Forces", "page 1 of 8", "you follow nothing yet, so you get every story", SDF's short name
		{telegramtest.NewUser(120, "ar"), []string{"📂 المواضيع: الأطراف (الصفحة 1 من 8)", "لا تتابع شيئاً بعد، فتصلك كل الأخبار", "اضغط على موضوع"}, 0, func(g topics.Group) string { return g.Arabic }},
		{telegramtest.NewUser(121, "en"), []string{"📂 Topics: Forces (page 1 of 8)", "You follow nothing yet, so you get every story", "Tap a topic"}, 1, func(g topics.Group) string { return g.English }},
	} {
		u := tt.user
		h.say(u, "/start")
		if u.LanguageCode == "en" {
			h.say(u, "/lang en")
		}
		m := h.say(u, "/topics")
		wantContains(t, m, tt.first...)
		short := "قسد|t:sdf" // SDF
		if u.LanguageCode == "en" {
			short = "SDF|t:sdf"
		}
		if !containsButton(m, short) {
			t.Errorf("%s: first page buttons %v; want SDF by its short name", u.LanguageCode, m.Buttons())
		}

		seen := map[string]bool{}
		var groups []string
		for range 20 {
			data, nav := pageButtons(m)
			if len(data) == 0 || len(data) > 12 {
				t.Errorf("%s: a page of %d topics; want 1 to 12: %q", u.LanguageCode, len(data), m.Text)
			}
			for _, d := range data {
				if seen[d] {
					t.Errorf("%s: %s on two pages", u.LanguageCode, d)
				}
				seen[d] = true
			}
			groups = append(groups, strings.SplitN(m.Text, "\n", 2)[0])
			if len(nav) != 2 {
				t.Fatalf("%s: page row %v; want previous and next", u.LanguageCode, nav)
			}
			_, m = h.press(u.ID, m.MessageID, nav[tt.next].CallbackData)
			if strings.Contains(m.Text, tt.first[0]) {
				break
			}
		}
		var want []string
		for _, tp := range topics.Builtin().Topics() {
			want = append(want, "t:"+tp.Slug)
		}
		var got []string
		for d := range seen {
			got = append(got, d)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the pages hold %q; want every topic, %q", u.LanguageCode, got, want)
		}
		for _, s := range topics.Builtin().Sections() {
			if !slices.ContainsFunc(groups, func(line string) bool { return strings.Contains(line, tt.groupNames(s.Group)) }) {
				t.Errorf("%s: no page is headed %q: %q", u.LanguageCode, tt.groupNames(s.Group), groups)
			}
		}
		if len(groups) != 8 {
			t.Errorf("%s: %d pages before the first came back; want 8: %q", u.LanguageCode, len(groups), groups)
		}
	}
}

// The first topic a reader follows narrows the digest, and the reader is
// told so at once; the page says so for as long as it is true.
func TestFirstTopicSaysTheDigestIsLimited(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		user                   models.User
		first, second, removed string
		limited, all, ticked   string
	}{
		{
			telegramtest.NewUser(130, "ar"),
			"تتابع الآن: قوات سوريا الديمقراطية. صارت نشرتك تقتصر على ما تتابعه.", // "now following: SDF. Your digest now holds only what you follow."
			"تتابع الآن: داعش", "ألغيت متابعة: داعش", // "now following: ISIS", "no longer following: ISIS"
			"تقتصر نشرتك على ما تتابعه", "لا تتابع شيئاً بعد، فتصلك كل الأخبار", "✅ قسد",
		},
		{
			telegramtest.NewUser(131, "en"),
			"Now following: Syrian Democratic Forces. Your digest now holds only what you follow.",
			"Now following: ISIS", "No longer following: ISIS",
			"Your digest holds only what you follow", "You follow nothing yet, so you get every story", "✅ SDF",
		},
	} {
		u := tt.user
		h.say(u, "/start")
		if u.LanguageCode == "en" {
			h.say(u, "/lang en")
		}
		kb := h.say(u, "/topics")
		toast, m := h.press(u.ID, kb.MessageID, "t:sdf")
		if toast != tt.first {
			t.Errorf("%s: first follow answered %q; want %q", u.LanguageCode, toast, tt.first)
		}
		wantContains(t, m, tt.limited)
		if !containsButton(m, tt.ticked+"|t:sdf") {
			t.Errorf("%s: page after the follow %v; want %q", u.LanguageCode, m.Buttons(), tt.ticked)
		}
		if toast, _ = h.press(u.ID, kb.MessageID, "t:isis"); toast != tt.second {
			t.Errorf("%s: second follow answered %q; want %q", u.LanguageCode, toast, tt.second)
		}
		h.press(u.ID, kb.MessageID, "t:sdf")
		toast, m = h.press(u.ID, kb.MessageID, "t:isis")
		if toast != tt.removed {
			t.Errorf("%s: unfollow answered %q; want %q", u.LanguageCode, toast, tt.removed)
		}
		wantContains(t, m, tt.all)
		if got := followKeys(h.reader(u.ID)); got != "" {
			t.Errorf("%s: follows %q after unfollowing both; want none", u.LanguageCode, got)
		}
	}
}

// A topic pressed on a later page keeps the reader on that page.
func TestTopicOnALaterPageStaysThere(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(132, "ar")
	h.say(u, "/start")
	kb := h.say(u, "/topics")
	m := kb
	for range 8 {
		if containsButton(m, "|t:qamishli") {
			break
		}
		_, nav := pageButtons(m)
		_, m = h.press(u.ID, kb.MessageID, nav[0].CallbackData)
	}
	_, m = h.press(u.ID, kb.MessageID, "t:qamishli")
	wantContains(t, m, "📂 المواضيع: المدن") // towns
	if !containsButton(m, "✅ القامشلي|t:qamishli") {
		t.Errorf("towns page after the press: %v; want Qamishli ticked", m.Buttons())
	}
}

// What readers type for a topic follows the topic, not a narrow keyword;
// the opposition's interim government is not Damascus's.
func TestFollowResolvesWhatReadersType(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(133, "ar")
	h.say(u, "/start")
	const limited = "صارت نشرتك تقتصر على ما تتابعه" // "your digest now holds only what you follow"

	m := h.say(u, "/follow تنظيم داعش") // "the ISIS organisation"
	wantContains(t, m, "أنت الآن تتابع: داعش", limited)
	for _, tt := range []struct{ typed, reply string }{
		{"قوات قسد", "أنت الآن تتابع: قوات سوريا الديمقراطية"},                           // "SDF forces"
		{"التحالف", "أنت الآن تتابع: التحالف الدولي"},                                    // "the coalition"
		{"قامشلي", "أنت الآن تتابع: القامشلي"},                                           // Qamishli without the article
		{"قوات سوريا الديموقراطية", "أنت تتابع قوات سوريا الديمقراطية من قبل"},           // SDF, democratic spelt with و: already followed
		{"الشرع", "أنت الآن تتابع: الحكومة السورية الانتقالية"},                          // al-Sharaa
		{"الحكومة السورية المؤقتة", "ستصلك الأخبار التي تذكر «الحكومة السورية المؤقتة»"}, // the interim government: a keyword
	} {
		m := h.say(u, "/follow "+tt.typed)
		wantContains(t, m, tt.reply)
		if strings.Contains(m.Text, limited) {
			t.Errorf("/follow %s after the first follow repeats %q", tt.typed, limited)
		}
	}
	want := "t:coalition,t:damascus,t:isis,t:qamishli,t:sdf,k:الحكومه السوريه المؤقته"
	if got := followKeys(h.reader(u.ID)); got != want {
		t.Errorf("follows %q; want %q", got, want)
	}

	e := telegramtest.NewUser(134, "en")
	h.say(e, "/start")
	h.say(e, "/lang en")
	m = h.say(e, "/follow قوات قسد, التحالف")
	wantContains(t, m, "You now follow: Syrian Democratic Forces", "You now follow: Global Coalition against ISIS",
		"Your digest now holds only what you follow, not every story")
	if strings.Count(m.Text, "Your digest now holds") != 1 {
		t.Errorf("two first follows in one message told twice: %q", m.Text)
	}

	// A first follow that is a keyword narrows the digest as much.
	k := telegramtest.NewUser(135, "ar")
	h.say(k, "/start")
	m = h.say(k, "/follow انتخابات") // "elections"
	wantContains(t, m, "ستصلك الأخبار التي تذكر «انتخابات»", limited)
}

// On a /topics message Telegram no longer lets the bot edit, a page button
// still works: the page comes as a new message.
func TestTopicsPageOnAnOldMessage(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(136, "ar")
	h.say(u, "/start")
	kb := h.say(u, "/topics")
	if err := h.srv.MakeInaccessible(u.ID, kb.MessageID); err != nil {
		t.Fatal(err)
	}
	_, nav := pageButtons(kb)
	m := h.sayIn(u.ID, func() { h.answerTo(h.srv.PressButton(u.ID, kb.MessageID, u.ID, nav[0].CallbackData)) })
	wantContains(t, m, "📂 المواضيع: دمشق (الصفحة 2 من 8)") // Damascus, page 2 of 8
	m = h.sayIn(u.ID, func() { h.answerTo(h.srv.PressButton(u.ID, kb.MessageID, u.ID, "t:sdf")) })
	if !containsButton(m, "✅ قسد|t:sdf") { // SDF
		t.Errorf("after a follow on an old page: %v; want a new page with SDF ticked", m.Buttons())
	}
}
