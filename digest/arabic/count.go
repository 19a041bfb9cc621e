package arabic

import "unicode/utf8"

// CountTokens returns len(Tokens(s)) without normalising s or building its
// tokens, for counting the words of a budget. Text made only of runes that
// normalisation can neither merge with a neighbour, split, nor drop between
// words (ASCII, the Arabic letters and digits, the tashkeel that composes
// with no letter, and the punctuation of Arabic news) is counted as it is;
// anything else is counted through Tokens.
func CountTokens(s string) int {
	n := 0
	in, hasBase := false, false // inside a word; it has a rune that is not a mark
	for i := 0; i < len(s); {
		c := s[i]
		word, base := false, false
		if c < utf8.RuneSelf {
			i++
			word = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
			base = word
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			switch {
			case 0x0621 <= r && r <= 0x063A, 0x0641 <= r && r <= 0x064A, 0x0660 <= r && r <= 0x0669:
				// letters (not tatweel, which is dropped) and Arabic-Indic digits
				word, base = true, true
			case 0x064B <= r && r <= 0x0652, 0x0656 <= r && r <= 0x065F:
				// tashkeel that composes with nothing (not the maddah and
				// hamzas, U+0653–U+0655): dropped inside a word, and a word
				// of marks alone is none
				word = true
			case newsPunct(r), r == '…', r == 0x00A0:
				// separators before and after normalisation
			default:
				return len(Tokens(s))
			}
		}
		if word {
			if !in {
				in, hasBase = true, false
			}
			hasBase = hasBase || base
			continue
		}
		if in && hasBase {
			n++
		}
		in = false
	}
	if in && hasBase {
		n++
	}
	return n
}
