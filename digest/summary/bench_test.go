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
// article, at a digest entry's limits.
func BenchmarkSeed(b *testing.B) { benchSeed(b, Defaults) }

// BenchmarkSeedLearned is BenchmarkSeed with the learned scorer (Learned).
func BenchmarkSeedLearned(b *testing.B) { benchSeed(b, Learned) }

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
// corpus from ../shared/eval/easc and skips when it is absent.
func BenchmarkEASC(b *testing.B) { benchEASC(b, Defaults) }

// BenchmarkEASCLearned is BenchmarkEASC with the learned scorer (Learned),
// for the ratio of the two in one run.
func BenchmarkEASCLearned(b *testing.B) { benchEASC(b, Learned) }

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
