package bot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/robfig/cron/v3"

	"nashra/subscribers"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in, want string // want: "HH:MM", "instant" or "default"
	}{
		// 24-hour, as before.
		{"19:00", "19:00"},
		{"07:30", "07:30"},
		{"7:30", "07:30"},
		{"7.30", "07:30"},
		{"7", "07:00"},
		{"0", "00:00"},
		{"23:59", "23:59"},
		{"٧:٣٠", "07:30"},  // 7:30, Arabic-Indic digits
		{"٠٧:٣٠", "07:30"}, // 07:30, Arabic-Indic digits
		{"١٩٫٠٠", "19:00"}, // 19.00 with the Arabic decimal separator
		{"۱۹:۰۰", "19:00"}, // 19:00, Persian digits
		{"  19:00  ", "19:00"},

		// Digits with a part of the day.
		{"7 مساءً", "19:00"},     // 7 in the evening
		{"7 مساء", "19:00"},      // without tanween
		{"7 مساءا", "19:00"},     // spelled with alef
		{"7مساءً", "19:00"},      // no space
		{"٧ م", "19:00"},         // 7 pm, Arabic-Indic digit, abbreviated
		{"٧م", "19:00"},          // no space
		{"7:30 ص", "07:30"},      // 7:30 am, abbreviated
		{"7:30ص", "07:30"},       // no space
		{"8 صباحاً", "08:00"},    // 8 in the morning
		{"8 صباحًا", "08:00"},    // tanween on the alef's other side
		{"8 صباحا", "08:00"},     // no tanween
		{"8 صبـــاحاً", "08:00"}, // tatweel
		{"8 الصبح", "08:00"},     // 8 in the morning, colloquial
		{"5 فجراً", "05:00"},     // 5 at dawn
		{"12 ص", "00:00"},        // 12 am
		{"12 م", "12:00"},        // 12 pm: noon, as phone clocks show it
		{"12 مساءً", "00:00"},    // 12 in the evening: midnight
		{"12:30 م", "12:30"},     // 12:30 pm
		{"10 ليلاً", "22:00"},    // 10 at night
		{"2 ليلا", "02:00"},      // 2 at night
		{"12 ليلاً", "00:00"},    // 12 at night
		{"1 ظهراً", "13:00"},     // 1 at noon-time
		{"12 ظهراً", "12:00"},    // 12 noon
		{"3:30 الظهر", "15:30"},  // 3:30 at noon-time
		{"4 عصراً", "16:00"},     // 4 in the afternoon
		{"2 بعد الظهر", "14:00"},
		{"12:30 بعد منتصف الليل", "00:30"}, // 12:30 after midnight
		{"2 بعد منتصف الليل", "02:00"},     // 2 after midnight
		{"7، مساءً", "19:00"},              // Arabic comma
		{"7 ونص", "07:30"},                 // 7 and a half
		{"7 الا ربع مساء", "18:45"},        // quarter to 7 in the evening

		// Hours in words.
		{"السابعة صباحاً", "07:00"},               // the seventh (hour) in the morning
		{"السابعة مساءً", "19:00"},                // seven in the evening
		{"الساعة السابعة مساءً", "19:00"},         // at seven o'clock in the evening
		{"الساعه السابعه مساء", "19:00"},          // ة written as ه
		{"في الساعة الثامنة صباحاً", "08:00"},     // at eight o'clock in the morning
		{"سابعة مساءً", "19:00"},                  // without ال
		{"سبعة مساءً", "19:00"},                   // cardinal
		{"الساعة سبعة المسا", "19:00"},            // colloquial evening
		{"السابعة", "07:00"},                      // alone: the clock face
		{"الواحدة ظهراً", "13:00"},                // one at noon-time
		{"الواحدة بعد الظهر", "13:00"},            // one in the afternoon
		{"الثانية ظهراً", "14:00"},                // two
		{"الثانية عشرة ظهراً", "12:00"},           // twelve noon
		{"الثانية عشر ظهرا", "12:00"},             // twelve, common misspelling
		{"الثانية عشرة ليلاً", "00:00"},           // twelve at night
		{"الحادية عشرة ليلاً", "23:00"},           // eleven at night
		{"إحدى عشرة صباحاً", "11:00"},             // eleven in the morning
		{"العاشرة صباحاً", "10:00"},               // ten in the morning
		{"الثالثة عصراً", "15:00"},                // three in the afternoon
		{"السادسة", "06:00"},                      // six
		{"الخامسة فجراً", "05:00"},                // five at dawn
		{"السابعة والنصف مساءً", "19:30"},         // half past seven in the evening
		{"السابعة و النصف مساءً", "19:30"},        // و written apart
		{"السابعةُ والنِّصفُ مساءً", "19:30"},     // with vowel marks
		{"الثامنة والربع صباحاً", "08:15"},        // quarter past eight
		{"الثامنة إلا ربعاً صباحاً", "07:45"},     // quarter to eight
		{"الثامنة الا ربع", "07:45"},              // without hamza
		{"التاسعة والثلث مساءً", "21:20"},         // twenty past nine
		{"العاشرة إلا ثلث", "09:40"},              // twenty to ten
		{"الواحدة إلا ربعاً", "00:45"},            // quarter to one, after midnight
		{"الثانية عشرة إلا ربعاً ظهراً", "11:45"}, // quarter to twelve noon
		{"الساعة ‏7 ‏مساءً", "19:00"},             // with right-to-left marks
		{"\u2068السابعة\u2069 مساءً", "19:00"},    // with isolates
		{"الساعة 7:00 مساءً", "19:00"},            // as the bot confirms it
		{"عند منتصف الليل", "00:00"},              // as the bot confirms it
		{"الساعة 12:30 بعد منتصف الليل", "00:30"}, // as the bot confirms it

		// Noon and midnight.
		{"ظهراً", "12:00"},       // noon
		{"الظهر", "12:00"},       // noon
		{"منتصف الليل", "00:00"}, // midnight
		{"12 منتصف الليل", "00:00"},
		{"منتصف النهار", "12:00"}, // midday

		// English.
		{"7pm", "19:00"},
		{"7 pm", "19:00"},
		{"7 PM", "19:00"},
		{"7 p.m.", "19:00"},
		{"7:30am", "07:30"},
		{"7:30 a.m.", "07:30"},
		{"12am", "00:00"},
		{"12pm", "12:00"},
		{"12:15 am", "00:15"},
		{"at 7pm", "19:00"},
		{"noon", "12:00"},
		{"midnight", "00:00"},
		{"12 noon", "12:00"},

		// Instant and default, as before.
		{"instant", "instant"},
		{"فوراً", "instant"}, // at once
		{"فورًا", "instant"},
		{"default", "default"},
		{"الافتراضي", "default"}, // the default
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			spec, ok := parseTime(tt.in)
			if !ok {
				t.Fatalf("parseTime(%q) failed; want %s", tt.in, tt.want)
			}
			if got := specClock(spec); got != tt.want {
				t.Errorf("parseTime(%q) = %q (%s); want %s", tt.in, spec, got, tt.want)
			}
		})
	}
}

func TestParseTimeRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"25:00",
		"24:00",
		"7:60",
		"7:5", // one minute digit: 7:05 or 7:50?
		"007",
		"1900",
		"13 م",        // 13 pm
		"19:00 مساءً", // 19 in the evening
		"0 am",
		"13pm",
		"8 ظهراً",        // 8 at noon-time
		"السابعة عشرة",   // the seventeenth
		"7 مساءً صباحاً", // evening and morning
		"مساءً",          // evening, no hour
		"الساعة",         // o'clock, no hour
		"7:30 والنصف",    // 7:30 and a half
		"gibberish",
		"سبعة ونص ونص", // seven and a half and a half
		"عشرين",        // twenty
		":30",
		"7:",
		"-1",
		"+7",
		"7 o'clock",
		"1 midnight",
		strings.Repeat(" ", 70) + "7",
		"الساعة السابعة والنصف مساءً في يوم الأحد القادم إن شاء الله", // too long
	} {
		if spec, ok := parseTime(in); ok {
			t.Errorf("parseTime(%q) = %q; want it refused", in, spec)
		}
	}
}

// specClock shows a stored schedule as "HH:MM", "instant" or "default".
func specClock(spec string) string {
	switch spec {
	case subscribers.Instant:
		return "instant"
	case "":
		return "default"
	}
	var h, m int
	if _, err := fmt.Sscanf(spec, "%d %d * * *", &m, &h); err != nil {
		return "bad spec " + spec
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"19:00", "٧:٣٠", "7 مساءً", "٧ م", "السابعة صباحاً", "7:30 ص", "7pm", "ظهراً",
		"منتصف الليل", "الثانية عشرة إلا ربعاً ظهراً", "السابعة و النصف مساءً", "12am",
		"الساعة 12:30 بعد منتصف الليل", "فوراً", "default", "25:00", "13 م", ":", "و",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, ok := parseTime(s)
		if !ok {
			if spec != "" {
				t.Errorf("parseTime(%q) refused but returned %q", s, spec)
			}
			return
		}
		if spec == subscribers.Instant || spec == "" {
			return
		}
		var h, m int
		var rest string
		if n, _ := fmt.Sscanf(spec, "%d %d * * *%s", &m, &h, &rest); n != 2 || spec != fmt.Sprintf("%d %d * * *", m, h) {
			t.Fatalf("parseTime(%q) = %q; want a daily spec \"m h * * *\"", s, spec)
		}
		if h < 0 || h > 23 || m < 0 || m > 59 {
			t.Fatalf("parseTime(%q) = %q: hour %d, minute %d out of range", s, spec, h, m)
		}
		if _, err := cron.ParseStandard(spec); err != nil {
			t.Fatalf("parseTime(%q) = %q, which cron refuses: %v", s, spec, err)
		}
	})
}
