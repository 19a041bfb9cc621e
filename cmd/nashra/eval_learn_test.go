package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nashra/digest/summary"
)

// eascCorpus finds ../shared/eval/easc beside the repository (or beside the
// folder that holds it) and skips when it is absent: it is research data
// that must not be copied in.
func eascCorpus(t *testing.T) string {
	t.Helper()
	for _, up := range []string{"../../..", "../../../.."} {
		dir := filepath.Join(up, "shared", "eval", "easc")
		if _, err := os.Stat(filepath.Join(dir, "manifest.tsv")); err == nil {
			return dir
		}
	}
	t.Skip("EASC folder absent (../shared/eval/easc)")
	return ""
}

// The coefficients frozen in digest/summary/coefficients.go are what `eval
// --cv` fits on all the articles with the hyper-parameters it froze
// beside them, and the file is exactly what it prints.
func TestLearnedCoefficientsAreFrozen(t *testing.T) {
	corpus, err := loadCorpus(eascCorpus(t))
	if err != nil {
		t.Fatal(err)
	}
	all := make([]int, len(corpus))
	for i := range all {
		all[i] = i
	}
	l := summary.Learned
	h := learnHyper{L2: summary.LearnedL2, Ranking: summary.LearnedRanking, Gap: summary.LearnedGap,
		LeadStop: l.LeadStop, LeadLength: l.LeadLength, Fill: l.Fill, Redundancy: l.Redundancy, CutToFill: l.CutToFill}
	m := fitOn(corpus, all, h)
	if m != l.Model {
		t.Errorf("fitted on all %d articles: %v\nfrozen: %v", len(corpus), m.W, l.Model.W)
	}
	file, err := os.ReadFile(filepath.Join("..", "..", "digest", "summary", "coefficients.go"))
	if err != nil {
		t.Fatal(err)
	}
	if got := learnedSource(m, h, len(corpus)); got != string(file) {
		t.Errorf("coefficients.go differs from what eval --cv prints:\n%s", got)
	}
	if testing.Short() {
		return
	}
	// The hyper-parameters are the ones cross-validation over all the
	// folds chooses.
	topics, err := readTopics(eascCorpus(t))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range corpus {
		ids = append(ids, a.id)
	}
	chosen, err := chooseHyper(context.Background(), corpus, cvFolds(ids, topics, 5))
	if err != nil {
		t.Fatal(err)
	}
	if chosen != h {
		t.Errorf("cross-validation chooses %s; frozen: %s", chosen, h)
	}
}

// The labels the scorer learns from: a sentence a reference kept whole
// scores 1 against it, one it left out scores what word pairs it shares.
func TestKeptShare(t *testing.T) {
	ref := bigramSet(strings.Fields("a b c d . e f g"))
	if got := keptShare(strings.Fields("b c d"), []map[string]bool{ref, ref}); got != 1 {
		t.Errorf("kept sentence: %v, want 1", got)
	}
	if got := keptShare(strings.Fields("x y z"), []map[string]bool{ref}); got != 0 {
		t.Errorf("left-out sentence: %v, want 0", got)
	}
	if got := keptShare(strings.Fields("b c x y z"), []map[string]bool{ref, bigramSet(nil)}); got != 0.125 {
		t.Errorf("one pair of four in one reference of two: %v, want 0.125", got)
	}
}
