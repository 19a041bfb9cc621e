package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot"
	"nashra/bot/sender"
	"nashra/bot/telegramtest"
	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// What a reader receives for /digest: the day in their language, the
// newest story first, why each came, summaries of at most two sentences
// without hashtag marks, and the buttons; in Arabic and in English.
func TestDigestAsTheReaderReceivesIt(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	// 09:00 on Sunday 29 November 2026 in Damascus.
	loc, _ := time.LoadLocation("Asia/Damascus")
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, loc)
	clock := func() time.Time { return now }
	readers := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix, Now: clock})
	runBot(t, srv, r, limited(r, bot.Options{
		Digests: &digest.Builder{Readers: readers, Outbox: queue, Articles: arts, DefaultSchedule: "0 8 * * *",
			Location: loc, SiteURL: "https://7al.net/", Topics: topics.Builtin(), Now: clock},
		DefaultSchedule: "0 8 * * *",
		Location:        loc,
	}))
	api, err := srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	snd, err := sender.New(sender.Options{API: api, Outbox: queue, Readers: readers, RDB: r.Client, Prefix: r.Prefix, Rate: 25, Consumer: "c1", Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = snd.Run(ctx) }()
	t.Cleanup(func() { stop(); <-done })

	// say sends text as u and waits for the bot's answer.
	say := func(u models.User, text string) telegramtest.Message {
		t.Helper()
		before := len(srv.SentTo(u.ID))
		srv.SendText(u, text)
		wctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		msgs, err := srv.WaitMessages(wctx, u.ID, before+1)
		if err != nil {
			t.Fatalf("%q: no answer: %v", text, err)
		}
		return msgs[len(msgs)-1]
	}
	ar := telegramtest.NewUser(301, "ar")
	en := telegramtest.NewUser(302, "en")
	for _, u := range []models.User{ar, en} {
		say(u, "/start")
		say(u, "/follow قسد")       // the SDF
		say(u, "/follow دير الزور") // Deir ez-Zor
	}
	say(en, "/lang en")

	ingest := func(id, title string, summary []string, published time.Time, topics ...string) {
		t.Helper()
		_, _, err := arts.Ingest(context.Background(), articles.Article{ID: id, Link: "https://7al.net/2026/11/29/" + id + "/",
			Title: title, Summary: summary, Text: title, Topics: topics, InScope: true, Published: published, SeenAt: now}, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	// "The coalition and the SDF hold a joint exercise in al-Omar field"
	ingest("exercise", "#التحالف_الدولي و«قسد» ينفذان تدريبات مشتركة في حقل العمر", []string{
		"نفذت قوات #التحالف_الدولي و#قوات_سوريا_الديمقراطية تدريبات مشتركة في حقل العمر.", // "coalition forces and the SDF held joint exercises in al-Omar field."
		"واستمرت التدريبات 3.5 ساعات.",            // "the exercises lasted 3.5 hours."
		"وشاركت فيها طائرات مروحية وعربات مدرعة.", // "helicopters and armoured vehicles took part." (a third sentence: not shown)
	}, now.Add(-3*time.Hour), "coalition", "sdf", "deir-ez-zor")
	// "Bread prices rise in Raqqa": followed by neither.
	ingest("bread", "ارتفاع أسعار الخبز في الرقة", []string{"رفعت الأفران الأسعار."}, now.Add(-2*time.Hour), "raqqa")
	// "SDF declares a curfew in Deir ez-Zor", the newest.
	ingest("curfew", "«قسد» تعلن حظر تجوال في دير الزور", []string{
		"أعلنت قوات سوريا الديمقراطية حظر تجوال في مدينة دير الزور.", // "the SDF declared a curfew in the city of Deir ez-Zor."
	}, now.Add(-time.Hour), "sdf", "deir-ez-zor")

	tests := []struct {
		u    models.User
		want string
	}{
		{ar, "📰 نشرة الأحد 29 تشرين الثاني · خبران جديدان\n" + // "Sunday 29 November's digest · two new stories"
			"\n" +
			"«قسد» تعلن حظر تجوال في دير الزور\n" +
			"🏷 قسد · دير الزور\n" +
			"أعلنت قوات سوريا الديمقراطية حظر تجوال في مدينة دير الزور.\n" +
			"\n" +
			"التحالف الدولي و«قسد» ينفذان تدريبات مشتركة في حقل العمر\n" +
			"🏷 قسد · دير الزور\n" +
			"نفذت قوات التحالف الدولي وقوات سوريا الديمقراطية تدريبات مشتركة في حقل العمر. واستمرت التدريبات 3.5 ساعات."},
		{en, "📰 Digest · Sunday 29 November · 2 new stories\n" +
			"\n" +
			"«قسد» تعلن حظر تجوال في دير الزور\n" +
			"🏷 SDF · Deir ez-Zor\n" +
			"أعلنت قوات سوريا الديمقراطية حظر تجوال في مدينة دير الزور.\n" +
			"\n" +
			"التحالف الدولي و«قسد» ينفذان تدريبات مشتركة في حقل العمر\n" +
			"🏷 SDF · Deir ez-Zor\n" +
			"نفذت قوات التحالف الدولي وقوات سوريا الديمقراطية تدريبات مشتركة في حقل العمر. واستمرت التدريبات 3.5 ساعات."},
	}
	for _, tt := range tests {
		m := say(tt.u, "/digest")
		if got := m.Visible(); got != tt.want {
			t.Errorf("chat %d receives:\n%s\nwant:\n%s", tt.u.ID, got, tt.want)
		}
		var links []string
		for _, e := range m.Entities {
			if e.URL != "" {
				links = append(links, e.URL)
			}
		}
		if want := "https://7al.net/2026/11/29/curfew/ https://7al.net/2026/11/29/exercise/"; strings.Join(links, " ") != want {
			t.Errorf("chat %d: the titles link to %q; want %q", tt.u.ID, links, want)
		}
		if !containsButton(m, digest.ButtonPause) || !containsButton(m, digest.ButtonStop) {
			t.Errorf("chat %d: buttons %v; want the digest's", tt.u.ID, m.Buttons())
		}
	}
}
