package digest_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/telegramtest"
	"nashra/digest"
	"nashra/digest/articles"
)

var update = flag.Bool("update", false, "rewrite the golden files of the render tests")

const site = "https://7al.net/"

// sunday is the morning of Sunday 29 November 2026 in Damascus.
var sunday = time.Date(2026, 11, 29, 8, 0, 0, 0, damascus)

// The stories of the fixture digests, in turn: a title, a summary of three
// sentences (hashtags as the site writes them) and why the reader gets it.
var stories = []struct {
	title   string
	summary []string
	why     []string
}{
	{
		title: "«قسد» تعلن حظر تجوال في مدينة دير الزور", // "SDF declares a curfew in Deir ez-Zor"
		summary: []string{
			"أعلنت #قوات_سوريا_الديمقراطية حظر تجوال كامل في مدينة دير الزور اعتباراً من مساء اليوم.", // "the SDF declared a full curfew ... from this evening"
			"وقالت في بيان إن الحظر يستمر 48 ساعة.",                                                   // "it said the curfew lasts 48 hours"
			"ودعت الأهالي إلى التزام منازلهم حفاظاً على سلامتهم.",                                     // "and asked residents to stay home"
		},
		why: []string{"قسد", "دير الزور"}, // SDF · Deir ez-Zor
	},
	{
		title: "#التحالف_الدولي ينفذ إنزالاً جوياً شرق الرقة", // "the coalition carries out an airdrop east of Raqqa"
		summary: []string{
			"نفذت قوات #التحالف_الدولي إنزالاً جوياً في ريف الرقة الشرقي فجر اليوم.", // "coalition forces carried out an airdrop ... at dawn"
			"واستمرت العملية نحو 3.5 ساعات.",                                         // "the operation lasted about 3.5 hours"
			"ولم تصدر أي بيانات رسمية حتى الآن عن نتائجها.",                          // "no official statement yet on its results"
		},
		why: []string{"التحالف الدولي", "الرقة"}, // the coalition · Raqqa
	},
	{
		title: "إعادة دفعة جديدة من العائلات العراقية من مخيم الهول", // "another group of Iraqi families returned from al-Hol"
		summary: []string{
			"غادرت نحو مئتي عائلة عراقية مخيم الهول باتجاه الحدود.",         // "about two hundred Iraqi families left al-Hol for the border"
			"وتأتي الدفعة ضمن اتفاق بين الإدارة الذاتية والحكومة العراقية.", // "under an agreement between the AANES and Baghdad"
		},
		why: []string{"مخيم الهول"}, // al-Hol camp
	},
	{
		title: "ارتفاع أسعار الخبز في القامشلي بنسبة 20%", // "bread prices up 20% in Qamishli"
		summary: []string{
			"رفعت الأفران أسعار الخبز في مدينة القامشلي للمرة الثانية هذا العام.", // "bakeries raised bread prices in Qamishli for the second time this year"
		},
		why: []string{"القامشلي"}, // Qamishli
	},
}

// fixture is n articles, published a quarter of an hour apart before
// sunday, given oldest first: the digest shows them newest first.
func fixture(n int) []digest.Entry {
	var out []digest.Entry
	for i := range n {
		s := stories[i%len(stories)]
		out = append(out, digest.Entry{
			Article: articles.Article{
				Seq:       int64(i + 1),
				Title:     fmt.Sprintf("%s (%d)", s.title, i+1),
				Link:      fmt.Sprintf("%s2026/11/29/story-%d/", site, i+1),
				Summary:   s.summary,
				Published: sunday.Add(-time.Duration(n-i) * 15 * time.Minute),
				InScope:   true,
			},
			Why: s.why,
		})
	}
	return out
}

// longFixture is n articles whose summaries fill a good part of a message.
func longFixture(n int) []digest.Entry {
	out := fixture(n)
	for i := range out {
		out[i].Article.Summary = []string{
			strings.Repeat("جملة أولى طويلة عن الأحداث في شمال شرق سوريا، ", 12) + "والمزيد.", // "a long first sentence about events in NE Syria"
			"😀 جملة ثانية فيها رموز تعبيرية تأخذ وحدتين في UTF-16.",                           // "a second sentence with emoji, two UTF-16 units each"
		}
	}
	return out
}

// deliver sends the messages through the go-telegram client to the fake
// Bot API, which refuses invalid HTML and texts over 4096 UTF-16 units,
// and returns what the reader receives.
func deliver(t *testing.T, msgs []string) []telegramtest.Message {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.Options{})
	b, err := srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range msgs {
		if _, err := b.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: 1, Text: m, ParseMode: models.ParseModeHTML}); err != nil {
			t.Fatalf("message %d of %d refused: %v\n%s", i+1, len(msgs), err, m)
		}
	}
	return srv.SentTo(1)
}

// links are the addresses the reader can tap in m, in order.
func links(m telegramtest.Message) []string {
	var out []string
	for _, e := range m.Entities {
		if e.Type == models.MessageEntityTypeTextLink {
			out = append(out, e.URL)
		}
	}
	return out
}

var (
	firstNumber = regexp.MustCompile(`\d+`)
	zero        = regexp.MustCompile(`(^|\s)0(\s|$)`)
)

// headerCount reads how many stories the header announces: the part after
// its last " · ".
func headerCount(t *testing.T, header string) int {
	t.Helper()
	count := header[strings.LastIndex(header, " · ")+len(" · "):]
	switch count {
	case "خبر جديد": // one new story
		return 1
	case "خبران جديدان": // two new stories
		return 2
	}
	n, err := strconv.Atoi(firstNumber.FindString(count))
	if err != nil {
		t.Fatalf("header %q has no count", header)
	}
	return n
}

// moreCount reads how many stories the closing line leaves for the site;
// 0 without one.
func moreCount(t *testing.T, text string) int {
	t.Helper()
	lines := strings.Split(text, "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "🔗 ") {
		return 0
	}
	switch {
	case strings.HasSuffix(last, "خبر آخر") && !firstNumber.MatchString(last): // one other story
		return 1
	case strings.HasSuffix(last, "خبران آخران"): // two other stories
		return 2
	}
	n, err := strconv.Atoi(firstNumber.FindString(last))
	if err != nil {
		t.Fatalf("closing line %q has no count", last)
	}
	return n
}

// The header counts exactly the stories the reader can see, in every
// message of the digest, headlines included; the closing line counts the
// rest; the newest come first and the oldest are the ones left out; every
// message is within Telegram's limits and the digest within MaxMessages.
func TestRenderHeaderCountsWhatIsVisible(t *testing.T) {
	for _, size := range []int{1, 9, 10, 11, 40, 200} {
		for _, long := range []bool{false, true} {
			for _, lang := range []string{"ar", "en"} {
				t.Run(fmt.Sprintf("%d/long=%v/%s", size, long, lang), func(t *testing.T) {
					entries := fixture(size)
					if long {
						entries = longFixture(size)
					}
					msgs := digest.Render(entries, digest.RenderOptions{Lang: lang, SiteURL: site, Date: sunday})
					if len(msgs) == 0 || len(msgs) > digest.DefaultMaxMessages {
						t.Fatalf("%d messages; want 1 to %d", len(msgs), digest.DefaultMaxMessages)
					}
					got := deliver(t, msgs)
					var seen []string
					summaries, headlines := 0, 0
					for i, m := range got {
						if n := len(utf16.Encode([]rune(m.Text))); n > digest.MaxMessageLen {
							t.Errorf("message %d: %d UTF-16 units", i+1, n)
						}
						for _, l := range links(m) {
							if l != site {
								seen = append(seen, l)
							}
						}
						for _, line := range strings.Split(m.Visible(), "\n") {
							switch {
							case strings.HasPrefix(line, "🏷 "):
								summaries++
							case strings.HasPrefix(line, "• "):
								headlines++
							}
						}
					}
					header := strings.SplitN(got[0].Visible(), "\n", 2)[0]
					if n := headerCount(t, header); n != len(seen) {
						t.Errorf("header %q announces %d stories; the reader can see %d", header, n, len(seen))
					}
					more := moreCount(t, got[len(got)-1].Visible())
					if len(seen)+more != size {
						t.Errorf("%d stories shown and %d left for the site; want %d in all", len(seen), more, size)
					}
					if more > 0 && !strings.Contains(got[len(got)-1].Raw, `<a href="`+site+`">`) {
						t.Errorf("the closing line does not link to the site:\n%s", got[len(got)-1].Raw)
					}
					// Newest first: the shown ones are the newest, in order.
					for i, l := range seen {
						if want := entries[size-1-i].Article.Link; l != want {
							t.Fatalf("story %d shown is %s; want %s (newest first)", i+1, l, want)
						}
					}
					if want := min(len(seen), digest.DefaultFull); summaries != want || headlines != len(seen)-want {
						t.Errorf("%d stories with their summary and %d headlines; want %d and %d", summaries, headlines, want, len(seen)-want)
					}
				})
			}
		}
	}
}

// A single article (an instant reader's digest) reads as one new story,
// with no closing line.
func TestRenderInstantDigest(t *testing.T) {
	for lang, want := range map[string]string{
		"ar": "📰 نشرة الأحد 29 تشرين الثاني · خبر جديد", // "Sunday 29 November's digest · a new story"
		"en": "📰 Digest · Sunday 29 November · 1 new story",
	} {
		msgs := digest.Render(fixture(1), digest.RenderOptions{Lang: lang, SiteURL: site, Date: sunday})
		got := deliver(t, msgs)
		if len(got) != 1 || !strings.HasPrefix(got[0].Visible(), want+"\n\n") {
			t.Errorf("%s: %q; want one message under %q", lang, got[0].Visible(), want)
		}
		if strings.Contains(got[0].Visible(), "🔗") || zero.MatchString(got[0].Visible()) {
			t.Errorf("%s: a single story with a closing line:\n%s", lang, got[0].Visible())
		}
	}
}

// The header's count takes Arabic number agreement.
func TestRenderHeaderCounts(t *testing.T) {
	tests := []struct {
		n    int
		lang string
		want string
	}{
		{1, "ar", "خبر جديد"},          // one new story
		{2, "ar", "خبران جديدان"},      // two new stories (dual)
		{5, "ar", "5 أخبار جديدة"},     // 5 new stories
		{12, "ar", "12 خبراً جديداً"},  // 12 new stories
		{100, "ar", "100 خبر جديد"},    // 100 new stories
		{103, "ar", "103 أخبار جديدة"}, // 103 new stories
		{1, "en", "1 new story"},
		{4, "en", "4 new stories"},
	}
	for _, tt := range tests {
		var entries []digest.Entry
		for i := range tt.n {
			entries = append(entries, digest.Entry{Article: articles.Article{Title: fmt.Sprint("t", i), Link: "https://7al.net/"}})
		}
		m := digest.Render(entries, digest.RenderOptions{Lang: tt.lang, MaxMessages: 10})[0]
		if header := strings.SplitN(m, "\n", 2)[0]; !strings.HasSuffix(header, " · "+tt.want+"</b>") {
			t.Errorf("%d articles in %s: header %q; want it to end %q", tt.n, tt.lang, header, tt.want)
		}
	}
	if got := digest.Render(nil, digest.RenderOptions{}); got != nil {
		t.Errorf("no articles rendered %q; want nothing", got)
	}
}

// The day the header names is the date's own, in its zone: just after
// midnight in Damascus it is already Monday.
func TestRenderHeaderDay(t *testing.T) {
	utc := time.Date(2026, 11, 29, 22, 30, 0, 0, time.UTC) // 00:30 on Monday in Damascus
	tests := []struct {
		day  time.Time
		lang string
		want string
	}{
		{utc.In(damascus), "ar", "📰 نشرة الاثنين 30 تشرين الثاني"},                          // Monday 30 November
		{utc, "ar", "📰 نشرة الأحد 29 تشرين الثاني"},                                         // Sunday 29 November
		{time.Date(2027, 1, 1, 9, 0, 0, 0, damascus), "ar", "📰 نشرة الجمعة 1 كانون الثاني"}, // Friday 1 January
		{time.Date(2026, 8, 4, 9, 0, 0, 0, damascus), "ar", "📰 نشرة الثلاثاء 4 آب"},         // Tuesday 4 August
		{utc.In(damascus), "en", "📰 Digest · Monday 30 November"},
		{time.Time{}, "ar", "📰 نشرة · خبر جديد"}, // no day given
	}
	for _, tt := range tests {
		m := digest.Render(fixture(1), digest.RenderOptions{Lang: tt.lang, Date: tt.day})[0]
		if !strings.HasPrefix(m, "<b>"+tt.want) {
			t.Errorf("%s on %v: %q; want it to start %q", tt.lang, tt.day, strings.SplitN(m, "\n", 2)[0], tt.want)
		}
	}
}

// Titles, names and summaries are shown as written: a reader sees <, &
// and quotes, never markup; a link that is not http(s) is dropped and a
// link's quotes cannot end its attribute.
func TestRenderEscapesEverything(t *testing.T) {
	e := digest.Entry{
		Article: articles.Article{
			Title:   `عنوان <script>alert("x")</script> & «قوات سوريا الديمقراطية» 'y'`, // "title ... «Syrian Democratic Forces»"
			Link:    `javascript:alert(1)`,
			Summary: []string{`<b>not bold</b> & "quoted" <i>.`},
		},
		Why: []string{`<b>قسد</b>`, `A & B "C"`},
	}
	second := e
	second.Article.Link = `https://7al.net/?p=1&x="><b>`
	for _, lang := range []string{"ar", "en"} {
		msgs := digest.Render([]digest.Entry{e, second}, digest.RenderOptions{Lang: lang, SiteURL: site})
		got := deliver(t, msgs)
		for _, want := range []string{`عنوان <script>alert("x")</script> & «قوات سوريا الديمقراطية» 'y'`, `🏷 <b>قسد</b> · A & B "C"`, `<b>not bold</b> & "quoted" <i>.`} {
			if !strings.Contains(got[0].Visible(), want) {
				t.Errorf("%s: the reader does not see %q:\n%s", lang, want, got[0].Visible())
			}
		}
		for _, bad := range []string{"<script>", "<b>not", "javascript:", `"><b>`} {
			if strings.Contains(msgs[0], bad) {
				t.Errorf("%s: rendered message contains %q:\n%s", lang, bad, msgs[0])
			}
		}
		if l := links(got[0]); len(l) != 1 || l[0] != `https://7al.net/?p=1&x="><b>` {
			t.Errorf("%s: links %q; want only the http one, whole", lang, l)
		}
	}
}

// Messages are split only between articles: each title and its summary
// stay in one message.
func TestRenderSplitsBetweenArticles(t *testing.T) {
	entries := longFixture(12)
	msgs := digest.Render(entries, digest.RenderOptions{MaxMessages: 10, Full: 12})
	if len(msgs) < 2 {
		t.Fatalf("12 long articles fit in %d message; want a split", len(msgs))
	}
	found := 0
	for _, m := range msgs {
		for _, e := range entries {
			if i := strings.Index(m, e.Article.Link); i >= 0 {
				found++
				if !strings.Contains(m[i:], "جملة ثانية") {
					t.Errorf("%s: its summary is not with its title", e.Article.Link)
				}
			}
		}
	}
	if found != 12 {
		t.Errorf("%d articles in the messages; want all 12, each once", found)
	}
}

// An article whose summary alone would overflow a message loses sentences,
// never the message limit.
func TestRenderHugeArticle(t *testing.T) {
	e := digest.Entry{Article: articles.Article{Title: strings.Repeat("عنوان ", 1000), Link: "https://7al.net/", Summary: []string{strings.Repeat("كلمة ", 2000)}, Published: time.Now()}}
	msgs := digest.Render([]digest.Entry{e}, digest.RenderOptions{})
	if len(msgs) != 1 {
		t.Fatalf("%d messages; want 1", len(msgs))
	}
	got := deliver(t, msgs)
	if !strings.HasSuffix(got[0].Text, "…") || len(links(got[0])) != 1 {
		t.Errorf("a title longer than a message: %q…; want it cut, with its link", got[0].Text[:200])
	}
}

// The digest as it is sent (.html) and as a reader sees it (.txt), for a
// day's digest that fits one message and for a crowded one that does not
// fit the one message it may take. go test ./digest -run TestRenderGolden -update rewrites them.
func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name    string
		entries []digest.Entry
		opt     digest.RenderOptions
	}{
		{"day", fixture(13), digest.RenderOptions{}},
		{"crowded", fixture(80), digest.RenderOptions{MaxMessages: 1}},
	}
	for _, tt := range tests {
		for _, lang := range []string{"ar", "en"} {
			opt := tt.opt
			opt.Lang, opt.SiteURL, opt.Date = lang, site, sunday
			msgs := digest.Render(tt.entries, opt)
			var sent, seen strings.Builder
			for i, m := range deliver(t, msgs) {
				fmt.Fprintf(&sent, "──── message %d ────\n%s\n", i+1, msgs[i])
				fmt.Fprintf(&seen, "──── message %d ────\n%s\n", i+1, m.Text)
			}
			golden(t, filepath.Join("testdata", "render", tt.name+"-"+lang+".html"), sent.String())
			golden(t, filepath.Join("testdata", "render", tt.name+"-"+lang+".txt"), seen.String())
		}
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\n%s", path, got)
	}
}
