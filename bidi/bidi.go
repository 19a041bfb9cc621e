// Package bidi makes reader-facing text read in its own direction on a
// phone. Telegram lays out every line of a message as a paragraph of its
// own, in the direction of the line's first strong character: an Arabic
// line that starts with "/follow" or "SDF" turns left to right, and a
// command inside an Arabic sentence shows reversed ("topics/").
//
// Lines fixes both in Telegram HTML (or plain text): every line that holds
// a letter of the message's script starts in the message's direction (a
// right-to-left or left-to-right mark, only where the line would otherwise
// start the other way; in an Arabic message a line of figures alone, such
// as a row of /stats, starts right to left too), and inside a
// right-to-left line every command,
// hashtag, mention, number with a sign or separator (07:30, 5–10, +3), run
// of Latin words, link and code element is wrapped in FSI…PDI (U+2068,
// U+2069), so it shows as written. An isolate whose text starts with a
// character that is not strongly left to right (the slash of a command, a
// sign) also carries a left-to-right mark inside, so clients that ignore
// isolates (older Telegram Desktop builds, WebKit before 2021) still keep
// the slash with its command; on those clients the marks are invisible.
//
// Marks go only between characters of text: never inside a tag, an
// attribute (a link's href) or an entity. The package is idempotent: text
// already laid out is left as it is, so a message may pass through it at
// every layer that sends it.
package bidi

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	xbidi "golang.org/x/text/unicode/bidi"
)

// The marks this package inserts.
const (
	LRM = "\u200e" // left-to-right mark
	RLM = "\u200f" // right-to-left mark
	FSI = "\u2068" // first strong isolate
	PDI = "\u2069" // pop directional isolate
)

// Direction is a message's base direction.
type Direction int

const (
	// RightToLeft: lines holding Arabic start right to left; what is
	// written left to right inside them is isolated.
	RightToLeft Direction = iota
	// LeftToRight: lines holding Latin letters start left to right.
	LeftToRight
)

// Message lays out a Telegram HTML message in the direction of its
// language, that of its first Arabic or Latin letter outside isolates
// (nearly always the direction Telegram gives its first line), carried to
// every other line. Every text of the bot's catalogs starts with a word of
// its language, so a reply is laid out in the reader's. Text without such
// a letter is returned as it is.
func Message(s string) string {
	d, ok := firstStrong(scan(s, true))
	if !ok {
		return s
	}
	return layout(d, s, true)
}

// Plain is Message for plain text, such as a callback answer or a photo
// caption sent without parse mode: '<' and '&' are ordinary characters.
func Plain(s string) string {
	d, ok := firstStrong(scan(s, false))
	if !ok {
		return s
	}
	return layout(d, s, false)
}

// Lines lays out Telegram HTML in direction d, whatever its first
// character: for a message whose language is known (a digest).
func Lines(d Direction, s string) string { return layout(d, s, true) }

// Isolate wraps s as Lines wraps a left-to-right span. Catalogs use it
// where a command carries an Arabic example ("/follow قسد"), which no rule
// can tell apart from the Arabic words that follow a command in a sentence.
func Isolate(s string) string {
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeRuneInString(s)
	if isLatinLetter(r) {
		return FSI + s + PDI
	}
	return FSI + LRM + s + PDI
}

// IsMark reports the invisible characters that only steer direction:
// LRM, RLM, ALM, the isolates (U+2066–U+2069) and the embeddings and
// overrides (U+202A–U+202E). Readers' text may carry them (copied from a
// message): parsers skip them.
func IsMark(r rune) bool {
	switch {
	case r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	case r >= '\u2066' && r <= '\u2069':
		return true
	case r >= '\u202a' && r <= '\u202e':
		return true
	}
	return false
}

// unit is one character of text (an entity counts as the character it
// stands for) or one whole tag.
type unit struct {
	start, end int // bytes of the source
	r          rune
	class      xbidi.Class
	tag        string // the whole tag, for a tag
}

// scan cuts s into units. With markup, '<' opens a tag that runs to the
// next '>' and '&' may open an entity, as Telegram's HTML parser reads them.
func scan(s string, markup bool) []unit {
	units := make([]unit, 0, len(s))
	for i := 0; i < len(s); {
		if markup && s[i] == '<' {
			if j := strings.IndexByte(s[i:], '>'); j >= 0 {
				units = append(units, unit{start: i, end: i + j + 1, tag: s[i : i+j+1]})
				i += j + 1
				continue
			}
		}
		if markup && s[i] == '&' {
			if n, r, ok := entity(s[i:]); ok {
				units = append(units, unit{start: i, end: i + n, r: r, class: classOf(r)})
				i += n
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		units = append(units, unit{start: i, end: i + size, r: r, class: classOf(r)})
		i += size
	}
	return units
}

// entity reads a character reference at the start of s.
func entity(s string) (n int, r rune, ok bool) {
	semi := strings.IndexByte(s, ';')
	if semi < 2 || semi > 12 {
		return 0, 0, false
	}
	dec := html.UnescapeString(s[:semi+1])
	if dec == s[:semi+1] {
		return 0, 0, false
	}
	r, _ = utf8.DecodeRuneInString(dec)
	return semi + 1, r, true
}

func classOf(r rune) xbidi.Class {
	p, _ := xbidi.LookupRune(r)
	return p.Class()
}

func isStrong(c xbidi.Class) bool { return c == xbidi.L || c == xbidi.R || c == xbidi.AL }

func isRTL(c xbidi.Class) bool { return c == xbidi.R || c == xbidi.AL }

func isIsolateStart(r rune) bool { return r >= '\u2066' && r <= '\u2068' }

// isLatinLetter: a letter of a left-to-right script (Latin mostly); the
// letter-like symbols all scripts share (ℹ) are not a language's.
func isLatinLetter(r rune) bool {
	return unicode.IsLetter(r) && classOf(r) == xbidi.L && !unicode.Is(unicode.Common, r)
}

// isArabicLetter: a letter of a right-to-left script (Arabic mostly).
func isArabicLetter(r rune) bool { return unicode.IsLetter(r) && isRTL(classOf(r)) }

// firstStrong is the direction of a message's language: that of its first
// letter outside isolates, as rule P2 of the bidirectional algorithm finds
// a paragraph's, but skipping marks and shared symbols (an "ℹ️" heading an
// Arabic sentence), so a message laid out once is read the same way again.
func firstStrong(units []unit) (Direction, bool) {
	depth := 0
	for _, u := range units {
		switch {
		case u.tag != "":
		case isIsolateStart(u.r):
			depth++
		case u.r == '\u2069':
			depth = max(depth-1, 0)
		case depth == 0 && isLatinLetter(u.r):
			return LeftToRight, true
		case depth == 0 && isArabicLetter(u.r):
			return RightToLeft, true
		}
	}
	return 0, false
}

// span is a run of units to isolate, both ends included.
type span struct {
	from, to int
	lrm      bool // a left-to-right mark goes after the FSI
}

// layout applies d to every line of s.
func layout(d Direction, s string, markup bool) string {
	units := scan(s, markup)
	var out strings.Builder
	out.Grow(len(s) + 16)
	done := 0 // bytes of s copied to out
	emit := func(at int, marks string) {
		out.WriteString(s[done:at])
		out.WriteString(marks)
		done = at
	}
	for start := 0; start <= len(units); {
		end := start
		for end < len(units) && (units[end].tag != "" || units[end].r != '\n') {
			end++
		}
		line := units[start:end]
		lead, spans := lineMarks(d, line)
		if lead != "" {
			emit(line[0].start, lead)
		}
		for _, sp := range spans {
			open := FSI
			if sp.lrm {
				open += LRM
			}
			emit(line[sp.from].start, open)
			emit(line[sp.to].end, PDI)
		}
		start = end + 1
	}
	out.WriteString(s[done:])
	return out.String()
}

// lineMarks decides what one line needs: a leading mark, and the spans to
// isolate.
func lineMarks(d Direction, line []unit) (lead string, spans []span) {
	if len(line) == 0 {
		return "", nil
	}
	switch d {
	case LeftToRight:
		if !holds(line, isLatinLetter) {
			return "", nil
		}
		if first, ok := firstStrongRune(line, nil); !ok || classOf(first) != xbidi.L {
			lead = LRM
		}
		return lead, nil
	default:
		// Lines of Arabic, lines that read right to left anyway, and lines
		// of digits and signs alone (a row of figures under an Arabic
		// heading), which would otherwise fall back to left to right.
		first, strong := firstStrongRune(line, nil)
		if !holds(line, isArabicLetter) && (strong && classOf(first) == xbidi.L ||
			!strong && !holds(line, func(r rune) bool { return !unicode.IsSpace(r) && !IsMark(r) })) {
			return "", nil
		}
		spans = findSpans(line)
		if first, ok := firstStrongRune(line, spans); !ok || !isRTL(classOf(first)) {
			lead = RLM
		}
		return lead, spans
	}
}

func holds(line []unit, f func(rune) bool) bool {
	for _, u := range line {
		if u.tag == "" && f(u.r) {
			return true
		}
	}
	return false
}

// firstStrongRune is the line's first strong character as a client that
// ignores isolates sees it, counting the marks the spans will bring.
func firstStrongRune(line []unit, spans []span) (rune, bool) {
	next := 0
	for i, u := range line {
		if next < len(spans) && spans[next].from == i {
			if spans[next].lrm {
				return '\u200e', true
			}
			next++
		}
		if u.tag == "" && isStrong(u.class) {
			return u.r, true
		}
	}
	return 0, false
}

// findSpans finds what a right-to-left line must isolate: commands,
// hashtags and mentions, Latin runs (with the words, digits and links
// that follow them before the next Arabic letter), links, numbers with a
// sign or a separator, and code elements. Existing isolates are kept as
// they are.
func findSpans(line []unit) []span {
	var spans []span
	for i := 0; i < len(line); {
		u := line[i]
		switch {
		case u.tag != "":
			if j, ok := codeElement(line, i); ok {
				spans = append(spans, span{from: i, to: j, lrm: codeNeedsLRM(line[i+1 : j])})
				i = j + 1
				continue
			}
			i++
		case isIsolateStart(u.r):
			i = matchingPDI(line, i) + 1
		case startsCommand(line, i) || startsTag(line, i) || isLatinLetter(u.r):
			from, j := i, extend(line, i)
			// "(SDF)", "<Internal>": an opening bracket whose closing one
			// the span holds goes in with it.
			if i > 0 && opening(line[i-1]) {
				if k := extend(line, i-1); k >= j && closes(line, i-1, k) {
					from, j = i-1, k
				}
			}
			spans = append(spans, span{from: from, to: j, lrm: !isLatinLetter(line[from].r)})
			i = j + 1
		case isDigit(u.r) || isSign(u.r) && i+1 < len(line) && isDigit(line[i+1].r) && !alnumBefore(line, i):
			j, complex := number(line, i)
			if j+1 < len(line) && isLatinLetter(line[j+1].r) {
				// "5G", "10km": the number belongs to the Latin word.
				j = extend(line, i)
				complex = true
			}
			if complex {
				spans = append(spans, span{from: i, to: j, lrm: true})
			}
			i = j + 1
		default:
			i++
		}
	}
	return spans
}

func opening(u unit) bool { return u.tag == "" && strings.ContainsRune("([{<", u.r) }
func closing(u unit) bool { return u.tag == "" && strings.ContainsRune(")]}>", u.r) }

// closes reports whether the bracket opened at line[i] is closed by
// line[j] at the latest.
func closes(line []unit, i, j int) bool {
	depth := 0
	for k := i; k <= j; k++ {
		switch {
		case opening(line[k]):
			depth++
		case closing(line[k]):
			depth--
			if depth == 0 {
				return true
			}
		}
	}
	return false
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isSign(r rune) bool { return r == '+' || r == '-' || r == '\u2212' }

func isWordChar(r rune) bool {
	return r == '_' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// wordBefore reports a letter, digit, '_' or '/' right before line[i]:
// "Asia/Damascus" and "a//b" hold no command.
func wordBefore(line []unit, i int) bool {
	r, ok := before(line, i)
	return ok && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '/' || r == '_')
}

// alnumBefore reports a letter or digit right before line[i]: "a-1" holds
// no sign.
func alnumBefore(line []unit, i int) bool {
	r, ok := before(line, i)
	return ok && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// before is the character before line[i], marks a first layout put there
// aside; none at the line's start or after a tag.
func before(line []unit, i int) (rune, bool) {
	i--
	for i >= 0 && line[i].tag == "" && IsMark(line[i].r) {
		i--
	}
	if i < 0 || line[i].tag != "" {
		return 0, false
	}
	return line[i].r, true
}

// startsCommand: "/name" at the start of a word.
func startsCommand(line []unit, i int) bool {
	return line[i].r == '/' && i+1 < len(line) && line[i+1].tag == "" && isWordChar(line[i+1].r) && !wordBefore(line, i)
}

// startsTag: "#sdf" or "@nashra_bot" at the start of a word.
func startsTag(line []unit, i int) bool {
	r := line[i].r
	return (r == '#' || r == '@') && i+1 < len(line) && line[i+1].tag == "" && isWordChar(line[i+1].r) && !wordBefore(line, i)
}

// extend finds the end of a left-to-right span starting at line[i]: it
// runs over everything but Arabic letters and digits, line ends, tags and
// isolates, and ends at the last character that is written left to right
// (a Latin letter, a digit, the end of a link, a closing bracket whose
// opening one it holds). Trailing spaces and punctuation stay outside.
func extend(line []unit, i int) int {
	last := i
	open := 0 // brackets opened inside the span
	for k := i; k < len(line); k++ {
		u := line[k]
		if u.tag != "" || u.r == '\n' || u.class == xbidi.AN || isRTL(u.class) ||
			isIsolateStart(u.r) || u.r == '\u2069' || u.r >= '\u202a' && u.r <= '\u202e' {
			break
		}
		if end, ok := link(line, k); ok {
			last, k = end, end
			continue
		}
		switch {
		case opening(u):
			open++
		case closing(u) && open > 0:
			open--
			last = k
		case k == i, isLatinLetter(u.r), isDigit(u.r), u.r == '_':
			last = k
		case u.class == xbidi.ET && k > i && isDigit(line[k-1].r):
			last = k // "50%"
		}
	}
	return last
}

// link reads "http://" or "https://" and what follows up to a space, tag,
// line end or Arabic letter (an Arabic word in a path reads right to left
// wherever it stands); punctuation ending a sentence is not part of it.
func link(line []unit, k int) (end int, ok bool) {
	var sb strings.Builder
	for j := k; j < len(line) && j < k+8 && line[j].tag == ""; j++ {
		sb.WriteRune(line[j].r)
	}
	prefix := sb.String()
	if !strings.HasPrefix(prefix, "http://") && !strings.HasPrefix(prefix, "https://") || alnumBefore(line, k) {
		return 0, false
	}
	end = k
	for j := k; j < len(line) && line[j].tag == "" && !unicode.IsSpace(line[j].r) && !IsMark(line[j].r) &&
		!isRTL(line[j].class) && line[j].class != xbidi.AN; j++ {
		end = j
	}
	for end > k && strings.ContainsRune(".,;:!?'\"»”)،؛؟", line[end].r) {
		end--
	}
	return end, true
}

// number reads a number at line[i]: an optional sign, digits, then
// separators each followed by digits (07:30, 2026-01-02, 5–10, 3.5), a
// trailing percent, and one space before another such number (a date and
// its time). complex reports a sign or a separator: a bare number shows
// as written by itself.
func number(line []unit, i int) (end int, complex bool) {
	k := i
	if isSign(line[k].r) {
		k++
		complex = true
	}
	digits := func(k int) int {
		for k < len(line) && isDigit(line[k].r) {
			k++
		}
		return k
	}
	k = digits(k)
	for {
		if k+1 < len(line) && strings.ContainsRune(":.,/-–—", line[k].r) && isDigit(line[k+1].r) {
			k = digits(k + 1)
			complex = true
			continue
		}
		if complex && k+2 < len(line) && line[k].r == ' ' && isDigit(line[k+1].r) {
			if j, c := number(line, k+1); c {
				return j, true
			}
		}
		break
	}
	if k < len(line) && line[k].class == xbidi.ET && line[k].r != '#' {
		k++ // "50%"
	}
	return k - 1, complex
}

// matchingPDI finds the end of the isolate opened at line[i] (the line's
// end when it is never closed).
func matchingPDI(line []unit, i int) int {
	depth := 0
	for k := i; k < len(line); k++ {
		switch {
		case line[k].tag != "":
		case isIsolateStart(line[k].r):
			depth++
		case line[k].r == '\u2069':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return len(line) - 1
}

// codeElement finds the </code> or </pre> closing the element opened by
// the tag at line[i] on the same line, when the element holds more than a
// bare number (a chat ID shows as written by itself; "-100…" does not).
func codeElement(line []unit, i int) (int, bool) {
	name := tagName(line[i].tag)
	if name != "code" && name != "pre" || strings.HasPrefix(line[i].tag, "</") {
		return 0, false
	}
	for k := i + 1; k < len(line); k++ {
		if line[k].tag == "" || !strings.HasPrefix(line[k].tag, "</") || tagName(line[k].tag) != name {
			continue
		}
		for _, u := range line[i+1 : k] {
			if u.tag == "" && !isDigit(u.r) && !unicode.IsSpace(u.r) {
				return k, true
			}
		}
		return 0, false
	}
	return 0, false
}

// tagName is the element name of "<code>", "<pre class=…>" or "</code>".
func tagName(tag string) string {
	name := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSuffix(tag, ">"), "<"), "/")
	if i := strings.IndexAny(name, " \t\n"); i >= 0 {
		name = name[:i]
	}
	return strings.ToLower(name)
}

// codeNeedsLRM: the element's text starts with a character that is not
// strongly left to right ("/broadcast …", "-100…") while its first strong
// character is left to right, or it has none.
func codeNeedsLRM(inner []unit) bool {
	for _, u := range inner {
		if u.tag != "" {
			continue
		}
		if isStrong(u.class) {
			return false // the FSI finds it at once
		}
		break
	}
	for _, u := range inner {
		if u.tag == "" && isStrong(u.class) {
			return u.class == xbidi.L
		}
	}
	return true
}
