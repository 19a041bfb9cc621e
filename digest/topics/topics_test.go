package topics

import (
	"os"
	"slices"
	"strings"
	"testing"

	"nashra/digest/arabic"
)

func TestBuiltin(t *testing.T) {
	c := Builtin()
	ts := c.Topics()
	if len(ts) < 20 {
		t.Fatalf("Builtin has %d topics, want at least 20", len(ts))
	}
	for _, want := range []string{"coalition", "isis", "sdf", "aanes", "camps", "al-hol", "roj", "ghweran",
		"northeast-syria", "hasakah", "qamishli", "raqqa", "deir-ez-zor", "kobani", "turkish-ops", "iraq", "returns"} {
		tp, ok := c.Get(want)
		if !ok {
			t.Errorf("Builtin lacks topic %q", want)
			continue
		}
		if !tp.Scope {
			t.Errorf("topic %q is not a scope topic", want)
		}
	}
	for _, tp := range ts {
		if n := len("follow-" + tp.Slug); n > 64 {
			t.Errorf("deep link payload for %q is %d bytes", tp.Slug, n)
		}
	}
	if Builtin() != c {
		t.Error("Builtin is rebuilt on each call")
	}
}

func TestTopicsIsACopy(t *testing.T) {
	c := Builtin()
	ts := c.Topics()
	ts[0].Slug = "changed"
	ts[0].Aliases[0] = "changed"
	got, _ := c.Get("coalition")
	got.Aliases[0] = "changed too"
	if again := c.Topics(); again[0].Slug == "changed" || again[0].Aliases[0] == "changed" || again[0].Aliases[0] == "changed too" {
		t.Errorf("caller modified the catalog: %+v", again[0])
	}
}

func TestName(t *testing.T) {
	tp, _ := Builtin().Get("sdf")
	if got := tp.Name("en"); got != "Syrian Democratic Forces" {
		t.Errorf(`Name("en") = %q`, got)
	}
	for _, lang := range []string{"ar", "", "fr"} {
		if got := tp.Name(lang); got != "قوات سوريا الديمقراطية" { // Syrian Democratic Forces
			t.Errorf("Name(%q) = %q, want the Arabic name", lang, got)
		}
	}
}

func TestLookup(t *testing.T) {
	c := Builtin()
	tests := []struct {
		in   string
		want string // slug, "" for no topic
	}{
		{"sdf", "sdf"},
		{"SDF", "sdf"},
		{"Sdf", "sdf"},
		{" sdf ", "sdf"},
		{"قسد", "sdf"},  // SDF
		{"#قسد", "sdf"}, // SDF as a hashtag
		{"قوات سوريا الديمقراطية", "sdf"},   // Syrian Democratic Forces
		{"#قوات_سوريا_الديمقراطية", "sdf"},  // the same, as a hashtag
		{"قوات سوريّة الديمقراطيّة", "sdf"}, // alternative spelling, with shadda
		{"Syrian Democratic Forces", "sdf"},
		{"داعش", "isis"},         // ISIS
		{"تنظيم الدولة", "isis"}, // "the State organisation" (ISIS)
		{"ISIS", "isis"},
		{"Daesh", "isis"},
		{"IS", ""},                      // the verb "is" once lower-cased: not an alias
		{"التحالف الدولي", "coalition"}, // the international coalition
		{"CJTF-OIR", "coalition"},
		{"cjtf oir", "coalition"},
		{"الهول", "al-hol"},      // al-Hol
		{"مخيم الهول", "al-hol"}, // al-Hol camp
		{"al-hol", "al-hol"},     // the slug
		{"Al Hol", "al-hol"},     // normalises to the alias "al-Hol"
		{"هول", ""},              // "horror": not the camp
		{"الرقة", "raqqa"},       // Raqqa
		{"الرقّة", "raqqa"},      // Raqqa, with shadda
		{"raqqa", "raqqa"},
		{"عين العرب", "kobani"},      // Ain al-Arab (Kobani)
		{"كوباني", "kobani"},         // Kobani
		{"سري كانيه", "ras-al-ain"},  // Serê Kaniyê (Ras al-Ain)
		{"دير الزور", "deir-ez-zor"}, // Deir ez-Zor
		{"Deir ez-Zor", "deir-ez-zor"},
		{"الإدارة الذاتية", "aanes"},           // the Autonomous Administration
		{"الادارة الذاتيه", "aanes"},           // the same, without hamza, ة typed as ه
		{"شمال شرقي سوريا", "northeast-syria"}, // north-east Syria
		{"سجن الصناعة", "ghweran"},             // al-Sina'a prison
		{"نبع السلام", "turkish-ops"},          // Peace Spring
		{"الجيش الوطني السوري", "turkish-ops"}, // Syrian National Army
		{"سد تشرين", "tishrin-dam"},            // Tishrin dam
		{"سد", ""},                             // dam
		{"الطقس", ""},                          // the weather
		{"", ""},
		{"   ", ""},
		{"«»", ""},
		{"follow-sdf", ""}, // a deep-link payload is not a slug
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := c.Lookup(tt.in)
			if ok != (tt.want != "") || got.Slug != tt.want {
				t.Errorf("Lookup(%q) = (%q, %v), want %q", tt.in, got.Slug, ok, tt.want)
			}
		})
	}
}

func TestClassifyArticle(t *testing.T) {
	c := Builtin()
	text := arabic.NewText(readArticle(t))
	if !c.InScope(text) {
		t.Error("seed article is not in scope")
	}
	got := c.Match(text)
	for _, want := range []string{"coalition", "isis", "sdf", "aanes", "northeast-syria", "camps", "returns", "deir-ez-zor", "baghuz"} {
		if !slices.Contains(got, want) {
			t.Errorf("Match(article) = %q, lacks %q", got, want)
		}
	}
	for _, not := range []string{"al-hol", "raqqa", "turkish-ops", "tishrin-dam", "roj"} {
		if slices.Contains(got, not) {
			t.Errorf("Match(article) = %q, has %q", got, not)
		}
	}
	if !c.MatchesTopic("sdf", text) || c.MatchesTopic("raqqa", text) || c.MatchesTopic("no-such-topic", text) {
		t.Error("MatchesTopic disagrees with Match")
	}
}

func TestMatch(t *testing.T) {
	c := Builtin()
	tests := []struct {
		name  string
		text  string
		want  []string // exactly these slugs
		scope bool
	}{
		{"tishrin dam is not sdf", "اشتباكات قرب سد تشرين", []string{"tishrin-dam"}, true}, // "clashes near Tishrin dam"
		{"dam alone", "بناء سد جديد على النهر", nil, false},                                // "building a new dam on the river"
		{"horror is not al-hol", "من هول الصدمة لم يتكلم", nil, false},                     // "from the horror of the shock he did not speak"
		{"al-hol bare", "نقل عائلات من الهول", []string{"al-hol"}, true},                   // "families moved out of al-Hol"
		{"al-hol with clitic", "وبالهول", []string{"al-hol"}, true},                        // "and in al-Hol"
		{"class is not tabqa", "الطبقة السياسية في لبنان", nil, false},                     // "the political class in Lebanon"
		{"tabqa city", "في مدينة الطبقة غربي الرقة", []string{"raqqa", "tabqa"}, true},     // "in Tabqa city, west of Raqqa"
		{"promoted is not roj", "روّج الإعلام لرواية الحكومة", nil, false},                 // "the media promoted the government's story"
		{"roj camp", "النساء في مخيم روج", []string{"roj"}, true},                          // "the women in Roj camp"
		{"hybrid is not hajin", "نظام هجين وحرب هجينة", nil, false},                        // "a hybrid regime and a hybrid war"
		{"sergeant is not raqqa", "الرقيب الأول", nil, false},                              // "the first sergeant"
		{"raqqa with lil", "عاد للرقة", []string{"raqqa"}, true},                           // "returned to Raqqa"
		{"english is", "It is what it is, this island", nil, false},
		{"english isis", "ISIS cells attacked", []string{"isis"}, true},
		{"sdf hashtag", "#قوات_سوريا_الديمقراطية (قسد)", []string{"sdf"}, true},                                 // "#Syrian_Democratic_Forces (SDF)"
		{"sdf with prefix", "القائد العام لـ”قسد”", []string{"sdf"}, true},                                      // "the commander-in-chief of 'SDF'"
		{"coalition with ba", "رحب بالتحالف الدولي", []string{"coalition"}, true},                               // "welcomed the international coalition"
		{"bare coalition is ambiguous", "التحالف الحاكم في البرلمان", nil, false},                               // "the ruling coalition in parliament"
		{"damascus is not scope", "زار وفد دمشق", []string{"damascus"}, false},                                  // "a delegation visited Damascus"
		{"economy is not scope", "انهيار الليرة السورية", []string{"syria-economy"}, false},                     // "the collapse of the Syrian pound"
		{"economy with scope", "الليرة السورية في الحسكة", []string{"hasakah", "syria-economy"}, true},          // "the Syrian pound in Hasakah"
		{"state concept", "بناء مؤسسات الدولة السورية", nil, false},                                             // "building Syrian state institutions"
		{"iraqi repatriation", "إعادة العائلات العراقية من الهول", []string{"al-hol", "returns", "iraq"}, true}, // "return of the Iraqi families from al-Hol"
		{"east of euphrates", "مناطق شرقي الفرات", []string{"northeast-syria"}, true},                           // "areas east of the Euphrates"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := arabic.NewText(tt.text)
			got := c.Match(text)
			if !sameSet(got, tt.want) {
				t.Errorf("Match(%q) = %q, want %q", tt.text, got, tt.want)
			}
			if s := c.InScope(text); s != tt.scope {
				t.Errorf("InScope(%q) = %v, want %v", tt.text, s, tt.scope)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestNew(t *testing.T) {
	ok := Topic{Slug: "x", Arabic: "س", English: "x"}
	tests := []struct {
		name    string
		topics  []Topic
		wantErr string // substring; "" for success
	}{
		{"minimal", []Topic{ok}, ""},
		{"no topics", nil, "no topics"},
		{"empty slug", []Topic{{Arabic: "الرقة", English: "Raqqa"}}, `topic #1 (ar "الرقة"): empty slug`},     // Raqqa
		{"upper-case slug", []Topic{{Slug: "SDF", Arabic: "قسد", English: "SDF"}}, `topic "SDF": slug "SDF"`}, // SDF
		{"slug with space", []Topic{{Slug: "a b", Arabic: "ا", English: "a"}}, "only a-z"},
		{"slug starts with hyphen", []Topic{{Slug: "-a", Arabic: "ا", English: "a"}}, "only a-z"},
		{"arabic slug", []Topic{{Slug: "قسد", Arabic: "قسد", English: "SDF"}}, "only a-z"}, // SDF
		{"long slug", []Topic{{Slug: strings.Repeat("a", 33), Arabic: "ا", English: "a"}}, "longer than 32"},
		{"max slug", []Topic{{Slug: strings.Repeat("a", 32), Arabic: "ا", English: "a"}}, ""},
		{"duplicate slug", []Topic{ok, ok}, `topic "x": duplicate slug`},
		{"empty arabic", []Topic{{Slug: "a", Arabic: " ", English: "a"}}, `topic "a": empty Arabic name`},
		{"empty english", []Topic{{Slug: "a", Arabic: "ا"}}, `topic "a": empty English name`},
		{"punctuation alias", []Topic{{Slug: "a", Arabic: "ا", English: "a", Aliases: []string{"«»"}}}, `topic "a": alias "«»" has no letters`},
		{"alias claimed twice", []Topic{
			{Slug: "sdf", Arabic: "قوات سوريا الديمقراطية", English: "SDF", Aliases: []string{"قسد"}}, // Syrian Democratic Forces; SDF
			{Slug: "other", Arabic: "أخرى", English: "Other", Aliases: []string{"#قسد"}},              // "other"; SDF as a hashtag
		}, `topic "other": alias "#قسد" (normalised "قسد") is already used by topic "sdf"`},
		{"latin alias case", []Topic{
			{Slug: "sdf", Arabic: "قسد", English: "SDF"}, // SDF
			{Slug: "b", Arabic: "ب", English: "b", Aliases: []string{"sdf"}},
		}, `topic "b": alias "sdf"`},
		{"alias is another slug", []Topic{
			{Slug: "raqqa", Arabic: "الرقة", English: "Raqqa city"}, // Raqqa
			{Slug: "b", Arabic: "ب", English: "b", Aliases: []string{"Raqqa"}},
		}, `is already used by topic "raqqa"`},
		{"same alias within a topic", []Topic{{Slug: "sdf", Arabic: "قسد", English: "SDF", Aliases: []string{"قسد", "sdf", "SDF"}}}, ""}, // SDF
		{"all errors reported", []Topic{{Slug: "A"}, {Slug: "b"}}, `topic "b": empty Arabic`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.topics)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("New(%+v): %v", tt.topics, err)
			case tt.wantErr == "" && c == nil:
				t.Fatalf("New(%+v) returned a nil catalog", tt.topics)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("New(%+v) error = %v, want one containing %q", tt.topics, err, tt.wantErr)
			}
		})
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

func BenchmarkClassify(b *testing.B) {
	c := Builtin()
	article := readArticle(b)
	b.ReportAllocs()
	for b.Loop() {
		text := arabic.NewText(article)
		c.Match(text)
		c.InScope(text)
	}
}
