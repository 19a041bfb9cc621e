package summary

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split returns the sentences of text in order, trimmed, each a substring
// of text. A sentence ends at . ! ? ؟ ; ؛ ۔ and at every line break, never
// at the Arabic comma ، or a colon. A full stop does not end a sentence when
// it is
//   - part of an ellipsis (.. ... …), which Arabic news uses inside
//     sentences and headlines as a pause;
//   - between digits (2.5) or between Latin letters and digits (7al.net);
//   - after a single Latin letter, an initial (U.S., J. Smith);
//   - after a single Arabic letter and before a letter, an abbreviation
//     (ق.م, ص.ب, أ.د);
//   - inside a «…» quotation that closes on the same line.
//
// Closing quotes and brackets right after the end mark stay with their
// sentence. Pieces without a letter or digit are dropped.
func Split(text string) []string {
	var out []string
	for line := range lines(text) {
		out = splitLine(out, line)
	}
	return out
}

// lines yields the lines of text, broken at every line break Split knows.
func lines(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for len(text) > 0 {
			line := text
			if i := strings.IndexAny(text, "\n\r\u2028\u2029\v\f\u0085"); i >= 0 {
				line = text[:i]
				text = text[i:]
				_, size := utf8.DecodeRuneInString(text)
				text = text[size:]
			} else {
				text = ""
			}
			if !yield(line) {
				return
			}
		}
	}
}

// endsProtocolSentence reports whether a sentence of Split, followed in its
// line by rest, ends a sentence as the evaluation protocol counts them: at
// . ! ? ؟ ۔ followed by a space or the end of the line. Split also ends
// sentences at semicolons, after closing quotes and at a full stop with no
// space after it, which the protocol does not; a line break ends both.
func endsProtocolSentence(s, rest string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r != '.' && r != '!' && r != '?' && r != '؟' && r != '۔' {
		return false
	}
	next, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || unicode.IsSpace(next)
}

// splitLine appends the sentences of one line to out.
func splitLine(out []string, line string) []string {
	rs := []rune(line)
	// byte offset of every rune, plus one past the end, to cut line itself.
	offs := make([]int, 0, len(rs)+1)
	for i := range line {
		offs = append(offs, i)
	}
	offs = append(offs, len(line))

	quoted := guillemetSpans(rs)
	start := 0
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !isEnd(r) || quoted[i] {
			continue
		}
		j := i + 1
		if r == '.' {
			if j < len(rs) && rs[j] == '.' || i > 0 && rs[i-1] == '.' {
				// an ellipsis: skip the whole run of dots
				for j < len(rs) && rs[j] == '.' {
					j++
				}
				i = j - 1
				continue
			}
			if !fullStop(rs, i) {
				continue
			}
		}
		for j < len(rs) && isEnd(rs[j]) && rs[j] != '.' {
			j++ // "?!", "!!"
		}
		j = absorbClosers(rs, j)
		out = appendSentence(out, line[offs[start]:offs[j]])
		start = j
		i = j - 1
	}
	return appendSentence(out, line[offs[start]:])
}

func isEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '؟', ';', '؛', '۔':
		return true
	}
	return false
}

// fullStop reports whether the '.' at rs[i] ends a sentence.
func fullStop(rs []rune, i int) bool {
	var prev, next rune
	if i > 0 {
		prev = rs[i-1]
	}
	if i+1 < len(rs) {
		next = rs[i+1]
	}
	if isLatinAlnum(prev) && isLatinAlnum(next) || unicode.IsDigit(prev) && unicode.IsDigit(next) {
		return false // 2.5, ٢.٥, 7al.net, v1.2
	}
	initial := i < 2 || !unicode.IsLetter(rs[i-2]) // prev is a word of one letter
	if isLatin(prev) && initial {
		return false // an initial: U.S., J. Smith
	}
	if isArabicLetter(prev) && initial && isArabicLetter(next) {
		return false // an abbreviation: ق.م (BC), ص.ب (PO box), أ.د
	}
	return true
}

// isArabicLetter reports a letter of the Arabic block (U+0600–U+06FF).
func isArabicLetter(r rune) bool { return 0x0600 <= r && r <= 0x06FF && unicode.IsLetter(r) }

func isLatin(r rune) bool { return r < 0x250 && unicode.IsLetter(r) }

func isLatinAlnum(r rune) bool { return isLatin(r) || '0' <= r && r <= '9' }

// absorbClosers moves j past closing quotes and brackets that follow an
// end mark, so «قال: "انتهى."» keeps its closing marks. Straight quotes
// are closers only when nothing but space follows them: otherwise they
// open the next sentence.
func absorbClosers(rs []rune, j int) int {
	for j < len(rs) {
		switch rs[j] {
		case '»', '”', '’', '›', ')', ']', '}', '؟', '!', '?':
			j++
		case '"', '\'':
			if j+1 < len(rs) && !unicode.IsSpace(rs[j+1]) && !isEnd(rs[j+1]) {
				return j
			}
			j++
		default:
			return j
		}
	}
	return j
}

// guillemetSpans marks the runes inside «…» pairs that close on the same
// line; an unclosed « protects nothing, so a stray mark cannot swallow the
// rest of a paragraph.
func guillemetSpans(rs []rune) []bool {
	var quoted []bool
	var open []int
	for i, r := range rs {
		switch r {
		case '«':
			open = append(open, i)
		case '»':
			if len(open) == 0 {
				continue
			}
			o := open[len(open)-1]
			open = open[:len(open)-1]
			if quoted == nil {
				quoted = make([]bool, len(rs))
			}
			for k := o + 1; k < i; k++ {
				quoted[k] = true
			}
		}
	}
	if quoted == nil {
		quoted = make([]bool, len(rs))
	}
	return quoted
}

func appendSentence(out []string, s string) []string {
	s = strings.TrimSpace(s)
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) < 0 {
		return out
	}
	return append(out, s)
}
