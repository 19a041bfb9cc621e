package digest_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bidi/biditest"
	"nashra/bot/telegramtest"
	"nashra/digest"
	"nashra/digest/articles"
)

// mixedArticle is an Arabic story full of what turns a line around: a
// Latin name first, dates, a range, a link in the text.
func mixedArticle(i int) articles.Article {
	return articles.Article{
		Seq: int64(i),
		// "SDF announces an agreement with Damascus (YPG) on 2026-03-10"
		Title: fmt.Sprintf("SDF تعلن اتفاقاً مع دمشق (YPG) في 2026-03-10 رقم %d", i),
		Link:  fmt.Sprintf("https://7al.net/2026/03/%d/", i),
		Summary: []string{
			// "Between 5–10 fighters, according to Reuters at 07:30; see https://7al.net/x."
			"بين 5–10 مقاتلين بحسب Reuters الساعة 07:30، انظر https://7al.net/x.",
		},
		InScope: true,
	}
}

// entries are arts as a reader who follows the SDF and the keyword
// "Coalition" gets them, in lang.
func entries(arts []articles.Article, lang string) []digest.Entry {
	why := []string{"قسد", "Coalition"}
	if lang == "en" {
		why = []string{"SDF", "Coalition"}
	}
	out := make([]digest.Entry, len(arts))
	for i, a := range arts {
		out[i] = digest.Entry{Article: a, Why: why}
	}
	return out
}

var tags = regexp.MustCompile(`<[^>]*>`)

func visible(h string) string { return html.UnescapeString(tags.ReplaceAllString(h, "")) }

// Every line of a digest reads in its direction: the header and the
// "+N more" line in the reader's language, the site's Arabic stories right
// to left in either, and names, dates, ranges and links as written.
func TestDigestReadsInItsDirection(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{}) // lays out what it receives too
	b, err := srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	arts := []articles.Article{{Seq: 100, Title: "Coalition strikes near Deir ez-Zor", Link: "https://7al.net/en/1"}}
	for i := range 40 {
		arts = append(arts, mixedArticle(i+1))
	}
	for _, lang := range []string{"ar", "en"} {
		msgs := digest.Render(entries(arts, lang), digest.RenderOptions{Lang: lang, SiteURL: "https://7al.net/", MaxMessages: 2, Limit: 1500})
		if len(msgs) != 2 {
			t.Fatalf("%s: %d messages; want 2, the last with \"+N more\"", lang, len(msgs))
		}
		for i, m := range msgs {
			if _, err := b.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: 1, Text: m, ParseMode: models.ParseModeHTML}); err != nil {
				t.Errorf("%s message %d rejected: %v", lang, i, err)
			}
			text := visible(m)
			check := lang
			if lang == "en" {
				// The site's Arabic stories read right to left in an English
				// digest too; lines mostly of English words, left to right.
				check = ""
			}
			for _, p := range biditest.Problems(check, text) {
				t.Errorf("%s message %d: %s", lang, i, p)
			}
			lines := biditest.Lines(text)
			if lang == "en" && i == 0 && lines[0].RTL {
				t.Errorf("English header reads right to left: %q", lines[0].Text)
			}
			if last := lines[len(lines)-1]; i == len(msgs)-1 && last.RTL != (lang == "ar") {
				t.Errorf("%s: the \"+N more\" line %q reads right to left: %v", lang, last.Text, last.RTL)
			}
			for _, l := range lines {
				if strings.Contains(l.Text, "Coalition strikes") && l.RTL {
					t.Errorf("%s: an English headline reads right to left: %q", lang, l.Text)
				}
			}
		}
	}
}

// The marks are text to Telegram: each message stays within the limit
// with them, however many a story needs.
func TestDigestMarksCountTowardsTheLimit(t *testing.T) {
	var arts []articles.Article
	for i := range 30 {
		a := mixedArticle(i + 1)
		// A summary made of nothing but spans to isolate.
		a.Summary = append(a.Summary, strings.Repeat("في 1–2 و A-B و +3 ", 40))
		arts = append(arts, a)
	}
	for _, limit := range []int{300, 1000, 4096} {
		for _, lang := range []string{"ar", "en"} {
			for i, m := range digest.Render(entries(arts, lang), digest.RenderOptions{Lang: lang, SiteURL: "https://7al.net/", MaxMessages: 5, Limit: limit}) {
				if n := len(utf16.Encode([]rune(visible(m)))); n > limit {
					t.Errorf("limit %d, %s message %d: %d units with its marks", limit, lang, i, n)
				}
				if !strings.Contains(m, "\u2068") {
					t.Errorf("limit %d, %s message %d holds no isolate:\n%s", limit, lang, i, m)
				}
			}
		}
	}
}
