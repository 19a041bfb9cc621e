package bot

import (
	"strings"
	"unicode"
)

// The chart's text is drawn one code point at a time from the font's
// character map, with no OpenType shaping and no bidirectional layout.
// Arabic written that way comes out as isolated letters in the wrong order.
// visualOrder prepares a label for such a renderer: it replaces each letter
// with its contextual presentation form (Arabic Presentation Forms-B,
// U+FE70–FEFF, which the embedded font covers) and reorders the label for
// left-to-right drawing with a reduced form of the Unicode bidirectional
// algorithm, enough for one-line labels: Arabic, Latin words, numbers,
// spaces and punctuation, with no explicit embeddings.

// arabicForms maps a letter to its isolated, final, initial and medial
// forms; a right-joining letter has only the first two.
var arabicForms = buildArabicForms()

func buildArabicForms() map[rune][]rune {
	// The letters in the order of their forms in U+FE80–FEF4, with how
	// many forms each has there.
	letters := []struct {
		r rune
		n int
	}{
		{'ء', 1}, {'آ', 2}, {'أ', 2}, {'ؤ', 2}, {'إ', 2}, {'ئ', 4}, {'ا', 2},
		{'ب', 4}, {'ة', 2}, {'ت', 4}, {'ث', 4}, {'ج', 4}, {'ح', 4}, {'خ', 4},
		{'د', 2}, {'ذ', 2}, {'ر', 2}, {'ز', 2}, {'س', 4}, {'ش', 4}, {'ص', 4},
		{'ض', 4}, {'ط', 4}, {'ظ', 4}, {'ع', 4}, {'غ', 4}, {'ف', 4}, {'ق', 4},
		{'ك', 4}, {'ل', 4}, {'م', 4}, {'ن', 4}, {'ه', 4}, {'و', 2}, {'ى', 2},
		{'ي', 4},
	}
	out := make(map[rune][]rune, len(letters))
	next := rune(0xFE80)
	for _, l := range letters {
		forms := make([]rune, l.n)
		for i := range forms {
			forms[i] = next
			next++
		}
		out[l.r] = forms
	}
	return out
}

// lamAlef maps the alef that follows a lam to the ligature's isolated
// form; the final form is the next code point.
var lamAlef = map[rune]rune{'آ': 0xFEF5, 'أ': 0xFEF7, 'إ': 0xFEF9, 'ا': 0xFEFB}

const (
	tatweel = 'ـ'
	lam     = 'ل'
)

// joinsBefore reports whether r connects to the letter before it.
func joinsBefore(r rune) bool {
	if r == tatweel {
		return true
	}
	f, ok := arabicForms[r]
	return ok && len(f) >= 2
}

// joinsAfter reports whether r connects to the letter after it.
func joinsAfter(r rune) bool {
	if r == tatweel {
		return true
	}
	return len(arabicForms[r]) == 4
}

// isArabicMark reports a vowel mark or other combining sign of Arabic.
// Drawn one code point at a time they would not sit on their letter, so
// labels go without them, as most printed Arabic does.
func isArabicMark(r rune) bool {
	return r >= 0x064B && r <= 0x065F || r == 0x0670 || r >= 0x06D6 && r <= 0x06ED || r >= 0x0610 && r <= 0x061A
}

// shapeArabic replaces the Arabic letters of s, in logical order, with
// their contextual forms and lam-alef ligatures, and drops vowel marks.
func shapeArabic(s string) []rune {
	in := make([]rune, 0, len(s))
	for _, r := range s {
		if !isArabicMark(r) {
			in = append(in, r)
		}
	}
	out := make([]rune, 0, len(in))
	for i := 0; i < len(in); i++ {
		r := in[i]
		prev := i > 0 && joinsAfter(in[i-1]) && joinsBefore(r)
		if r == lam && i+1 < len(in) {
			if lig, ok := lamAlef[in[i+1]]; ok {
				if prev {
					lig++
				}
				out = append(out, lig)
				i++
				continue
			}
		}
		forms, ok := arabicForms[r]
		if !ok {
			out = append(out, r)
			continue
		}
		next := i+1 < len(in) && joinsAfter(r) && joinsBefore(in[i+1])
		switch {
		case prev && next:
			out = append(out, forms[3])
		case next:
			out = append(out, forms[2])
		case prev:
			out = append(out, forms[1])
		default:
			out = append(out, forms[0])
		}
	}
	return out
}

// bidiClass is the reduced set of bidirectional classes visualOrder uses.
type bidiClass uint8

const (
	bidiN  bidiClass = iota // neutral: spaces, punctuation, symbols
	bidiL                   // left to right: Latin and other letters
	bidiR                   // right to left: Arabic letters
	bidiEN                  // European digits
	bidiAN                  // Arabic-Indic digits
	bidiCS                  // separators inside numbers: , . : /
)

func classOf(r rune) bidiClass {
	switch {
	case r >= '0' && r <= '9':
		return bidiEN
	case r >= 0x0660 && r <= 0x0669 || r >= 0x06F0 && r <= 0x06F9:
		return bidiAN
	case r == ',' || r == '.' || r == ':' || r == '/' || r == '٫' || r == '٬':
		return bidiCS
	case r >= 0x0600 && r <= 0x06FF || r >= 0xFB50 && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF:
		return bidiR
	case unicode.IsLetter(r):
		return bidiL
	}
	return bidiN
}

// visualOrder returns s shaped and in the order a left-to-right renderer
// must draw it. The paragraph direction is that of the first strong
// letter; text without Arabic comes back unchanged.
func visualOrder(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return classOf(r) == bidiR }) {
		return s
	}
	rs := shapeArabic(s)
	cls := make([]bidiClass, len(rs))
	para := bidiN
	for i, r := range rs {
		cls[i] = classOf(r)
		if para == bidiN && (cls[i] == bidiL || cls[i] == bidiR) {
			para = cls[i]
		}
	}
	rtl := para == bidiR

	// Digits take the direction of the strong letter before them (W2, W7):
	// after Arabic they are Arabic numbers, after Latin they are Latin.
	last := para
	for i, c := range cls {
		switch c {
		case bidiL, bidiR:
			last = c
		case bidiEN:
			if last == bidiL {
				cls[i] = bidiL
			} else if last == bidiR {
				cls[i] = bidiAN
			}
		}
	}
	// A lone separator between two numbers of one kind joins them (W4).
	for i := 1; i+1 < len(cls); i++ {
		if cls[i] == bidiCS && cls[i-1] == cls[i+1] && (cls[i-1] == bidiEN || cls[i-1] == bidiAN) {
			cls[i] = cls[i-1]
		}
	}
	// Neutrals between two runs of one direction take it, numbers counting
	// as right to left; the others take the paragraph's (N1, N2).
	strong := func(c bidiClass) bidiClass {
		switch c {
		case bidiEN, bidiAN:
			return bidiR
		case bidiCS:
			return bidiN
		}
		return c
	}
	for i := 0; i < len(cls); {
		if strong(cls[i]) != bidiN {
			i++
			continue
		}
		j := i
		for j < len(cls) && strong(cls[j]) == bidiN {
			j++
		}
		before, after := para, para
		if i > 0 {
			before = strong(cls[i-1])
		}
		if j < len(cls) {
			after = strong(cls[j])
		}
		dir := para
		if before == after {
			dir = before
		}
		for k := i; k < j; k++ {
			cls[k] = dir
		}
		i = j
	}
	// Embedding levels (I1, I2), then reverse every run at or above each
	// level from the highest down to the lowest odd one (L2).
	base := 0
	if rtl {
		base = 1
	}
	levels := make([]int, len(rs))
	high := 0
	for i, c := range cls {
		lv := base
		switch {
		case base == 0 && c == bidiR:
			lv = 1
		case base == 0 && (c == bidiAN || c == bidiEN):
			lv = 2
		case base == 1 && c != bidiR:
			lv = 2
		}
		levels[i] = lv
		high = max(high, lv)
	}
	for lv := high; lv >= 1; lv-- {
		for i := 0; i < len(rs); {
			if levels[i] < lv {
				i++
				continue
			}
			j := i
			for j < len(rs) && levels[j] >= lv {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				rs[a], rs[b] = rs[b], rs[a]
				levels[a], levels[b] = levels[b], levels[a]
			}
			i = j
		}
	}
	// Paired punctuation drawn right to left is mirrored (L4).
	for i, r := range rs {
		if levels[i]%2 == 1 {
			if m, ok := mirrored[r]; ok {
				rs[i] = m
			}
		}
	}
	return string(rs)
}

var mirrored = map[rune]rune{
	'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{',
	'<': '>', '>': '<', '«': '»', '»': '«', '‹': '›', '›': '‹',
}
