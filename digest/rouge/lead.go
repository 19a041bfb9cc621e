package rouge

import (
	"strconv"
	"strings"
)

// Budget is the word budget of a summary.
type Budget struct {
	// Words is a fixed budget; zero means one third of the article's
	// words, the convention EASC's annotators followed.
	Words int
}

// Third is the budget of one third of the article's words.
var Third = Budget{}

// For returns the budget in words for an article of articleWords words.
func (b Budget) For(articleWords int) int {
	if b.Words > 0 {
		return b.Words
	}
	return max(1, articleWords/3)
}

func (b Budget) String() string {
	if b.Words > 0 {
		return strconv.Itoa(b.Words) + " words"
	}
	return "one third"
}

// isTerminal reports the runes after which whitespace ends a sentence in
// the protocol: . ! ? ؟ and the Urdu full stop ۔.
func isTerminal(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '؟' || r == '۔'
}

// isSpace is the script's \s (str.isspace), which also counts the ASCII
// information separators 0x1C–0x1F that unicode.IsSpace does not.
func isSpace(r rune) bool {
	switch {
	case 0x09 <= r && r <= 0x0D, 0x1C <= r && r <= 0x20, r == 0x85, r == 0xA0, r == 0x1680,
		0x2000 <= r && r <= 0x200A, r == 0x2028, r == 0x2029, r == 0x202F, r == 0x205F, r == 0x3000:
		return true
	}
	return false
}

// Sentences splits text the way the protocol's Lead baseline does:
// after . ! ? ؟ ۔ followed by whitespace, and at every run of newlines.
// Pieces are trimmed; pieces of fewer than two characters are dropped.
// This is deliberately cruder than the summariser's splitter: it defines
// the baseline, it is not meant to be good.
func Sentences(text string) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimFunc(s, isSpace)
		if len([]rune(s)) > 1 {
			out = append(out, s)
		}
	}
	rs := []rune(text)
	start := 0
	for i := 0; i < len(rs); {
		switch {
		case i > 0 && isTerminal(rs[i-1]) && isSpace(rs[i]):
			j := i
			for j < len(rs) && isSpace(rs[j]) {
				j++
			}
			add(string(rs[start:i]))
			start, i = j, j
		case rs[i] == '\n':
			j := i
			for j < len(rs) && rs[j] == '\n' {
				j++
			}
			add(string(rs[start:i]))
			start, i = j, j
		default:
			i++
		}
	}
	add(string(rs[start:]))
	return out
}

// Lead returns the baseline summary: the article's first sentences, in
// order, until they reach words tokens (the last one may cross the
// budget), one per line.
func Lead(article string, words int) []string {
	var out []string
	w := 0
	for _, s := range Sentences(article) {
		if w >= words {
			break
		}
		out = append(out, s)
		w += len(Tokens(s))
	}
	return out
}
