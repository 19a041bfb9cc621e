package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The oracle takes, within Lead's length, the sentences that score best
// against the references, wherever they are in the article: here the lead
// and the third sentence, which the references kept, rather than Lead's
// lead and second.
func TestOracleWithinLeadsLength(t *testing.T) {
	dir := t.TempDir()
	a := words("a", 10) // kept by the references
	b := words("b", 10) // not kept
	c := words("c", 10) // kept
	for name, text := range map[string]string{
		"article.txt": strings.Join([]string{a, b, c, words("d", 10), words("e", 10), words("f", 10)}, "\n"),
		"ref1.txt":    a + "\n" + c,
		"ref2.txt":    a + "\n" + c,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	art, err := loadArticle(dir)
	if err != nil {
		t.Fatal(err)
	}
	const third = 0 // one third of 60 words: Lead is a and b, 20 words
	if art.leadWords[third] != 20 || art.leadR1[third] > 0.51 {
		t.Fatalf("Lead: %d words, R1 %.2f; want 20 words, 0.50", art.leadWords[third], art.leadR1[third])
	}
	r1, n := art.oracle(third)
	if r1 < 0.999 || n != 20 {
		t.Errorf("oracle = R1 %.3f with %d words; want 1 with 20, the lead and the third sentence", r1, n)
	}
}

func words(prefix string, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = prefix + string(rune('a'+i))
	}
	return strings.Join(w, " ") + "."
}
