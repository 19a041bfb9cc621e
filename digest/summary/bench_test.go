package summary

import (
	"os"
	"path/filepath"
	"testing"

	"nashra/digest/arabic"
)

// The benchmarks report articles summarised per second. Summarize runs on
// the calling goroutine only, so the figure is per core; run them with
// go test -run '^$' -bench . -cpu 1 ./digest/summary

// BenchmarkSeed measures articles summarised per second on the seed
// article, at a digest entry's limits, with the learned scorer Summarize
// uses.
func BenchmarkSeed(b *testing.B) { benchSeed(b, Learned) }

// BenchmarkSeedHand is BenchmarkSeed with the hand weights (Defaults).
func BenchmarkSeedHand(b *testing.B) { benchSeed(b, Defaults) }

func benchSeed(b *testing.B, p Params) {
	title, body := seed(b)
	b.SetBytes(int64(len(title) + len(body)))
	n := 0
	for b.Loop() {
		SummarizeWith(title, body, Options{Words: 60, MaxSentences: 3}, p)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkEASC measures articles summarised per second over the
// evaluation corpus, at one third of each article's words. It reads the
// corpus from ../shared/eval/easc and skips when it is absent. It uses the
// learned scorer, as Summarize does.
func BenchmarkEASC(b *testing.B) { benchEASC(b, Learned) }

// BenchmarkEASCHand is BenchmarkEASC with the hand weights (Defaults), for
// the ratio of the two in one run.
func BenchmarkEASCHand(b *testing.B) { benchEASC(b, Defaults) }

func benchEASC(b *testing.B, p Params) {
	dir := eascDir(b)
	paths, err := filepath.Glob(filepath.Join(dir, "*", "article.txt"))
	if err != nil || len(paths) == 0 {
		b.Skipf("no articles in %s", dir)
	}
	articles := make([]string, len(paths))
	budgets := make([]int, len(paths))
	var size int64
	for i, p := range paths {
		t, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		articles[i] = string(t)
		budgets[i] = max(1, len(arabic.Tokens(articles[i]))/3)
		size += int64(len(t))
	}
	b.SetBytes(size / int64(len(articles)))
	n := 0
	for b.Loop() {
		i := n % len(articles)
		SummarizeWith("", articles[i], Options{Words: budgets[i]}, p)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
}
