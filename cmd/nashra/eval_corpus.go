package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"nashra/digest/rouge"
	"nashra/digest/summary"
)

// cvArticle is one article of the evaluation folder held in memory for
// cross-validation: the references tokenised once, Lead scored once per
// budget, and the sentences the summariser chooses from with their
// features and labels.
type cvArticle struct {
	id   string
	text string
	refs []map[string]int // unigram counts of each reference
	refN []int            // tokens of each reference
	// per budget (cvBudgets): the word budget, Lead's ROUGE-1 and words
	budget    []int
	leadR1    []float64
	leadWords []int
	cands     []summary.Candidate
	labels    []float64    // per candidate: how much of it the references keep
	human     []humanScore // per reference, when there are two or more
}

// humanScore is one reference scored as a summary against the other
// references, and Lead at that reference's length against the same ones.
type humanScore struct {
	// ROUGE-1 F1, averaged over the other references, of the reference,
	// of Lead to the sentence that reaches its length (as the protocol's
	// Lead stops), and of Lead cut at exactly its length.
	human, lead, leadCut  float64
	humanWords, leadWords int
}

// loadCorpus reads dir as rouge.Evaluate does (article folders in name
// order; files and folders without article.txt skipped).
func loadCorpus(dir string) ([]*cvArticle, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*cvArticle
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		a, err := loadArticle(filepath.Join(dir, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		a.id = e.Name()
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no article folders", dir)
	}
	return out, nil
}

func loadArticle(dir string) (*cvArticle, error) {
	text, refTexts, err := rouge.ReadArticle(dir)
	if err != nil {
		return nil, err
	}
	a := &cvArticle{text: text}
	var refToks [][]string
	for _, r := range refTexts {
		t := rouge.Tokens(r)
		refToks = append(refToks, t)
		a.refs = append(a.refs, unigrams(t))
		a.refN = append(a.refN, len(t))
	}
	n := len(rouge.Tokens(text))
	for _, b := range cvBudgets {
		words := b.For(n)
		lead := rouge.Tokens(strings.Join(rouge.Lead(text, words), "\n"))
		a.budget = append(a.budget, words)
		a.leadR1 = append(a.leadR1, a.r1(lead))
		a.leadWords = append(a.leadWords, len(lead))
	}
	if len(refToks) > 1 {
		for k, t := range refToks {
			lead := rouge.Tokens(strings.Join(rouge.Lead(text, len(t)), "\n"))
			cut := lead[:min(len(lead), len(t))]
			a.human = append(a.human, humanScore{
				human:      a.r1Except(unigrams(t), len(t), k),
				lead:       a.r1Except(unigrams(lead), len(lead), k),
				leadCut:    a.r1Except(unigrams(cut), len(cut), k),
				humanWords: len(t), leadWords: len(lead),
			})
		}
	}
	a.cands = summary.Candidates("", text)
	a.labels = make([]float64, len(a.cands))
	refBigrams := make([]map[string]bool, len(refToks))
	for i, t := range refToks {
		refBigrams[i] = bigramSet(t)
	}
	for i, c := range a.cands {
		a.labels[i] = keptShare(rouge.Tokens(c.Text), refBigrams)
	}
	return a, nil
}

// keptShare labels a sentence for training: the share of its word pairs
// that a reference has, averaged over the references. The references are
// extracts, so a sentence one of them kept scores 1 against it.
func keptShare(toks []string, refs []map[string]bool) float64 {
	if len(refs) == 0 || len(toks) < 2 {
		return 0
	}
	sum := 0.0
	for _, r := range refs {
		n := 0
		for i := 0; i+1 < len(toks); i++ {
			if r[toks[i]+" "+toks[i+1]] {
				n++
			}
		}
		sum += float64(n) / float64(len(toks)-1)
	}
	return sum / float64(len(refs))
}

func bigramSet(t []string) map[string]bool {
	m := make(map[string]bool, len(t))
	for i := 0; i+1 < len(t); i++ {
		m[t[i]+" "+t[i+1]] = true
	}
	return m
}

func unigrams(t []string) map[string]int {
	m := make(map[string]int, len(t))
	for _, w := range t {
		m[w]++
	}
	return m
}

// r1 is ROUGE-1 F1 of hyp against the article's references, averaged
// over them: rouge.ScoreTokens's R1 without the cost of ROUGE-2 and -L.
func (a *cvArticle) r1(hyp []string) float64 {
	return a.r1Except(unigrams(hyp), len(hyp), -1)
}

// r1Except is ROUGE-1 F1 of a summary of n tokens counted in h, averaged
// over the references but reference skip (none when skip is -1).
func (a *cvArticle) r1Except(h map[string]int, n, skip int) float64 {
	refs := len(a.refs)
	if skip >= 0 {
		refs--
	}
	if refs <= 0 || n == 0 {
		return 0
	}
	sum := 0.0
	for i, r := range a.refs {
		if i == skip {
			continue
		}
		overlap := 0
		for w, c := range h {
			overlap += min(c, r[w])
		}
		if overlap == 0 {
			continue
		}
		p := float64(overlap) / float64(n)
		rr := float64(overlap) / float64(a.refN[i])
		sum += 2 * p * rr / (p + rr)
	}
	return sum / float64(refs)
}

// score summarises the article at budget bi with p and scores it.
func (a *cvArticle) score(bi int, p summary.Params) cvScore {
	sys := rouge.Tokens(strings.Join(summary.SummarizeWith("", a.text, summary.Options{Words: a.budget[bi]}, p), "\n"))
	return cvScore{a.r1(sys) - a.leadR1[bi], len(sys), a.leadWords[bi]}
}
