package main

import (
	"fmt"
	"io"
	"slices"

	"nashra/digest/rouge"
)

// oracle is the headroom over Lead that choosing sentences can buy: a
// greedy extractive oracle that sees the references, over the sentences the
// summariser chooses from, held to the summariser's limits: no longer than
// Lead's summary at budget bi, and, as the protocol allows, only one of the
// protocol's sentences crossing the budget. Each step adds the sentence
// that raises ROUGE-1 most; it stops when none does. It returns ROUGE-1 and
// the words of its summary.
func (a *cvArticle) oracle(bi int) (r1 float64, words int) {
	toks := make([][]string, len(a.cands))
	for i, c := range a.cands {
		toks[i] = rouge.Tokens(c.Text)
	}
	var chosen []int
	group := map[int]int{} // words chosen per protocol sentence
	longest := 0
	for {
		best := -1
		bestR1 := r1
		for i, c := range a.cands {
			n := len(toks[i])
			if slices.Contains(chosen, i) || words+n > a.leadWords[bi] ||
				words+n-max(longest, group[c.Group]+n) >= a.budget[bi] {
				continue
			}
			try := append(slices.Clone(chosen), i)
			slices.Sort(try)
			var sum []string
			for _, j := range try {
				sum = append(sum, toks[j]...)
			}
			if v := a.r1(sum); v > bestR1 {
				best, bestR1 = i, v
			}
		}
		if best < 0 {
			return r1, words
		}
		chosen = append(chosen, best)
		n := len(toks[best])
		words += n
		group[a.cands[best].Group] += n
		longest = max(longest, group[a.cands[best].Group])
		r1 = bestR1
	}
}

// reportOracle writes the oracle's margin over Lead per fold and its mean
// and spread, at both budgets.
func reportOracle(w io.Writer, corpus []*cvArticle, folds [][]int) {
	fmt.Fprintln(w, "oracle (sees the references; greedy over our sentences, within Lead's length): headroom over Lead")
	margins := make([][]float64, len(cvBudgets))
	ratios := make([][]float64, len(cvBudgets))
	for bi := range cvBudgets {
		for _, fold := range folds {
			m, sys, lead := 0.0, 0, 0
			for _, ai := range fold {
				a := corpus[ai]
				r1, n := a.oracle(bi)
				m += r1 - a.leadR1[bi]
				sys += n
				lead += a.leadWords[bi]
			}
			margins[bi] = append(margins[bi], 100*m/float64(len(fold)))
			ratios[bi] = append(ratios[bi], float64(sys)/float64(max(lead, 1)))
		}
	}
	for bi, b := range cvBudgets {
		m, sd := meanSD(margins[bi])
		r, _ := meanSD(ratios[bi])
		fmt.Fprintf(w, "  %-10s %+6.2f ± %.2f   words %.2f× Lead's   folds", b, m, sd, r)
		for _, f := range margins[bi] {
			fmt.Fprintf(w, " %+.2f", f)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// reportHuman writes how a human extract fares against Lead when the other
// humans judge both: each reference scored against the other references,
// beside Lead scored against the same ones, at that reference's length:
// cut at exactly that many words, and to the sentence that reaches it, as
// the protocol's Lead stops. It is the margin over Lead that agreeing with
// people buys on this corpus, to set beside the margins asked of the
// summariser. Margins are per fold and their mean and spread.
func reportHuman(w io.Writer, corpus []*cvArticle, folds [][]int) {
	var cutM, leadM []float64
	var human, lead, cut, hw, lw float64
	n := 0
	for _, fold := range folds {
		mc, ml, k := 0.0, 0.0, 0
		for _, ai := range fold {
			for _, h := range corpus[ai].human {
				mc += h.human - h.leadCut
				ml += h.human - h.lead
				human += h.human
				lead += h.lead
				cut += h.leadCut
				hw += float64(h.humanWords)
				lw += float64(h.leadWords)
				k++
			}
		}
		if k > 0 {
			cutM = append(cutM, 100*mc/float64(k))
			leadM = append(leadM, 100*ml/float64(k))
		}
		n += k
	}
	if n == 0 {
		return
	}
	N := float64(n)
	fmt.Fprintf(w, "human agreement (each reference scored against the other references; human %.2f, %.0f words), against Lead scored the same way:\n", 100*human/N, hw/N)
	for _, r := range []struct {
		name    string
		r1, wds float64
		m       []float64
	}{{"cut at its length", cut, hw, cutM}, {"to the sentence reaching it", lead, lw, leadM}} {
		mean, sd := meanSD(r.m)
		fmt.Fprintf(w, "  Lead %-28s %.2f (%.0f words): human %+.2f ± %.2f   folds", r.name, 100*r.r1/N, r.wds/N, mean, sd)
		for _, f := range r.m {
			fmt.Fprintf(w, " %+.2f", f)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}
