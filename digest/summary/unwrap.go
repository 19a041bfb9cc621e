package summary

import (
	"strings"
	"unicode/utf8"
)

// unwrap joins the lines of hard-wrapped text (plain text broken at a fixed
// width, common in wire copy) so that a line break no longer cuts a sentence
// in two. Text counts as hard-wrapped when most of its lines are long, end
// without a sentence mark and have similar lengths; any other text is
// returned unchanged, because there a line break is a paragraph break.
func unwrap(text string) string {
	lines := strings.Split(text, "\n")
	var open, long, maxLen int
	for _, l := range lines {
		maxLen = max(maxLen, utf8.RuneCountInString(strings.TrimSpace(l)))
	}
	if maxLen == 0 {
		return text
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		n := utf8.RuneCountInString(l)
		if n == 0 {
			continue
		}
		if n*10 >= maxLen*7 { // within 70% of the widest line
			long++
			if !endsSentence(l) {
				open++
			}
		}
	}
	if long < 4 || open*10 < long*6 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i, l := range lines {
		t := strings.TrimSpace(l)
		b.WriteString(t)
		if i == len(lines)-1 {
			break
		}
		n := utf8.RuneCountInString(t)
		if n*10 >= maxLen*7 && !endsSentence(t) && strings.TrimSpace(lines[i+1]) != "" {
			b.WriteByte(' ')
		} else {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func endsSentence(l string) bool {
	l = strings.TrimRight(l, "»”\"')] ")
	r, _ := utf8.DecodeLastRuneInString(l)
	return isEnd(r) || r == ':' || r == '…'
}
