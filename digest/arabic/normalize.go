// Package arabic owns the Arabic text handling used to match topics and
// keywords against articles: orthographic normalisation, tokenisation and
// proclitic-tolerant phrase matching; and the number agreement of every
// count shown to readers (Plural).
//
// Matching is deliberately conservative. A text word matches a query word
// only when stripping known proclitics (و ف ب ك ل ال لل and their
// combinations) or a few suffixes from the text word gives exactly the query
// word, so «قسد» matches «لـ”قسد”», «وقسد» and «للقسد» while «سد» never
// matches «قسد». No stemming to roots: roots conflate short names with
// unrelated words.
package arabic

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in the canonical form used for matching: NFKC,
// tatweel, tashkeel, Quranic marks and zero-width characters removed, alef
// variants folded to ا, ى and Persian ی to ي, ة to ه, Persian ک to ك,
// Arabic-Indic and Persian digits to ASCII, letters lower-cased, and the
// spellings in respellings folded to one (الديموقراطية → الديمقراطيه,
// ميليشيا → مليشيا).
// Invalid UTF-8 becomes U+FFFD. Normalize is idempotent.
func Normalize(s string) string {
	return normalize(s, false)
}

// Tokens returns the normalised words of s. Anything that is not a letter,
// digit or combining mark separates words: spaces, punctuation, every kind
// of quote mark, '_' (so hashtags split into words), ZWNJ and ZWJ.
// Tatweel is removed before splitting, so «لـقسد» is the single word «لقسد».
func Tokens(s string) []string {
	return appendTokens(nil, normalize(s, true))
}

func appendTokens(dst []string, s string) []string {
	start := -1 // byte offset of the current word, -1 between words
	hasBase := false
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
				hasBase = false
			}
			if !unicode.IsMark(r) {
				hasBase = true
			}
			continue
		}
		if start >= 0 && hasBase {
			dst = append(dst, s[start:i])
		}
		start = -1
	}
	if start >= 0 && hasBase {
		dst = append(dst, s[start:])
	}
	return dst
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// normalize applies NFKC and the fold until neither changes the string:
// removing a mark can expose a pair that NFKC composes, and NFKC can produce
// runes the fold maps (compatibility forms of diacritics, upper case).
// zwSep turns the word-separating zero-width characters into spaces instead
// of removing them.
func normalize(s string, zwSep bool) string {
	if nfkcInert(s) {
		// NFKC leaves s as it is, and what fold makes of it too.
		f, _ := fold(s, zwSep)
		return respell(f)
	}
	return normalizeNFKC(s, zwSep)
}

// normalizeNFKC is normalize for any text.
func normalizeNFKC(s string, zwSep bool) string {
	// Invalid bytes would hide the rune after them from NFKC.
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFKC.String(s)
	for range 4 {
		f, changed := fold(s, zwSep)
		if !changed {
			return respell(s)
		}
		s = norm.NFKC.String(f)
	}
	f, _ := fold(s, zwSep)
	return respell(f)
}

// nfkcInert reports whether s is valid UTF-8 made only of runes that NFKC
// leaves as they are in any string of them (no compatibility mapping, no
// composition, no reordering that survives the fold), and that fold maps
// to such runes: ASCII, the Arabic letters, tatweel, digits and
// punctuation, and the tashkeel that composes with no letter (not the
// maddah and hamzas, U+0653–U+0655), which fold drops, so the order NFKC
// would give them does not matter. Most news text is; for it normalize
// skips NFKC, which is most of its cost.
func nfkcInert(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case 0x0621 <= r && r <= 0x0652, 0x0656 <= r && r <= 0x066D:
		case newsPunct(r):
		default:
			return false // RuneError for an invalid byte too
		}
	}
	return true
}

// newsPunct reports the punctuation of Arabic news that NFKC leaves as it
// is and that separates words before normalisation and after it.
func newsPunct(r rune) bool {
	switch r {
	case '،', '؛', '؟', '«', '»', '“', '”', '‘', '’', '–', '—':
		return true
	}
	return false
}

// respellings are the same word spelt two ways in the press, each pair
// already folded (no hamza, ة as ه). Only stems that no other word
// contains are listed: the fold applies inside words, so «للديموقراطية»
// and «الديموقراطيين» fold too. Replacing one never forms another, so
// respell stays idempotent.
var respellings = []struct{ from, to string }{
	{"ديموقراط", "ديمقراط"}, // democra-: الديموقراطية, الديمقراطية
	{"ميليشي", "مليشي"},     // militia: الميليشيات, المليشيات
}

func respell(s string) string {
	for _, r := range respellings {
		if strings.Contains(s, r.from) {
			s = strings.ReplaceAll(s, r.from, r.to)
		}
	}
	return s
}

// fold maps every rune of s through foldRune. It reports whether anything
// changed so that the common already-normal case costs one scan and no
// allocation.
func fold(s string, zwSep bool) (string, bool) {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if m := foldRune(r, zwSep); m != r {
			break
		}
		i += size
	}
	if i == len(s) {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if m := foldRune(r, zwSep); m >= 0 {
			b.WriteRune(m)
		}
	}
	return b.String(), true
}

// drop is returned by foldRune for runes that are removed.
const drop rune = -1

func foldRune(r rune, zwSep bool) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	switch {
	case r == 0x0640: // tatweel
		return drop
	case 0x0610 <= r && r <= 0x061A, 0x064B <= r && r <= 0x065F, r == 0x0670, 0x06D6 <= r && r <= 0x06ED:
		// tashkeel, Quranic annotation marks, superscript alef
		return drop
	case r == 0x0623, r == 0x0625, r == 0x0622, r == 0x0671, r == 0x0672, r == 0x0673:
		// أ إ آ ٱ and the wavy-hamza alefs
		return 'ا'
	case r == 0x0649, r == 0x06CC: // ى and Persian ی
		return 'ي'
	case r == 0x0629: // ة
		return 'ه'
	case r == 0x06A9: // Persian ک
		return 'ك'
	case 0x0660 <= r && r <= 0x0669:
		return '0' + r - 0x0660
	case 0x06F0 <= r && r <= 0x06F9:
		return '0' + r - 0x06F0
	case r == 0x200B, r == 0x200C, r == 0x200D:
		// zero-width space, ZWNJ, ZWJ: they sit between words or morphemes
		if zwSep {
			return ' '
		}
		return drop
	case r == 0x00AD, r == 0x061C, r == 0x180E, 0x200E <= r && r <= 0x200F,
		0x202A <= r && r <= 0x202E, 0x2060 <= r && r <= 0x2064, 0x2066 <= r && r <= 0x2069, r == 0xFEFF:
		// soft hyphen, bidi controls, word joiner, BOM: invisible, never separators
		return drop
	}
	return unicode.ToLower(r)
}
