package topics

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"nashra/digest/arabic"
)

func slugsOf(ts []Topic) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Slug
	}
	return out
}

// What readers type that names no topic finds the topics it is near,
// nearest first.
func TestNearest(t *testing.T) {
	c := Builtin()
	tests := []struct {
		in    string
		first string   // the nearest
		also  []string // offered too
	}{
		{in: "أخبار الرقة", first: "raqqa"},      // "news of Raqqa"
		{in: "بالرقة", first: "raqqa"},           // "in Raqqa"
		{in: "قصد", first: "sdf"},                // a typo of قسد (SDF)
		{in: "قسدد", first: "sdf"},               // a letter too many
		{in: "داع", first: "isis"},               // the start of داعش
		{in: "منبح", first: "manbij"},            // ج typed as ح
		{in: "القامشلى", first: "qamishli"},      // ي typed as ى
		{in: "كوبانى اليوم", first: "kobani"},    // "Kobani today"
		{in: "kobane", first: "kobani"},          // the other spelling
		{in: "SFD", first: "sdf"},                // two letters swapped
		{in: "news about Raqqa", first: "raqqa"}, // small words aside
		{in: "مخيم الهوول", first: "al-hol"},     // "al-Hol camp", a letter too many
		{in: "ماذا يجري في دير الزور", first: "deir-ez-zor", also: []string{"deir-ez-zor-council"}}, // "what is happening in Deir ez-Zor"
		{in: "الحشد", first: "pmf"},                               // the PMF, shortened
		{in: "سد", first: "tabqa", also: []string{"tishrin-dam"}}, // "dam": the Euphrates dam at Tabqa, the Tishrin dam
	}
	for _, tt := range tests {
		got := slugsOf(c.Nearest(tt.in, 3))
		if len(got) == 0 || got[0] != tt.first {
			t.Errorf("Nearest(%q) = %v; want %s first", tt.in, got, tt.first)
			continue
		}
		for _, s := range tt.also {
			if !slices.Contains(got, s) {
				t.Errorf("Nearest(%q) = %v; want %s among them", tt.in, got, s)
			}
		}
	}
}

// Words near no name find nothing: no topic is offered for a greeting.
func TestNearestFindsNothing(t *testing.T) {
	c := Builtin()
	for _, in := range []string{
		"مرحبا",        // "hello"
		"شكراً جزيلاً", // "thank you very much"
		"hello",        //
		"في",           // "in"
		"أخبار",        // "news"
		"",             //
		"!!!",          //
		"كيف حالك",     // "how are you"
		"الطقس",        // "the weather"
		"سدد",          // "paid": short words are near only the same word
		strings.Repeat("ق", 300),
	} {
		if got := c.Nearest(in, 3); len(got) != 0 {
			t.Errorf("Nearest(%q) = %v; want nothing", in, slugsOf(got))
		}
	}
	if got := c.Nearest("الرقة", 0); len(got) != 0 {
		t.Errorf("Nearest with n = 0: %v; want nothing", slugsOf(got))
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"قسد", "قسد", 0},
		{"قسد", "قصد", 1},
		{"قسد", "قسدد", 1},
		{"sdf", "sfd", 1}, // a swap
		{"منبج", "منبح", 1},
		{"kobani", "kobane", 1},
		{"abc", "xyz", 3}, // capped at limit+1
		{"", "ab", 2},
		{"abcdef", "ab", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, 2); got != min(tt.want, 3) {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tt.a, tt.b, got, min(tt.want, 3))
		}
	}
}

// osa is editDistance without a limit, written plainly, to check it by.
func osa(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func FuzzEditDistance(f *testing.F) {
	for _, s := range [][2]string{{"قسد", "قصد"}, {"sdf", "sfd"}, {"", "x"}, {"منبج", "منبح"}, {"abcdef", "badcfe"}} {
		f.Add(s[0], s[1], 2)
	}
	f.Fuzz(func(t *testing.T, a, b string, limit int) {
		if utf8.RuneCountInString(a) > 40 || utf8.RuneCountInString(b) > 40 {
			return
		}
		limit = max(0, limit%6)
		a, b = strings.ToValidUTF8(a, "?"), strings.ToValidUTF8(b, "?")
		got := editDistance(a, b, limit)
		if want := min(osa(a, b), limit+1); got != want {
			t.Fatalf("editDistance(%q, %q, %d) = %d; want %d", a, b, limit, got, want)
		}
		if back := editDistance(b, a, limit); back != got {
			t.Fatalf("editDistance(%q, %q) = %d, the other way %d", a, b, got, back)
		}
	})
}

// Nearest never offers more than asked, nor a topic twice, nor a topic
// that is not near; it answers the same every time; and a name of a topic
// finds a topic with a name as near as can be.
func FuzzNearest(f *testing.F) {
	for _, s := range []string{"أخبار الرقة", "قصد", "داع", "kobane", "مرحبا", "ماذا يجري في دير الزور", "#قسد_", "\u200fقسد", "وال"} {
		f.Add(s, 3)
	}
	c := Builtin()
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n % 8
		got := c.Nearest(s, n)
		if len(got) > max(n, 0) {
			t.Fatalf("Nearest(%q, %d) offers %d", s, n, len(got))
		}
		seen := map[string]bool{}
		query := meaningful(arabic.Tokens(s))
		for _, tp := range got {
			if seen[tp.Slug] {
				t.Fatalf("Nearest(%q) offers %s twice", s, tp.Slug)
			}
			seen[tp.Slug] = true
			if _, ok := c.Get(tp.Slug); !ok {
				t.Fatalf("Nearest(%q) offers %s, not in the catalog", s, tp.Slug)
			}
			if len(query) == 0 {
				t.Fatalf("Nearest(%q) offers %s for no meaningful word", s, tp.Slug)
			}
		}
		if again := c.Nearest(s, n); !slices.Equal(slugsOf(again), slugsOf(got)) {
			t.Fatalf("Nearest(%q) = %v, then %v", s, slugsOf(got), slugsOf(again))
		}
	})
}

// Every name the catalog resolves finds its topic among the nearest: a
// reader one letter off a name is offered the topic, not another.
func TestNearestFindsEveryName(t *testing.T) {
	c := Builtin()
	for key, i := range c.byKey {
		want := c.topics[i].Slug
		if utf8.RuneCountInString(key) < 3 || len(meaningful(strings.Fields(key))) == 0 {
			continue
		}
		if got := slugsOf(c.Nearest(key, 3)); !slices.Contains(got, want) {
			t.Errorf("Nearest(%q) = %v; want %s among them", key, got, want)
		}
	}
}
