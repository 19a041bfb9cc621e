package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"nashra/bot/telegramtest"
	"nashra/keyspace"
	"nashra/subscribers"
)

// tapFor presses a button on a message and returns the message the bot
// sends for it.
func (h *harness) tapFor(chat int64, msgID int, data string) telegramtest.Message {
	h.t.Helper()
	return h.sayIn(chat, func() {
		if _, err := h.srv.PressButton(chat, msgID, chat, data); err != nil {
			h.t.Fatal(err)
		}
	})
}

// offerKey is the reader's offers hash in Redis.
func (h *harness) offerKey(chat int64) string {
	return keyspace.New(h.redis.Prefix).ForChat(chat).Offers(chat)
}

// Plain text that names a topic is answered with a button that follows
// it; tapping it follows, says so, and says the digest is now limited.
func TestPlainTextNamesATopic(t *testing.T) {
	tests := []struct {
		lang, typed     string
		want, button    string
		followed, first string
		again           string
	}{
		{
			lang: "ar", typed: "قسد",
			want:     "📌 هذا من مواضيعنا: قوات سوريا الديمقراطية.\nتابعه لتصلك أخباره في نشرتك.", // "this is one of our topics: the SDF. Follow it to get its news in your digest."
			button:   "تابع قسد|f:t:sdf",                                                         // "follow SDF"
			followed: "✅ أنت الآن تتابع: قوات سوريا الديمقراطية",                                 // "you now follow: the SDF"
			first:    "صارت نشرتك تقتصر على ما تتابعه",                                           // "your digest now holds only what you follow"
			again:    "أنت تتابع قوات سوريا الديمقراطية من قبل.",                                 // "you already follow the SDF"
		},
		{
			lang: "en", typed: "SDF",
			want:     "📌 This is one of our topics: Syrian Democratic Forces.\nFollow it to get its news in your digest.",
			button:   "Follow SDF|f:t:sdf",
			followed: "✅ You now follow: Syrian Democratic Forces",
			first:    "Your digest now holds only what you follow",
			again:    "You already follow Syrian Democratic Forces.",
		},
	}
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			u := telegramtest.NewUser(int64(821+i), tt.lang)
			h.say(u, "/start")
			h.say(u, "/lang "+tt.lang)
			m := h.say(u, tt.typed)
			if got := m.Visible(); got != tt.want {
				t.Errorf("%q is answered:\n%s\nwant:\n%s", tt.typed, got, tt.want)
			}
			if got := m.Buttons(); !slices.Equal(got, []string{tt.button}) {
				t.Errorf("buttons %q; want %q", got, tt.button)
			}
			if got := followKeys(h.reader(u.ID)); got != "" {
				t.Errorf("typing a name followed %q before the tap", got)
			}
			out := h.tapFor(u.ID, m.MessageID, "f:t:sdf")
			wantContains(t, out, tt.followed, tt.first)
			if got := followKeys(h.reader(u.ID)); got != "t:sdf" {
				t.Errorf("follows after the tap = %q; want t:sdf", got)
			}
			// Tapped again, or typed again: already followed, no button.
			wantContains(t, h.tapFor(u.ID, m.MessageID, "f:t:sdf"), tt.again)
			again := h.say(u, tt.typed)
			if got := again.Visible(); got != tt.again || len(again.Buttons()) != 0 {
				t.Errorf("typed again: %q with %q; want %q and no button", got, again.Buttons(), tt.again)
			}
		})
	}
}

// Every name /follow resolves finds the topic as plain text: what
// readers type rather than what the press writes, a leading «تابع», a
// question mark.
func TestPlainTextNames(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(831, "ar")
	h.say(u, "/start")
	for _, tt := range []struct{ typed, button string }{
		{"تنظيم داعش", "تابع داعش|f:t:isis"},             // "the ISIS organisation"
		{"قوات قسد", "تابع قسد|f:t:sdf"},                 // "SDF forces"
		{"التحالف", "تابع التحالف الدولي|f:t:coalition"}, // "the coalition"
		{"تابع الرقة", "تابع الرقة|f:t:raqqa"},           // "follow Raqqa"
		{"القامشلي؟", "تابع القامشلي|f:t:qamishli"},      // "Qamishli?"
		{"#قوات_سوريا_الديمقراطية", "تابع قسد|f:t:sdf"},  // a hashtag
	} {
		m := h.say(u, tt.typed)
		if got := m.Buttons(); !slices.Equal(got, []string{tt.button}) {
			t.Errorf("%q: buttons %q; want %q", tt.typed, got, tt.button)
		}
		wantContains(t, m, "هذا من مواضيعنا") // "this is one of our topics"
	}
	// Two names at once: a button each.
	m := h.say(u, "قسد، الرقة")
	if got, want := m.Buttons(), []string{"تابع قسد|f:t:sdf", "تابع الرقة|f:t:raqqa"}; !slices.Equal(got, want) {
		t.Errorf("two names: buttons %q; want %q", got, want)
	}
}

// Words that name no topic get the nearest topics as buttons and an offer
// to follow them as a keyword; the keyword's words wait in Redis under
// the short token the button carries, however long they are.
func TestPlainTextNearestAndKeyword(t *testing.T) {
	tests := []struct {
		lang, typed string
		want        string
		near        []string
		keyword     string // the keyword button's label
		followed    string
		key         string
	}{
		{
			lang: "ar", typed: "قصد", // a typo of قسد
			// "we know no topic called «qasd». Perhaps you mean one of these topics, or want to follow «qasd» as a keyword, to get the stories that mention it."
			want:     "🔎 لا نعرف موضوعاً باسم «قصد». لعلك تقصد أحد هذه المواضيع، أو تريد أن تتابع «قصد» كلمةً مفتاحية فتصلك الأخبار التي تذكرها.",
			near:     []string{"تابع قسد|f:t:sdf"},
			keyword:  "🔑 تابع «قصد» كلمةً مفتاحية",
			followed: "✅ ستصلك الأخبار التي تذكر «قصد».", // "you will receive the stories that mention «qasd»"
			key:      "k:قصد",
		},
		{
			// "the Alouk water station in Ras al-Ain": 60 bytes, too long
			// for callback data with its kind.
			lang: "ar", typed: "محطة مياه علوك في رأس العين",
			want:     "🔎 لا نعرف موضوعاً باسم «محطة مياه علوك في رأس العين». لعلك تقصد أحد هذه المواضيع، أو تريد أن تتابع «محطة مياه علوك في رأس العين» كلمةً مفتاحية فتصلك الأخبار التي تذكرها.",
			near:     []string{"تابع رأس العين|f:t:ras-al-ain", "تابع المياه|f:t:water"}, // "follow Ras al-Ain", "follow water"
			keyword:  "🔑 تابع «محطة مياه علوك في رأس ا…» كلمةً مفتاحية",
			followed: "✅ ستصلك الأخبار التي تذكر «محطة مياه علوك في رأس العين».",
			key:      "k:محطه مياه علوك في راس العين",
		},
		{
			lang: "en", typed: "Manbej",
			want:     "🔎 We have no topic called “Manbej”. Perhaps you mean one of these, or want to follow “Manbej” as a keyword, to get the stories that mention it.",
			near:     []string{"Follow Manbij|f:t:manbij"},
			keyword:  "🔑 Follow “Manbej” as a keyword",
			followed: "✅ You will receive stories that mention “Manbej”.",
			key:      "k:manbej",
		},
		{
			lang: "ar", typed: "مرحبا", // "hello"
			// "we know no topic called «hello». You can follow «hello» as a keyword … or pick from the topics in /topics"
			want:     "🔎 لا نعرف موضوعاً باسم «مرحبا». يمكنك أن تتابع «مرحبا» كلمةً مفتاحية فتصلك الأخبار التي تذكرها، أو أن تختار من المواضيع في /topics\nالأوامر كلها في /help",
			keyword:  "🔑 تابع «مرحبا» كلمةً مفتاحية",
			followed: "✅ ستصلك الأخبار التي تذكر «مرحبا».",
			key:      "k:مرحبا",
		},
		{
			lang: "en", typed: "hello",
			want:     "🔎 We have no topic called “hello”. You can follow “hello” as a keyword, to get the stories that mention it, or pick from the topics in /topics\nAll commands: /help",
			keyword:  "🔑 Follow “hello” as a keyword",
			followed: "✅ You will receive stories that mention “hello”.",
			key:      "k:hello",
		},
	}
	for i, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			h := newHarness(t)
			ctx := context.Background()
			u := telegramtest.NewUser(int64(841+i), tt.lang)
			h.say(u, "/start")
			h.say(u, "/lang "+tt.lang)
			m := h.say(u, tt.typed)
			if got := m.Visible(); got != tt.want {
				t.Errorf("%q is answered:\n%s\nwant:\n%s", tt.typed, got, tt.want)
			}
			buttons := m.Buttons()
			if len(buttons) != len(tt.near)+1 || !slices.Equal(buttons[:len(tt.near)], tt.near) {
				t.Fatalf("buttons %q; want %q then the keyword", buttons, tt.near)
			}
			label, data, _ := strings.Cut(buttons[len(buttons)-1], "|")
			if label != tt.keyword || !strings.HasPrefix(data, "f:k:") || len(data) != len("f:k:")+12 {
				t.Errorf("keyword button %q|%q; want %q carrying f:k:<12-digit token>", label, data, tt.keyword)
			}
			token := strings.TrimPrefix(data, "f:k:")
			offers, err := h.redis.Client.HGetAll(ctx, h.offerKey(u.ID)).Result()
			if err != nil || offers[token] != tt.typed {
				t.Errorf("Redis holds offers %v (%v); want %q under %s", offers, err, tt.typed, token)
			}
			out := h.tapFor(u.ID, m.MessageID, data)
			wantContains(t, out, tt.followed)
			if got := followKeys(h.reader(u.ID)); got != tt.key {
				t.Errorf("follows after the tap = %q; want %q", got, tt.key)
			}
			if len(tt.near) > 0 {
				nearData := strings.SplitN(tt.near[0], "|", 2)[1]
				h.tapFor(u.ID, m.MessageID, nearData)
				if got := followKeys(h.reader(u.ID)); got != strings.Replace(nearData, "f:", "", 1)+","+tt.key {
					t.Errorf("follows after tapping the near topic = %q; want it and %q", got, tt.key)
				}
			}
		})
	}
}

// A keyword offer that has lapsed says so and follows nothing.
func TestPlainTextOfferLapsed(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := telegramtest.NewUser(851, "ar")
	h.say(u, "/start")
	m := h.say(u, "مرحبا") // "hello"
	data := m.Buttons()[len(m.Buttons())-1]
	data = data[strings.Index(data, "|")+1:]
	if h.redis.Mini != nil {
		h.redis.Mini.FastForward(subscribers.OfferTTL + 1)
	} else if err := h.redis.Client.Del(ctx, h.offerKey(u.ID)).Err(); err != nil {
		t.Fatal(err)
	}
	out := h.tapFor(u.ID, m.MessageID, data)
	// "this button's time has passed. Send the word again and we offer to follow it, or follow it with /follow"
	if got, want := out.Visible(), "⌛ مضى وقت هذا الزر. أرسل الكلمة من جديد نعرض عليك متابعتها، أو تابعها بـ /follow"; got != want {
		t.Errorf("a lapsed offer: %q; want %q", got, want)
	}
	if got := followKeys(h.reader(u.ID)); got != "" {
		t.Errorf("a lapsed offer followed %q", got)
	}
}

// What /follow refuses, plain text refuses in the same words, with no
// button; text with no word in it gets a hint.
func TestPlainTextRefused(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(852, "ar")
	h.say(u, "/start")
	for _, tt := range []struct{ typed, want string }{
		{strings.Repeat("قسد ", 20), "⚠️ الموضوع طويل جداً، والحد الأقصى 64 حرفاً"},     // "too long: the limit is 64 letters"
		{"<b>قسد</b>", "⚠️ لا نستطيع متابعة «<b>قسد</b>»"},                              // "we cannot follow …"
		{"https://7al.net", "⚠️ لا نستطيع متابعة «https://7al.net»"},                    // a link
		{"1,2,3,4,5,6,7,8,9,10,11", "⚠️ أقصى ما يمكن إضافته في رسالة واحدة 10 مواضيع."}, // "at most 10 topics in one message"
		{"👍", "اكتب اسم موضوع أو مدينة لنعرض عليك متابعته"},                             // "type the name of a topic or a town"
	} {
		m := h.say(u, tt.typed)
		if !strings.HasPrefix(m.Visible(), tt.want) || len(m.Buttons()) != 0 {
			t.Errorf("%q is answered %q with %q; want %q… and no button", tt.typed, m.Visible(), m.Buttons(), tt.want)
		}
	}
	if got := followKeys(h.reader(852)); got != "" {
		t.Errorf("refused text followed %q", got)
	}
}

// In a group, plain text is people talking: no answer, nothing offered.
func TestPlainTextInAGroup(t *testing.T) {
	h := newHarness(t)
	const group = -1001234567999
	member := telegramtest.NewUser(853, "ar")
	h.srv.SendGroupText(group, member, "قسد")
	h.sayIn(group, func() { h.srv.SendGroupText(group, member, "/help@nashra_bot") })
	if n := len(h.srv.SentTo(group)); n != 1 {
		t.Errorf("%d messages in the group; want only the answer to /help", n)
	}
	if keys := h.redis.Keys(t); slices.ContainsFunc(keys, func(k string) bool { return strings.HasSuffix(k, ":o") }) {
		t.Errorf("an offer was stored for group chatter: %v", keys)
	}
}

// Plain text that is a time of day («7 مساءً», "7pm") is a digest time,
// not a keyword: it is answered with a button that sets it, and nothing is
// offered to follow.
func TestPlainTextThatIsATime(t *testing.T) {
	tests := []struct {
		lang, typed, want, button, set string
	}{
		{
			lang: "ar", typed: "7 مساءً",
			want:   "⏰ يبدو أن «7 مساءً» موعد، لا كلمة للمتابعة. أتريد أن تصلك النشرة يومياً الساعة 7:00 مساءً؟", // "«7 pm» looks like a time, not a word to follow. Do you want the digest daily at 7:00 pm?"
			button: "⏰ النشرة يومياً الساعة 7:00 مساءً|time:19:00",                                               // "the digest daily at 7:00 pm"
			set:    "0 19 * * *",
		},
		{
			lang: "en", typed: "7:30am",
			want:   "⏰ You wrote a time, “7:30am”, not something to follow. Would you like the digest daily at 7:30 am?",
			button: "⏰ The digest at 7:30 am|time:07:30",
			set:    "30 7 * * *",
		},
	}
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			u := telegramtest.NewUser(int64(861+i), tt.lang)
			h.say(u, "/start")
			h.say(u, "/lang "+tt.lang)
			m := h.say(u, tt.typed)
			if got := m.Visible(); got != tt.want {
				t.Errorf("%q is answered:\n%s\nwant:\n%s", tt.typed, got, tt.want)
			}
			if got := m.Buttons(); !slices.Equal(got, []string{tt.button}) {
				t.Errorf("buttons %q; want %q", got, tt.button)
			}
			if n := h.redis.Client.HLen(context.Background(), h.offerKey(u.ID)).Val(); n != 0 {
				t.Errorf("a time was kept as %d keyword offer(s)", n)
			}
			_, data, _ := strings.Cut(tt.button, "|")
			h.tapFor(u.ID, m.MessageID, data)
			if got := h.reader(u.ID).Schedule; got != tt.set {
				t.Errorf("schedule after the tap = %q; want %q", got, tt.set)
			}
		})
	}
}
