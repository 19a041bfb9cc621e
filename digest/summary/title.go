package summary

import (
	"strings"
	"unicode/utf8"
)

// maxTitleWords is the longest first line taken as a title; headlines on
// the site run to about twenty words.
const maxTitleWords = 25

// SplitTitle finds an article's title in plain text (lines separated by
// "\n"). The first line that is not blank is the title when it is short
// (at most maxTitleWords words), does not end a sentence, and body text
// follows it: after a blank line, or on the very next line when that line
// is not where a hard-wrapped paragraph simply goes on (the title is
// clearly narrower than the lines after it). Otherwise there is no title,
// and the whole text is the body: an article pasted as one paragraph on
// one line, or plain text whose first line is the start of a wrapped
// sentence, loses nothing.
func SplitTitle(text string) (title, body string) {
	lines := strings.Split(text, "\n")
	first := 0
	for first < len(lines) && strings.TrimSpace(lines[first]) == "" {
		first++
	}
	if first == len(lines) {
		return "", ""
	}
	cand := strings.TrimSpace(lines[first])
	rest := lines[first+1:]
	whole := strings.TrimSpace(strings.Join(lines[first:], "\n"))
	if strings.TrimSpace(strings.Join(rest, "\n")) == "" ||
		endsSentence(cand) || len(strings.Fields(cand)) > maxTitleWords {
		return "", whole
	}
	if strings.TrimSpace(rest[0]) != "" && !narrower(cand, rest) {
		return "", whole // the first line of a wrapped paragraph
	}
	return cand, strings.TrimSpace(strings.Join(rest, "\n"))
}

// narrower reports whether line is clearly narrower (under 70%) than the
// widest of the lines of the paragraph that follows it directly.
func narrower(line string, next []string) bool {
	widest := 0
	for _, l := range next[:min(len(next), 5)] {
		l = strings.TrimSpace(l)
		if l == "" {
			break
		}
		widest = max(widest, utf8.RuneCountInString(l))
	}
	return utf8.RuneCountInString(line)*10 < widest*7
}
