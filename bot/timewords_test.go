package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Whatever the bot says a time is, the reader can send back and get the
// same time: every minute of the day, in both languages.
func TestClockWordsReadBack(t *testing.T) {
	for _, lang := range []string{"ar", "en"} {
		tx := textsFor(lang)
		for h := range 24 {
			for m := range 60 {
				said := clockWords(tx, h, m)
				spec, ok := parseTime(said)
				if want := fmt.Sprintf("%d %d * * *", m, h); !ok || spec != want {
					t.Errorf("%02d:%02d said as %q reads back as %q, %v", h, m, said, spec, ok)
				}
			}
		}
	}
}

func TestClockWords(t *testing.T) {
	tests := []struct {
		lang string
		h, m int
		want string
	}{
		{"ar", 19, 0, "الساعة 7:00 مساءً"},            // 7:00 in the evening
		{"ar", 8, 0, "الساعة 8:00 صباحاً"},            // 8:00 in the morning
		{"ar", 12, 0, "الساعة 12:00 ظهراً"},           // 12:00 noon
		{"ar", 0, 0, "عند منتصف الليل"},               // at midnight
		{"ar", 0, 30, "الساعة 12:30 بعد منتصف الليل"}, // 12:30 after midnight
		{"ar", 13, 5, "الساعة 1:05 مساءً"},
		{"en", 19, 0, "at 7:00 pm"},
		{"en", 7, 30, "at 7:30 am"},
		{"en", 12, 0, "at 12:00 pm"},
		{"en", 0, 0, "at midnight"},
		{"en", 0, 30, "at 12:30 am"},
	}
	for _, tt := range tests {
		if got := clockWords(textsFor(tt.lang), tt.h, tt.m); got != tt.want {
			t.Errorf("clockWords(%s, %02d:%02d) = %q; want %q", tt.lang, tt.h, tt.m, got, tt.want)
		}
	}
}

func TestZoneWords(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	winter := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		lang string
		loc  *time.Location
		want string
	}{
		{"ar", load("Asia/Damascus"), "دمشق"},  // Damascus
		{"ar", load("Europe/Berlin"), "برلين"}, // Berlin
		{"ar", load("Asia/Beirut"), "بيروت"},
		{"ar", load("Asia/Baghdad"), "بغداد"},
		{"ar", load("Europe/Istanbul"), "إسطنبول"},
		{"ar", load("Asia/Istanbul"), "إسطنبول"}, // the older name of the same zone
		{"ar", load("Asia/Amman"), "عمّان"},
		{"ar", load("Europe/London"), "لندن"},
		{"ar", load("Europe/Stockholm"), "ستوكهولم"},
		{"ar", load("Asia/Tokyo"), "غرينتش+9"},      // unknown city: GMT+9
		{"ar", load("Asia/Kolkata"), "غرينتش+5:30"}, // GMT+5:30
		{"ar", load("America/Argentina/Buenos_Aires"), "غرينتش-3"},
		{"ar", load("Etc/GMT-3"), "غرينتش+3"},
		{"ar", time.UTC, "غرينتش"}, // GMT
		{"ar", time.FixedZone("", 3*3600), "غرينتش+3"},
		{"en", load("Asia/Damascus"), "Damascus"},
		{"en", load("Asia/Qatar"), "Doha"},
		{"en", load("America/New_York"), "New York"},
		{"en", load("America/Argentina/Buenos_Aires"), "Buenos Aires"},
		{"en", load("Etc/GMT-3"), "UTC+3"},
		{"en", time.UTC, "UTC"},
	}
	for _, tt := range tests {
		if got := zoneWords(textsFor(tt.lang), tt.loc, winter); got != tt.want {
			t.Errorf("zoneWords(%s, %s) = %q; want %q", tt.lang, tt.loc, got, tt.want)
		}
	}
	// An unknown zone's offset is the one at the time asked.
	summer := time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)
	if got := zoneWords(textsFor("ar"), load("America/Chicago"), summer); got != "غرينتش-5" {
		t.Errorf("Chicago in July = %q; want غرينتش-5 (GMT-5)", got)
	}
}

// Every city the Arabic catalog names has an English name too, shown as
// the zone writes it or from the English table.
func TestZoneCitiesInBothLanguages(t *testing.T) {
	for city, ar := range textsFor("ar").ZoneCities {
		if strings.ContainsFunc(ar, func(r rune) bool { return r < 0x80 }) {
			t.Errorf("Arabic name of %s is %q; want Arabic letters only", city, ar)
		}
		if strings.ContainsAny(city, " /") {
			t.Errorf("ZoneCities key %q; want a zone's last part, like New_York", city)
		}
	}
}
