package summary

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"nashra/digest/arabic"
)

// seed returns the real article in testdata: its title is the first line,
// and the body repeats the title and ends with the newsletter footer.
func seed(t testing.TB) (title, body string) {
	t.Helper()
	b, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ = strings.Cut(string(b), "\n")
	return title, body
}

func TestSummarizeSeedArticle(t *testing.T) {
	title, body := seed(t)
	for _, opt := range []Options{{Words: 60, MaxSentences: 3}, {MaxSentences: 2}, {Words: 40}, {}} {
		got := Summarize(title, body, opt)
		if len(got) < 2 || len(got) > 3 {
			t.Fatalf("Summarize(seed, %+v) = %d sentences, want 2–3: %q", opt, len(got), got)
		}
		// "The foreign ministers of the #international_coalition confirmed ..." is the lead.
		if !strings.HasPrefix(got[0], "أكد وزراء خارجية #التحالف_الدولي") {
			t.Errorf("Summarize(seed, %+v) starts with %q, want the lead", opt, got[0])
		}
		for _, s := range got {
			if strings.Contains(s, "نشرتنا البريدية") || strings.Contains(s, "أعجبك المحتوى") {
				t.Errorf("Summarize(seed, %+v) includes the newsletter footer: %q", opt, s)
			}
			if strings.Contains(s, "تهديّدات “داعش” لم تنتهِ بعد") {
				t.Errorf("Summarize(seed, %+v) repeats the title: %q", opt, s)
			}
		}
		if pos := positions(t, body, got); !slices.IsSorted(pos) {
			t.Errorf("Summarize(seed, %+v) is not in document order: %v", opt, pos)
		}
	}
}

// uncut is a summary sentence as it is in the article: a sentence cut to
// fill the budget (cutAt) loses its "…" and the quotation marks that close
// what the cut left open.
func uncut(s string) string {
	cut, ok := strings.CutSuffix(s, "…")
	if !ok {
		return s
	}
	return strings.TrimRight(cut, "»”\"")
}

func positions(t *testing.T, body string, sents []string) []int {
	t.Helper()
	var out []int
	for _, s := range sents {
		i := strings.Index(body, uncut(s))
		if i < 0 {
			t.Fatalf("summary sentence %q is not in the article", s)
		}
		out = append(out, i)
	}
	return out
}

func TestSummarizeBudget(t *testing.T) {
	title, body := seed(t)
	for _, words := range []int{1, 10, 30, 60, 100, 200, 1000} {
		got := Summarize(title, body, Options{Words: words})
		if len(got) == 0 {
			t.Fatalf("Summarize(seed, %d words) is empty", words)
		}
		total, longest := 0, 0
		for _, s := range got {
			n := len(arabic.Tokens(s))
			total += n
			longest = max(longest, n)
		}
		// At most one sentence over: without its longest sentence the
		// summary is under budget.
		if total-longest >= words {
			t.Errorf("Summarize(seed, %d words) has %d words in %d sentences: more than one sentence over", words, total, len(got))
		}
	}
	if got := Summarize(title, body, Options{Words: 1000, MaxSentences: 2}); len(got) != 2 {
		t.Errorf("MaxSentences 2 gave %d sentences", len(got))
	}
}

func TestSummarizeDropsBoilerplateAndRepeats(t *testing.T) {
	// Lead, a "read also" line, a share prompt, the lead again, then the newsletter footer and text after it.
	body := strings.Join([]string{
		"قصفت طائرات التحالف مواقع لتنظيم داعش في ريف دير الزور الشرقي.",  // Coalition aircraft struck ISIS positions east of Deir ez-Zor.
		"اقرأ أيضاً: التحالف الدولي يعلن مقتل قيادي في داعش",              // Read also: the coalition announces an ISIS leader killed
		"شارك هذا المقال مع أصدقائك على وسائل التواصل.",                   // Share this article with your friends.
		"قصفت طائرات التحالف مواقع لتنظيم داعش في ريف دير الزور الشرقي.",  // the lead again
		"وقالت قسد إن العملية استهدفت خلية تابعة لتنظيم داعش في المنطقة.", // SDF said the operation targeted an ISIS cell in the area.
		"هل أعجبك المحتوى؟ اشترك بنشرتنا البريدية.",                       // Did you like the content? Subscribe to our newsletter.
		"وأضافت المصادر أن التحالف سيواصل عملياته ضد داعش في المنطقة.",    // after the footer: not article text
	}, "\n")
	got := Summarize("", body, Options{MaxSentences: 5})
	want := []string{
		"قصفت طائرات التحالف مواقع لتنظيم داعش في ريف دير الزور الشرقي.",
		"وقالت قسد إن العملية استهدفت خلية تابعة لتنظيم داعش في المنطقة.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Summarize = %q, want %q", got, want)
	}
}

func TestSummarizeOddInput(t *testing.T) {
	long := strings.Repeat("كلمة ", 5000) // one huge sentence without punctuation ("word word ...")
	tests := []struct {
		name, title, body string
		wantN             int
	}{
		{"empty", "", "", 0},
		{"only whitespace", "عنوان", " \n\n\t ", 0},
		// The body is only the title ("The coalition meets in Rome"): nothing is left to summarise.
		{"only the title", "التحالف يجتمع في روما", "التحالف يجتمع في روما", 0},
		{"no punctuation", "", "اجتمع الوزراء في روما وأكدوا عزمهم على مواصلة القتال", 1},
		{"one huge sentence", "", long, 1},
		{"many newlines", "", strings.Repeat("سطر\n\n\n", 300), 1}, // "line" repeated: duplicates removed
		{"punctuation only", "", "... ؟؟ !! ، ؛", 0},
		{"latin", "Title", "First sentence here. Second one follows! Third?", 3},
		{"invalid utf-8", "", "\xff\xfe نص. \xc3(", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.title, tt.body, Options{Words: 60, MaxSentences: 3})
			if len(got) != tt.wantN {
				t.Errorf("Summarize(%.40q, %.40q) = %d sentences %.200q, want %d", tt.title, tt.body, len(got), got, tt.wantN)
			}
		})
	}
}

func TestSummarizeDeterministic(t *testing.T) {
	title, body := seed(t)
	first := Summarize(title, body, Options{Words: 60, MaxSentences: 3})
	for range 20 {
		if got := Summarize(title, body, Options{Words: 60, MaxSentences: 3}); !slices.Equal(got, first) {
			t.Fatalf("Summarize changed between runs: %q then %q", first, got)
		}
	}
}

func TestUnwrap(t *testing.T) {
	// A hard-wrapped paragraph: lines of similar width, most without a sentence mark.
	wrapped := "نجحت سياسة القبضة الحديدية لوزير الطيران في إعادة حركة\n" + // The iron-fist policy of the aviation minister succeeded in returning
		"الملاحة الجوية إلى طبيعتها في مطار القاهرة الدولي حيث انتظمت\n" + // air traffic to normal at Cairo airport, where
		"مواعيد إقلاع الطائرات وهبوطها بعد أسابيع من الفوضى الكبيرة في\n" + // take-off and landing times settled after weeks of chaos in
		"المطار وقد أشاد المسافرون بهذا التحسن الملحوظ في الخدمات.\n" + // the airport; travellers praised the improvement.
		"\n" +
		"وفي سياق آخر أعلنت الوزارة عن خطة جديدة لتطوير المطارات في\n" + // In another context the ministry announced a plan for airports in
		"المحافظات خلال العام المقبل."
	got := Split(unwrap(wrapped))
	if len(got) != 2 {
		t.Errorf("Split(unwrap(hard-wrapped)) = %d sentences, want 2: %q", len(got), got)
	}
	// Paragraphs with their own lines, like the seed article, stay as they are.
	_, body := seed(t)
	if unwrap(body) != body {
		t.Error("unwrap changed the seed article, whose lines are paragraphs")
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"المقاتلين", "مقاتل"}, // the fighters → fighter
		{"والتحالف", "تحالف"},  // and the coalition → coalition
		{"مقاتليها", "مقاتل"},  // its fighters
		{"قسد", "قسد"},         // SDF: too short to strip anything
		{"وأكدت", "أكدت"},      // and she confirmed → she confirmed
	}
	for _, tt := range tests {
		if got := stem(arabic.Normalize(tt.in)); got != arabic.Normalize(tt.want) {
			t.Errorf("stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// words returns a sentence of n distinct Latin words starting with prefix:
// sentences that share no word, so only position and length rank them.
func words(prefix string, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return strings.Join(w, " ") + "."
}

// The hand weights' stop rule (Defaults, without LeadLength) fills the
// budget: the summary less its longest sentence stays under it.
func TestHandWeightsFillBudget(t *testing.T) {
	lead, b25, c25, d5 := words("a", 10), words("b", 25), words("c", 25), words("d", 5)
	tests := []struct {
		name string
		body []string
		opt  Options
		want []string
	}{
		// 10 + 25 crosses 30 words, and the 25-word sentence may be the one
		// that crosses: the 5-word sentence still fits under it (15 < 30),
		// the second 25-word sentence does not (35 ≥ 30) and is passed over.
		{"longest crosses, gap filled", []string{lead, b25, c25, d5}, Options{Words: 30}, []string{lead, b25, d5}},
		// A sentence that alone exceeds the budget may cross it after the lead.
		{"long sentence crosses", []string{lead, words("b", 40)}, Options{Words: 30}, []string{lead, words("b", 40)}},
		// A run-on of more than 60 words ranks below the sentence after it.
		{"run-on ranked down", []string{lead, words("b", 70), words("c", 20)}, Options{Words: 30, MaxSentences: 2}, []string{lead, words("c", 20)}},
		// The lead alone is over budget: it is the sentence that crosses, and
		// what fits under the budget beside it comes in rank order.
		{"lead crosses", []string{words("a", 50), words("b", 10), words("c", 10)}, Options{Words: 15}, []string{words("a", 50), words("b", 10)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SummarizeWith("", strings.Join(tt.body, "\n"), tt.opt, Defaults)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SummarizeWith(Defaults, %d sentences, %+v) = %d sentences %.80q, want %.80q", len(tt.body), tt.opt, len(got), got, tt.want)
			}
		})
	}
}

// stem works on the bytes of a token; it stems every word of the seed and
// of the tests' articles as the rune-by-rune stem it replaced did.
func TestStemIsRuneStem(t *testing.T) {
	_, body := seed(t)
	toks := arabic.Tokens(body)
	for _, w := range []string{"والمقاتلين", "فالمقاتلين", "ولد", "فيها", "ها", "ي", "واوي", "ووو", "يهيه", "a", ""} {
		toks = append(toks, arabic.Normalize(w))
	}
	for _, w := range toks {
		if got, want := stem(w), stemRunes(w); got != want {
			t.Errorf("stem(%q) = %q, want %q", w, got, want)
		}
	}
}

// stemRunes is stem as it was written over runes, to check the byte version against.
func stemRunes(w string) string {
	r := []rune(w)
	for _, p := range [...]string{"وال", "بال", "كال", "فال", "لل", "ال"} {
		pr := []rune(p)
		if runesHavePrefix(r, pr) && len(r)-len(pr) >= 3 {
			r = r[len(pr):]
			goto suffixes
		}
	}
	if len(r) >= 5 && (r[0] == 'و' || r[0] == 'ف') {
		r = r[1:]
	}
suffixes:
	for _, s := range [...]string{"ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"} {
		sr := []rune(s)
		if runesHaveSuffix(r, sr) && len(r)-len(sr) >= 3 {
			r = r[:len(r)-len(sr)]
		}
	}
	return string(r)
}

func runesHavePrefix(r, p []rune) bool {
	if len(r) < len(p) {
		return false
	}
	for i := range p {
		if r[i] != p[i] {
			return false
		}
	}
	return true
}

func runesHaveSuffix(r, s []rune) bool {
	if len(r) < len(s) {
		return false
	}
	off := len(r) - len(s)
	for i := range s {
		if r[off+i] != s[i] {
			return false
		}
	}
	return true
}
