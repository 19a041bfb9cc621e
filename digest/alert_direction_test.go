package digest

import (
	"strings"
	"testing"

	"nashra/bidi/biditest"
	"nashra/digest/articles"
)

// An alert reads as a digest does: the label in the reader's language, the
// story right to left with its Latin names, numbers and hashtags in place.
func TestAlertReadsInItsDirection(t *testing.T) {
	a := articles.Article{
		Title: "#عاجل_اليوم «قسد» و SDF: 5–10 قتلى في دير الزور", // SDF: 5–10 killed in Deir ez-Zor
		Link:  "https://7al.net/2026/11/30/sdf/",
		Summary: []string{
			"قالت قوات سوريا الديمقراطية (SDF) إن #التحالف_الدولي شارك في العملية.", // the coalition took part
			"وأضافت أن الوضع تحت السيطرة.",
		},
	}
	for _, lang := range []string{"ar", "en"} {
		got := RenderAlert(a, lang)
		for _, p := range biditest.Problems("", got) {
			t.Errorf("%s: %s\n%s", lang, p, got)
		}
		if strings.Contains(got, "#التحالف") || strings.Contains(got, "_الدولي") {
			t.Errorf("%s: a hashtag mark is left in the alert:\n%s", lang, got)
		}
	}
}

// A summary sentence that was a list item in the article reads in an alert
// without its bullet, as in a digest.
func TestAlertDropsListBullets(t *testing.T) {
	a := articles.Article{
		Title: "معهد ثربانتس يدعو الأطفال إلى مسابقة رسم", // the Cervantes institute invites children to a drawing contest
		Link:  "https://7al.net/2026/11/30/art/",
		Summary: []string{
			"دعا معهد ثربانتس بعمان الأطفال للمشاركة بمسابقة الرسم الأولى.", // invited children to its first drawing contest
			"- تُرسل الرسومات قبل يوم 23 أيار.",                             // - drawings are sent before 23 May
		},
	}
	got := RenderAlert(a, "ar")
	if !strings.Contains(got, "الأولى. تُرسل الرسومات") {
		t.Errorf("the list item keeps its bullet, or is lost:\n%s", got)
	}
}
