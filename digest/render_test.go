package digest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/telegramtest"
	"nashra/digest"
	"nashra/digest/articles"
)

func longArticle(i int) articles.Article {
	return articles.Article{
		Seq:   int64(i),
		Title: fmt.Sprintf("خبر رقم %d عن «قسد» & <التحالف>", i), // "story number i about SDF & <the coalition>"
		Link:  fmt.Sprintf("https://7al.net/2026/11/%d/?a=1&b=2", i),
		Summary: []string{
			strings.Repeat("جملة أولى طويلة عن الأحداث في شمال شرق سوريا. ", 6), // "a long first sentence about events in NE Syria"
			"😀 جملة ثانية فيها رموز تعبيرية تأخذ وحدتين في UTF-16.",             // "a second sentence with emoji"
		},
		InScope: true,
	}
}

// Every rendered message is accepted by the (strict) fake Bot API: valid
// HTML, at most 4096 UTF-16 units of visible text.
func TestRenderedMessagesAreAcceptedByTelegram(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b, err := srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	var arts []articles.Article
	for i := range 60 {
		arts = append(arts, longArticle(i+1))
	}
	for _, lang := range []string{"ar", "en"} {
		msgs := digest.Render(arts, digest.RenderOptions{Lang: lang, SiteURL: "https://7al.net/", MaxMessages: 3})
		if len(msgs) != 3 {
			t.Fatalf("%s: %d messages; want the cap of 3", lang, len(msgs))
		}
		for i, m := range msgs {
			if _, err := b.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: 1, Text: m, ParseMode: models.ParseModeHTML}); err != nil {
				t.Errorf("%s message %d rejected: %v\n%s", lang, i, err, m)
			}
		}
		last := msgs[len(msgs)-1]
		if !strings.Contains(last, "+") || !strings.Contains(last, `href="https://7al.net/"`) {
			t.Errorf("%s: last message lacks the \"+N more on the site\" link:\n%s", lang, last[max(0, len(last)-300):])
		}
	}
	for _, m := range srv.Sent() {
		if n := len([]rune(m.Text)); n > 4096 {
			t.Errorf("a message of %d characters was sent", n)
		}
	}
}

// Messages are split only between articles: each title and its summary
// stay in one message, and the counts add up.
func TestRenderSplitsBetweenArticles(t *testing.T) {
	var arts []articles.Article
	for i := range 12 {
		arts = append(arts, longArticle(i+1))
	}
	msgs := digest.Render(arts, digest.RenderOptions{MaxMessages: 10})
	if len(msgs) < 2 {
		t.Fatalf("12 long articles fit in %d message; want a split", len(msgs))
	}
	found := 0
	for _, m := range msgs {
		for i := range 12 {
			title := fmt.Sprintf("خبر رقم %d عن", i+1)
			if strings.Contains(m, title+" ") {
				found++
				if !strings.Contains(m, "جملة ثانية") {
					t.Errorf("article %d's summary is not with its title", i+1)
				}
			}
		}
	}
	if found != 12 {
		t.Errorf("%d articles in the messages; want all 12, each once", found)
	}
}

func TestRenderEscapesEverything(t *testing.T) {
	a := articles.Article{
		Title:   `<script>alert("x")</script> & «قسد»`,
		Link:    `javascript:alert(1)`,
		Summary: []string{`<b>not bold</b> & "quoted"`},
	}
	m := digest.Render([]articles.Article{a}, digest.RenderOptions{})[0]
	for _, bad := range []string{"<script>", "<b>not", "javascript:"} {
		if strings.Contains(m, bad) {
			t.Errorf("rendered message contains %q:\n%s", bad, m)
		}
	}
	if !strings.Contains(m, "&lt;script&gt;") || !strings.Contains(m, "&amp;") {
		t.Errorf("title not escaped:\n%s", m)
	}
	a.Link = `https://7al.net/?p=1&x="><b>`
	m = digest.Render([]articles.Article{a}, digest.RenderOptions{})[0]
	if strings.Contains(m, `"><b>`) {
		t.Errorf("a link broke out of its attribute:\n%s", m)
	}
}

func TestRenderHeaderCounts(t *testing.T) {
	tests := []struct {
		n    int
		lang string
		want string
	}{
		{1, "ar", "خبر جديد"},         // one new story
		{2, "ar", "خبران جديدان"},     // two new stories (dual)
		{5, "ar", "5 أخبار جديدة"},    // 5 new stories
		{12, "ar", "12 خبراً جديداً"}, // 12 new stories
		{1, "en", "1 new story"},
		{4, "en", "4 new stories"},
	}
	for _, tt := range tests {
		var arts []articles.Article
		for i := range tt.n {
			arts = append(arts, articles.Article{Title: fmt.Sprint("t", i), Link: "https://7al.net/"})
		}
		m := digest.Render(arts, digest.RenderOptions{Lang: tt.lang, MaxMessages: 10})[0]
		if !strings.Contains(m, tt.want) {
			t.Errorf("%d articles in %s: header %q; want %q", tt.n, tt.lang, strings.SplitN(m, "\n", 2)[0], tt.want)
		}
	}
	if got := digest.Render(nil, digest.RenderOptions{}); got != nil {
		t.Errorf("no articles rendered %q; want nothing", got)
	}
}

// An article whose summary alone would overflow a message loses sentences,
// never the message limit.
func TestRenderHugeArticle(t *testing.T) {
	a := articles.Article{Title: strings.Repeat("عنوان ", 1000), Link: "https://7al.net/", Summary: []string{strings.Repeat("كلمة ", 2000)}, Published: time.Now()}
	msgs := digest.Render([]articles.Article{a}, digest.RenderOptions{})
	if len(msgs) != 1 {
		t.Fatalf("%d messages; want 1", len(msgs))
	}
	if n := len([]rune(msgs[0])); n > 4096 {
		t.Errorf("message of %d characters; want at most 4096", n)
	}
}
