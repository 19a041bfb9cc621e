package bot

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"nashra/bidi"
	"nashra/digest"
)

// sendLong sends a reply that may be longer than one message allows (a
// reader's 60 follows, /mydata) as several messages, in order, the markup
// under the last. The whole text is laid out before it is cut, so the
// marks count towards each message's length and every part keeps the
// direction of the whole.
func (b *Bot) sendLong(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) {
	parts := splitHTML(bidi.Message(text), digest.MaxMessageLen)
	for i, p := range parts {
		var m models.ReplyMarkup
		if i == len(parts)-1 {
			m = markup
		}
		b.sendLaidOut(ctx, chatID, p, m)
	}
}

// splitHTML cuts Telegram HTML into messages of at most limit UTF-16 code
// units of visible text each, measured as Telegram measures: tags removed,
// entities decoded. It cuts at line breaks outside every element, so no
// tag or entity is ever split and each message's markup stands alone; only
// a single line longer than a message is cut inside, with its open
// elements closed before the cut and opened again after it. Line breaks at
// the cuts are dropped, as Telegram would trim them.
func splitHTML(s string, limit int) []string {
	if visibleLen(s) <= limit {
		return []string{s}
	}
	var parts []string
	var cur strings.Builder
	n := 0
	flush := func() {
		if p := strings.Trim(cur.String(), "\n"); strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
		cur.Reset()
		n = 0
	}
	for _, line := range lines(s) {
		// The line break ending a part is trimmed: it does not count.
		body := strings.TrimSuffix(line, "\n")
		if n > 0 && n+visibleLen(body) > limit {
			flush()
		}
		if visibleLen(body) > limit {
			parts = append(parts, cutLine(body, limit)...)
			continue
		}
		cur.WriteString(line)
		n += visibleLen(line)
	}
	flush()
	return parts
}

// lines splits s after each line break that is outside every element and
// tag; the pieces join back into s.
func lines(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				i = len(s)
				continue
			}
			if strings.HasPrefix(s[i:], "</") {
				depth = max(depth-1, 0)
			} else {
				depth++
			}
			i += end
		case '\n':
			if depth == 0 {
				out = append(out, s[start:i+1])
				start = i + 1
			}
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// token reads one unit of Telegram HTML at s[i:]: a tag (visible length 0),
// an entity or a character. It returns the unit's end and visible length.
func token(s string, i int) (end, visible int, tag bool) {
	switch s[i] {
	case '<':
		if j := strings.IndexByte(s[i:], '>'); j >= 0 {
			return i + j + 1, 0, true
		}
	case '&':
		if j, r, ok := entity(s[i:]); ok {
			return i + j, utf16Units(r), false
		}
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	return i + size, utf16Units(r), false
}

// entity reads what Telegram decodes: &lt; &gt; &amp; &quot; and numeric
// references. Anything else after '&' is counted as text, which may only
// overcount.
func entity(s string) (n int, r rune, ok bool) {
	semi := strings.IndexByte(s, ';')
	if semi < 2 || semi > 12 {
		return 0, 0, false
	}
	name := s[1:semi]
	switch name {
	case "lt":
		return semi + 1, '<', true
	case "gt":
		return semi + 1, '>', true
	case "amp":
		return semi + 1, '&', true
	case "quot":
		return semi + 1, '"', true
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0, false
	}
	// A numeric reference: at most two UTF-16 units, whatever its value.
	return semi + 1, utf8.MaxRune, true
}

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// visibleLen is the length Telegram gives s after parsing its HTML.
func visibleLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		end, v, _ := token(s, i)
		n += v
		i = end
	}
	return n
}

// cutLine cuts one over-long line between units, closing the elements open
// at a cut and reopening them after it. A line that starts with a
// direction mark (bidi) starts each of its parts with it: each part is a
// message, and so a paragraph, of its own.
func cutLine(line string, limit int) []string {
	var parts []string
	var open []string // opening tags, outermost first
	var cur strings.Builder
	n := 0
	lead := leadingMark(line)
	for i := 0; i < len(line); {
		end, v, tag := token(line, i)
		unit := line[i:end]
		if !tag && n+v > limit && n > 0 && (lead == "" || n > 1) {
			for k := len(open) - 1; k >= 0; k-- {
				cur.WriteString("</" + tagName(open[k]) + ">")
			}
			parts = append(parts, cur.String())
			cur.Reset()
			n = 0
			for _, o := range open {
				cur.WriteString(o)
			}
			if lead != "" {
				cur.WriteString(lead)
				n++
			}
		}
		if tag {
			if strings.HasPrefix(unit, "</") {
				if len(open) > 0 {
					open = open[:len(open)-1]
				}
			} else {
				open = append(open, unit)
			}
		}
		cur.WriteString(unit)
		n += v
		i = end
	}
	if strings.TrimSpace(cur.String()) != "" {
		parts = append(parts, cur.String())
	}
	return parts
}

// leadingMark is the left-to-right or right-to-left mark a line of HTML
// starts with, if any.
func leadingMark(line string) string {
	for i := 0; i < len(line); {
		end, _, tag := token(line, i)
		if !tag {
			if u := line[i:end]; u == bidi.LRM || u == bidi.RLM {
				return u
			}
			return ""
		}
		i = end
	}
	return ""
}

// tagName is the element name of an opening tag such as <a href="...">.
func tagName(open string) string {
	name := strings.TrimPrefix(strings.TrimSuffix(open, ">"), "<")
	if i := strings.IndexAny(name, " \t\n"); i >= 0 {
		name = name[:i]
	}
	return name
}
