package summary

import (
	"os"
	"path/filepath"
	"testing"

	"nashra/digest/rouge"
)

// eascDir locates the evaluation corpus beside the repository
// (../shared/eval/easc); it is research data that must not be copied in.
func eascDir(tb testing.TB) string {
	tb.Helper()
	repoRoot := filepath.Join("..", "..")
	dir := filepath.Join(repoRoot, "..", "shared", "eval", "easc")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("EASC folder absent (%s)", dir)
	}
	return dir
}

// eascSummarizer adapts Summarize to the corpus, whose articles have no
// title line: their first line is already the lead paragraph.
func eascSummarizer(article string, words int) []string {
	return Summarize("", article, Options{Words: words})
}

// splitLead is Lead over our own sentences, to separate what the choice of
// sentences adds from what the splitter changes.
func splitLead(article string, words int) []string {
	var out []string
	w := 0
	for _, s := range usable("", article, defaultParams) {
		if w >= words {
			break
		}
		out = append(out, s.text)
		w += s.words
	}
	return out
}

// TestEASC reports ROUGE on the evaluation corpus (go test -v -run EASC)
// and guards against regressions: at both budgets the summary must beat
// the lead of the same sentences.
func TestEASC(t *testing.T) {
	dir := eascDir(t)
	for _, b := range []rouge.Budget{rouge.Third, {Words: 60}} {
		rep, err := rouge.Evaluate(dir, b, eascSummarizer)
		if err != nil {
			t.Fatal(err)
		}
		base, err := rouge.Evaluate(dir, b, splitLead)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("\n%slead of our sentences: %.2f / %.2f / %.2f, %.1f words, %.3f of budget",
			rep, 100*base.System.R1, 100*base.System.R2, 100*base.System.RL, base.SystemWords, base.SystemRatio)
		if rep.System.R1 <= base.System.R1 || rep.System.R2 <= base.System.R2 {
			t.Errorf("at %s the summary (R1 %.2f, R2 %.2f) does not beat the lead of the same sentences (%.2f, %.2f)",
				b, 100*rep.System.R1, 100*rep.System.R2, 100*base.System.R1, 100*base.System.R2)
		}
	}
}
