package digest

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"nashra/digest/arabic"
)

func TestPlainHashtags(t *testing.T) {
	tests := []struct{ in, want string }{
		// "Foreign ministers of #the_international_coalition to defeat #ISIS"
		{"أكد وزراء خارجية #التحالف_الدولي لهزيمة تنظيم #داعش.", "أكد وزراء خارجية التحالف الدولي لهزيمة تنظيم داعش."},
		{"#قوات_سوريا_الديمقراطية", "قوات سوريا الديمقراطية"}, // SDF
		{"(#دير_الزور)، اليوم", "(دير الزور)، اليوم"},         // "(Deir ez-Zor), today"
		{"«#قسد»", "«قسد»"},
		{"التحالف و#قوات_سوريا_الديمقراطية ول#داعش", "التحالف وقوات سوريا الديمقراطية ولداعش"}, // proclitics written onto the tags                                                      // in quotes
		{"#SDF_statement and #ISIS", "SDF statement and ISIS"},                   // Latin tags too
		{"#الرقة__اليوم_", "الرقة اليوم"},                                        // doubled and trailing '_'
		{"#سوريا_2026 الجديدة", "سوريا 2026 الجديدة"},                            // digits inside a tag
		{"المرتبة #1 عالمياً", "المرتبة #1 عالمياً"},                             // "#1": a rank, not a tag
		{"https://7al.net/page#top and x#y", "https://7al.net/page#top and x#y"}, // inside an address or a word
		{"C# و ## و #", "C# و ## و #"},                                           // no letter after it
		{"snake_case_name", "snake_case_name"},                                   // '_' outside a tag stays
	}
	for _, tt := range tests {
		if got := plainHashtags(tt.in); got != tt.want {
			t.Errorf("plainHashtags(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestShownSummaryTwoSentences(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"three sentences, two shown",
			// "The first. The second? The third!"
			[]string{"الجملة الأولى.", "الجملة الثانية؟", "الجملة الثالثة!"},
			[]string{"الجملة الأولى.", "الجملة الثانية؟"}},
		{"several sentences in one item are cut too",
			[]string{"ارتفع السعر 3.5 بالمئة. وقال المسؤول إن U.S. قوات باقية! والثالثة هنا."}, // "the price rose 3.5%. The official said U.S. forces stay! The third here."
			[]string{"ارتفع السعر 3.5 بالمئة.", "وقال المسؤول إن U.S. قوات باقية!"}},
		{"an ellipsis is a pause, as the summariser reads it",
			[]string{"قال إن الوضع صعب… لكنه تحسن.", "ثم غادر."}, // "he said it was hard… but better. Then he left."
			[]string{"قال إن الوضع صعب… لكنه تحسن.", "ثم غادر."}},
		{"hashtags become words",
			[]string{"بيان #قسد اليوم.", "#التحالف_الدولي يرد."}, // "SDF statement today. The coalition answers."
			[]string{"بيان قسد اليوم.", "التحالف الدولي يرد."}},
		{"a list item's marker is dropped",
			// "The institute in Amman invites children to draw. - Drawings are sent before 23 May."
			[]string{"دعا معهد ثربانتس بعمان الأطفال للرسم.", "- تُرسل الرسومات قبل يوم 23 أيار."},
			[]string{"دعا معهد ثربانتس بعمان الأطفال للرسم.", "تُرسل الرسومات قبل يوم 23 أيار."}},
		{"every kind of bullet, and only at the start",
			// "• Prizes are given on Thursday. * Where does a design's idea come from?"
			[]string{"• تُقدَّم الجوائز يوم الخميس.", "* كيف تأتي فكرة التصميم؟"},
			[]string{"تُقدَّم الجوائز يوم الخميس.", "كيف تأتي فكرة التصميم؟"}},
		{"a dash that is not a bullet stays",
			// "-5 degrees tonight. Amman - Al-Rai - the institute invited…"
			[]string{"-5 درجات الليلة.", "عمان - الرأي - دعا المعهد."},
			[]string{"-5 درجات الليلة.", "عمان - الرأي - دعا المعهد."}},
		{"a sentence the summariser cut at a semicolon ends with a full stop",
			// "Nature means the physical world; The word refers to the world's phenomena;"
			[]string{"الطبيعة تعني العالم الفيزيائي ؛", "وتشير كلمة الطبيعة إلى ظاهرة العالم الفيزيائي؛"},
			[]string{"الطبيعة تعني العالم الفيزيائي.", "وتشير كلمة الطبيعة إلى ظاهرة العالم الفيزيائي."}},
		{"one sentence", []string{"جملة واحدة"}, []string{"جملة واحدة"}},
		{"none", nil, nil},
	}
	for _, tt := range tests {
		if got := shownSummary(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%s: shownSummary(%q) = %q; want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// Whatever the text, the way a digest shows a sentence changes marks, not
// words: the words of the shown sentence are those of the sentence with
// its hashtags written out, it is valid UTF-8 when the sentence is, and it
// never ends on a semicolon.
func FuzzShownSentence(f *testing.F) {
	for _, s := range []string{"- تُرسل الرسومات قبل يوم 23 أيار.", "• بند", "الطبيعة تعني العالم ؛ ", "#قسد؛", "-5 درجات", "* ", "- ", "؛", "a;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := shownSentence(s)
		if want := arabic.Tokens(plainHashtags(s)); !slices.Equal(arabic.Tokens(got), want) {
			t.Fatalf("shownSentence(%q) = %q: words %q; want %q", s, got, arabic.Tokens(got), want)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("shownSentence(%q) = %q: not UTF-8", s, got)
		}
		if end := strings.TrimRightFunc(got, unicode.IsSpace); strings.HasSuffix(end, "؛") || strings.HasSuffix(end, ";") {
			t.Fatalf("shownSentence(%q) = %q ends on a semicolon", s, got)
		}
	})
}
