package summary

import (
	"strings"
	"testing"

	"nashra/digest/arabic"
)

// The digest's summary options.
var digestOpt = Options{Words: 60, MaxSentences: 2, MaxWords: 60}

// A sentence that opens with «وأضاف» ("and he added") speaks of someone
// named in the sentence before it: without that sentence the reader does
// not know who. It is in a summary only right after the sentence it leans
// on.
func TestSummaryHasNoDanglingOpener(t *testing.T) {
	body := strings.Join([]string{
		"أحبطت قوات سوريا الديمقراطية اليوم محاولة تسلل لخلايا من تنظيم داعش إلى ريف دير الزور الشرقي.",       // SDF foiled an ISIS infiltration into eastern Deir ez-Zor.
		"وشهدت المنطقة خلال الأسابيع الماضية هجمات متكررة على نقاط قوات سوريا الديمقراطية في ريف دير الزور.",  // The area saw repeated attacks on SDF posts.
		"وقال القيادي في المجلس العسكري إن التنسيق مع التحالف الدولي مستمر.",                                  // A council commander said coordination goes on.
		"وأضاف أن قوات سوريا الديمقراطية والتحالف الدولي سيواصلان ملاحقة خلايا داعش في ريف دير الزور الشرقي.", // "And he added" that the SDF and the coalition will keep chasing ISIS cells.
		"وتابع أن خلايا داعش ما زالت تشكل تهديداً في دير الزور.",                                              // "And he went on" that the cells are still a threat.
	}, " ")
	for _, opt := range []Options{digestOpt, {Words: 60, MaxSentences: 3}, {MaxSentences: 2}} {
		got := Summarize("", body, opt)
		for i, s := range got {
			first := arabic.Tokens(s)[0]
			if !danglingOpeners[first] {
				continue
			}
			if i == 0 || !strings.Contains(body, got[i-1]+" "+s) {
				t.Errorf("Summarize(%+v) = %q: %q leans on a sentence the summary leaves out", opt, got, s)
			}
		}
	}
}

// A quotation the summary opens, it closes: a sentence that leaves a
// quote open (the quote goes on in the next paragraph) is not chosen
// alone.
func TestSummaryLeavesNoQuoteOpen(t *testing.T) {
	body := strings.Join([]string{
		"أعلنت الإدارة الذاتية اليوم عن خطة جديدة لإعادة النازحين من مخيم الهول إلى مناطقهم في دير الزور والرقة.",                                                                                                                                    // The AANES announced a plan to return the displaced from al-Hol.
		"وقال مسؤول في الإدارة الذاتية: «الخطة تشمل آلاف العائلات من مخيم الهول ودير الزور والرقة.",                                                                                                                                                  // An official said: «The plan covers thousands of families from al-Hol…
		"وستبدأ أولى القوافل الشهر المقبل بعد أن تنتهي اللجان من تسجيل أسماء الراغبين في العودة وتدقيق أوضاعهم الأمنية والتأكد من جاهزية القرى والبلدات التي سيعودون إليها من حيث الخدمات والمدارس والمراكز الصحية وشبكات المياه والكهرباء والطرق».", // …the first convoys leave next month, once committees have registered those who wish to return (a long sentence)
		"ويضم مخيم الهول عشرات الآلاف من النازحين واللاجئين.",                                                                                                                                                                                        // Al-Hol holds tens of thousands.
	}, "\n") // a paragraph each: the quotation runs over two
	for _, opt := range []Options{digestOpt, {Words: 60, MaxSentences: 3}, {MaxSentences: 2}, {Words: 40}} {
		got := strings.Join(Summarize("", body, opt), " ")
		if open := strings.Count(got, "«") - strings.Count(got, "»"); open != 0 {
			t.Errorf("Summarize(%+v) = %q: %d quotation(s) left open", opt, got, open)
		}
	}
}

// The digest's summary is at most two sentences and 60 words, whatever the
// article; a lead longer than that is cut at a clause and marked so.
func TestDigestSummaryBounds(t *testing.T) {
	title, seedBody := seed(t)
	long := strings.Repeat("تواصل قوات سوريا الديمقراطية عملياتها ضد خلايا داعش في ريف دير الزور الشرقي، ", 8) + "بحسب مصادر محلية." // a run-on lead of ~90 words
	for _, tc := range []struct{ name, title, body string }{
		{"seed", title, seedBody},
		{"a run-on lead", "", long + " وقال مصدر إن العمليات مستمرة."},
	} {
		got := Summarize(tc.title, tc.body, digestOpt)
		words := 0
		for _, s := range got {
			words += len(arabic.Tokens(s))
		}
		if len(got) == 0 || len(got) > 2 || words > 60 {
			t.Errorf("%s: %d sentences, %d words: %q; want 1–2 sentences and at most 60 words", tc.name, len(got), words, got)
		}
		if tc.name == "a run-on lead" && (!strings.HasSuffix(got[0], "…") || !strings.HasPrefix(got[0], "تواصل قوات سوريا الديمقراطية")) {
			t.Errorf("a cut lead reads %q; want its start, ending in …", got[0])
		}
	}
}

// A sentence that ends on a colon announces what comes after it (a list,
// a statement): alone it promises the reader something the summary does
// not give. It is in a summary only right before the sentence it opens.
func TestSummaryLeavesNoColonHanging(t *testing.T) {
	body := strings.Join([]string{
		"أعلنت الإدارة الذاتية اليوم خطة لإعادة النازحين من مخيم الهول إلى مناطقهم في ريف دير الزور والرقة بالتنسيق مع وجهاء العشائر والمجالس المحلية في تلك المناطق.", // The AANES announced a plan to return al-Hol's displaced to Deir ez-Zor and Raqqa, with the tribes and local councils.
		"تمر خطة إعادة النازحين من مخيم الهول بمرحلتين وهما:", // The plan to return al-Hol's displaced has two stages:
		"تسجيل أسماء العائلات: وتتولاه لجان من المجالس المحلية في دير الزور والرقة تزور المخيم وتدون أسماء العائلات الراغبة في العودة وتدقق أوضاعها الأمنية وتتأكد من جاهزية القرى التي ستعود إليها من حيث الخدمات والمدارس والمراكز الصحية.", // Registering the families: committees visit the camp… (a long item)
		"نقل العائلات: وتنطلق القوافل من مخيم الهول بحماية قوى الأمن الداخلي بعد أن تنتهي اللجان من التسجيل وتستمر حتى عودة آخر عائلة مسجلة إلى قريتها في ريف دير الزور أو الرقة.",                                                            // Moving the families: convoys leave under guard… (a long item)
	}, "\n\n")
	for _, opt := range []Options{digestOpt, {Words: 60, MaxSentences: 3}, {MaxSentences: 2}, {Words: 30}} {
		got := Summarize("", body, opt)
		for i, s := range got {
			if !strings.HasSuffix(strings.TrimSpace(s), ":") {
				continue
			}
			after := body[strings.Index(body, s)+len(s):]
			if i+1 == len(got) || !strings.HasPrefix(strings.TrimSpace(after), got[i+1]) {
				t.Errorf("Summarize(%+v) = %q: %q announces a sentence the summary leaves out", opt, got, s)
			}
		}
	}
}

// A lead that ends on a colon brings the sentence it announces when the
// limits allow, and otherwise ends with «…», so the summary does not stop
// on a promise.
func TestLeadEndingOnAColon(t *testing.T) {
	body := strings.Join([]string{
		"قالت القيادة العامة لقوات سوريا الديمقراطية في بيان صدر مساء اليوم:",                                              // The SDF general command said in a statement this evening:
		"«أحبطت قواتنا بدعم من التحالف الدولي هجوماً لخلايا داعش على سجن الصناعة في الحسكة، واعتقلت عشرة من المهاجمين».",   // «Our forces, backed by the coalition, foiled an ISIS attack on the Sina'a prison in Hasakah and arrested ten attackers».
		"وشهدت مدينة الحسكة خلال الأشهر الماضية توتراً أمنياً متكرراً في محيط السجن ومخيم الهول وفي ريف دير الزور الشرقي.", // Hasakah saw repeated tension around the prison and al-Hol.
		"ويضم سجن الصناعة آلاف المحتجزين من عناصر تنظيم داعش من جنسيات مختلفة.",                                            // The prison holds thousands of ISIS detainees.
	}, "\n\n")
	for _, opt := range []Options{digestOpt, {Words: 60, MaxSentences: 3}, {MaxSentences: 2}} {
		got := Summarize("", body, opt)
		if len(got) < 2 || !strings.HasPrefix(got[1], "«أحبطت قواتنا") {
			t.Errorf("Summarize(%+v) = %q; want the lead and the statement it announces", opt, got)
		}
	}
	// With room for one sentence only, the lead says it is cut.
	got := Summarize("", body, Options{MaxSentences: 1})
	if len(got) != 1 || !strings.HasSuffix(got[0], "…") || strings.HasSuffix(strings.TrimSuffix(got[0], "…"), ":") {
		t.Errorf("one sentence: %q; want the lead ending in «…» instead of the colon", got)
	}
}
