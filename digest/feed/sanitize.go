package feed

import (
	"bytes"
	"unicode/utf8"
)

// sanitizeXML makes a UTF-8 document free of what encoding/xml refuses as
// "illegal character code", which otherwise fails the whole feed, every
// poll, for one bad item:
//
//   - invalid UTF-8 becomes U+FFFD;
//   - characters XML 1.0 forbids (C0 controls other than tab, LF and CR;
//     U+FFFE, U+FFFF) are dropped;
//   - numeric character references to characters XML forbids are dropped,
//     whole: &#11;, &#x1b;, &#X1B; (upper-case X, which the lenient parser
//     leaves as text and the HTML decoder then expands), &#0;, leading
//     zeros (&#0000011;), surrogates (&#xD800;) and references beyond
//     U+10FFFF. Dropping rather than writing U+FFFD matches what happens to
//     the same character written raw: a stray control carries no text.
//     The one exception is a reference whose removal would join its
//     neighbours into new markup or a new reference ("&&#11;#12;" would
//     become "&#12;"): that one becomes U+FFFD, so what the parser sees is
//     exactly what was checked.
//
// References are dropped only where the parser expands them, in character
// data and attribute values. In CDATA sections, comments, processing
// instructions and directives (<!DOCTYPE ...>) "&#11;" is literal text,
// harmless to the parser, and is left alone; those regions are found the way
// encoding/xml finds them, so the two never disagree about where a
// reference would be expanded. Valid references (&#1575;, &#x627;) and
// escaped ones (&amp;#11;, which is text) are untouched, and a document that
// is already well-formed comes back unchanged.
func sanitizeXML(data []byte) []byte {
	if isCleanXML(data) {
		return data
	}
	// Characters first, so that the markup the references are read in is
	// the markup the parser will see: dropping a raw control can itself
	// make a reference ("&\x00#11;").
	data = appendAllowed(make([]byte, 0, len(data)), data)
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); {
		switch data[i] {
		case '<':
			if end := literalEnd(data, i); end > i {
				out = append(out, data[i:end]...)
				i = end
				continue
			}
		case '&':
			if n, bad := charRef(data[i:]); n > 0 && bad {
				if joins(out) {
					out = utf8.AppendRune(out, utf8.RuneError)
				}
				i += n
				continue
			}
		}
		out = append(out, data[i])
		i++
	}
	return out
}

// joins reports whether text appended to out could complete a reference or
// markup begun at its end: out ends in '&' or '<' followed by at most a few
// characters that such a start may continue with. A long run is taken to
// join, so the look back stays short.
func joins(out []byte) bool {
	for k := 1; k <= 64 && k <= len(out); k++ {
		c := out[len(out)-k]
		switch {
		case c == '&' || c == '<':
			return true
		case '0' <= c && c <= '9', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z',
			c == '#', c == '!', c == '[', c == '-', c == '?':
			continue
		}
		return false
	}
	return len(out) >= 64
}

// isCleanXML is the fast path for the usual feed: no forbidden character and
// no reference to one anywhere, even where references are literal.
func isCleanXML(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			if c == '&' {
				if n, bad := charRef(data[i:]); n > 0 && bad {
					return false
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || !isXMLChar(r) {
			return false
		}
		i += size
	}
	return true
}

// appendAllowed copies text where references are literal, dropping only the
// forbidden characters.
func appendAllowed(out, text []byte) []byte {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		out = appendRune(out, r, size)
		i += size
	}
	return out
}

func appendRune(out []byte, r rune, size int) []byte {
	switch {
	case r == utf8.RuneError && size == 1:
		return utf8.AppendRune(out, utf8.RuneError)
	case !isXMLChar(r):
		return out
	case size == 1:
		return append(out, byte(r))
	}
	return utf8.AppendRune(out, r)
}

// isXMLChar is XML 1.0's Char production, the set encoding/xml accepts.
func isXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		0x20 <= r && r <= 0xD7FF ||
		0xE000 <= r && r <= 0xFFFD ||
		0x10000 <= r && r <= 0x10FFFF
}

// charRef reads a numeric character reference at the start of b ("&#" then
// decimal digits, or "x"/"X" and hex digits, then ";") and reports its length
// (0 when b does not start with one) and whether it names a character XML
// forbids. Values past U+10FFFF saturate rather than overflow.
func charRef(b []byte) (n int, forbidden bool) {
	if len(b) < 4 || b[0] != '&' || b[1] != '#' {
		return 0, false
	}
	i, base := 2, uint64(10)
	if b[i] == 'x' || b[i] == 'X' {
		i, base = 3, 16
	}
	start := i
	var v uint64
	for ; i < len(b); i++ {
		d, ok := digit(b[i], base)
		if !ok {
			break
		}
		if v <= utf8.MaxRune {
			v = v*base + d
		}
	}
	if i == start || i == len(b) || b[i] != ';' {
		return 0, false
	}
	return i + 1, v > utf8.MaxRune || !isXMLChar(rune(v))
}

func digit(c byte, base uint64) (uint64, bool) {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0'), true
	case base == 16 && 'a' <= c && c <= 'f':
		return uint64(c-'a') + 10, true
	case base == 16 && 'A' <= c && c <= 'F':
		return uint64(c-'A') + 10, true
	}
	return 0, false
}

// literalEnd returns where the markup starting at data[i] ('<') ends when it
// is one whose text the parser does not expand references in (CDATA, comment,
// processing instruction, directive), or i when it is not. An unterminated one
// runs to the end. The rules follow encoding/xml's Decoder.rawToken.
func literalEnd(data []byte, i int) int {
	rest := data[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		return until(data, i+len("<![CDATA["), "]]>")
	case bytes.HasPrefix(rest, []byte("<!--")):
		return until(data, i+len("<!--"), "-->")
	case bytes.HasPrefix(rest, []byte("<?")):
		return until(data, i+len("<?"), "?>")
	case bytes.HasPrefix(rest, []byte("<!")):
		return directiveEnd(data, i)
	}
	return i
}

// until returns the index just past the first sep at or after from, or
// len(data).
func until(data []byte, from int, sep string) int {
	if from > len(data) {
		return len(data)
	}
	if j := bytes.Index(data[from:], []byte(sep)); j >= 0 {
		return from + j + len(sep)
	}
	return len(data)
}

// directiveEnd finds the end of <!DOCTYPE ...> and the like as encoding/xml
// does: quoted '>' and '<' do not count, nested <...> do, comments inside are
// skipped, and the byte right after "<!" is taken as is.
func directiveEnd(data []byte, i int) int {
	var inQuote byte
	depth := 0
	for j := i + 3; j < len(data); j++ {
		c := data[j]
		switch {
		case inQuote == 0 && c == '>' && depth == 0:
			return j + 1
		case c == inQuote:
			inQuote = 0
		case inQuote != 0:
		case c == '\'' || c == '"':
			inQuote = c
		case c == '>':
			depth--
		case c == '<':
			if bytes.HasPrefix(data[j+1:], []byte("!--")) {
				j = until(data, j+len("<!--"), "-->") - 1
				continue
			}
			depth++
		}
	}
	return len(data)
}
