package main

import (
	"math"
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

// Human agreement scores each reference against the other references, and
// Lead, at that reference's length, against the same ones: how far a human
// extract is above Lead when other humans judge it. Here two references
// keep the first and third sentences, and one the third and half the
// second; Lead keeps the first and second, or, cut at 15 words, the first
// and half the second.
func TestHumanAgreementBesideLead(t *testing.T) {
	dir := t.TempDir()
	a, b, c := words("a", 10), words("b", 10), words("c", 10)
	halfB := strings.Join(strings.Fields(b)[:5], " ")
	for name, text := range map[string]string{
		"article.txt": strings.Join([]string{a, b, c}, "\n"),
		"ref1.txt":    a + "\n" + c,
		"ref2.txt":    a + "\n" + c,
		"ref3.txt":    halfB + "\n" + c,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	art, err := loadArticle(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(art.human) != 3 {
		t.Fatalf("%d references scored; want 3", len(art.human))
	}
	// ref1 and ref2 score (1 + 4/7)/2 = 11/14 against the others, ref3
	// 4/7. Lead (a, b) scores (1/2 + 2/7)/2 = 11/28 beside ref1 and ref2,
	// 1/2 beside ref3, where cut at 15 words (a and half of b) it scores 4/7.
	want := []humanScore{
		{human: 11.0 / 14, lead: 11.0 / 28, leadCut: 11.0 / 28, humanWords: 20, leadWords: 20},
		{human: 11.0 / 14, lead: 11.0 / 28, leadCut: 11.0 / 28, humanWords: 20, leadWords: 20},
		{human: 4.0 / 7, lead: 0.5, leadCut: 4.0 / 7, humanWords: 15, leadWords: 20},
	}
	for k, h := range art.human {
		w := want[k]
		if math.Abs(h.human-w.human) > 1e-9 || math.Abs(h.lead-w.lead) > 1e-9 || math.Abs(h.leadCut-w.leadCut) > 1e-9 ||
			h.humanWords != w.humanWords || h.leadWords != w.leadWords {
			t.Errorf("reference %d: %+v; want %+v", k+1, h, w)
		}
	}
	var out strings.Builder
	reportHuman(&out, []*cvArticle{art}, [][]int{{0}})
	// human 5/7; Lead 3/7, and 19/42 cut.
	for _, m := range []string{"human +28.57", "human +26.19"} {
		if !strings.Contains(out.String(), m) {
			t.Errorf("report lacks %q:\n%s", m, out.String())
		}
	}
}
