package digest_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"nashra/digest"
)

func mustMarkers(t testing.TB, list string) digest.Markers {
	t.Helper()
	m, err := digest.ParseMarkers(list)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The site marks breaking news by a word before the headline, written
// many ways, or by a category; readers see the headline without it.
func TestMarkers(t *testing.T) {
	ar := mustMarkers(t, digest.DefaultMarkers)
	both := mustMarkers(t, "عاجل، Breaking news, breaking, خبر عاجل")
	const head = "قسد تسيطر على بلدة الشحيل" // "the SDF takes the town of al-Shuhayl"
	tests := []struct {
		markers    digest.Markers
		title      string
		categories []string
		shown      string
		urgent     bool
	}{
		{ar, "عاجل: " + head, nil, head, true},
		{ar, "عاجل | " + head, nil, head, true},
		{ar, "عاجل|" + head, nil, head, true},
		{ar, "🔴 عاجل " + head, nil, head, true},
		{ar, "🔴 عاجل: " + head, nil, head, true},
		{ar, "🔴عاجل - " + head, nil, head, true},
		{ar, "#عاجل " + head, nil, head, true},
		{ar, "[عاجل] " + head, nil, head, true},
		{ar, "(عاجل) " + head, nil, head, true},
		{ar, "عاجـــل – " + head, nil, head, true},                               // with tatweel
		{ar, "عاجِل.. " + head, nil, head, true},                                 // with a kasra
		{ar, "\u200fعاجل: " + head, nil, head, true},                             // after a direction mark
		{ar, "عاجل: «قسد» تحبط تسلل خلايا", nil, "«قسد» تحبط تسلل خلايا", true},  // the quote belongs to the headline
		{ar, "عاجل", nil, "عاجل", true},                                          // nothing but the marker: shown as it is
		{ar, head, []string{"أخبار", "عاجل"}, head, true},                        // "news", "urgent": the category
		{ar, head, []string{"#عاجل"}, head, true},                                // a tag
		{ar, head, []string{"أخبار"}, head, false},                               // "news"
		{ar, "عاجلاً أم آجلاً: " + head, nil, "عاجلاً أم آجلاً: " + head, false}, // "sooner or later": another word
		{ar, "قسد: عاجل " + head, nil, "قسد: عاجل " + head, false},               // not at the start
		{ar, "«عاجل» " + head, nil, "«عاجل» " + head, false},                     // quoted: a headline about the word
		{ar, "Breaking: " + head, nil, "Breaking: " + head, false},               // not one of the markers
		{both, "BREAKING: SDF takes al-Shuhayl", nil, "SDF takes al-Shuhayl", true},
		{both, "Breaking news: SDF takes al-Shuhayl", nil, "SDF takes al-Shuhayl", true},
		{both, "خبر عاجل: " + head, nil, head, true},     // "urgent news:": the longer marker
		{both, "خبر " + head, nil, "خبر " + head, false}, // "news": not a marker
		{both, head, []string{"Breaking News"}, head, true},
		{digest.Markers{}, "عاجل: " + head, nil, "عاجل: " + head, false}, // no markers: nothing is urgent
	}
	for _, tt := range tests {
		shown, urgent := tt.markers.Mark(tt.title, tt.categories)
		if shown != tt.shown || urgent != tt.urgent {
			t.Errorf("Mark(%q, %q) = %q, %v; want %q, %v", tt.title, tt.categories, shown, urgent, tt.shown, tt.urgent)
		}
	}
}

func TestParseMarkersRefuses(t *testing.T) {
	for _, list := range []string{"", " , ، ", "!!!", strings.Repeat("ع", 41)} {
		if _, err := digest.ParseMarkers(list); err == nil {
			t.Errorf("ParseMarkers(%q) accepted it; want an error", list)
		}
	}
}

// Whatever a feed's title, marking never fails and shows a headline: the
// title itself, or what follows the marker in it.
func FuzzMark(f *testing.F) {
	for _, s := range []string{"عاجل: قسد", "🔴 عاجل | خبر", "#عاجل", "عاجل", "عاجـل..", "\u200f[عاجل]\u200f", "Breaking news: x", "«عاجل»", "\xff عاجل"} {
		f.Add(s, "عاجل")
	}
	m := mustMarkers(f, "عاجل, breaking news, خبر عاجل")
	f.Fuzz(func(t *testing.T, title, category string) {
		shown, urgent := m.Mark(title, []string{category})
		if !strings.HasSuffix(title, shown) {
			t.Errorf("Mark(%q) shows %q, which is not the end of the title", title, shown)
		}
		if shown != title && (!urgent || strings.TrimSpace(shown) == "") {
			t.Errorf("Mark(%q) = %q, %v: a title is cut only to an urgent, non-empty headline", title, shown, urgent)
		}
		if utf8.ValidString(title) && !utf8.ValidString(shown) {
			t.Errorf("Mark(%q) = %q: not UTF-8", title, shown)
		}
	})
}
