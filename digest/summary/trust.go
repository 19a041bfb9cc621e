package summary

import (
	"slices"
	"strings"
	"unicode"

	"nashra/digest/arabic"
)

// What makes a summary one a reader can trust on its own: no sentence
// that leans on one left out or announces one left out, no quotation left
// open, and, for the digest, a hard limit on its length.

// danglingOpeners are the first words (normalised, as arabic.Tokens gives
// them) of a sentence that reports what someone named in the sentence
// before it went on to say: «وأضاف» "and he added", «وتابع», «وأشار»…
var danglingOpeners = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"وأضاف", "وأضافت", "وتابع", "وتابعت", "وأشار", "وأشارت", "وأوضح", "وأوضحت", "ولفت", "ولفتت",
		"وأردف", "وأردفت", "واستطرد", "وختم", "وختمت", "وبيّن", "وبيّنت", "وشدد", "وشددت",
		"وأكد", "وأكدت", "واعتبر", "واعتبرت", "ورأى", "ورأت", "وأفاد", "وأفادت", "ونوه", "ونوهت",
	} {
		for _, t := range arabic.Tokens(w) {
			m[t] = true
		}
	}
	return m
}()

// standsWith reports whether s may join chosen: a sentence that opens by
// carrying on the one before it («وأضاف…») only right after that one, and
// one that ends on a colon, announcing what follows (a list, a statement),
// only right before the sentence it announces.
func standsWith(s *sentence, chosen []*sentence, sents []sentence) bool {
	if danglingOpeners[s.first] {
		return s.pos > 0 && slices.Contains(chosen, &sents[s.pos-1])
	}
	if endsWithColon(s.text) && (s.pos+1 == len(sents) || !slices.Contains(chosen, &sents[s.pos+1])) {
		return false
	}
	// A quotation that opens here and closes in a later sentence would be
	// left open; one that closes here opened in the sentence before.
	if openQuote(s.text) == "" && strayClosers(s.text) == 0 {
		return true
	}
	if s.pos == 0 || !slices.Contains(chosen, &sents[s.pos-1]) {
		return false
	}
	pair := sents[s.pos-1].text + " " + s.text
	return openQuote(pair) == "" && strayClosers(pair) == 0
}

// strayClosers counts the closing quotation marks of s that close nothing
// opened in s.
func strayClosers(s string) int {
	_, stray := quotes(s)
	return stray
}

// quotePairs are the quotation marks Arabic news uses, opening → closing.
var quotePairs = [][2]rune{{'«', '»'}, {'“', '”'}}

// openQuote returns the marks that would close the quotations s leaves
// open, innermost first; "" when none is.
func openQuote(s string) string {
	open, _ := quotes(s)
	return open
}

// quotes reads the quotation marks of s: the marks that would close what
// it leaves open (innermost first), and how many closing marks close
// nothing. Straight quotes pair among themselves.
func quotes(s string) (open string, stray int) {
	var stack []rune
	straight := false
	for _, r := range s {
		if r == '"' {
			straight = !straight
			continue
		}
		for _, p := range quotePairs {
			switch r {
			case p[0]:
				stack = append(stack, p[1])
			case p[1]:
				if n := len(stack); n > 0 && stack[n-1] == r {
					stack = stack[:n-1]
				} else {
					stray++
				}
			}
		}
	}
	var b strings.Builder
	for i := len(stack) - 1; i >= 0; i-- {
		b.WriteRune(stack[i])
	}
	if straight {
		b.WriteByte('"')
	}
	return b.String(), stray
}

// capWords keeps chosen (in document order) within max words: the
// sentences after the lead go from the last while over it, and a lead
// that is over it alone is cut.
func capWords(chosen []*sentence, max int) []*sentence {
	total := 0
	for _, s := range chosen {
		total += s.words
	}
	for len(chosen) > 1 && total > max {
		total -= chosen[len(chosen)-1].words
		chosen = chosen[:len(chosen)-1]
	}
	if total > max {
		lead := *chosen[0]
		lead.text = cutAt(lead.text, max)
		lead.words = arabic.CountTokens(lead.text)
		chosen = []*sentence{&lead}
	}
	return chosen
}

// cutAt shortens s to at most max words (as arabic.Tokens counts them):
// at the last clause mark (، ؛ , ;) that leaves at least half of them,
// else at the word, and marks the cut with "…". Quotations it cuts open
// are closed.
func cutAt(s string, max int) string {
	words := strings.Fields(s)
	// Fields and Tokens count alike for prose; keep cutting until Tokens
	// agrees, for the odd token a field holds two of.
	n := max
	for ; n > 0; n-- {
		if arabic.CountTokens(strings.Join(words[:min(n, len(words))], " ")) <= max {
			break
		}
	}
	cut := strings.Join(words[:min(n, len(words))], " ")
	if i := strings.LastIndexAny(cut, "،؛,;"); i > 0 && arabic.CountTokens(cut[:i]) >= max/2 {
		cut = cut[:i]
	}
	cut = strings.TrimRightFunc(cut, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '»' && r != '”' })
	return cut + openQuote(cut) + "…"
}
