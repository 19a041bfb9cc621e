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
	for _, want := range []string{"damascus", "general-security", "former-regime", "tribes",
		"iran-militias", "turkey", "oil", "fuel", "wheat", "water", "crossings", "displaced-return"} {
		if tp, ok := c.Get(want); !ok || tp.Scope {
			t.Errorf("Builtin topic %q: found %v, scope %v; want a topic outside the site's scope", want, ok, tp.Scope)
		}
	}
	for _, want := range []string{"march-10-agreement", "deir-ez-zor-council", "pyd", "enks", "sheikh-maqsoud", "afrin", "albukamal"} {
		if tp, ok := c.Get(want); !ok || !tp.Scope {
			t.Errorf("Builtin topic %q: found %v, scope %v; want a scope topic", want, ok, tp.Scope)
		}
	}
	used := map[string]int{}
	for _, tp := range ts {
		if n := len("follow-" + tp.Slug); n > 64 {
			t.Errorf("deep link payload for %q is %d bytes", tp.Slug, n)
		}
		if tp.Group == "" || tp.Group == OtherGroup.Slug {
			t.Errorf("topic %q has no group", tp.Slug)
		}
		used[tp.Group]++
		for _, lang := range []string{"ar", "en"} {
			if short, full := tp.ShortName(lang), tp.Name(lang); len([]rune(short)) > len([]rune(full)) {
				t.Errorf("topic %q: short name %q is longer than %q", tp.Slug, short, full)
			}
		}
	}
	for _, g := range builtinGroups {
		if used[g.Slug] == 0 {
			t.Errorf("group %q holds no topic", g.Slug)
		}
	}
	if Builtin() != c {
		t.Error("Builtin is rebuilt on each call")
	}
}

// Every name a topic has finds it after /follow; the names and aliases
// also find it in an article, and follow names only after /follow.
func TestEveryNameResolves(t *testing.T) {
	c := Builtin()
	for _, tp := range c.Topics() {
		var all []string
		all = append(all, tp.Slug, tp.Arabic, tp.English, tp.ShortArabic, tp.ShortEnglish)
		all = append(all, tp.Aliases...)
		all = append(all, tp.FollowNames...)
		for _, name := range all {
			if name == "" {
				continue
			}
			if got, ok := c.Lookup(name); !ok || got.Slug != tp.Slug {
				t.Errorf("Lookup(%q) = %q, %v; want topic %q", name, got.Slug, ok, tp.Slug)
			}
		}
		for _, name := range append([]string{tp.Arabic, tp.English}, tp.Aliases...) {
			if !c.MatchesTopic(tp.Slug, arabic.NewText(name)) {
				t.Errorf("topic %q does not match its own name or alias %q in a text", tp.Slug, name)
			}
		}
		for _, name := range tp.FollowNames {
			if c.MatchesTopic(tp.Slug, arabic.NewText(name)) && !slices.Contains(tp.Aliases, name) {
				t.Errorf("topic %q matches its follow name %q in a text; follow names are not searched for", tp.Slug, name)
			}
		}
	}
}

// intendedOverlaps lists, per topic, the other topics its names may bring
// along when read in an article: «دمج قسد» (the SDF's integration) names
// the SDF too. An alias that tags a topic not listed here is a mistake.
var intendedOverlaps = map[string][]string{
	"coalition":           {"isis", "us-forces"},        // التحالف الدولي لهزيمة داعش, التحالف بقيادة واشنطن
	"isis":                {"iraq"},                     // الدولة الإسلامية في العراق والشام
	"sdf":                 {"kobani"},                   // مظلوم كوباني
	"deir-ez-zor-council": {"deir-ez-zor"},              // مجلس دير الزور العسكري
	"march-10-agreement":  {"sdf", "damascus", "aanes"}, // اتفاق دمشق وقسد, دمج مؤسسات الإدارة الذاتية
	"aanes":               {"northeast-syria"},          // الإدارة الذاتية لشمال وشرق سوريا
	"camps":               {"isis", "sdf"},              // عائلات داعش, سجون قسد
	"ghweran":             {"hasakah"},                  // سجن الحسكة المركزي
	"turkish-ops":         {"turkey"},                   // الفصائل الموالية لتركيا
	"kurdistan-region":    {"iraq"},                     // كردستان العراق
	"iran-militias":       {"iraq"},                     // حزب الله العراقي
	"crossings":           {"albukamal"},                // معبر البوكمال
}

func TestNoUnintendedOverlaps(t *testing.T) {
	c := Builtin()
	for _, tp := range c.Topics() {
		for _, name := range append([]string{tp.Arabic, tp.English}, tp.Aliases...) {
			for _, other := range c.Match(arabic.NewText(name)) {
				if other != tp.Slug && !slices.Contains(intendedOverlaps[tp.Slug], other) {
					t.Errorf("%q, an alias of %q, also tags %q; rename it or list the overlap in intendedOverlaps", name, tp.Slug, other)
				}
			}
		}
	}
	for slug, others := range intendedOverlaps {
		for _, o := range append([]string{slug}, others...) {
			if _, ok := c.Get(o); !ok {
				t.Errorf("intendedOverlaps names %q, which is no topic", o)
			}
		}
	}
}

func TestSections(t *testing.T) {
	c := Builtin()
	secs := c.Sections()
	var groups []string
	seen := map[string]bool{}
	for _, s := range secs {
		groups = append(groups, s.Group.Slug)
		if s.Group.Arabic == "" || s.Group.English == "" {
			t.Errorf("group %q lacks a name: %+v", s.Group.Slug, s.Group)
		}
		for _, tp := range s.Topics {
			if tp.Group != s.Group.Slug || seen[tp.Slug] {
				t.Errorf("topic %q (group %q) listed under %q, or twice", tp.Slug, tp.Group, s.Group.Slug)
			}
			seen[tp.Slug] = true
		}
	}
	if want := []string{"actors", "damascus", "kurdish", "camps", "towns", "neighbours", "economy"}; !slices.Equal(groups, want) {
		t.Errorf("sections %q, want %q", groups, want)
	}
	if len(seen) != len(c.Topics()) {
		t.Errorf("sections hold %d topics, the catalog %d", len(seen), len(c.Topics()))
	}
	if gs := c.Groups(); gs[len(gs)-1] != OtherGroup {
		t.Errorf("Groups() ends with %+v, want OtherGroup", gs[len(gs)-1])
	}

	// A topic without a group is listed under OtherGroup, last.
	c2, err := New([]Group{{Slug: "towns", Arabic: "المدن", English: "Towns"}}, []Topic{ // towns
		{Slug: "weather", Arabic: "الطقس", English: "Weather"}, // the weather
		{Slug: "raqqa", Arabic: "الرقة", English: "Raqqa", Group: "towns"},
	})
	if err != nil {
		t.Fatal(err)
	}
	secs = c2.Sections()
	if len(secs) != 2 || secs[0].Group.Slug != "towns" || secs[1].Group != OtherGroup || secs[1].Topics[0].Slug != "weather" {
		t.Errorf("sections %+v, want towns then other with weather", secs)
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

		// What readers type rather than what the press writes.
		{"تنظيم داعش", "isis"},               // "the ISIS organisation"
		{"قوات قسد", "sdf"},                  // "SDF forces"
		{"التحالف", "coalition"},             // "the coalition"
		{"قوات التحالف", "coalition"},        // "coalition forces"
		{"قوات العشائر", "tribes"},           // "tribal forces"
		{"مدينة الرقة", "raqqa"},             // "the city of Raqqa"
		{"حي الشيخ مقصود", "sheikh-maqsoud"}, // "the Sheikh Maqsoud neighbourhood"
		{"محافظة دير الزور", "deir-ez-zor"},  // "Deir ez-Zor governorate"
		{"the SDF", "sdf"},
		{"قوات", ""},                       // "forces" alone
		{"قوات النظام", "former-regime"},   // "the regime's forces": Assad's
		{"قوات الأمن الداخلي", ""},         // "internal security forces": not a kind word before a name
		{"قامشلي", "qamishli"},             // Qamishli without the article
		{"قوات سوريا الديموقراطية", "sdf"}, // SDF, democratic spelt with و
		{"حزب الاتحاد الديموقراطي", "pyd"}, // PYD, the same spelling
		{"PYD", "pyd"},
		{"المجلس الوطني الكردي", "enks"},                  // Kurdish National Council
		{"الحكومة السورية الانتقالية", "damascus"},        // the transitional government
		{"الحكومة الانتقالية", "damascus"},                // its short name
		{"أحمد الشرع", "damascus"},                        // Ahmed al-Sharaa
		{"الشرع", "damascus"},                             // al-Sharaa (alone also "religious law": a follow name only)
		{"الأمن العام", "general-security"},               // General Security
		{"الحكومة السورية المؤقتة", ""},                   // the opposition's interim government: not Damascus's
		{"اتفاق 10 آذار", "march-10-agreement"},           // the 10 March agreement
		{"اتفاق ١٠ آذار", "march-10-agreement"},           // the same with Arabic-Indic digits
		{"دمج قسد", "march-10-agreement"},                 // the SDF's integration
		{"العشائر", "tribes"},                             // the tribes
		{"مجلس دير الزور العسكري", "deir-ez-zor-council"}, // Deir ez-Zor Military Council
		{"النفط", "oil"},                                  // oil
		{"المحروقات", "fuel"},                             // fuel
		{"القمح", "wheat"},                                // wheat
		{"الفرات", "water"},                               // the Euphrates
		{"علوك", "water"},                                 // Alouk (the water station)
		{"سيمالكا", "crossings"},                          // Semalka
		{"اليعربية", "crossings"},                         // al-Yarubiyah
		{"البوكمال", "albukamal"},                         // Albu Kamal
		{"معبر البوكمال", "crossings"},                    // the Albu Kamal crossing
		{"الميليشيات الإيرانية", "iran-militias"},         // Iranian militias
		{"المليشيات الإيرانية", "iran-militias"},          // the same, spelt with one ي
		{"الشيخ مقصود", "sheikh-maqsoud"},                 // Sheikh Maqsoud
		{"عفرين", "afrin"},                                // Afrin
		{"عودة النازحين", "displaced-return"},             // the return of the displaced
		{"تركيا", "turkey"},                               // Turkey
		{"أنقرة", "turkey"},                               // Ankara
		{"مسيرة تركية", "turkish-ops"},                    // "a Turkish drone"
		{"قصف تركي", "turkish-ops"},                       // "Turkish shelling"
		{"غارة تركية", "turkish-ops"},                     // "a Turkish air strike"
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
	for _, not := range []string{"al-hol", "raqqa", "turkish-ops", "tishrin-dam", "roj", "damascus", "general-security",
		"march-10-agreement", "former-regime", "tribes", "water", "crossings", "turkey", "displaced-return", "deir-ez-zor-council"} {
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

		// Headlines, one or more per topic of 2026.
		{"transitional government", "الحكومة السورية الانتقالية تعلن تشكيل لجنة جديدة", []string{"damascus"}, false},          // "the Syrian transitional government announces a new committee"
		{"al-sharaa", "الرئيس أحمد الشرع يستقبل وفداً أوروبياً", []string{"damascus"}, false},                                 // "President Ahmed al-Sharaa receives a European delegation"
		{"interim government is not damascus", "رئيس الحكومة السورية المؤقتة يزور أعزاز", nil, false},                         // "the head of the Syrian interim government visits Azaz"
		{"interim then damascus", "الحكومة السورية المؤقتة تسلّم مؤسساتها إلى الحكومة السورية", []string{"damascus"}, false},  // "the interim government hands its institutions to the Syrian government"
		{"free syrian army is not damascus", "قادة سابقون في الجيش السوري الحر", nil, false},                                  // "former commanders of the Free Syrian Army"
		{"general security", "انتشار لعناصر الأمن العام في ريف حمص", []string{"general-security"}, false},                     // "General Security personnel deploy around Homs"
		{"lebanese general security", "الأمن العام اللبناني يرحّل عائلات", nil, false},                                        // "Lebanon's General Security deports families"
		{"march 10", "قسد ودمشق تبحثان تطبيق اتفاق 10 آذار", []string{"sdf", "damascus", "march-10-agreement"}, true},         // "the SDF and Damascus discuss implementing the 10 March agreement"
		{"march 10 in words", "بنود اتفاق العاشر من آذار/مارس", []string{"march-10-agreement"}, true},                         // "the terms of the tenth of March agreement"
		{"integration", "لجنة لمتابعة دمج «قسد» في الجيش السوري", []string{"sdf", "damascus", "march-10-agreement"}, true},    // "a committee to follow the SDF's integration into the Syrian army"
		{"former regime", "محاكمة رموز النظام البائد", []string{"former-regime"}, false},                                      // "trial of the fallen regime's figures"
		{"pyd other spelling", "حزب الاتحاد الديموقراطي يرحّب بالاتفاق", []string{"pyd"}, true},                               // "the PYD welcomes the agreement"
		{"cdu is not pyd", "فوز الاتحاد الديمقراطي المسيحي في ألمانيا", nil, false},                                           // "the Christian Democratic Union wins in Germany"
		{"enks", "المجلس الوطني الكردي يعقد مؤتمره في قامشلي", []string{"enks", "qamishli"}, true},                            // "the Kurdish National Council holds its conference in Qamishli"
		{"tribes", "اشتباكات بين مقاتلي العشائر وقسد بريف دير الزور", []string{"sdf", "tribes", "deir-ez-zor"}, true},         // "clashes between tribal fighters and the SDF around Deir ez-Zor"
		{"tribes elsewhere", "شيوخ عشائر عربية يجتمعون في درعا", []string{"tribes"}, false},                                   // "Arab tribal elders meet in Daraa"
		{"military council", "قائد مجلس دير الزور العسكري يلتقي وجهاء", []string{"deir-ez-zor-council", "deir-ez-zor"}, true}, // "the Deir ez-Zor Military Council's commander meets notables"
		{"oil", "صهاريج نفط تعبر إلى العراق من حقل العمر", []string{"oil", "iraq"}, true},                                     // "oil tankers cross into Iraq from the al-Omar field"
		{"fuel", "أزمة محروقات خانقة في الحسكة", []string{"hasakah", "fuel"}, true},                                           // "a stifling fuel crisis in Hasakah"
		{"diesel", "ارتفاع سعر المازوت", []string{"fuel"}, false},                                                             // "the price of diesel rises"
		{"wheat", "الإدارة الذاتية تحدد سعر شراء القمح", []string{"aanes", "wheat"}, true},                                    // "the Autonomous Administration sets the wheat purchase price"
		{"euphrates level", "انخفاض منسوب نهر الفرات يهدد مياه الشرب", []string{"water"}, false},                              // "the Euphrates' falling level threatens drinking water"
		{"alouk", "خروج محطة علوك عن الخدمة", []string{"water"}, false},                                                       // "the Alouk station is out of service"
		{"semalka", "إغلاق معبر سيمالكا أمام المسافرين", []string{"crossings"}, false},                                        // "the Semalka crossing closes to travellers"
		{"yarubiyah", "حركة البضائع عبر معبر اليعربية", []string{"crossings"}, false},                                         // "goods moving through the Yarubiyah crossing"
		{"bukamal crossing", "افتتاح معبر البوكمال مع العراق", []string{"albukamal", "iraq", "crossings"}, true},              // "the Albu Kamal crossing with Iraq opens"
		{"iran militias", "ميليشيات إيرانية تنسحب من البوكمال", []string{"albukamal", "iran-militias"}, true},                 // "Iranian militias withdraw from Albu Kamal"
		{"militias one yeh", "المليشيات الموالية لإيران", []string{"iran-militias"}, false},                                   // "the pro-Iranian militias", spelt with one ي
		{"sheikh maqsoud", "انسحاب الأسايش من حي الشيخ مقصود في حلب", []string{"asayish", "sheikh-maqsoud"}, true},            // "the Asayish withdraw from Sheikh Maqsoud in Aleppo"
		{"afrin returns", "عودة مهجري عفرين إلى منازلهم", []string{"displaced-return", "afrin"}, true},                        // "Afrin's displaced return home"
		{"returns elsewhere", "عودة النازحين إلى قراهم في ريف حمص", []string{"displaced-return"}, false},                      // "the displaced return to their villages around Homs"
		{"turkish drone", "مسيّرة تركية تستهدف سيارة في ريف كوباني", []string{"kobani", "turkish-ops"}, true},                 // "a Turkish drone strikes a car near Kobani"
		{"turkish shelling", "قصفٌ تركي على قرى تل تمر", []string{"tal-tamr", "turkish-ops"}, true},                           // "Turkish shelling of Tal Tamr's villages"
		{"turkish air strikes", "غارات تركية على محيط سد تشرين", []string{"tishrin-dam", "turkish-ops"}, true},                // "Turkish air strikes around Tishrin dam"
		{"ankara", "أنقرة ترحّب باتفاق دمشق وقسد", []string{"sdf", "damascus", "march-10-agreement", "turkey"}, true},         // "Ankara welcomes the Damascus–SDF agreement"
		{"turkey elsewhere", "تركيا ترفع أسعار الفائدة", []string{"turkey"}, false},                                           // "Turkey raises interest rates"
		{"qamishli bare", "انقطاع الكهرباء في مدينة قامشلي", []string{"qamishli"}, true},                                      // "power cut in the city of Qamishli"
		{"sdf other spelling", "قوات سوريا الديموقراطية تعلن النفير", []string{"sdf"}, true},                                  // "the SDF declares mobilisation", spelt with و
		{"euphrates alone is no water", "عشرات العائلات تعبر نحو شرق الفرات", []string{"northeast-syria"}, true},              // "dozens of families cross east of the Euphrates"
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
		{"unknown group", []Topic{{Slug: "a", Arabic: "ا", English: "a", Group: "town"}}, `topic "a": unknown group "town" (groups: towns, other)`},
		{"other group by name", []Topic{{Slug: "a", Arabic: "ا", English: "a", Group: "other"}}, ""},
		{"short name claimed", []Topic{
			{Slug: "sdf", Arabic: "قوات سوريا الديمقراطية", English: "Syrian Democratic Forces", ShortArabic: "قسد"}, // SDF, short: SDF
			{Slug: "b", Arabic: "ب", English: "b", Aliases: []string{"قسد"}},
		}, `topic "b": alias "قسد" (normalised "قسد") is already used by topic "sdf"`},
		{"follow name claimed", []Topic{
			{Slug: "coalition", Arabic: "التحالف الدولي", English: "Coalition", FollowNames: []string{"التحالف"}}, // the coalition
			{Slug: "b", Arabic: "التحالف", English: "b"},
		}, `topic "b": Arabic name "التحالف" (normalised "التحالف") is already used by topic "coalition"`},
		{"empty follow name", []Topic{{Slug: "a", Arabic: "ا", English: "a", FollowNames: []string{" "}}}, `follow name " " has no letters`},
		{"except without the name", []Topic{
			{Slug: "damascus", Arabic: "الحكومة السورية", English: "Damascus", Except: []string{"الحكومة المؤقتة"}}, // the Syrian government; except "the interim government"
		}, `topic "damascus": except "الحكومة المؤقتة" contains none of the topic's names or aliases`},
		{"except with the name", []Topic{
			{Slug: "damascus", Arabic: "الحكومة السورية", English: "Damascus", Except: []string{"الحكومة السورية المؤقتة"}}, // except "the Syrian interim government"
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New([]Group{{Slug: "towns", Arabic: "المدن", English: "Towns"}}, tt.topics) // towns
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

func TestNewGroups(t *testing.T) {
	topic := Topic{Slug: "a", Arabic: "ا", English: "a", Group: "g"}
	tests := []struct {
		name    string
		groups  []Group
		wantErr string
	}{
		{"valid", []Group{{Slug: "g", Arabic: "مجموعة", English: "Group"}}, ""}, // group
		{"bad slug", []Group{{Slug: "G g", Arabic: "ا", English: "g"}}, `group "G g": slug "G g"`},
		{"no slug", []Group{{Arabic: "ا", English: "g"}}, "group #1: empty slug"},
		{"duplicate", []Group{{Slug: "g", Arabic: "ا", English: "g"}, {Slug: "g", Arabic: "ب", English: "h"}}, `group "g": duplicate slug`},
		{"no arabic", []Group{{Slug: "g", English: "g"}}, `group "g": empty Arabic name`},
		{"no english", []Group{{Slug: "g", Arabic: "ا"}}, `group "g": empty English name`},
		{"other renamed", []Group{{Slug: "g", Arabic: "ا", English: "g"}, {Slug: "other", Arabic: "المزيد", English: "More"}}, ""},                        // "more"
		{"other without a name", []Group{{Slug: "g", Arabic: "ا", English: "g"}, {Slug: "other", Arabic: "المزيد"}}, `group "other": empty English name`}, // "more"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.groups, []Topic{topic, {Slug: "b", Arabic: "ب", English: "b"}})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New(%+v): %v", tt.groups, err)
				}
				gs := c.Groups()
				if last := gs[len(gs)-1]; last.Slug != "other" || tt.name == "other renamed" && last.English != "More" {
					t.Errorf("Groups() = %+v; want the other group last, as named", gs)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New(%+v) error = %v, want one containing %q", tt.groups, err, tt.wantErr)
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
