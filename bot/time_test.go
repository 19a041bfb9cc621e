package bot_test

import (
	"strings"
	"testing"
	"unicode"

	"nashra/bot/telegramtest"
)

// /time as readers write it: what is stored, and what the reader is told,
// in words, in their language, with the zone as a city and never as a code.
func TestTimeAsReadersWriteIt(t *testing.T) {
	h := newHarness(t)
	ar := telegramtest.NewUser(120, "ar")
	h.say(ar, "/start")
	en := telegramtest.NewUser(121, "en")
	h.say(en, "/start")
	h.say(en, "/lang en")

	m := h.say(ar, "/time")
	wantSeen(t, m, "يومياً الساعة 8:00 صباحاً بتوقيت دمشق، وهو الموعد الافتراضي") // daily at 8:00 in the morning, Damascus time, the default
	m = h.say(en, "/time")
	wantSeen(t, m, "daily at 8:00 am Damascus time (the default time)")

	tests := []struct {
		user     int64
		in       string
		schedule string
		said     string
	}{
		{120, "7 مساءً", "0 19 * * *", "يومياً الساعة 7:00 مساءً بتوقيت دمشق"},                      // 7 in the evening → daily at 7:00 pm
		{120, "٥ ص", "0 5 * * *", "يومياً الساعة 5:00 صباحاً بتوقيت دمشق"},                          // 5 am, Arabic-Indic digit
		{120, "٧ م", "0 19 * * *", "يومياً الساعة 7:00 مساءً بتوقيت دمشق"},                          // 7 pm, Arabic-Indic digit
		{120, "السابعة صباحاً", "0 7 * * *", "يومياً الساعة 7:00 صباحاً بتوقيت دمشق"},               // seven in the morning
		{120, "7:30 ص", "30 7 * * *", "يومياً الساعة 7:30 صباحاً بتوقيت دمشق"},                      // 7:30 am
		{120, "19:00", "0 19 * * *", "يومياً الساعة 7:00 مساءً بتوقيت دمشق"},                        // 24-hour
		{120, "٢٠:١٥", "15 20 * * *", "يومياً الساعة 8:15 مساءً بتوقيت دمشق"},                       // 20:15, Arabic-Indic digits
		{120, "ظهراً", "0 12 * * *", "يومياً الساعة 12:00 ظهراً بتوقيت دمشق"},                       // noon
		{120, "منتصف الليل", "0 0 * * *", "يومياً عند منتصف الليل بتوقيت دمشق"},                     // midnight
		{120, "السابعة والنصف مساءً", "30 19 * * *", "يومياً الساعة 7:30 مساءً بتوقيت دمشق"},        // half past seven in the evening
		{120, "الواحدة إلا ربعاً", "45 0 * * *", "يومياً الساعة 12:45 بعد منتصف الليل بتوقيت دمشق"}, // quarter to one
		{121, "7pm", "0 19 * * *", "daily at 7:00 pm Damascus time"},
		{121, "7:30am", "30 7 * * *", "daily at 7:30 am Damascus time"},
		{121, "12am", "0 0 * * *", "daily at midnight Damascus time"},
		{121, "noon", "0 12 * * *", "daily at 12:00 pm Damascus time"},
		{121, "٧ م", "0 19 * * *", "daily at 7:00 pm Damascus time"}, // an English reader may write Arabic too
	}
	for _, tt := range tests {
		user := ar
		if tt.user == en.ID {
			user = en
		}
		m := h.say(user, "/time "+tt.in)
		wantSeen(t, m, tt.said)
		if strings.Contains(m.Text, "Asia/") {
			t.Errorf("/time %s: reply %q shows the zone's code", tt.in, m.Text)
		}
		if got := h.reader(tt.user).Schedule; got != tt.schedule {
			t.Errorf("/time %s: stored schedule %q; want %q", tt.in, got, tt.schedule)
		}
	}

	// Refused: the schedule stays, and the reader is told.
	for _, in := range []string{"13 م", "25:00", "السابعة عشرة"} { // 13 pm; 25:00; the seventeenth
		m := h.say(ar, "/time "+in)
		wantSeen(t, m, "لم نفهم الموعد") // we did not understand the time
		if got := h.reader(120).Schedule; got != "45 0 * * *" {
			t.Errorf("/time %s changed the schedule to %q", in, got)
		}
	}
	m = h.say(en, "/time 13pm")
	wantSeen(t, m, "We did not understand the time")
	if got := h.reader(121).Schedule; got != "0 19 * * *" {
		t.Errorf("/time 13pm changed the schedule to %q", got)
	}
}

// wantSeen checks the reply holds each part as the reader sees it: marks
// that only steer direction do not count.
func wantSeen(t *testing.T, m telegramtest.Message, parts ...string) {
	t.Helper()
	seen := strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, m.Text)
	for _, p := range parts {
		if !strings.Contains(seen, p) {
			t.Errorf("reply %q does not contain %q", m.Text, p)
		}
	}
}
