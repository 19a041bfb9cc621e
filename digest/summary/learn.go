package summary

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"nashra/digest/arabic"
)

// A learned scorer: a linear score over a few features of each sentence,
// trained offline (`nashra eval --cv`) on how much of each sentence EASC's
// human summaries kept, either as a logistic regression on that share (Fit)
// or on which of two sentences of an article they kept more of
// (FitRanking), and frozen in code (coefficients.go). The score of a
// sentence is the linear part, w·x: the sigmoid would not change the
// ranking.

// NumFeatures is the length of a sentence's feature vector.
const NumFeatures = 15

// FeatureNames name the features, in order.
var FeatureNames = [NumFeatures]string{
	"bias",
	"second sentence",
	"1/(1+position)",
	"exp(-position/8)",
	"relative position",
	"relative position²",
	"log words",
	"run-on (>60 words)",
	"short (<8 words)",
	"centrality",
	"overlap with the lead",
	"overlap with the title",
	"ends with a colon",
	"has a quotation",
	"has a number",
}

// Model is a linear sentence scorer. The zero Model means the hand
// ranking of Params (position prior, centrality, run-on penalty).
type Model struct {
	W [NumFeatures]float64
}

// Candidate is a sentence Summarize may choose, with its features.
type Candidate struct {
	Text     string
	Words    int
	Group    int // candidates with the same Group are parts of one of the protocol's sentences
	Features [NumFeatures]float64
}

// Candidates returns the sentences of body that Summarize chooses from,
// in order (the first is the lead, which is always in), with their
// features. It is what the scorer is trained on.
func Candidates(title, body string) []Candidate {
	sents := usable(title, body, Defaults)
	feats := features(sents, titleStems(title))
	out := make([]Candidate, len(sents))
	for i, s := range sents {
		out[i] = Candidate{Text: s.text, Words: s.words, Group: s.group, Features: feats[i]}
	}
	return out
}

func titleStems(title string) []string {
	if title == "" {
		return nil
	}
	return distinctStems(arabic.Tokens(title))
}

// features computes the feature vectors of sents.
func features(sents []sentence, title []string) [][NumFeatures]float64 {
	out := make([][NumFeatures]float64, len(sents))
	cent := centrality(sents)
	n := len(sents)
	for i := range sents {
		s := &sents[i]
		x := &out[i]
		pos := float64(s.pos)
		rel := 0.0
		if n > 1 {
			rel = pos / float64(n-1)
		}
		x[0] = 1
		if s.pos == 1 {
			x[1] = 1
		}
		x[2] = 1 / (1 + pos)
		x[3] = math.Exp(-pos / 8)
		x[4] = rel
		x[5] = rel * rel
		x[6] = math.Log(1 + float64(s.words))
		if s.words > 60 {
			x[7] = 1
		}
		if s.words < 8 {
			x[8] = 1
		}
		x[9] = cent[i]
		x[10] = overlap(s.stems, sents[0].stems)
		x[11] = overlap(s.stems, title)
		if endsWithColon(s.text) {
			x[12] = 1
		}
		x[13], x[14] = quoteAndDigit(s.text)
	}
	return out
}

// quoteAndDigit tells, as 1 or 0, whether s has a quotation mark (« » " “ ”)
// and whether it has a digit (unicode.IsDigit), in one scan. Most of an
// Arabic sentence is two-byte runes, among which only a few are digits
// (U+0660–U+0669, U+06F0–U+06F9, U+07C0–U+07C9) or quotes, so those are
// read from their bytes.
func quoteAndDigit(s string) (quote, digit float64) {
	for i := 0; i < len(s) && quote+digit < 2; {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if c == '"' {
				quote = 1
			} else if '0' <= c && c <= '9' {
				digit = 1
			}
			i++
		case 0xC2 <= c && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			switch d := s[i+1]; {
			case c == 0xC2 && (d == 0xAB || d == 0xBB): // « »
				quote = 1
			case c == 0xD9 && 0xA0 <= d && d <= 0xA9, c == 0xDB && 0xB0 <= d && d <= 0xB9, c == 0xDF && 0x80 <= d && d <= 0x89:
				digit = 1
			}
			i += 2
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == '“' || r == '”' {
				quote = 1
			} else if unicode.IsDigit(r) {
				digit = 1
			}
			i += size
		}
	}
	return quote, digit
}

// centrality is, for each sentence, the cosine between its content stems
// and how often the rest of the article repeats them.
func centrality(sents []sentence) []float64 {
	df := make(map[string]int)
	for _, s := range sents {
		for _, t := range s.stems {
			df[t]++
		}
	}
	docNorm := 0.0 // norm of the article's vector of repeat counts
	for _, n := range df {
		docNorm += float64(n-1) * float64(n-1)
	}
	out := make([]float64, len(sents))
	for i, s := range sents {
		if len(s.stems) == 0 || docNorm == 0 {
			continue
		}
		dot := 0.0
		for _, t := range s.stems {
			dot += float64(df[t] - 1) // the sentence's vector is binary
		}
		out[i] = dot / math.Sqrt(float64(len(s.stems))*docNorm)
	}
	return out
}

// overlap is the share of a's stems that b has.
func overlap(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for _, t := range a {
		if slices.Contains(b, t) {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

func endsWithColon(s string) bool {
	_, ok := beforeColon(s)
	return ok
}

// beforeColon returns s without the colon it ends on (and the spaces and
// full stop around it), and whether it ends on one.
func beforeColon(s string) (string, bool) {
	t := strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '.' })
	for _, colon := range [...]string{":", "："} {
		if strings.HasSuffix(t, colon) {
			return strings.TrimRightFunc(strings.TrimSuffix(t, colon), unicode.IsSpace), true
		}
	}
	return s, false
}

// Score is the model's score of a feature vector.
func (m Model) Score(x [NumFeatures]float64) float64 {
	s := 0.0
	for j, w := range m.W {
		s += w * x[j]
	}
	return s
}

// Fit fits a logistic regression of y (each in [0, 1]: soft labels are
// allowed) on x, with an L2 penalty of l2 per example on every weight but
// the bias, by Newton's method on standardised features. It is
// deterministic: the same data give the same model.
func Fit(x [][NumFeatures]float64, y []float64, l2 float64) Model {
	const d = NumFeatures
	n := float64(len(x))
	if len(x) == 0 {
		return Model{}
	}
	// Standardise every feature but the bias; a constant one is left as is
	// and ends with weight zero.
	var mean, scale [d]float64
	for _, v := range x {
		for j := 1; j < d; j++ {
			mean[j] += v[j] / n
		}
	}
	for _, v := range x {
		for j := 1; j < d; j++ {
			scale[j] += (v[j] - mean[j]) * (v[j] - mean[j]) / n
		}
	}
	scale[0] = 1
	for j := 1; j < d; j++ {
		scale[j] = math.Sqrt(scale[j])
		if scale[j] < 1e-12 {
			scale[j] = 0 // constant: left out
		}
	}
	z := make([][d]float64, len(x))
	for i, v := range x {
		z[i][0] = 1
		for j := 1; j < d; j++ {
			if scale[j] > 0 {
				z[i][j] = (v[j] - mean[j]) / scale[j]
			}
		}
	}
	var w [d]float64
	for iter := 0; iter < 50; iter++ {
		var g [d]float64
		var h [d][d]float64
		for i, v := range z {
			p := sigmoid(dot(w, v))
			r := p - y[i]
			q := p * (1 - p)
			for j := range d {
				g[j] += r * v[j] / n
				for k := 0; k <= j; k++ {
					h[j][k] += q * v[j] * v[k] / n
				}
			}
		}
		for j := range d {
			for k := 0; k < j; k++ {
				h[k][j] = h[j][k]
			}
			if j > 0 {
				g[j] += l2 * w[j]
				h[j][j] += l2
			}
			h[j][j] += 1e-9
		}
		step := solve(h, g)
		change := 0.0
		for j := range d {
			w[j] -= step[j]
			change = max(change, math.Abs(step[j]))
		}
		if change < 1e-10 {
			break
		}
	}
	// Back to the raw features.
	var m Model
	m.W[0] = w[0]
	for j := 1; j < d; j++ {
		if scale[j] == 0 {
			continue
		}
		m.W[j] = w[j] / scale[j]
		m.W[0] -= w[j] * mean[j] / scale[j]
	}
	return m
}

// FitRanking fits a scorer to rank sentences within each article: a
// logistic regression on the differences of feature vectors of pairs of
// sentences of one article whose labels differ by more than gap (each pair
// both ways round, so the bias stays at zero). x[a] and y[a] are the
// features and labels of article a. What differs between articles only
// (how much of an article its references keep) does not enter the fit,
// which matters because the summariser compares sentences of one article.
func FitRanking(x [][][NumFeatures]float64, y [][]float64, gap, l2 float64) Model {
	var dx [][NumFeatures]float64
	var dy []float64
	for a := range x {
		for i := range x[a] {
			for j := range x[a] {
				if y[a][i] <= y[a][j]+gap {
					continue
				}
				var up, down [NumFeatures]float64
				for k := 1; k < NumFeatures; k++ {
					up[k] = x[a][i][k] - x[a][j][k]
					down[k] = -up[k]
				}
				dx = append(dx, up, down)
				dy = append(dy, 1, 0)
			}
		}
	}
	return Fit(dx, dy, l2)
}

func sigmoid(t float64) float64 { return 1 / (1 + math.Exp(-t)) }

func dot(a, b [NumFeatures]float64) float64 {
	s := 0.0
	for j := range a {
		s += a[j] * b[j]
	}
	return s
}

// solve solves h·s = g by Gaussian elimination with partial pivoting.
func solve(h [NumFeatures][NumFeatures]float64, g [NumFeatures]float64) [NumFeatures]float64 {
	const d = NumFeatures
	for c := range d {
		p := c
		for r := c + 1; r < d; r++ {
			if math.Abs(h[r][c]) > math.Abs(h[p][c]) {
				p = r
			}
		}
		h[c], h[p] = h[p], h[c]
		g[c], g[p] = g[p], g[c]
		if h[c][c] == 0 {
			continue
		}
		for r := c + 1; r < d; r++ {
			f := h[r][c] / h[c][c]
			for k := c; k < d; k++ {
				h[r][k] -= f * h[c][k]
			}
			g[r] -= f * g[c]
		}
	}
	var s [d]float64
	for c := d - 1; c >= 0; c-- {
		if h[c][c] == 0 {
			continue
		}
		v := g[c]
		for k := c + 1; k < d; k++ {
			v -= h[c][k] * s[k]
		}
		s[c] = v / h[c][c]
	}
	return s
}
