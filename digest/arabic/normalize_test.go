package arabic

import (
	"os"
	"slices"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "قسد", "قسد"},                       // SDF
		{"diacritics", "تهديّدات", "تهديدات"},         // threats, with shadda
		{"tanween", "قسدٌ", "قسد"},                    // SDF with dammatan
		{"harakat", "تَنْتَهِ", "تنته"},               // ends (jussive), fully vowelled
		{"tatweel", "لـقسد", "لقسد"},                  // to SDF, with tatweel
		{"long tatweel", "داعـــش", "داعش"},           // ISIS stretched for typography
		{"hamza above alef", "أكد", "اكد"},            // confirmed
		{"hamza below alef", "إعادة", "اعاده"},        // return
		{"madda alef", "آذار", "اذار"},                // March
		{"wasla alef", "ٱلدولة", "الدوله"},            // the state, with alef wasla
		{"superscript alef", "هٰذا", "هذا"},           // this, Quranic spelling
		{"alef maksura", "مصطفى", "مصطفي"},            // Mustafa
		{"ta marbuta", "الرقة", "الرقه"},              // Raqqa
		{"persian yeh and keheh", "کوبانی", "كوباني"}, // Kobani typed on a Persian keyboard
		{"arabic-indic digits", "٢٠١٩", "2019"},
		{"persian digits", "۲۲۵۴", "2254"},
		{"latin case", "SDF ISIS", "sdf isis"},
		{"presentation form lam-alef", "ﻻ", "لا"},                              // no, as one ligature glyph
		{"presentation forms word", "ﺩﺍﻋﺶ", "داعش"},                            // ISIS in isolated/final forms
		{"zero-width removed", "قس\u200dد\u200b", "قسد"},                       // SDF with ZWJ and ZWSP inside
		{"bidi marks removed", "\u200fقسد\u200e", "قسد"},                       // SDF wrapped in RLM/LRM
		{"quranic marks", "الرقة\u06D6", "الرقه"},                              // Raqqa with a pause mark
		{"exposed composition", "e\u064B\u0301", "\u00e9"},                     // a removed mark between e and an accent
		{"keeps hamza on waw/yeh", "مسؤول سائق", "مسؤول سائق"},                 // official, driver
		{"democra- with waw", "الديموقراطيّة", "الديمقراطيه"},                  // "the democratic", the spelling with و
		{"democra- inside a word", "للديموقراطيين", "للديمقراطيين"},            // "for the democrats"
		{"democra- already short", "الديمقراطية", "الديمقراطيه"},               // "the democratic", the other spelling
		{"militia with two yehs", "الميليشيات", "المليشيات"},                   // "the militias", the spelling with ي after م
		{"respelling is not recursive", "ديموديموقراطقراط", "ديموديمقراطقراط"}, // nonsense around the stem
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("Normalize not idempotent on %q: %q then %q", tt.in, got, again)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"punctuation only", " «»،؟ _-/ ", nil},
		// "to 'SDF'": tatweel and typographic quotes split the prefix from the name.
		{"attached prefix with quotes", "لـ”قسد”", []string{"ل", "قسد"}},
		// "#Syrian_Democratic_Forces (SDF)": hashtag split on underscores.
		{"hashtag", "#قوات_سوريا_الديمقراطية (قسد)", []string{"قوات", "سوريا", "الديمقراطيه", "قسد"}},
		// "«ISIS threats have not ended yet»"
		{"guillemets and quotes", "«تهديّدات “داعش” لم تنتهِ بعد»", []string{"تهديدات", "داعش", "لم", "تنته", "بعد"}},
		// "the American" followed directly by a quoted name: "Antony Blinken".
		{"quote glued to word", "الأميركي”أنتوني بلنكن”", []string{"الاميركي", "انتوني", "بلنكن"}},
		// "March/March 2019" in Syriac and Latin month names.
		{"slash and digits", "آذار/مارس 2019", []string{"اذار", "مارس", "2019"}},
		// "Security Council resolution (2254)"
		{"parentheses", "قرار (٢٢٥٤)", []string{"قرار", "2254"}}, // resolution
		// "SDF, ISIS; Raqqa?"
		{"arabic punctuation", "قسد،داعش؛الرقة؟", []string{"قسد", "داعش", "الرقه"}},
		{"hyphen and apostrophes", "pro-ISIS SDF's ‘x’ „y“ 'z' \"w\"", []string{"pro", "isis", "sdf", "s", "x", "y", "z", "w"}},
		// Persian-style ZWNJ between morphemes separates tokens.
		{"zwnj separates", "قسد\u200cداعش", []string{"قسد", "داعش"}}, // SDF, ISIS
		{"latin words", "The SDF and ISIS", []string{"the", "sdf", "and", "isis"}},
		// "the Autonomous Administration" in presentation forms.
		{"presentation forms", "ﺍﻹﺩﺍﺭﺓ", []string{"الاداره"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tokens(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokensOfArticle(t *testing.T) {
	text := readArticle(t)
	toks := Tokens(text)
	if len(toks) < 300 {
		t.Fatalf("Tokens(article) gave %d tokens, want at least 300", len(toks))
	}
	for _, tok := range toks {
		if tok == "" || Normalize(tok) != tok || !utf8.ValidString(tok) {
			t.Errorf("token %q is empty or not normalised", tok)
		}
	}
	for _, want := range []string{"قسد", "داعش", "تهديدات", "2254", "الباغوز"} { // SDF, ISIS, threats, resolution number, Baghuz
		if !slices.Contains(toks, want) {
			t.Errorf("Tokens(article) lacks %q", want)
		}
	}
}

func readArticle(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/article.txt")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
