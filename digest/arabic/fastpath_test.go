package arabic

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// CountTokens counts as Tokens does: on every line of the test article,
// on each rune alone and beside a letter and a mark (so a rune the fast
// count takes as it is must be one normalisation leaves as a word or as a
// separator), and under fuzzing.
func TestCountTokensIsLenTokens(t *testing.T) {
	b, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		t.Fatal(err)
	}
	cases := strings.Split(string(b), "\n")
	cases = append(cases, "", " ", "ـ", "أً", "ـــ قسد", "وٕ", "اٰ", "ﻻ", "½", "a\u00ADb", "٣ أيام", "ً ب")
	for r := rune(0); r < 0x3000; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		c := string(r)
		cases = append(cases, c, "ب"+c, c+"ب", "ب"+c+"ب", "ا"+c, "و"+c, c+"ً", "ً"+c, "a"+c+"1")
	}
	for _, s := range cases {
		if got, want := CountTokens(s), len(Tokens(s)); got != want {
			t.Errorf("CountTokens(%q) = %d, want len(Tokens) %d (%q)", s, got, want, Tokens(s))
		}
	}
}

func FuzzCountTokens(f *testing.F) {
	f.Add("«تهديّدات “داعش” لم تنتهِ بعد»") // "«ISIS threats have not ended yet»"
	f.Add("#قوات_سوريا_الديمقراطية (قسد)")  // "#Syrian_Democratic_Forces (SDF)"
	f.Add("لـ”قسد”")                        // "to 'SDF'"
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := CountTokens(s), len(Tokens(s)); got != want {
			t.Fatalf("CountTokens(%q) = %d, want len(Tokens) %d (%q)", s, got, want, Tokens(s))
		}
	})
}

// normalize's fast path for text NFKC leaves alone gives what the full
// path gives: on every line of the test article, on every rune below
// U+3000 alone and between letters and marks it could compose or reorder
// with, and under fuzzing.
func TestNormalizeFastPathIsNFKC(t *testing.T) {
	b, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		t.Fatal(err)
	}
	cases := strings.Split(string(b), "\n")
	for r := rune(0); r < 0x3000; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		c := string(r)
		for _, around := range [][2]string{{"", ""}, {"ب", ""}, {"", "ب"}, {"ا", ""}, {"و", "ٔ"}, {"A", "\u0301"}, {"e", ""}, {"", "ّ"}, {"ِ", "ّ"}, {"ـ", "ٔ"}} {
			cases = append(cases, around[0]+c+around[1], c+around[0]+around[1])
		}
	}
	for _, s := range cases {
		for _, zw := range []bool{false, true} {
			if got, want := normalize(s, zw), normalizeNFKC(s, zw); got != want {
				t.Errorf("normalize(%q, %v) = %q, want %q", s, zw, got, want)
			}
		}
	}
}

func FuzzNormalizeFastPath(f *testing.F) {
	f.Add("«تهديّدات “داعش” لم تنتهِ بعد»") // "«ISIS threats have not ended yet»"
	f.Add("وٕ أَ آ ـ٣")
	f.Fuzz(func(t *testing.T, s string) {
		for _, zw := range []bool{false, true} {
			if got, want := normalize(s, zw), normalizeNFKC(s, zw); got != want {
				t.Fatalf("normalize(%q, %v) = %q, want %q", s, zw, got, want)
			}
		}
	})
}
