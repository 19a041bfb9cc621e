package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"nashra/digest/rouge"
	"nashra/digest/summary"
)

// Cross-validation of the summariser's weights (`nashra eval --cv K`):
// the articles are split into K folds by topic (manifest.tsv's topic
// column; an article without one is a topic of its own), the weights are
// chosen on K-1 folds from a grid, and scored on the fold left out. What
// is reported is the margin over Lead on articles the choice never saw,
// its mean and spread over the folds, at both budgets, and the length of
// the summaries against Lead's. The weights chosen on all the articles are
// printed last (summary.Defaults keeps them, to compare with the learned
// scorer that Summarize uses).

// cvBudgets are the budgets the weights are chosen for, together.
var cvBudgets = []rouge.Budget{rouge.Third, {Words: digestWords}}

// cvGrid is the weights tried: the position prior's scale, the weight of
// centrality, the run-on penalty, the redundancy cut, and how a summary
// stops (as Lead does, or filled to the budget).
func cvGrid() []summary.Params {
	var out []summary.Params
	for _, pos := range []float64{4, 8, 16, 32, 1e6} {
		for _, cent := range []float64{0, 0.15, 0.3, 0.6, 1} {
			for _, pen := range []float64{0, 0.5} {
				for _, red := range []float64{0.5, 0.7} {
					for _, stop := range []bool{false, true} {
						p := summary.Defaults
						p.PosScale, p.CentWeight, p.LongPenalty, p.Redundancy, p.LeadStop = pos, cent, pen, red, stop
						out = append(out, p)
					}
				}
			}
		}
	}
	return out
}

func describeParams(p summary.Params) string {
	stop := "filled"
	if p.LeadStop {
		stop = "as Lead"
	}
	pos := fmt.Sprintf("%g", p.PosScale)
	if p.PosScale >= 1e6 {
		pos = "none"
	}
	return fmt.Sprintf("position scale %s, centrality %g, run-on penalty %g, redundancy %g, stop %s",
		pos, p.CentWeight, p.LongPenalty, p.Redundancy, stop)
}

// cvScore is one article's result under one set of weights at one budget.
type cvScore struct {
	margin             float64 // R1 of the summary less R1 of Lead
	sysWords, leadWord int
}

// cvTable holds the scores of every article (in ID order) under every
// set of weights at every budget: [weights][budget][article].
type cvTable struct {
	ids    []string
	scores [][][]cvScore
}

func buildCVTable(ctx context.Context, corpus []*cvArticle, grid []summary.Params) (cvTable, error) {
	t := cvTable{scores: make([][][]cvScore, len(grid))}
	for _, a := range corpus {
		t.ids = append(t.ids, a.id)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for gi, p := range grid {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			row := make([][]cvScore, len(cvBudgets))
			for bi := range cvBudgets {
				row[bi] = make([]cvScore, len(corpus))
				for ai, a := range corpus {
					row[bi][ai] = a.score(bi, p)
				}
			}
			t.scores[gi] = row
		})
	}
	wg.Wait()
	return t, ctx.Err()
}

// cvFolds splits the articles into k folds by topic, the largest topics
// first, each to the fold with the fewest articles so far.
func cvFolds(ids []string, topicOf map[string]string, k int) [][]int {
	byTopic := map[string][]int{}
	for i, id := range ids {
		tp := topicOf[id]
		if tp == "" {
			tp = "article " + id
		}
		byTopic[tp] = append(byTopic[tp], i)
	}
	topics := slices.Collect(func(yield func(string) bool) {
		for tp := range byTopic {
			if !yield(tp) {
				return
			}
		}
	})
	slices.SortFunc(topics, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(byTopic[b]), len(byTopic[a])), cmp.Compare(a, b))
	})
	folds := make([][]int, k)
	for _, tp := range topics {
		smallest := 0
		for f := range folds {
			if len(folds[f]) < len(folds[smallest]) {
				smallest = f
			}
		}
		folds[smallest] = append(folds[smallest], byTopic[tp]...)
	}
	return folds
}

// cvMean is the mean margin and the summaries' words over Lead's of the
// articles in, at budget bi, under weights gi.
func (t cvTable) mean(gi, bi int, in []int) (margin, words float64) {
	var sys, lead int
	for _, a := range in {
		s := t.scores[gi][bi][a]
		margin += s.margin
		sys += s.sysWords
		lead += s.leadWord
	}
	return margin / float64(len(in)), float64(sys) / float64(max(lead, 1))
}

// best chooses the weights with the largest mean margin over both
// budgets on the articles in, among those whose summaries are, at each
// budget, no longer than Lead's; when none is, the largest margin.
func (t cvTable) best(in []int) (gi int, short bool) {
	score := math.Inf(-1)
	for g := range t.scores {
		sum, fits := 0.0, true
		for bi := range cvBudgets {
			m, w := t.mean(g, bi, in)
			sum += m
			fits = fits && w <= 1
		}
		if fits && !short || fits == short && sum > score {
			gi, score, short = g, sum, fits
		}
	}
	return gi, short
}

// readTopics reads manifest.tsv's id and topic columns, if it is there.
func readTopics(dir string) (map[string]string, error) {
	f, err := os.Open(filepath.Join(dir, "manifest.tsv"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	idCol, topicCol := 0, 1
	for n := 0; sc.Scan(); n++ {
		cols := strings.Split(sc.Text(), "\t")
		if n == 0 {
			for i, c := range cols {
				switch strings.TrimSpace(c) {
				case "id":
					idCol = i
				case "topic":
					topicCol = i
				}
			}
			continue
		}
		if len(cols) > max(idCol, topicCol) {
			out[strings.TrimSpace(cols[idCol])] = strings.TrimSpace(cols[topicCol])
		}
	}
	return out, sc.Err()
}

// crossValidate runs `nashra eval --cv k` and writes its report.
func crossValidate(ctx context.Context, w io.Writer, dir string, k int) error {
	topicOf, err := readTopics(dir)
	if err != nil {
		return fmt.Errorf("cross-validate: %w", err)
	}
	corpus, err := loadCorpus(dir)
	if err != nil {
		return fmt.Errorf("cross-validate: %w", err)
	}
	grid := cvGrid()
	t, err := buildCVTable(ctx, corpus, grid)
	if err != nil {
		return fmt.Errorf("cross-validate: %w", err)
	}
	if k < 2 || k > len(t.ids) {
		return fmt.Errorf("%w: --cv needs 2 to %d folds, not %d", errUsage, len(t.ids), k)
	}
	folds := cvFolds(t.ids, topicOf, k)
	fmt.Fprintf(w, "%d articles, %d folds by topic, %d sets of weights; R1 of the summary less R1 of Lead, in points, on the fold left out\n\n", len(t.ids), k, len(grid))
	reportOracle(w, corpus, folds)
	reportHuman(w, corpus, folds)
	margins := make([][]float64, len(cvBudgets))
	ratios := make([][]float64, len(cvBudgets))
	for f, test := range folds {
		var train []int
		for g, fold := range folds {
			if g != f {
				train = append(train, fold...)
			}
		}
		gi, short := t.best(train)
		names := map[string]bool{}
		for _, a := range test {
			names[cmp.Or(topicOf[t.ids[a]], t.ids[a])] = true
		}
		fmt.Fprintf(w, "fold %d: %s (%s)\n  chosen on the other folds: %s", f+1, articleCount(len(test)), strings.Join(slices.Sorted(func(yield func(string) bool) {
			for n := range names {
				if !yield(n) {
					return
				}
			}
		}), ", "), describeParams(grid[gi]))
		if !short {
			fmt.Fprint(w, " (no weights kept summaries within Lead's length there)")
		}
		fmt.Fprintln(w)
		for bi, b := range cvBudgets {
			m, r := t.mean(gi, bi, test)
			margins[bi] = append(margins[bi], 100*m)
			ratios[bi] = append(ratios[bi], r)
			fmt.Fprintf(w, "  %-10s %+6.2f   words %.2f× Lead's\n", b, 100*m, r)
		}
	}
	fmt.Fprintf(w, "\ncross-validated, mean ± standard deviation over the folds:\n")
	for bi, b := range cvBudgets {
		m, sd := meanSD(margins[bi])
		r, _ := meanSD(ratios[bi])
		fmt.Fprintf(w, "  %-10s %+6.2f ± %.2f   words %.2f× Lead's\n", b, m, sd, r)
	}
	all := make([]int, len(t.ids))
	for i := range all {
		all[i] = i
	}
	gi, _ := t.best(all)
	fmt.Fprintf(w, "\nchosen on all %d articles: %s\n", len(all), describeParams(grid[gi]))
	for bi, b := range cvBudgets {
		m, r := t.mean(gi, bi, all)
		fmt.Fprintf(w, "  %-10s %+6.2f   words %.2f× Lead's (on the articles it was chosen on)\n", b, 100*m, r)
	}
	if di := slices.Index(grid, summary.Defaults); di >= 0 && di != gi {
		fmt.Fprintf(w, "the hand weights kept in summary.Defaults differ: %s\n", describeParams(summary.Defaults))
	}

	learned, learnedRatios, err := crossValidateLearned(ctx, w, corpus, folds)
	if err != nil {
		return fmt.Errorf("cross-validate: %w", err)
	}
	hand := make([]float64, len(cvBudgets))
	handRatios := make([]float64, len(cvBudgets))
	for bi := range cvBudgets {
		hand[bi], _ = meanSD(margins[bi])
		handRatios[bi], _ = meanSD(ratios[bi])
	}
	h, err := chooseHyper(ctx, corpus, folds)
	if err != nil {
		return fmt.Errorf("cross-validate: %w", err)
	}
	m := fitOn(corpus, all, h)
	fmt.Fprintf(w, "\nfitted on all %d articles (%s), as digest/summary/coefficients.go:\n\n%s\n", len(all), h, learnedSource(m, h, len(all)))
	fmt.Fprintln(w, "cross-validated margin over Lead, learned scorer against the hand weights:")
	goal := true
	for bi, b := range cvBudgets {
		fmt.Fprintf(w, "  %-10s %+6.2f against %+6.2f, words %.2f× against %.2f× Lead's\n", b, learned[bi], hand[bi], learnedRatios[bi], handRatios[bi])
		goal = goal && learned[bi] >= 1.5 && learnedRatios[bi] <= 1
	}
	if goal {
		fmt.Fprintln(w, "the learned scorer reaches Lead + 1.5 at both budgets within Lead's length")
	} else {
		fmt.Fprintln(w, "the learned scorer does not reach Lead + 1.5 at both budgets within Lead's length")
	}
	return nil
}

func articleCount(n int) string {
	if n == 1 {
		return "1 article"
	}
	return fmt.Sprintf("%d articles", n)
}

func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	if len(xs) > 1 {
		sd = math.Sqrt(sd / float64(len(xs)-1))
	}
	return mean, sd
}
