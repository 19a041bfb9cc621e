// Package rouge owns the measurement of extractive summaries against human
// references: ROUGE-1, ROUGE-2 and ROUGE-L F1 under the project's evaluation
// protocol (eval/README.md), the Lead baseline, and the evaluation of a
// summariser over an EASC-style folder.
//
// The protocol is defined by the reference script eval/rouge.py, and this
// package reproduces it exactly rather than reusing digest/arabic: the
// script applies no NFKC, keeps '_' inside words and splits sentences its
// own way, and figures are only comparable when both sides agree on every
// one of those choices.
package rouge

import (
	"strings"
	"unicode"
)

// Scores holds mean F1 values in [0, 1].
type Scores struct {
	R1, R2, RL float64
}

// Normalize applies the protocol's orthographic normalisation: diacritics,
// Quranic marks and tatweel removed; آ أ إ ٱ folded to ا, ى to ي, ة to ه;
// Arabic-Indic and Persian digits to ASCII; lower case.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case 0x0610 <= r && r <= 0x061A, 0x064B <= r && r <= 0x065F, r == 0x0670,
			0x06D6 <= r && r <= 0x06ED, r == 0x0640:
			continue
		case 0x0660 <= r && r <= 0x0669:
			r = '0' + r - 0x0660
		case 0x06F0 <= r && r <= 0x06F9:
			r = '0' + r - 0x06F0
		case r == 0x0622, r == 0x0623, r == 0x0625, r == 0x0671:
			r = 'ا'
		case r == 0x0649:
			r = 'ي'
		case r == 0x0629:
			r = 'ه'
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

// isWord reports whether r is a word character in the sense of the
// script's \w: a letter, a number or the underscore. Combining marks are not
// word characters there, so they split words here too.
func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Tokens returns the protocol's tokens of s: runs of word characters of the
// normalised text. Punctuation is dropped; hashtags stay one token.
func Tokens(s string) []string {
	return strings.FieldsFunc(Normalize(s), func(r rune) bool { return !isWord(r) })
}

// Score returns the mean F1 of hyp over refs. With no references every
// score is zero.
func Score(hyp string, refs []string) Scores {
	rt := make([][]string, len(refs))
	for i, r := range refs {
		rt[i] = Tokens(r)
	}
	return ScoreTokens(Tokens(hyp), rt)
}

// ScoreTokens is Score on already tokenised text.
func ScoreTokens(hyp []string, refs [][]string) Scores {
	if len(refs) == 0 {
		return Scores{}
	}
	var s Scores
	h1, h2 := ngrams(hyp, 1), ngrams(hyp, 2)
	for _, r := range refs {
		s.R1 += rougeN(h1, ngrams(r, 1))
		s.R2 += rougeN(h2, ngrams(r, 2))
		s.RL += f1(len(hyp), len(r), LCS(hyp, r))
	}
	n := float64(len(refs))
	return Scores{R1: s.R1 / n, R2: s.R2 / n, RL: s.RL / n}
}

type counts struct {
	m     map[string]int
	total int
}

// ngrams counts the n-grams of t; the tokens of a gram are joined with a
// space, which no token contains.
func ngrams(t []string, n int) counts {
	c := counts{m: make(map[string]int)}
	for i := 0; i+n <= len(t); i++ {
		c.m[strings.Join(t[i:i+n], " ")]++
		c.total++
	}
	return c
}

// rougeN is F1 with clipped counts: a gram the hypothesis repeats is
// credited at most as often as the reference has it.
func rougeN(h, r counts) float64 {
	overlap := 0
	for g, c := range h.m {
		overlap += min(c, r.m[g])
	}
	return f1(h.total, r.total, overlap)
}

func f1(h, r, overlap int) float64 {
	var p, rr float64
	if h > 0 {
		p = float64(overlap) / float64(h)
	}
	if r > 0 {
		rr = float64(overlap) / float64(r)
	}
	if p+rr == 0 {
		return 0
	}
	return 2 * p * rr / (p + rr)
}

// LCS returns the length of the longest common subsequence of a and b.
func LCS(a, b []string) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	prev := make([]int32, len(b)+1)
	cur := make([]int32, len(b)+1)
	for _, x := range a {
		for j, y := range b {
			if x == y {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return int(prev[len(b)])
}
