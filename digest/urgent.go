package digest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"nashra/digest/arabic"
)

// DefaultMarkers is how the site marks breaking news unless configured
// otherwise: titles such as «عاجل: …», «عاجل | …» or «🔴 عاجل …», or a
// category named «عاجل».
const DefaultMarkers = "عاجل"

// Markers are the words by which the site marks an item as breaking news:
// a title that starts with one, or a category named by one. They are
// matched as the topics are (diacritics, tatweel, letter case and
// hashtag underscores do not matter).
type Markers struct {
	words [][]string // each marker's normalised words, longest first
}

// maxMarkerRunes bounds one marker: a word or two, not a sentence.
const maxMarkerRunes = 40

// ParseMarkers reads a comma-separated list (Latin or Arabic commas).
func ParseMarkers(list string) (Markers, error) {
	var m Markers
	for raw := range strings.FieldsFuncSeq(list, func(r rune) bool { return r == ',' || r == '،' }) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		if utf8.RuneCountInString(raw) > maxMarkerRunes {
			return Markers{}, fmt.Errorf("marker %q is longer than %d characters", raw, maxMarkerRunes)
		}
		words := arabic.Tokens(strings.ReplaceAll(raw, "_", " "))
		if len(words) == 0 {
			return Markers{}, fmt.Errorf("marker %q has no word in it", raw)
		}
		m.words = append(m.words, words)
	}
	if len(m.words) == 0 {
		return Markers{}, errors.New("no marker given")
	}
	// «خبر عاجل» before «خبر»: the longest marker is the one cut off.
	slices.SortStableFunc(m.words, func(a, b []string) int { return len(b) - len(a) })
	return m, nil
}

// Mark says whether an item with this title and these categories is
// marked urgent, and returns the title to show: without the marker and
// the separators around it («🔴 عاجل | قسد …» shows as «قسد …»). A title
// that is nothing but the marker is shown as it is.
func (m Markers) Mark(title string, categories []string) (shown string, urgent bool) {
	if len(m.words) == 0 {
		return title, false
	}
	if rest, ok := m.cut(title); ok {
		if strings.TrimSpace(rest) != "" {
			return rest, true
		}
		return title, true
	}
	for _, c := range categories {
		cw := arabic.Tokens(strings.ReplaceAll(c, "_", " "))
		for _, w := range m.words {
			if slices.Equal(cw, w) {
				return title, true
			}
		}
	}
	return title, false
}

// cut removes a marker at the start of title: after any decoration
// (spaces, emoji, «#», brackets), a marker's words as whole words, then
// the separators that follow it («:», «|», «-», closing brackets, more
// emoji). Opening quotes and brackets stay: they belong to the headline.
func (m Markers) cut(title string) (string, bool) {
	// The first few words of the title, and where each stands.
	type word struct {
		norm       string
		start, end int
	}
	var words []word
	longest := len(m.words[0])
	i := 0
	for i < len(title) && len(words) < longest {
		r, n := utf8.DecodeRuneInString(title[i:])
		if !isMarkerWordRune(r) {
			if len(words) == 0 && !isDecoration(r) {
				return "", false // the title starts with a quote
			}
			i += n
			continue
		}
		w := word{start: i}
		for i < len(title) {
			r, n := utf8.DecodeRuneInString(title[i:])
			if !isMarkerWordRune(r) {
				break
			}
			i += n
		}
		w.end = i
		toks := arabic.Tokens(title[w.start:w.end])
		if len(toks) != 1 {
			return "", false
		}
		w.norm = toks[0]
		words = append(words, w)
	}
	for _, mw := range m.words {
		if len(mw) > len(words) {
			continue
		}
		match := true
		for j := range mw {
			// Between a marker's words only spaces may stand.
			if words[j].norm != mw[j] || j > 0 && strings.TrimSpace(title[words[j-1].end:words[j].start]) != "" {
				match = false
				break
			}
		}
		if match {
			rest := title[words[len(mw)-1].end:]
			return strings.TrimLeftFunc(rest, isSeparator), true
		}
	}
	return "", false
}

func isMarkerWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '\u0640'
}

// isDecoration is what may stand before a marker: anything but a letter,
// a digit or a quote (white space, direction marks, emoji, «#», brackets:
// «#عاجل», «[عاجل]», «🔴 عاجل»). A quoted «عاجل» is a headline about the
// word.
func isDecoration(r rune) bool {
	return !isMarkerWordRune(r) && r != '"' && r != '\'' && !unicode.In(r, unicode.Pi, unicode.Pf)
}

// isSeparator is what follows a marker before the headline: anything but
// a letter, a digit, or an opening quote or bracket.
func isSeparator(r rune) bool {
	if isMarkerWordRune(r) || r == '"' || r == '\'' || unicode.In(r, unicode.Pi, unicode.Ps) {
		return false
	}
	return true
}
