package arabic

import (
	"testing"
)

func TestContains(t *testing.T) {
	tests := []struct {
		name  string
		query string
		text  string
		want  bool
	}{
		// «قسد» (SDF) against the forms it takes in articles.
		{"sdf bare", "قسد", "قالت قسد", true},                                        // "SDF said"
		{"sdf after tatweel and quote", "قسد", "القائد العام لـ”قسد”", true},         // "the commander-in-chief of 'SDF'"
		{"sdf with waw", "قسد", "الجيش وقسد", true},                                  // "the army and SDF"
		{"sdf with ba", "قسد", "اتصال بقسد", true},                                   // "contact with SDF"
		{"sdf with lil", "قسد", "دعم للقسد", true},                                   // "support for the SDF"
		{"sdf with article", "قسد", "القسد", true},                                   // "the SDF" (informal)
		{"sdf with waw and ba", "قسد", "وبقسد", true},                                // "and with SDF"
		{"sdf with waw and lil", "قسد", "وللقسد", true},                              // "and for the SDF"
		{"sdf in hashtag parentheses", "قسد", "#قوات_سوريا_الديمقراطية (قسد)", true}, // "#Syrian_Democratic_Forces (SDF)"
		{"sdf with tanween", "قسد", "قسدٌ", true},                                    // SDF, vowelled
		{"sdf not inside nisba", "قسد", "القسدية", false},                            // "the SDF-ish" (adjective): short queries never match through suffixes
		{"sdf hashtag query", "#قسد", "لـ”قسد”", true},                               // hashtag query, "to 'SDF'"

		// «سد» (dam) must never match «قسد» (SDF) or words that merely end in it.
		{"dam not in sdf", "سد", "قسد", false},                       // SDF
		{"dam not in sdf with prefix", "سد", "لـ”قسد” وبقسد", false}, // "to SDF, and with SDF"
		{"dam not in stagnation", "سد", "كسد", false},                // "stagnation" (ك is not a clitic here)
		{"dam not in corrupted", "سد", "فسد", false},                 // "became corrupt"
		{"dam with article", "سد", "السد", true},                     // "the dam"
		{"dam with bal", "سد", "بالسد", true},                        // "at the dam"
		{"dam bare", "سد", "سد تشرين", true},                         // "Tishrin dam"

		// Definite article and its combinations.
		{"raqqa with ba", "الرقة", "بالرقّة", true},            // "in Raqqa", with shadda
		{"raqqa with lil", "الرقة", "للرقة", true},             // "to Raqqa"
		{"raqqa with wal", "الرقة", "والرقة", true},            // "and Raqqa"
		{"raqqa not sergeant", "الرقة", "الرقيب", false},       // "the sergeant"
		{"raqqa not bare", "الرقة", "رقة", false},              // "tenderness": no article, not the city
		{"bare finds defined", "رقة", "الرقة", true},           // a bare keyword also finds the defined form
		{"hol camp", "الهول", "مخيم الهول", true},              // "al-Hol camp"
		{"hol not horror", "الهول", "هول الصدمة", false},       // "the horror of the shock"
		{"hol with bal", "الهول", "بالهول", true},              // "in al-Hol"
		{"lil before lam", "اللجنة", "للجنة", true},            // "the committee", "to the committee"
		{"coalition with ba", "التحالف", "بالتحالف", true},     // "the coalition", "with the coalition"
		{"coalition with wabal", "التحالف", "وبالتحالف", true}, // "and with the coalition"
		{"coalition with fal", "التحالف", "فالتحالف", true},    // "so the coalition"

		// Multi-word phrases match consecutive tokens.
		{"sdf full name in hashtag", "قوات سوريا الديمقراطية", "#قوات_سوريا_الديمقراطية (قسد)", true}, // Syrian Democratic Forces
		{"coalition phrase with ba", "التحالف الدولي", "بالتحالف الدولي", true},                       // "with the international coalition"
		{"coalition phrase hashtag", "التحالف الدولي", "#التحالف_الدولي لهزيمة", true},                // "#International_Coalition to defeat"
		{"phrase not split", "التحالف الدولي", "التحالف مع الدولي", false},                            // "the coalition with the international"
		{"phrase order", "دير الزور", "الزور دير", false},                                             // Deir ez-Zor, reversed
		{"phrase at end", "دير الزور", "شرقي دير الزور", true},                                        // "east of Deir ez-Zor"
		{"phrase longer than text", "شمال شرق سوريا", "شمال شرق", false},                              // North-East Syria, truncated

		// Suffixes, only for queries of four letters or more.
		{"threats to threat", "تهديد", "تهديّدات", true},     // "threat", "threats"
		{"camps to camp", "مخيم", "مخيماتها", true},          // "camp", "its camps"
		{"plural feminine", "منظمة", "المنظمات", true},       // "organisation", "the organisations"
		{"nisba plural", "العراقي", "العراقيين", true},       // "the Iraqi", "the Iraqis"
		{"nisba feminine", "الدولي", "الدولية", true},        // "international" m./f.
		{"no bare nisba strip", "الدول", "الدولي", false},    // "the states" vs "international"
		{"no dual strip", "طالب", "طالبان", false},           // "student" vs "Taliban"
		{"short query no suffix", "قوة", "قوات", false},      // "force", "forces": too short to strip safely
		{"pronoun suffix", "عائلات", "وعائلاتهم", true},      // "families", "and their families"
		{"civilians not cities", "المدن", "المدنيين", false}, // "the cities", "the civilians"
		{"bahrain not the sea", "البحر", "البحرين", false},   // "the sea", "Bahrain"
		{"no clitic inside word", "ايات", "الولايات", false}, // "verses", "the states"
		{"min stem after waw", "لد", "ولد", false},           // nonsense 2-letter query vs "boy"

		// Normalisation on both sides.
		{"alef folding", "إعادة", "اعادة", true},                // "return", typed with and without hamza
		{"alef folding reverse", "اعادة", "وإعادة", true},       // "return", "and return"
		{"digits", "2254", "القرار ٢٢٥٤", true},                 // resolution 2254
		{"arabic digits query", "٢٠١٩", "آذار/مارس 2019", true}, // 2019
		{"digits whole only", "225", "2254", false},
		{"democratic with waw", "قوات سوريا الديمقراطية", "قوات سوريا الديموقراطية", true},   // SDF, the other spelling
		{"democratic query with waw", "الاتحاد الديموقراطي", "حزب الاتحاد الديمقراطي", true}, // PYD, either spelling
		{"presentation forms", "داعش", "ﺩﺍﻋﺶ", true},                                         // ISIS in presentation forms
		{"tatweel in query", "داعـش", "لداعش", true},                                         // ISIS stretched, "for ISIS"

		// Latin whole words, case-insensitive.
		{"latin upper", "SDF", "the sdf said", true},
		{"latin lower", "sdf", "The SDF's statement", true},
		{"latin whole word", "sdf", "sdfx", false},
		{"latin in arabic", "ISIS", "تنظيم ISIS الإرهابي", true}, // "the terrorist ISIS organisation"
		{"latin phrase", "Global Coalition", "the global-coalition", true},
		{"latin no clitics", "is", "this", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := NewPhrase(tt.query)
			if !ok {
				t.Fatalf("NewPhrase(%q) failed", tt.query)
			}
			if got := NewText(tt.text).Contains(p); got != tt.want {
				t.Errorf("NewText(%q).Contains(%q) = %v, want %v (text variants %q)",
					tt.text, tt.query, got, tt.want, NewText(tt.text).variants)
			}
		})
	}
}

func TestContainsOutside(t *testing.T) {
	// "the Syrian government", outside "the Syrian interim government"
	// (the opposition's) and "the Syrian government of Assad".
	within := []string{"الحكومة السورية المؤقتة", "حكومة سوريا المؤقتة"}
	tests := []struct {
		name, query, text string
		want              bool
	}{
		{"alone", "الحكومة السورية", "قالت الحكومة السورية", true},                                               // "the Syrian government said"
		{"inside only", "الحكومة السورية", "رئيس الحكومة السورية المؤقتة", false},                                // "head of the Syrian interim government"
		{"inside with clitic", "الحكومة السورية", "وللحكومة السورية المؤقتة", false},                             // "and for the Syrian interim government"
		{"inside then outside", "الحكومة السورية", "الحكومة السورية المؤقتة والحكومة السورية", true},             // both, in one text
		{"outside then inside", "الحكومة السورية", "الحكومة السورية تحاور الحكومة السورية المؤقتة", true},        // both, the other order
		{"other within phrase", "الحكومة السورية", "حكومة سوريا المؤقتة", false},                                 // no query in the text at all
		{"within ends at text end", "الحكومة السورية", "الحكومة السورية", true},                                  // the within phrase would run past the end
		{"query longer than within", "الحكومة السورية المؤقتة الجديدة", "الحكومة السورية المؤقتة الجديدة", true}, // a query is never inside a shorter phrase
	}
	var ws []Phrase
	for _, w := range within {
		p, _ := NewPhrase(w)
		ws = append(ws, p)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := NewPhrase(tt.query)
			text := NewText(tt.text)
			if got := text.ContainsOutside(p, ws); got != tt.want {
				t.Errorf("NewText(%q).ContainsOutside(%q, %q) = %v, want %v", tt.text, tt.query, within, got, tt.want)
			}
			if text.ContainsOutside(p, nil) != text.Contains(p) {
				t.Errorf("ContainsOutside(%q) with nothing to stay outside of differs from Contains", tt.query)
			}
		})
	}
}

func TestContainsArticle(t *testing.T) {
	text := NewText(readArticle(t))
	tests := []struct {
		query string
		want  bool
	}{
		{"قسد", true}, // SDF
		{"قوات سوريا الديمقراطية", true}, // Syrian Democratic Forces
		{"داعش", true},            // ISIS
		{"التحالف الدولي", true},  // the international coalition
		{"الإدارة الذاتية", true}, // the Autonomous Administration
		{"شمال شرقي سوريا", true}, // north-east Syria
		{"الباغوز", true},         // al-Baghuz
		{"دير الزور", true},       // Deir ez-Zor
		{"مظلوم عبدي", true},      // Mazloum Abdi
		{"سد", false},             // dam
		{"الرقة", false},          // Raqqa
		{"الهول", false},          // al-Hol
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			p, _ := NewPhrase(tt.query)
			if got := text.Contains(p); got != tt.want {
				t.Errorf("article contains %q = %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestNewPhrase(t *testing.T) {
	tests := []struct {
		name, in, key, str string
		ok                 bool
	}{
		{"empty", "", "", "", false},
		{"spaces", "   ", "", "", false},
		{"punctuation", "«»#_", "", "", false},
		{"latin case", "SDF", "sdf", "SDF", true},
		{"hashtag", "#قسد", "قسد", "#قسد", true}, // SDF
		{"hashtag phrase", "#قوات_سوريا_الديمقراطية", "قوات سوريا الديمقراطيه", "#قوات_سوريا_الديمقراطية", true}, // Syrian Democratic Forces
		{"spaces collapsed", "  التحالف   الدولي ", "التحالف الدولي", "التحالف الدولي", true},                    // the international coalition
		{"diacritics", "تهديّدات", "تهديدات", "تهديّدات", true},                                                  // threats
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := NewPhrase(tt.in)
			if ok != tt.ok || p.Key() != tt.key || p.String() != tt.str {
				t.Errorf("NewPhrase(%q) = (key %q, string %q, %v), want (%q, %q, %v)",
					tt.in, p.Key(), p.String(), ok, tt.key, tt.str, tt.ok)
			}
		})
	}
}

func TestZeroValues(t *testing.T) {
	var p Phrase
	if NewText("قسد").Contains(p) { // SDF
		t.Error("zero Phrase matched")
	}
	var text *Text
	q, _ := NewPhrase("قسد") // SDF
	if text.Contains(q) {
		t.Error("nil Text matched")
	}
	if NewText("").Contains(q) {
		t.Error("empty Text matched")
	}
}

func BenchmarkNewText(b *testing.B) {
	article := readArticle(b)
	b.SetBytes(int64(len(article)))
	b.ReportAllocs()
	for b.Loop() {
		NewText(article)
	}
}

func BenchmarkContains(b *testing.B) {
	text := NewText(readArticle(b))
	p, _ := NewPhrase("قوات سوريا الديمقراطية") // Syrian Democratic Forces
	for b.Loop() {
		text.Contains(p)
	}
}
