package summary

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			// "The coalition met. The ministers confirmed their resolve!"
			name: "full stop and exclamation",
			in:   "اجتمع التحالف. أكد الوزراء عزمهم!",
			want: []string{"اجتمع التحالف.", "أكد الوزراء عزمهم!"},
		},
		{
			// "Is the threat over? No; it continues؛ they said."
			name: "question marks and semicolons",
			in:   "هل انتهى التهديد؟ لا; إنه مستمر؛ قالوا.",
			want: []string{"هل انتهى التهديد؟", "لا;", "إنه مستمر؛", "قالوا."},
		},
		{
			// "The ministers, in Rome, met, then left." — the Arabic comma never splits.
			name: "arabic comma",
			in:   "اجتمع الوزراء، في روما، ثم غادروا.",
			want: []string{"اجتمع الوزراء، في روما، ثم غادروا."},
		},
		{
			// "The rate rose to 2.5 percent and ٣.٧ million."
			name: "decimals",
			in:   "ارتفع المعدل إلى 2.5 بالمئة و٣.٧ مليون. انتهى.",
			want: []string{"ارتفع المعدل إلى 2.5 بالمئة و٣.٧ مليون.", "انتهى."},
		},
		{
			// "Tremors lasted 16 years before Vesuvius erupted (79 BC) and
			// also those before Kilauea." — ق.م (BC), ص.ب (PO box): Arabic
			// abbreviations, one letter, a full stop and the next letter.
			name: "arabic abbreviations",
			in:   "استمرت الهزات 16 عاما قبل ثوران بركان فيزوف (79 ق.م) وكذلك قبل بركان كيلوا. راسلونا على ص.ب 1234.",
			want: []string{"استمرت الهزات 16 عاما قبل ثوران بركان فيزوف (79 ق.م) وكذلك قبل بركان كيلوا.", "راسلونا على ص.ب 1234."},
		},
		{
			// "It was founded in 1990 AD. Then it grew." "It ended.He said" —
			// a one-letter word before a spaced full stop, or a full stop
			// with no space after a longer word, still ends a sentence.
			name: "one-letter word ending a sentence",
			in:   "تأسست عام 1990 م. ثم توسعت. انتهى.وقال إنه مستمر.",
			want: []string{"تأسست عام 1990 م.", "ثم توسعت.", "انتهى.", "وقال إنه مستمر."},
		},
		{
			// "The U.S. envoy J. Smith visited 7al.net today."
			name: "latin initials and domains",
			in:   "زار مبعوث U.S. السيد J. Smith موقع 7al.net اليوم. ثم غادر.",
			want: []string{"زار مبعوث U.S. السيد J. Smith موقع 7al.net اليوم.", "ثم غادر."},
		},
		{
			// "«ISIS threats are not over».. the coalition confirms" — the headline's ellipsis is a pause.
			name: "ellipsis",
			in:   "«تهديدات داعش لم تنته».. التحالف يؤكد… عزمه... على القتال.",
			want: []string{"«تهديدات داعش لم تنته».. التحالف يؤكد… عزمه... على القتال."},
		},
		{
			// He said: «We will not retreat. We will continue.» then left.
			name: "full stop inside guillemets",
			in:   "قال: «لن نتراجع. سنواصل.» ثم غادر. انتهى.",
			want: []string{"قال: «لن نتراجع. سنواصل.» ثم غادر.", "انتهى."},
		},
		{
			// "He said “it is unacceptable.” Then he left." — the closing quote stays with its sentence.
			name: "closing quote after the stop",
			in:   "وقال “إنه غير مقبول.” ثم غادر (بسرعة.) وانتهى.",
			want: []string{"وقال “إنه غير مقبول.”", "ثم غادر (بسرعة.)", "وانتهى."},
		},
		{
			// "Why?! Because." — a run of marks is one end.
			name: "run of marks",
			in:   "لماذا؟! لأن.",
			want: []string{"لماذا؟!", "لأن."},
		},
		{
			// A line break ends a sentence even without a mark; blank lines and lone marks vanish.
			name: "line breaks",
			in:   "عنوان بلا نقطة\n\n\nفقرة أولى\r\nفقرة ثانية\n . \n",
			want: []string{"عنوان بلا نقطة", "فقرة أولى", "فقرة ثانية"},
		},
		{
			// "Noah.And the word" — a missing space after the stop still ends the sentence.
			name: "no space after stop",
			in:   "يرجعه البعض إلى نوح.و تعني كلمة العود الخشب",
			want: []string{"يرجعه البعض إلى نوح.", "و تعني كلمة العود الخشب"},
		},
		{
			// An unclosed « must not swallow the rest of the line.
			name: "unclosed guillemet",
			in:   "قال «لن نتراجع. ثم غادر.",
			want: []string{"قال «لن نتراجع.", "ثم غادر."},
		},
		{name: "empty", in: "", want: nil},
		{name: "only punctuation", in: "... ؟ ! ، ;", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Split(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// checkSplit states what Split guarantees for any input.
func checkSplit(t *testing.T, in string) {
	got := Split(in)
	rest := in
	for _, s := range got {
		if s == "" || s != strings.TrimSpace(s) {
			t.Fatalf("Split(%q): sentence %q is empty or untrimmed", in, s)
		}
		if !utf8.ValidString(s) && utf8.ValidString(in) {
			t.Fatalf("Split(%q): sentence %q is not valid UTF-8", in, s)
		}
		if strings.ContainsAny(s, "\n\r") {
			t.Fatalf("Split(%q): sentence %q spans a line break", in, s)
		}
		i := strings.Index(rest, s)
		if i < 0 {
			t.Fatalf("Split(%q): sentence %q is not a substring in order", in, s)
		}
		rest = rest[i+len(s):]
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"اجتمع التحالف. أكد الوزراء عزمهم!",
		"قال: «لن نتراجع. سنواصل.» ثم غادر.",
		"2.5 U.S. 7al.net ... … ؟! ؛ ;",
		"«تهديدات “داعش” لم تنته».. “التحالف”\n\nهل أعجبك المحتوى؟",
		"\xff\xfe.«",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkSplit(t, in)
		// Summarize shares the splitter; it must hold the same inputs.
		out := Summarize("", in, Options{Words: 20, MaxSentences: 3})
		if len(out) > 3 {
			t.Fatalf("Summarize(%q) = %d sentences, want at most 3", in, len(out))
		}
	})
}
