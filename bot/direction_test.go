package bot

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"nashra/bidi/biditest"
	"nashra/bot/inbox"
	"nashra/bot/telegramtest"
	"nashra/broadcasts"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// catalogMessage is one text of a catalog, filled in as the bot fills it.
type catalogMessage struct {
	name, lang, text string
}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// catalogMessages lists every text of every catalog in lang, each filled
// twice: with a Latin value and with an Arabic one ("SDF", "قسد"), numbers
// with 12, the follow examples where the bot puts them.
func catalogMessages(lang string) []catalogMessage {
	catalogs := map[string]any{
		"texts":      *textsFor(lang),
		"statsTexts": *statsTextsFor(lang),
		"bcTexts":    bcTextsFor(lang),
		"dataTexts":  dataTextsFor(lang),
	}
	var out []catalogMessage
	for cat, c := range catalogs {
		v := reflect.ValueOf(c)
		for i := 0; i < v.NumField(); i++ {
			name := cat + "." + v.Type().Field(i).Name
			f := v.Field(i)
			var formats []string
			switch f.Kind() {
			case reflect.String:
				formats = append(formats, f.String())
			case reflect.Map:
				for _, k := range f.MapKeys() {
					formats = append(formats, f.MapIndex(k).String())
				}
				sort.Strings(formats)
			}
			for _, format := range formats {
				for _, value := range []string{"SDF", "قسد"} {
					if name == "texts.FollowUsage" {
						value = followExamples(lang)
					}
					out = append(out, catalogMessage{name: name, lang: lang, text: fill(lang, format, value)})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// fill gives every verb of format an argument: value for strings, 12 for
// numbers. A text that starts with its argument (a date, a duration)
// starts with one in its own language: the bot never opens a message
// with a reader's words.
func fill(lang, format, value string) string {
	var args []any
	for _, loc := range verb.FindAllStringIndex(format, -1) {
		v := format[loc[0]:loc[1]]
		switch v[len(v)-1] {
		case '%':
		case 'd':
			args = append(args, 12)
		default:
			if loc[0] == 0 {
				args = append(args, map[string]string{"ar": "قسد", "en": "SDF"}[lang])
				continue
			}
			args = append(args, value)
		}
	}
	return fmt.Sprintf(format, args...)
}

// sendCatalogs sends every text of both catalogs through the bot's reply
// path to the fake Bot API and returns what each reader sees.
func sendCatalogs(t *testing.T) (sent []catalogMessage) {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.Options{SkipLayoutCheck: true}) // checked here, with the language known
	r := redistest.New(t)
	b, err := New(Options{
		Token: srv.Token(), APIURL: srv.URL(), Catalog: topics.Builtin(),
		Store:      subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix}),
		Outbox:     outbox.New(r.Client, outbox.Options{Prefix: r.Prefix}),
		Broadcasts: broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix}),
		Inbox:      inbox.New(r.Client, inbox.Options{Prefix: r.Prefix}),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var msgs []catalogMessage
	for _, lang := range []string{"ar", "en"} {
		msgs = append(msgs, catalogMessages(lang)...)
	}
	for i, m := range msgs {
		b.send(ctx, int64(i+1), m.text, nil)
	}
	snap := srv.Snapshot()
	for i, m := range msgs {
		got := snap.SentTo(int64(i + 1))
		if len(got) != 1 {
			t.Errorf("%s (%s): %d messages sent, want 1", m.name, m.lang, len(got))
			continue
		}
		m.text = got[0].Text
		sent = append(sent, m)
	}
	return sent
}

// TestCatalogsReadInTheirDirection lays out every message of both catalogs
// as a reader receives it: every Arabic line reads right to left, every
// English line left to right, and every command, hashtag, number range
// and link shows as written.
func TestCatalogsReadInTheirDirection(t *testing.T) {
	for _, m := range sendCatalogs(t) {
		for _, p := range biditest.Problems(m.lang, m.text) {
			t.Errorf("%s (%s): %s", m.name, m.lang, p)
		}
	}
}

// TestCatalogsAgreeWithFriBidi lays the same lines out with GNU FriBidi:
// the same paragraph directions, and every command visible as written in
// the display order.
func TestCatalogsAgreeWithFriBidi(t *testing.T) {
	biditest.NeedFriBidi(t)
	type line struct {
		m    catalogMessage
		text string
	}
	var lines []line
	for _, m := range sendCatalogs(t) {
		for _, l := range strings.Split(m.text, "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, line{m, l})
			}
		}
	}
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.text
	}
	laid, err := biditest.FriBidi(texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range lines {
		arabic := strings.IndexFunc(l.text, func(r rune) bool { return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) }) >= 0
		if l.m.lang == "ar" && arabic && !laid[i].RTL {
			t.Errorf("%s (ar): fribidi lays %q out left to right: %q", l.m.name, l.text, laid[i].Visual)
		}
		latin := strings.IndexFunc(l.text, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) >= 0
		if l.m.lang == "en" && latin && laid[i].RTL {
			t.Errorf("%s (en): fribidi lays %q out right to left: %q", l.m.name, l.text, laid[i].Visual)
		}
		rs := []rune(l.text)
		for _, tok := range biditest.Tokens(l.text) {
			if w := string(rs[tok[0]:tok[1]]); !strings.Contains(laid[i].Visual, w) {
				t.Errorf("%s (%s): fribidi shows %q out of order in %q: %q", l.m.name, l.m.lang, w, l.text, laid[i].Visual)
			}
		}
	}
}

// TestHelpGivesTheDescriptionFirst: in Arabic each line of /help starts
// with what the command does, right to left, and ends with the command as
// it is typed: «• متابعة موضوع أو كلمة: /follow قسد».
func TestHelpGivesTheDescriptionFirst(t *testing.T) {
	var help string
	for _, m := range sendCatalogs(t) {
		if m.name == "texts.Help" && m.lang == "ar" {
			help = m.text
			break
		}
	}
	const want = "• متابعة موضوع أو كلمة: /follow قسد" // "follow a topic or a word: /follow SDF"
	var line string
	for _, l := range strings.Split(help, "\n") {
		if strings.Map(dropMarks, l) == want {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("no line %q (marks aside) in /help:\n%s", want, help)
	}
	if l := biditest.Layout(line); !l.RTL {
		t.Errorf("%q reads left to right", line)
	}
	for _, l := range strings.Split(help, "\n") {
		if strings.HasPrefix(strings.Map(dropMarks, l), "/") {
			t.Errorf("a /help line starts with its command: %q", l)
		}
	}
	biditest.NeedFriBidi(t)
	laid, err := biditest.FriBidi([]string{line})
	if err != nil {
		t.Fatal(err)
	}
	// Display order, left to right: the command with its example as typed
	// (the Arabic word's letters right to left), then the description
	// ending at the right edge.
	const visual = "/follow دسق :ةملك وأ عوضوم ةعباتم •"
	if laid[0].Visual != visual || !laid[0].RTL {
		t.Errorf("fribidi shows %q (right to left %v), want %q", laid[0].Visual, laid[0].RTL, visual)
	}
}

func dropMarks(r rune) rune {
	if r == '\u200e' || r == '\u200f' || r == '\u061c' || r >= '\u2066' && r <= '\u2069' {
		return -1
	}
	return r
}

// TestCatalogsStartInTheirLanguage: the bot lays a reply out in the
// direction of its first letter (bidi.Message), so every text must start,
// before any value it carries, with a word of its own language.
func TestCatalogsStartInTheirLanguage(t *testing.T) {
	script := map[string]*unicode.RangeTable{"ar": unicode.Arabic, "en": unicode.Latin}
	for _, lang := range []string{"ar", "en"} {
		for _, m := range catalogMessages(lang) {
			plain := verb.ReplaceAllString(tagRE.ReplaceAllString(m.text, ""), "")
			i := strings.IndexFunc(plain, func(r rune) bool {
				return unicode.IsLetter(r) && (unicode.Is(unicode.Arabic, r) || unicode.Is(unicode.Latin, r))
			})
			if i < 0 {
				continue
			}
			if r, _ := utf8.DecodeRuneInString(plain[i:]); !unicode.Is(script[lang], r) {
				t.Errorf("%s (%s) starts with a word of another language: %q", m.name, lang, m.text)
			}
		}
	}
}
