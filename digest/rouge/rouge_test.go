package rouge

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		// "The coalition carried out (strikes)." — diacritics, hamza and ta marbuta folded, punctuation dropped.
		{"التحالفُ نفّذ «غاراتٍ» جويةً إلى", []string{"التحالف", "نفذ", "غارات", "جويه", "الي"}},
		// "Forces of Syria in 2019" — the hashtag stays one token (\w keeps '_'), digits become ASCII.
		{"#قوات_سوريا ٢٠١٩", []string{"قوات_سوريا", "2019"}},
		// tatweel is removed before tokenising: "to SDF" with tatweel is one word.
		{"لـقسد", []string{"لقسد"}},
		{"SDF, ISIS-K!", []string{"sdf", "isis", "k"}},
		{"", nil},
		{"... ، ؛", nil},
	}
	for _, tt := range tests {
		if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScoreHandComputed(t *testing.T) {
	tests := []struct {
		name      string
		hyp, ref  string
		r1, r2, l float64
	}{
		// unigrams {a:3 b:1} vs {a:2 b:1 c:1}: clipped overlap 3 of 4 and 4;
		// bigrams {aa:2 ab:1} vs {ab ba ac}: overlap 1 of 3 and 3; LCS 2 of 4 and 4.
		{"clipping", "a a a b", "a b a c", 0.75, 1.0 / 3, 0.5},
		{"identical", "x y z", "x y z", 1, 1, 1},
		{"disjoint", "x y", "z w", 0, 0, 0},
		{"empty hypothesis", "", "x y", 0, 0, 0},
		// one-word hypothesis has no bigram: R2 is 0, R1 = 2·1·(1/3)/(4/3) = 0.5.
		{"single word", "x", "x y z", 0.5, 0, 0.5},
		// "The international coalition against ISIS carries out strikes in north-east Syria."
		// 10 vs 11 tokens, 8 shared unigrams, 3 shared bigrams, LCS 7.
		{"arabic 1", "التحالف الدولي ضد داعش ينفّذ غارات في شمال شرق سوريا.",
			"نفذ التحالف الدولي غارات جوية ضد داعش في شمال شرقي سوريا.", 16.0 / 21, 6.0 / 19, 14.0 / 21},
		// "SDF said it repelled an ISIS attack in rural Deir ez-Zor." 13 vs 12 tokens; لداعش ≠ داعش.
		{"arabic 2", "أعلنت قوات سوريا الديمقراطية (قسد) أنها صدّت هجوماً لداعش في ريف دير الزور.",
			"قالت قسد إنها صدت هجوما لتنظيم داعش في ريف دير الزور الشرقي.", 0.64, 12.0 / 23, 0.64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.hyp, []string{tt.ref})
			if !near(got.R1, tt.r1) || !near(got.R2, tt.r2) || !near(got.RL, tt.l) {
				t.Errorf("Score(%q, %q) = %+v, want R1 %.4f R2 %.4f RL %.4f", tt.hyp, tt.ref, got, tt.r1, tt.r2, tt.l)
			}
		})
	}
}

func TestScoreMeanOverReferences(t *testing.T) {
	got := Score("a b", []string{"a b", "c d"})
	if !near(got.R1, 0.5) || !near(got.R2, 0.5) || !near(got.RL, 0.5) {
		t.Errorf("Score over an exact and a disjoint reference = %+v, want 0.5 each", got)
	}
	if got := Score("a", nil); got != (Scores{}) {
		t.Errorf("Score with no references = %+v, want zero", got)
	}
}

func TestLCS(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"a b c d", "a c d", 3},
		{"a b c", "c b a", 1},
		{"", "a", 0},
		{"a b a b", "b a b a", 3},
	}
	for _, tt := range tests {
		if got := LCS(strings.Fields(tt.a), strings.Fields(tt.b)); got != tt.want {
			t.Errorf("LCS(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSentences(t *testing.T) {
	// "A.B. First sentence. Second sentence!\n\nThird? Fourth۔ x\n y":
	// the script splits after a terminal mark followed by space, at newlines,
	// and drops one-character pieces.
	got := Sentences("أ.ب. جملة أولى. جملة ثانية!\n\nثالثة؟ رابعة۔ x\n y")
	want := []string{"أ.ب.", "جملة أولى.", "جملة ثانية!", "ثالثة؟", "رابعة۔"}
	if !slices.Equal(got, want) {
		t.Errorf("Sentences = %q, want %q", got, want)
	}
	// A full stop without a following space does not split: "2.5 million".
	if got := Sentences("بلغ 2.5 مليون.التالي"); len(got) != 1 {
		t.Errorf("Sentences split inside %q: %q", "بلغ 2.5 مليون.التالي", got)
	}
}

func TestLead(t *testing.T) {
	// "First sentence here. Second sentence here. Third": three words reached after the first sentence.
	got := Lead("جملة أولى هنا. جملة ثانية هنا. ثالثة", 3)
	if want := []string{"جملة أولى هنا."}; !slices.Equal(got, want) {
		t.Errorf("Lead(3) = %q, want %q", got, want)
	}
	// Four words: the second sentence crosses the budget and is kept.
	if got := Lead("جملة أولى هنا. جملة ثانية هنا. ثالثة", 4); len(got) != 2 {
		t.Errorf("Lead(4) = %q, want two sentences", got)
	}
}

func TestBudget(t *testing.T) {
	if got := Third.For(100); got != 33 {
		t.Errorf("Third.For(100) = %d, want 33", got)
	}
	if got := Third.For(2); got != 1 {
		t.Errorf("Third.For(2) = %d, want 1", got)
	}
	if got := (Budget{Words: 60}).For(1000); got != 60 {
		t.Errorf("60 words budget = %d", got)
	}
}

func TestEvaluateFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a1/article.txt", "one two three.\r\nfour five six.\r\nseven eight nine.")
	write("a1/ref1.txt", "four five six.")
	write("a1/ref2.txt", "one two three.")
	write("notes/readme.txt", "not an article")
	write("manifest.tsv", "id\n")
	rep, err := Evaluate(dir, Third, func(article string, words int) []string {
		if words != 3 {
			t.Errorf("budget = %d, want 3", words)
		}
		return []string{"four five six."}
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Articles != 1 {
		t.Fatalf("Articles = %d, want 1", rep.Articles)
	}
	// Both the system and Lead match one of the two references exactly.
	if !near(rep.System.R1, 0.5) || !near(rep.Lead.R1, 0.5) || rep.LeadWords != 3 || rep.SystemRatio != 1 {
		t.Errorf("report = %+v", rep)
	}
	if _, err := Evaluate(filepath.Join(dir, "missing"), Third, nil); err == nil {
		t.Error("Evaluate on a missing folder: no error")
	}
}

// eascDir is where the evaluation data lives beside the repository; it is
// never copied into it.
func eascDir(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "eval", "easc")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("EASC folder absent (%s): %v", dir, err)
	}
	return dir
}

// TestLeadMatchesReferenceScript pins our Lead row to the one printed by
// `python3 eval/rouge.py eval/easc` (and --budget 60): the Go protocol must
// agree with the script to within 0.1 point.
func TestLeadMatchesReferenceScript(t *testing.T) {
	dir := eascDir(t)
	tests := []struct {
		budget     Budget
		r1, r2, rl float64
	}{
		{Third, 50.58, 43.16, 46.19},
		{Budget{Words: 60}, 44.71, 37.51, 40.89},
	}
	for _, tt := range tests {
		rep, err := Evaluate(dir, tt.budget, func(string, int) []string { return nil })
		if err != nil {
			t.Fatal(err)
		}
		got := rep.Lead
		if math.Abs(100*got.R1-tt.r1) > 0.1 || math.Abs(100*got.R2-tt.r2) > 0.1 || math.Abs(100*got.RL-tt.rl) > 0.1 {
			t.Errorf("Lead at %s = %.2f / %.2f / %.2f, script says %.2f / %.2f / %.2f",
				tt.budget, 100*got.R1, 100*got.R2, 100*got.RL, tt.r1, tt.r2, tt.rl)
		}
		t.Logf("Lead at %s: %.2f / %.2f / %.2f (%.1f words)", tt.budget, 100*got.R1, 100*got.R2, 100*got.RL, rep.LeadWords)
	}
}
