// Package biditest lays out text as a reader's phone does and reports what
// reads in the wrong order. Telegram makes every line of a message a
// paragraph of its own; each is laid out with the Unicode Bidirectional
// Algorithm (golang.org/x/text/unicode/bidi, and GNU FriBidi's command
// line tool where it is installed, as a second opinion).
//
// It is independent of package bidi, which it checks: it knows nothing of
// how marks are inserted, only how a line is laid out.
package biditest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
)

// Line is one line of a message as laid out.
type Line struct {
	Text string
	// RTL: the line is a right-to-left paragraph (its first strong
	// character outside isolates is right to left).
	RTL bool
	// ltr holds, per rune of Text, whether it is at a left-to-right
	// (even) embedding level.
	ltr []bool
	// runs describes the directional runs, for messages.
	runs string
}

// Layout lays out one line (no line breaks) as a paragraph.
func Layout(text string) Line {
	l := Line{Text: text}
	n := utf8.RuneCountInString(text)
	if n == 0 {
		return l
	}
	var p bidi.Paragraph
	// A trailing space takes the paragraph's own level (rule L1), so the
	// last run's direction is the paragraph's.
	if _, err := p.SetString(text + " "); err != nil {
		panic(fmt.Sprintf("biditest: %v", err))
	}
	o, err := p.Order()
	if err != nil {
		panic(fmt.Sprintf("biditest: %v", err))
	}
	l.ltr = make([]bool, n+1)
	var runs []string
	for i := 0; i < o.NumRuns(); i++ {
		r := o.Run(i)
		from, to := r.Pos()
		for k := from; k <= to && k <= n; k++ {
			l.ltr[k] = r.Direction() == bidi.LeftToRight
		}
		dir := "LTR"
		if r.Direction() != bidi.LeftToRight {
			dir = "RTL"
		}
		runs = append(runs, fmt.Sprintf("%s«%s»", dir, strings.TrimSuffix(r.String(), " ")))
	}
	l.RTL = !l.ltr[n]
	l.ltr = l.ltr[:n]
	l.runs = strings.Join(runs, " ")
	return l
}

// Lines lays out every line of a message's visible text.
func Lines(text string) []Line {
	var out []Line
	for _, s := range strings.Split(text, "\n") {
		out = append(out, Layout(s))
	}
	return out
}

// AsWritten reports whether the runes [from, to) of the line are laid out
// left to right, in the order they are written (marks among them aside).
func (l Line) AsWritten(from, to int) bool {
	rs := []rune(l.Text)
	for k := from; k < to && k < len(l.ltr); k++ {
		if !l.ltr[k] && !isMark(rs[k]) {
			return false
		}
	}
	return true
}

// What must read left to right, as written, wherever it stands.
var (
	// A command, with the bot's name in groups: "/topics", "/start@nashra_bot".
	command = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_/])(/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?)`)
	// A hashtag or a mention in Latin letters: "#sdf", "@nashra_bot".
	hashtag = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_/@#])([#@][A-Za-z0-9_]+)`)
	// A number with a sign, or numbers joined by separators: "+5", "−1",
	// "07:30", "2026-01-02", "5–10".
	number = regexp.MustCompile(`(?:^|[^\p{L}\p{N}])([+\-−]?[0-9]+(?:[:.,/\-–—][0-9]+)+|[+−][0-9]+)`)
	// A link, up to any Arabic in it (an Arabic word in a path reads right
	// to left wherever it stands).
	link = regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(https?://[^\s\p{Arabic}\x{2066}-\x{2069}\x{200e}\x{200f}]*[^\s\p{Arabic}\x{2066}-\x{2069}\x{200e}\x{200f}.,;:!?'"»”)])`)
)

// Tokens lists what in the line must show as written: commands, hashtags
// and mentions, numbers with a sign or separator, links. They are found
// in the words a reader sees, marks aside, and given as rune offsets
// [from, to) of the line.
func Tokens(line string) [][2]int {
	var seen []rune
	var at []int // rune offset in line of each rune of seen
	for i, r := range []rune(line) {
		if !isMark(r) {
			seen = append(seen, r)
			at = append(at, i)
		}
	}
	text := string(seen)
	var out [][2]int
	for _, re := range []*regexp.Regexp{command, hashtag, number, link} {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			from := utf8.RuneCountInString(text[:m[2]])
			to := from + utf8.RuneCountInString(text[m[2]:m[3]])
			out = append(out, [2]int{at[from], at[to-1] + 1})
		}
	}
	return out
}

// isMark: the invisible characters that only steer direction.
func isMark(r rune) bool {
	return r == '\u200e' || r == '\u200f' || r == '\u061c' || r >= '\u2066' && r <= '\u2069' || r >= '\u202a' && r <= '\u202e'
}

// Problems lists what a reader would see wrong in text, the visible text
// of a message (markup removed, entities decoded), one sentence each:
//
//   - a command, hashtag, mention, link or number with a sign or a
//     separator laid out out of its written order ("topics/", "5+");
//   - lang "ar": a line holding an Arabic letter that reads left to right;
//   - lang "en": a line holding a Latin letter that reads right to left.
//
// With lang "", the message's language is taken from its first line that
// holds a letter: Arabic when that line reads right to left. An English
// message is then held only on lines with more Latin than Arabic letters:
// a digest in English carries Arabic headlines, which read right to left.
func Problems(lang, text string) []string {
	lines := Lines(text)
	strict := lang != ""
	if lang == "" {
		lang = "en"
		for _, l := range lines {
			if strings.IndexFunc(l.Text, unicode.IsLetter) >= 0 {
				if l.RTL {
					lang = "ar"
				}
				break
			}
		}
	}
	var out []string
	for i, l := range lines {
		arabic, latin := letters(l.Text)
		switch {
		case lang == "ar" && arabic > 0 && !l.RTL:
			out = append(out, fmt.Sprintf("line %d reads left to right though it holds Arabic: %q (%s)", i+1, l.Text, l.runs))
		case lang == "en" && latin > 0 && l.RTL && (strict || latin > arabic):
			out = append(out, fmt.Sprintf("line %d of an English message reads right to left: %q (%s)", i+1, l.Text, l.runs))
		}
		rs := []rune(l.Text)
		for _, tok := range Tokens(l.Text) {
			if !l.AsWritten(tok[0], tok[1]) {
				out = append(out, fmt.Sprintf("line %d shows %q out of order: %q (%s)", i+1, string(rs[tok[0]:tok[1]]), l.Text, l.runs))
			}
		}
	}
	return out
}

// letters counts a line's Arabic and Latin letters.
func letters(s string) (arabic, latin int) {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			arabic++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	return arabic, latin
}
