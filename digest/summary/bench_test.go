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
func BenchmarkSeed(b *testing.B) {
	title, body := seed(b)
	b.SetBytes(int64(len(title) + len(body)))
	n := 0
	for b.Loop() {
		Summarize(title, body, Options{Words: 60, MaxSentences: 3})
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkEASC measures articles summarised per second over the
// evaluation corpus, at one third of each article's words. It reads the
// corpus from ../shared/eval/easc and skips when it is absent.
func BenchmarkEASC(b *testing.B) {
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
		Summarize("", articles[i], Options{Words: budgets[i]})
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
}
