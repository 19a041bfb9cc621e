package summary

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitTitle(t *testing.T) {
	wrapped := "أكد وزراء خارجية التحالف الدولي لهزيمة تنظيم داعش اليوم الاثنين\n" + // the coalition's foreign ministers affirmed on Monday…
		"عزمهم المشترك على مواصلة القتال ضد التنظيم في سوريا والعراق وقالوا\n" +
		"إن التهديدات لم تنته بعد."
	for _, tc := range []struct {
		name, text, title, body string
	}{
		{"title, blank line, body",
			"قسد تحبط تسلل عناصر من داعش\n\nأحبطت قوات سوريا الديمقراطية تسللاً.", // SDF foils an ISIS infiltration
			"قسد تحبط تسلل عناصر من داعش", "أحبطت قوات سوريا الديمقراطية تسللاً."},
		{"a short title right above a long paragraph",
			"قسد تحبط تسلل عناصر من داعش\nأحبطت قوات سوريا الديمقراطية، اليوم الأحد، محاولة تسلل لعناصر من تنظيم داعش إلى ريف دير الزور الشرقي.",
			"قسد تحبط تسلل عناصر من داعش", "أحبطت قوات سوريا الديمقراطية، اليوم الأحد، محاولة تسلل لعناصر من تنظيم داعش إلى ريف دير الزور الشرقي."},
		{"one paragraph on one line",
			"أحبطت قوات سوريا الديمقراطية تسللاً. وقال مصدر إن العملية نجحت.", // a whole article on one line
			"", "أحبطت قوات سوريا الديمقراطية تسللاً. وقال مصدر إن العملية نجحت."},
		{"hard-wrapped, the first line a piece of a sentence", wrapped, "", wrapped},
		{"a first line that ends a sentence",
			"أحبطت قسد تسللاً.\n\nوقال مصدر إن العملية نجحت.", "", "أحبطت قسد تسللاً.\n\nوقال مصدر إن العملية نجحت."},
		{"a title alone", "قسد تحبط تسلل عناصر من داعش\n\n  \n", "", "قسد تحبط تسلل عناصر من داعش"},
		{"leading blank lines", "\n\n  \nTitle here\n\nBody text.", "Title here", "Body text."},
		{"too long to be a title",
			strings.Repeat("كلمة ", 30) + "\n\nنص.", "", strings.Repeat("كلمة ", 30) + "\n\nنص."}, // "word" ×30, then "text"
		{"empty", " \n\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			title, body := SplitTitle(tc.text)
			if title != tc.title || body != tc.body {
				t.Errorf("SplitTitle(%q)\n = %q, %q\nwant %q, %q", tc.text, title, body, tc.title, tc.body)
			}
		})
	}
}

// Whatever the text, nothing of it is lost: the title and the body hold
// every word, in order.
func FuzzSplitTitle(f *testing.F) {
	for _, s := range []string{"عنوان\n\nنص.", "نص طويل على سطر واحد.", "a\nb\nc", "\n\n", "x.\ny"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		title, body := SplitTitle(text)
		if strings.Contains(title, "\n") {
			t.Fatalf("title %q spans lines", title)
		}
		got := strings.Fields(title + " " + body)
		want := strings.Fields(text)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("SplitTitle(%q) = %q, %q: words lost or moved", text, title, body)
		}
	})
}
