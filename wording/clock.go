package wording

import (
	"fmt"
	"strings"
	"time"
)

// Clock says a time of day on a 12-hour clock with its part of the
// day: «الساعة 7:00 مساءً», «الساعة 12:00 ظهراً», «عند منتصف الليل». What
// it says, /time reads back as the same time.
func (t *Bot) Clock(h, m int) string {
	hm := func(h int) string { return fmt.Sprintf("%d:%02d", h, m) }
	switch {
	case h < 0 || h > 23 || m < 0 || m > 59:
		return fmt.Sprintf("%02d:%02d", h, m)
	case h == 0 && m == 0:
		return t.ClockMidnight
	case h == 0:
		return fmt.Sprintf(t.ClockAfterMidnight, hm(12))
	case h < 12:
		return fmt.Sprintf(t.ClockMorning, hm(h))
	case h == 12:
		return fmt.Sprintf(t.ClockNoon, hm(12))
	}
	return fmt.Sprintf(t.ClockEvening, hm(h-12))
}

// Zone names the zone of schedules for readers: its city from the
// catalog (Asia/Damascus → «دمشق»), else, where the language allows it,
// the city as the zone writes it (America/New_York → "New York"), else
// the offset from UTC at the instant at («غرينتش+3»). A zone's code is
// never shown.
func (t *Bot) Zone(loc *time.Location, at time.Time) string {
	name := loc.String()
	region, city, hasCity := strings.Cut(name, "/")
	if hasCity {
		if i := strings.LastIndex(city, "/"); i >= 0 {
			city = city[i+1:] // America/Argentina/Buenos_Aires
		}
		if n, ok := t.ZoneCities[city]; ok {
			return n
		}
		if t.ZoneLatinCity && region != "Etc" && region != "SystemV" {
			return strings.ReplaceAll(city, "_", " ")
		}
	}
	_, off := at.In(loc).Zone()
	return fmt.Sprintf(t.ZoneOffset, utcOffset(off))
}

// utcOffset writes an offset in seconds as "+3", "-4", "+5:30"; UTC
// itself is "".
func utcOffset(sec int) string {
	if sec == 0 {
		return ""
	}
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	h, m := sec/3600, sec%3600/60
	if m == 0 {
		return fmt.Sprintf("%s%d", sign, h)
	}
	return fmt.Sprintf("%s%d:%02d", sign, h, m)
}
