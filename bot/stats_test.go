package bot_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	xbidi "golang.org/x/text/unicode/bidi"

	"nashra/bidi"
	"nashra/bidi/biditest"

	"nashra/bot"
	"nashra/bot/inbox"
	"nashra/bot/ratelimit"
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
	return newStatsHarnessWith(t, now, nil)
}

// newStatsHarnessWith is newStatsHarness with its /stats configuration
// changed by edit.
func newStatsHarnessWith(t *testing.T, now time.Time, edit func(*bot.StatsConfig)) *harness {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	clock := func() time.Time { return now }
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: clock})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix, Now: clock})
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix})
	cfg := bot.StatsConfig{
		Articles: arts,
		Feeds:    []string{statsFeed, brokenFeed},
		Delivery: func() sender.Stats {
			return sender.Stats{Sent: 1234, Failed: 5, Blocked: 6, Unknown: 7, Retried: 8, Throttled429: 9}
		},
		Paid: paidLimiter(r).PaidStatus,
		Now:  clock,
	}
	if edit != nil {
		edit(&cfg)
	}
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
		Stats:       cfg,
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

// paidLimiter is the limiter of senders with paid broadcasts on r: up to
// 1,000 messages a second for at most 3 Stars a day.
func paidLimiter(r *redistest.Redis) *ratelimit.Limiter {
	return ratelimit.New(r.Client, r.Prefix, 25, 0.04).WithPaid(ratelimit.Paid{Rate: 1000, PerDay: 3 * ratelimit.MessagesPerStar})
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
		"إحصاءات النشرة",                    // "newsletter statistics"
		"• نشطون: 3 قرّاء",                  // "active: 3 readers"
		"• أوقفوا النشرة مؤقتاً: قارئ واحد", // "paused the digest: one reader"
		"• ألغوا الاشتراك: لا أحد",          // "unsubscribed: nobody"
		"• حظروا البوت: قارئ واحد",          // "blocked the bot: one reader"
		"حركة القرّاء في آخر 7 أيام",        // "readers coming and going in the last 7 days"
		// 28 November: 5 new, none back, 1 left, 4 subscribed at the end of the day.
		"28/11: جدد 5، عائدون 0، مغادرون 1، المشتركون 4، النشطون 3",
		"1. قوات سوريا الديمقراطية: 5 متابعين", // SDF has 5 followers
		"2. داعش: متابعان", // ISIS has two
		"متابعات الكلمات المفتاحية لا تُحسب هنا.",           // "keyword follows are not counted here"
		"• أسفل صفحات الموقع: 3 قرّاء",                      // the foot of the site's pages (site-footer)
		"• رابط article-end: قارئ واحد",                     // a link the editors named
		"• من تلغرام مباشرة: قارئ واحد",                     // "straight from Telegram"
		"• النشرة: 40 رسالة", "• الرسائل الجماعية: 3 رسائل", // 40 digest messages, 3 broadcast
		"• وصلت: 1234 رسالة", "• طلب منّا تلغرام التمهّل: 9 مرات", // delivered; "Telegram asked us to slow down"
		"لا رسائل تنتظر الإرسال.",                                                                  // "no messages waiting"
		"✅ https://7al.net/feed/: آخر جلب ناجح قبل 10 دقائق",                                       // "last good fetch 10 minutes ago"
		"⚠️ https://***@example.org/broken.xml?token=***: لم ننجح في جلبه بعد، فشلت آخر 4 محاولات", // never fetched, the last 4 attempts failed
		"GET https://***@example.org/broken.xml?token=***: 500 <Internal>",
	)
	// Nobody had subscribed before the 28th: no rows of nobody.
	for _, code := range []string{"27/11", "site-footer", "direct", "429", "11-28", "الخلاصة", "الحرة", " د\n"} {
		if strings.Contains(text.Visible(), code) {
			t.Errorf("/stats shows %q: %s", code, text.Visible())
		}
	}
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
	if !strings.Contains(photo.Text, "القرّاء النشطون: 3 · جدد في آخر 7 أيام: 5 · غادروا: 1") { // active 3, 5 new in the last 7 days, 1 left
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
	wantContains(t, text, "Newsletter statistics", "• active: 4 readers", "• unsubscribed: none",
		"28 Nov: new 6, returned 0, left 1, subscribed 5",
		"1. Syrian Democratic Forces: 5 followers", "• straight from Telegram: 2 readers",
		"• the link article-end: 1 reader", "10 minutes ago", "the last 4 attempts failed")
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

// visualOrder lays one line out as a phone shows it, left to right on
// the screen, with the bidi algorithm of golang.org/x/text; marks are
// dropped. Lines of /stats hold Arabic with left-to-right numbers and
// names (levels 1 and 2), which runs and their directions describe.
func visualOrder(line string) (string, bool) {
	l := biditest.Layout(line)
	var p xbidi.Paragraph
	if _, err := p.SetString(line); err != nil {
		return "", false
	}
	o, err := p.Order()
	if err != nil {
		return "", false
	}
	var runs []string
	for i := 0; i < o.NumRuns(); i++ {
		r := o.Run(i)
		s := r.String()
		if r.Direction() == xbidi.RightToLeft {
			s = reverse(s)
		}
		runs = append(runs, s)
	}
	if l.RTL {
		slices.Reverse(runs)
	}
	return strings.Map(func(r rune) rune {
		if bidi.IsMark(r) {
			return -1
		}
		return r
	}, strings.Join(runs, "")), l.RTL
}

func reverse(s string) string {
	rs := []rune(s)
	slices.Reverse(rs)
	return string(rs)
}

// The admin reads /stats on a phone: every line, even one that holds
// only a name in Latin letters or a link, starts right to left, and each
// figure of the day's row stands beside its label, with the date read
// first.
func TestStatsReadRightToLeft(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	h := newStatsHarness(t, now)
	seedAudience(t, h, now)
	text, photo := statsReply(t, h, adminID, "ar")

	lines := append(strings.Split(text.Text, "\n"), photo.Text)
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !biditest.Layout(line).RTL {
			t.Errorf("line %d reads left to right: %q", i+1, line)
		}
	}

	// 28 November: 5 new (جدد), none back (عائدون), 1 left (مغادرون),
	// 4 subscribed (المشتركون).
	row := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "28/11") })
	if row < 0 {
		t.Fatalf("no line for 28/11 in %s", text.Visible())
	}
	want := func(how, shown string) {
		t.Helper()
		if !strings.HasSuffix(shown, "28/11") {
			t.Errorf("%s: the row does not start (on the right) with its date 28/11: %q", how, shown)
		}
		for _, cell := range []struct{ label, n string }{{"جدد", "5"}, {"عائدون", "0"}, {"مغادرون", "1"}, {"المشتركون", "4"}} {
			if !strings.Contains(shown, cell.n+" "+reverse(cell.label)) {
				t.Errorf("%s: %s is not shown beside %s: %q", how, cell.n, cell.label, shown)
			}
		}
	}
	shown, _ := visualOrder(lines[row])
	want("golang.org/x/text", shown)

	if _, err := exec.LookPath("fribidi"); err == nil || os.Getenv("CI") != "" {
		laid, err := biditest.FriBidi([]string{lines[row]})
		if err != nil {
			t.Fatal(err)
		}
		if !laid[0].RTL {
			t.Errorf("fribidi lays the row out left to right: %q", laid[0].Visual)
		}
		want("fribidi", laid[0].Visual)
	}
}

// Counts agree with their number in Arabic: 1, 2, 3–10, 11–99, and past
// 100 by the last two digits.
func TestStatsCountsAgree(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	h := newStatsHarnessWith(t, now, func(c *bot.StatsConfig) {
		c.Days = 11
		c.Delivery = func() sender.Stats {
			return sender.Stats{Sent: 1, Failed: 2, Blocked: 3, Unknown: 11, Retried: 100, Throttled429: 101}
		}
	})
	seedAudience(t, h, now)
	ctx := context.Background()
	if err := h.arts.SaveFeedState(ctx, articles.FeedState{URL: statsFeed, LastOK: now.Add(-2 * time.Hour), Failures: 1}); err != nil {
		t.Fatal(err)
	}
	if err := h.arts.SaveFeedState(ctx, articles.FeedState{URL: brokenFeed, LastOK: now.Add(-11 * 24 * time.Hour), Failures: 2}); err != nil {
		t.Fatal(err)
	}
	text, photo := statsReply(t, h, adminID, "ar")
	wantContains(t, text,
		"• وصلت: رسالة واحدة",                          // delivered: one message
		"• تعذّر إرسالها نهائياً: رسالتان",             // could not be sent: two messages
		"• تبيّن أنهم حظروا البوت: 3 قرّاء",            // found blocked: 3 readers
		"• لا نعرف إن وصلت: 11 رسالة",                  // unknown: 11 messages
		"• أعدنا محاولة إرسالها: 100 رسالة",            // retried: 100 messages
		"• طلب منّا تلغرام التمهّل: 101 مرة",           // asked to slow down: 101 times
		"حركة القرّاء في آخر 11 يوماً",                 // the last 11 days
		"في آخر 11 يوماً:",                             // deliveries in the last 11 days
		"2. داعش: متابعان",                             // ISIS: two followers
		"آخر جلب ناجح قبل ساعتين، فشلت آخر محاولة",     // fetched two hours ago, the last attempt failed
		"آخر جلب ناجح قبل 11 يوماً، فشلت آخر محاولتين", // 11 days ago, the last two attempts failed
	)
	if !strings.Contains(photo.Text, "جدد في آخر 11 يوماً: 5") { // 5 new in the last 11 days
		t.Errorf("caption %q; want the span of 11 days in agreement", photo.Text)
	}

	if _, err := h.store.Start(ctx, adminID, subscribers.Joined{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	text, _ = statsReply(t, h, adminID, "en")
	wantContains(t, text, "• delivered: 1 message", "• could not be sent: 2 messages",
		"• Telegram asked us to slow down: 101 times", "in the last 11 days", "2 hours ago, the last attempt failed")
}

// Before anyone subscribes, /stats says so in words: no statuses of
// zero readers, no table of empty days, no empty chart.
func TestStatsEmptyInWords(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	h := newStatsHarnessWith(t, now, func(c *bot.StatsConfig) { c.Feeds = nil })
	text, photo := statsReply(t, h, adminID, "ar")
	wantContains(t, text,
		"لم يشترك أحد في النشرة بعد.",           // "nobody has subscribed yet"
		"لم يتابع أحد موضوعاً بعد.",             // "nobody follows a topic yet"
		"لم نسجّل أي اشتراك بعد.",               // "no signups recorded yet"
		"• النشرة: لا رسائل",                    // "the digest: no messages"
		"لا رسائل تنتظر الإرسال.",               // "no messages waiting"
		"لا مصادر أخبار في إعدادات هذه النسخة.", // "no news feeds configured"
	)
	zero := regexp.MustCompile(`(^|[^0-9/])0($|[^0-9/])`)
	for _, line := range strings.Split(text.Visible(), "\n") {
		if zero.MatchString(line) {
			t.Errorf("a zero where words belong: %q", line)
		}
	}
	if want := "لم يشترك أحد في النشرة بعد."; photo.Text != want {
		t.Errorf("caption %q; want %q", photo.Text, want)
	}
	img, err := png.Decode(bytes.NewReader(photo.Photo))
	if err != nil {
		t.Fatal(err)
	}
	if bars := bot.ChartReaderBars(img); len(bars) > 0 {
		t.Errorf("the chart of nobody draws %d bars", len(bars))
	}
}

// The chart writes each day's subscribers in its bar, and in Arabic the
// topics' bars grow from the right, where their names are.
func TestStatsChartWritesCountsInBars(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	const days = 10
	h := newStatsHarnessWith(t, now, func(c *bot.StatsConfig) { c.ChartDays = days })
	ctx := context.Background()
	// Three readers joined on each of the last ten days; the first of
	// each day follows the SDF, the second ISIS too.
	for d := range days {
		on := now.AddDate(0, 0, -d)
		store := subscribers.New(h.redis.Client, subscribers.Options{Prefix: h.redis.Prefix, Now: func() time.Time { return on }})
		for i := range 3 {
			chat := int64(3000 + 10*d + i)
			if _, err := store.Start(ctx, chat, subscribers.Joined{}); err != nil {
				t.Fatal(err)
			}
			for _, slug := range []string{"sdf", "isis", "coalition"}[:i+1] {
				if _, err := store.Follow(ctx, chat, subscribers.TopicFollow(slug)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	_, photo := statsReply(t, h, adminID, "ar")
	img, err := png.Decode(bytes.NewReader(photo.Photo))
	if err != nil {
		t.Fatal(err)
	}
	bars := bot.ChartReaderBars(img)
	if len(bars) != days {
		t.Fatalf("the chart shows %d bars of readers; want one per day, %d", len(bars), days)
	}
	for i, b := range bars {
		if !b.Labelled() {
			t.Errorf("bar %d (x %d–%d, %d readers) has %d light pixels in it and %d dark ones above: its count is not written on it",
				i, b.From, b.To, 3*(i+1), b.Light, b.Above)
		}
	}
	topics := bot.ChartTopicBars(img)
	if len(topics) != 3 {
		t.Fatalf("the chart shows %d topic bars; want 3", len(topics))
	}
	for i := 1; i < len(topics); i++ {
		if topics[i].To != topics[0].To || topics[i].From <= topics[i-1].From {
			t.Errorf("topic bar %d spans x %d–%d after %d–%d; want bars that start on the right and grow to the left",
				i, topics[i].From, topics[i].To, topics[i-1].From, topics[i-1].To)
		}
	}
}

// /stats says what paid broadcasts spent today and lately, in Stars, and
// whether they are on, at the day's budget or held for the balance.
func TestStatsShowsStarsSpent(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	h := newStatsHarness(t, now)
	seedAudience(t, h, now)
	text, _ := statsReply(t, h, adminID, "ar")
	wantContains(t, text,
		"• الإرسال المدفوع بنجوم تلغرام: مفعّل",                // "paid broadcasts with Telegram Stars: on"
		"• أنفقنا اليوم: لا شيء من ميزانية يومية قدرها 3 نجوم", // "spent today: nothing of a daily budget of 3 Stars"
		"• أنفقنا في آخر 7 أيام: لا شيء",                       // "spent in the last 7 days: nothing"
	)

	// 25 paid messages: 2.5 Stars, by senders sharing this Redis.
	lim := paidLimiter(h.redis)
	ctx := context.Background()
	for paid := 0; paid < 25; {
		p, wait, err := lim.TakeBulk(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p {
			paid++
		}
		time.Sleep(wait)
	}
	text, _ = statsReply(t, h, adminID, "ar")
	wantContains(t, text,
		"• أنفقنا اليوم: 2.5 نجمة من ميزانية يومية قدرها 3 نجوم", // "spent today: 2.5 Stars of 3"
		"• أنفقنا في آخر 7 أيام: 2.5 نجمة",
	)
	if _, err := lim.HoldPaid(ctx); err != nil {
		t.Fatal(err)
	}
	text, _ = statsReply(t, h, adminID, "ar")
	// "paused because the Stars balance is too low; delivery goes on at the free rate"
	wantContains(t, text, "أوقفناه لأن رصيد النجوم لا يكفي، والإرسال مستمر بالمعدّل المجاني")

	if _, err := h.store.Start(ctx, adminID, subscribers.Joined{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	en, _ := statsReply(t, h, adminID, "en")
	wantContains(t, en, "• Paid broadcasts (Telegram Stars): paused because the Stars balance is too low",
		"• Spent today: 2.5 Stars of a daily budget of 3 Stars", "• Spent in the last 7 days: 2.5 Stars")
}
