package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Folds follow topics: no topic is split between a fold the weights are
// chosen on and the fold they are scored on, and folds are about even.
func TestCVFoldsKeepTopicsWhole(t *testing.T) {
	ids := []string{"e1", "e2", "e3", "e4", "h1", "h2", "p1", "p2", "p3", "s1"}
	topicOf := map[string]string{"e1": "environment", "e2": "environment", "e3": "environment", "e4": "environment",
		"h1": "health", "h2": "health", "p1": "politics", "p2": "politics", "p3": "politics"} // s1: none
	folds := cvFolds(ids, topicOf, 3)
	seen := map[string]int{}
	total := 0
	for f, fold := range folds {
		total += len(fold)
		for _, a := range fold {
			tp := topicOf[ids[a]]
			if tp == "" {
				continue
			}
			if g, ok := seen[tp]; ok && g != f {
				t.Errorf("topic %s is in folds %d and %d", tp, g, f)
			}
			seen[tp] = f
		}
	}
	if total != len(ids) {
		t.Errorf("folds hold %d articles; want %d", total, len(ids))
	}
	sizes := []int{len(folds[0]), len(folds[1]), len(folds[2])}
	if slices.Max(sizes)-slices.Min(sizes) > 2 {
		t.Errorf("fold sizes %v; want them within 2 of each other", sizes)
	}
}

// The weights chosen keep summaries within Lead's length when any do,
// even at a smaller margin.
func TestCVBestKeepsLeadsLength(t *testing.T) {
	tab := cvTable{ids: []string{"a", "b"}, scores: [][][]cvScore{
		{{{0.05, 120, 100}, {0.05, 120, 100}}, {{0.05, 120, 100}, {0.05, 120, 100}}}, // larger margin, longer than Lead
		{{{0.01, 90, 100}, {0.01, 90, 100}}, {{0.01, 90, 100}, {0.01, 90, 100}}},     // smaller margin, shorter
	}}
	if gi, short := tab.best([]int{0, 1}); gi != 1 || !short {
		t.Errorf("best = %d (short %v); want 1, the one within Lead's length", gi, short)
	}
	tab.scores = tab.scores[:1]
	if gi, short := tab.best([]int{0, 1}); gi != 0 || short {
		t.Errorf("best of none within length = %d (short %v); want 0, flagged", gi, short)
	}
}

// `eval --cv` reports each fold scored on articles it was not tuned on,
// the mean and spread over the folds, and the weights to freeze.
func TestEvalCrossValidates(t *testing.T) {
	dir := evalFolder(t)
	if err := os.WriteFile(filepath.Join(dir, "manifest.tsv"), []byte("id\ttopic\na1\tsecurity\na2\tpolitics\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runEval(t, "--dir", dir, "--cv", "2")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 articles, 2 folds by topic", "fold 1: 1 article ", "(politics)", "(security)",
		"cross-validated, mean ± standard deviation", "one third", "60 words", "chosen on all 2 articles",
		"learned scorer, cross-validated, mean ± standard deviation", "oracle (sees the references", "human agreement (each reference", "package summary", "var Learned = Params{", "const LearnedL2"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval --cv lacks %q:\n%s", want, out)
		}
	}
	for _, args := range [][]string{{"--dir", dir, "--cv", "3"}, {"--dir", dir, "--cv", "2", "--third"}} {
		if _, err := runEval(t, args...); exitCode(err) != 2 {
			t.Errorf("eval %v = %v; want a usage error", args, err)
		}
	}
}
