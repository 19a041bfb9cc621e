// Package summary owns extractive summaries of articles: Arabic-aware
// sentence splitting and the choice of the few sentences that stand for an
// article in a digest.
//
// The lead sentence is always in, because news states its gist there. The
// other sentences are ranked by a learned linear scorer (learn.go, its
// coefficients frozen in coefficients.go) over their position, length,
// centrality (how often the rest of the article repeats their content
// words, under a light stemmer), overlap with the lead and a few markers.
// They are then taken in rank order up to the length Lead would have at
// the same budget, with only one of the evaluation protocol's sentences
// crossing the budget, and the words left filled with the best-ranked
// sentence left out, cut at a clause. Under a hard word limit (the digest)
// only sentences that fit under it are taken, and none is cut to fill it.
// Sentences that repeat the title, that nearly repeat an already chosen
// sentence, or that are site boilerplate (newsletter prompts, "read also",
// share prompts) are never chosen; the hand weights (Defaults), which rank
// by a position prior, centrality and a run-on penalty, remain for
// comparison (`nashra eval --cv`).
package summary

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"nashra/digest/arabic"
)

// Options bound a summary.
type Options struct {
	// Words is the word budget. The summary exceeds it by at most one
	// sentence: without its longest sentence it has fewer than Words
	// words. Zero means no word limit.
	Words int
	// MaxSentences caps the number of sentences; zero means no cap. When
	// both limits are zero the summary has at most three sentences.
	MaxSentences int
	// MaxWords, when set, is a hard cap: sentences past it are dropped,
	// and a lead longer than it alone is cut at its last clause that fits
	// (or at the word), marked with "…".
	MaxWords int
}

// Summarize returns the sentences of the summary of body in document
// order, ranked by the learned scorer (Learned). title is the article's
// title, possibly empty; sentences that repeat it are left out. Sentences come from Split, after the lines of
// hard-wrapped plain text are joined (see unwrap). The result is nil when
// body has no usable sentence. Summarize is deterministic and safe for concurrent use.
func Summarize(title, body string, opt Options) []string {
	return summarize(title, body, opt, Learned)
}

// SummarizeWith is Summarize with other weights, for tuning them
// (`nashra eval --cv`).
func SummarizeWith(title, body string, opt Options, p Params) []string {
	return summarize(title, body, opt, p)
}

// Params are the weights of the ranking. Overlap with the title or the
// lead did not help on the evaluation corpus, so the title only serves to
// drop sentences that repeat it.
type Params struct {
	PosScale    float64 // sentence i gets the prior 1/(1 + i/PosScale)
	CentWeight  float64 // weight of the cosine to the rest of the article
	LongWords   int     // a sentence longer than this is a run-on ...
	LongPenalty float64 // ... and loses this much score
	Redundancy  float64 // a candidate this similar to a chosen sentence is skipped
	MinWords    int     // shorter sentences are chosen only when nothing else is left
	TitleSimMax float64 // a sentence this similar to the title is dropped
	// LeadStop ends the summary as Lead ends: at the first sentence that
	// reaches the budget, in rank order. Without it the summary less its
	// longest sentence stays under budget, which fills the budget better
	// and makes longer summaries.
	LeadStop bool
	// LeadLength fills the summary, in rank order, up to the words of the
	// lead passage that reaches the budget (times Fill when set): the
	// first sentences, to the first full stop (. ! ? ؟) at or past the
	// budget, which is where Lead ends. A line break alone does not end
	// the lead passage, as it does not end a sentence for Lead.
	LeadLength bool
	// Fill, when not zero, scales the word budget the sentences are chosen
	// to (not Options.MaxWords): below 1 it keeps a filled summary within
	// the length Lead would have.
	Fill float64
	// CutToFill, with LeadLength, cuts a lead longer than Lead's summary
	// to its length, and fills the words left under Lead's length
	// that no whole sentence fits with the best-ranked sentence left out,
	// cut at its last clause that fits (cutAt), in its place in the
	// article. Lead ends wherever the budget falls, often inside a
	// paragraph whose lines were hard-wrapped; whole sentences alone leave
	// a summary shorter than Lead's.
	CutToFill bool
	// Model, when not zero, ranks the sentences instead of the position
	// prior, centrality and run-on penalty above (see learn.go).
	Model Model
}

// Defaults are the hand weights Summarize used before the learned scorer
// beat them under cross-validation (see the README), kept to compare with.
var Defaults = Params{
	PosScale:    16,
	CentWeight:  0.3,
	LongWords:   60,
	LongPenalty: 0.5,
	Redundancy:  0.6,
	MinWords:    4,
	TitleSimMax: 0.7,
}

type sentence struct {
	text string
	pos  int // index among the usable sentences
	// group numbers the sentences as the evaluation protocol counts them
	// (endsProtocolSentence): parts of one share it.
	group int
	words int
	first string   // the first token (arabic.Tokens)
	stems []string // distinct content stems
	score float64
}

func summarize(title, body string, opt Options, p Params) []string {
	sents := usable(title, body, p)
	if len(sents) == 0 {
		return nil
	}
	maxN := opt.MaxSentences
	if maxN <= 0 && opt.Words <= 0 {
		maxN = 3
	}
	score(sents, p, title)
	target := 0 // LeadLength's limit on the summary's words
	if p.LeadLength && opt.Words > 0 {
		target = leadWords(body, opt.Words)
		if p.Fill > 0 {
			target = int(math.Round(float64(target) * p.Fill))
		}
		if opt.MaxWords > 0 {
			// Sentences past the hard limit would be dropped after
			// they were chosen: choose among those that fit. Nor is a
			// sentence cut to fill it: under a hard limit (the digest)
			// only a lead longer than the limit alone is cut (capWords).
			target = min(target, opt.MaxWords)
			p.CutToFill = false
		}
	} else if p.Fill > 0 && opt.Words > 0 {
		opt.Words = max(1, int(math.Round(float64(opt.Words)*p.Fill)))
	}

	if target > 0 && p.CutToFill && sents[0].words > target {
		// A lead longer than Lead's whole summary (lines that unwrap
		// joined, where Lead stops at a line) is cut to its length.
		sents[0].text = cutAt(sents[0].text, target)
		sents[0].words = arabic.CountTokens(sents[0].text)
	}
	order := make([]int, 0, len(sents)-1)
	for i := 1; i < len(sents); i++ {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		sa, sb := sents[a].score, sents[b].score
		if (sents[a].words < p.MinWords) != (sents[b].words < p.MinWords) {
			if sents[a].words < p.MinWords {
				return 1
			}
			return -1
		}
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return a - b
	})
	// The lead is always in: it is where news states the gist. The rest
	// come in rank order when they fit: the summary less its longest
	// sentence must stay under budget. A candidate that does not fit is
	// passed over, and a shorter one further down may still fill the gap.
	chosen := []*sentence{&sents[0]}
	words, longest := sents[0].words, sents[0].words
	// With LeadLength, the one sentence that may cross the budget is one
	// as the protocol counts sentences, as Lead's last one is: the chosen
	// parts of one protocol sentence count together (see group).
	var groupWords map[int]int
	if target > 0 {
		groupWords = map[int]int{sents[0].group: sents[0].words}
	}
	for _, i := range order {
		if maxN > 0 && len(chosen) >= maxN {
			break
		}
		s := &sents[i]
		if target > 0 {
			if words >= target {
				break
			}
			// Within Lead's length, and by the protocol's rule: only the
			// longest sentence may cross the budget.
			if words+s.words > target || words+s.words-max(longest, groupWords[s.group]+s.words) >= opt.Words {
				continue
			}
		} else if opt.Words > 0 && p.LeadStop {
			if words >= opt.Words {
				break
			}
		} else if opt.Words > 0 {
			if words >= opt.Words && opt.Words-(words-longest) <= 1 {
				break // not even a one-word sentence fits
			}
			if words+s.words-max(longest, s.words) >= opt.Words {
				continue
			}
		}
		if redundant(s, chosen, p.Redundancy) || !standsWith(s, chosen, sents) {
			continue
		}
		chosen = append(chosen, s)
		words += s.words
		if target > 0 {
			groupWords[s.group] += s.words
			longest = max(longest, groupWords[s.group])
		} else {
			longest = max(longest, s.words)
		}
	}
	if target > 0 && p.CutToFill && words < target && (maxN <= 0 || len(chosen) < maxN) {
		words = cutToFill(sents, order, &chosen, words, target, opt.Words, longest, groupWords, p)
	}
	// A lead that opens a quotation closed by the sentence after it
	// brings that sentence along when the limits allow; otherwise the
	// quotation is closed where the lead ends.
	if open := openQuote(sents[0].text); open != "" {
		closesNext := len(sents) > 1 && openQuote(sents[0].text+" "+sents[1].text) == ""
		switch {
		case closesNext && slices.Contains(chosen, &sents[1]):
		case closesNext && (maxN <= 0 || len(chosen) < maxN) && (opt.MaxWords <= 0 || words+sents[1].words <= opt.MaxWords):
			chosen = append(chosen, &sents[1])
			words += sents[1].words
		default:
			sents[0].text += open
		}
	}
	// So does a lead that ends on a colon, announcing what follows (a
	// statement, a list); otherwise it ends with «…» where the colon was.
	if before, ok := beforeColon(sents[0].text); ok && (len(sents) == 1 || !slices.Contains(chosen, &sents[1])) {
		if len(sents) > 1 && (maxN <= 0 || len(chosen) < maxN) && (opt.MaxWords <= 0 || words+sents[1].words <= opt.MaxWords) {
			chosen = append(chosen, &sents[1])
			words += sents[1].words
		} else {
			sents[0].text = before + "…"
		}
	}
	slices.SortFunc(chosen, func(a, b *sentence) int { return a.pos - b.pos })
	if opt.MaxWords > 0 {
		chosen = capWords(chosen, opt.MaxWords)
	}
	out := make([]string, len(chosen))
	for i, s := range chosen {
		out[i] = s.text
	}
	return out
}

// cutToFill adds to chosen the best-ranked sentence left out, cut to the
// words left under target, when that leaves at least cutMin words and
// keeps the crossing rule (only one protocol sentence over budget). The
// sentence is shortened in place, so that it keeps its position. It
// returns the summary's words.
func cutToFill(sents []sentence, order []int, chosen *[]*sentence, words, target, budget, longest int, groupWords map[int]int, p Params) int {
	const cutMin = 5
	for _, i := range order {
		s := &sents[i]
		if slices.Contains(*chosen, s) || s.words <= cutMin {
			continue
		}
		n := min(target-words, s.words-1)
		if longest >= groupWords[s.group]+n {
			n = min(n, budget-1-words+longest) // the cut part stays under budget
		} else if words-groupWords[s.group] >= budget {
			continue // the cut part would be a second sentence over budget
		}
		if n < cutMin || redundant(s, *chosen, p.Redundancy) || !standsWith(s, *chosen, sents) {
			continue
		}
		cut := cutAt(s.text, n)
		cw := arabic.CountTokens(cut)
		if cw < cutMin || cw > n {
			continue
		}
		s.text, s.words = cut, cw
		*chosen = append(*chosen, s)
		return words + cw
	}
	return words
}

// score sets each sentence's score: a prior that decays slowly with
// position, because every part of a news story restates its gist less than
// the part before; its centrality, the cosine between its content words and
// how often the rest of the article repeats them; and a penalty for a
// run-on of more than longWords words, which is usually several sentences
// that lost their punctuation and would spend most of a digest's budget.
func score(sents []sentence, p Params, title string) {
	if p.Model != (Model{}) {
		for i, x := range features(sents, titleStems(title)) {
			sents[i].score = p.Model.Score(x)
		}
		return
	}
	cent := centrality(sents)
	for i := range sents {
		s := &sents[i]
		s.score = 1 / (1 + float64(s.pos)/p.PosScale)
		if s.words > p.LongWords {
			s.score -= p.LongPenalty
		}
		s.score += p.CentWeight * cent[i]
	}
}

// usable returns the sentences of body that may enter a summary: not
// boilerplate, not after a newsletter footer, not a repeat of the title or
// of an earlier sentence.
func usable(title, body string, p Params) []sentence {
	titleToks := arabic.Tokens(title)
	var out []sentence
	seen := make(map[string]bool)
	group, ended := 0, true
	var parts []string
	for line := range lines(unwrap(body)) {
		ended = true // a line break ends a sentence for the protocol too
		parts = splitLine(parts[:0], line)
		end := 0 // where the part before ended in line
		for _, text := range parts {
			if ended {
				group++
			}
			end += strings.Index(line[end:], text) + len(text)
			ended = endsProtocolSentence(text, line[end:])
			toks := arabic.Tokens(text)
			if len(toks) == 0 {
				continue
			}
			switch boilerplate(toks) {
			case footer:
				return out
			case promo:
				continue
			}
			if len(titleToks) > 0 && similarity(toks, titleToks) >= p.TitleSimMax {
				continue
			}
			key := joinTokens(toks)
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, sentence{
				text:  text,
				pos:   len(out),
				group: group,
				words: len(toks),
				first: toks[0],
				stems: distinctStems(toks),
			})
		}
	}
	return out
}

func distinctStems(toks []string) []string {
	var out []string
	for _, t := range toks {
		if isStop(t) {
			continue
		}
		st := stem(t)
		if !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out
}

func isStop(t string) bool {
	if stopWords[t] || utf8.RuneCountInString(t) < 2 {
		return true
	}
	return false
}

// similarity is the Dice coefficient of the token sets of a and b.
func similarity(a, b []string) float64 {
	sa := make(map[string]bool, len(a))
	for _, t := range a {
		sa[t] = true
	}
	sb := make(map[string]bool, len(b))
	for _, t := range b {
		sb[t] = true
	}
	common := 0
	for t := range sa {
		if sb[t] {
			common++
		}
	}
	if len(sa)+len(sb) == 0 {
		return 0
	}
	return 2 * float64(common) / float64(len(sa)+len(sb))
}

// redundant reports whether s shares too many content words with a chosen
// sentence: the overlap over the smaller of the two sets, so that a short
// sentence contained in a long one counts as a repeat.
func redundant(s *sentence, chosen []*sentence, limit float64) bool {
	for _, c := range chosen {
		small := min(len(s.stems), len(c.stems))
		if small == 0 {
			continue
		}
		common := 0
		for _, t := range s.stems {
			if slices.Contains(c.stems, t) {
				common++
			}
		}
		if float64(common)/float64(small) >= limit {
			return true
		}
	}
	return false
}

func joinTokens(toks []string) string {
	n := 0
	for _, t := range toks {
		n += len(t) + 1
	}
	b := make([]byte, 0, n)
	for _, t := range toks {
		b = append(b, t...)
		b = append(b, ' ')
	}
	return string(b)
}

// leadWords is the length of the lead passage of body that reaches words:
// its first lines and sentences, a sentence ending at a line break or at
// a full stop (. ! ? ؟) followed by a space, up to the one that reaches
// the budget.
func leadWords(body string, words int) int {
	n := 0
	for line := range strings.Lines(body) {
		start := 0
		for i, r := range line {
			if n >= words {
				return n
			}
			if unicode.IsSpace(r) && i > 0 && endsProtocolSentence(line[:i], line[i:]) {
				n += arabic.CountTokens(line[start:i])
				start = i
			}
		}
		if n >= words {
			return n
		}
		n += arabic.CountTokens(line[start:])
	}
	return n
}
