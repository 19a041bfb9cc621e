package arabic

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTokens checks the invariants the rest of nashra relies on: Normalize
// is idempotent, tokens are non-empty, normalised, free of separators, and
// tokenising is stable.
func FuzzTokens(f *testing.F) {
	f.Add("«تهديّدات “داعش” لم تنتهِ بعد»") // "«ISIS threats have not ended yet»"
	f.Add("#قوات_سوريا_الديمقراطية (قسد)")  // "#Syrian_Democratic_Forces (SDF)"
	f.Add("لـ”قسد”")                        // "to 'SDF'"
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, n, again)
		}
		toks := Tokens(s)
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("Tokens(%q) has an empty token: %q", s, toks)
			}
			if !utf8.ValidString(tok) || Normalize(tok) != tok {
				t.Fatalf("Tokens(%q): token %q not normalised (%q)", s, tok, Normalize(tok))
			}
			if got := Tokens(tok); !slices.Equal(got, []string{tok}) {
				t.Fatalf("Tokens(%q): token %q re-tokenises to %q", s, tok, got)
			}
		}
		if again := Tokens(strings.Join(toks, " ")); !slices.Equal(again, toks) {
			t.Fatalf("Tokens not stable: %q -> %q -> %q", s, toks, again)
		}
	})
}

// FuzzMatch checks that matching never panics, that a text always contains
// each of its own tokens and itself, and that a query never matches a text
// that shares none of its letters.
func FuzzMatch(f *testing.F) {
	f.Add("قسد", "القائد العام لـ”قسد”")       // SDF, "the commander of 'SDF'"
	f.Add("سد", "وبقسد")                       // dam, "and with SDF"
	f.Add("التحالف الدولي", "بالتحالف الدولي") // "the international coalition", "with ..."
	f.Add("SDF", "The SDF's")
	f.Fuzz(func(t *testing.T, query, text string) {
		tx := NewText(text)
		if p, ok := NewPhrase(query); ok {
			got := tx.Contains(p)
			if got && len(tx.Tokens()) < len(p.Tokens()) {
				t.Fatalf("%q matched %q with fewer tokens", query, text)
			}
			// Staying outside a phrase only ever removes matches, and
			// nothing is inside the whole text but the text itself.
			if whole, ok := NewPhrase(text); ok {
				if out := tx.ContainsOutside(p, []Phrase{whole}); out && !got {
					t.Fatalf("%q found outside %q but not at all", query, text)
				}
			}
			if tx.ContainsOutside(p, nil) != got {
				t.Fatalf("ContainsOutside(%q, nil) differs from Contains in %q", query, text)
			}
		}
		for _, tok := range tx.Tokens() {
			p, ok := NewPhrase(tok)
			if !ok || !tx.Contains(p) {
				t.Fatalf("text %q does not contain its own token %q", text, tok)
			}
		}
		if p, ok := NewPhrase(text); ok && !tx.Contains(p) {
			t.Fatalf("text %q does not contain itself", text)
		}
	})
}
