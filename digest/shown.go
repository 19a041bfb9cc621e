package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"nashra/digest/summary"
)

// MaxSummarySentences is how many sentences of an article's summary a
// digest shows: a phone screen holds two without scrolling past the next
// title.
const MaxSummarySentences = 2

// shownSummary is the summary as a digest shows it: at most
// MaxSummarySentences sentences, each as shownSentence writes it. The sentences
// are cut where the summariser cuts them (summary.Split: not inside 3.5,
// U.S. or an ellipsis used as a pause), so a stored summary whose items
// hold more than one sentence is still cut right.
func shownSummary(sentences []string) []string {
	var out []string
	for _, s := range summary.Split(strings.Join(sentences, "\n")) {
		if len(out) == MaxSummarySentences {
			break
		}
		out = append(out, shownSentence(s))
	}
	return out
}

// shownSentence is a summary sentence as a digest or an alert shows it:
// hashtags written as words, a list item without its bullet (the message
// lays the sentences out itself), and a sentence the summariser cut at a
// semicolon ended with a full stop, so that it does not read as unfinished.
func shownSentence(s string) string {
	s = plainHashtags(withoutBullet(s))
	if t := strings.TrimRightFunc(s, unicode.IsSpace); strings.HasSuffix(t, "؛") || strings.HasSuffix(t, ";") {
		_, n := utf8.DecodeLastRuneInString(t)
		return strings.TrimRightFunc(t[:len(t)-n], unicode.IsSpace) + "."
	}
	return s
}

// bullets are the marks that open a list item in an article's text.
const bullets = "-–—•*·▪●◦‣"

// withoutBullet drops the bullet that opens s when s is a list item: the
// mark, then a space. "-5 درجات" and a dash inside a dateline stay.
func withoutBullet(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !strings.ContainsRune(bullets, r) {
		return s
	}
	if rest := strings.TrimLeftFunc(s[n:], unicode.IsSpace); len(rest) < len(s)-n && rest != "" {
		return rest
	}
	return s
}

// plainHashtags writes each hashtag as the words it stands for:
// «#التحالف_الدولي» becomes «التحالف الدولي», «و#داعش» «وداعش». A '#'
// starts a hashtag only before a letter, and not inside a Latin word or an
// address (C#, 7al.net/#top, &#39;).
func plainHashtags(s string) string {
	if !strings.Contains(s, "#") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r != '#' || i+1 == len(rs) || !unicode.IsLetter(rs[i+1]) || i > 0 && joinsHashtag(rs[i-1]) {
			b.WriteRune(r)
			continue
		}
		// The tag's words: letters, digits, marks and the '_' between them.
		j := i + 1
		for j < len(rs) && (rs[j] == '_' || unicode.In(rs[j], unicode.L, unicode.M, unicode.N)) {
			j++
		}
		words := strings.FieldsFunc(string(rs[i+1:j]), func(r rune) bool { return r == '_' })
		b.WriteString(strings.Join(words, " "))
		i = j - 1
	}
	return b.String()
}

// joinsHashtag reports whether r, just before a '#', makes the '#' part of
// something else: a Latin word, an address, an entity, another '#'. An
// Arabic letter does not: it is a proclitic written onto the tag (و#قسد).
func joinsHashtag(r rune) bool {
	if unicode.Is(unicode.Arabic, r) {
		return false
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.N) || strings.ContainsRune("/&#_-.=?", r)
}
