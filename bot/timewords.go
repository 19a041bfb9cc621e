package bot

import (
	"fmt"
	"time"
)

// dailyWords says a daily time in the reader's language, with the zone
// in words: «يومياً الساعة 7:00 مساءً بتوقيت دمشق», "daily at 7:00 pm
// Damascus time".
func (b *Bot) dailyWords(t *texts, h, m int) string {
	return fmt.Sprintf(t.TimeDaily, clockWords(t, h, m), zoneWords(t, b.opt.Location, time.Now()))
}

// clockWords says a time of day on a 12-hour clock: see wording.Bot.Clock.
func clockWords(t *texts, h, m int) string { return t.Clock(h, m) }

// zoneWords names the zone of schedules for readers: see wording.Bot.Zone.
func zoneWords(t *texts, loc *time.Location, at time.Time) string { return t.Zone(loc, at) }
