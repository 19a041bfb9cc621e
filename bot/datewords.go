package bot

import (
	"fmt"
	"time"
)

// momentWords says an instant in the reader's language, in the service's
// zone, with the zone as a city: «الأحد 7 كانون الأول الساعة 9:14 صباحاً
// بتوقيت دمشق», "Sunday 7 December at 9:14 am Damascus time".
func (b *Bot) momentWords(t *texts, at time.Time) string {
	at = at.In(b.opt.Location)
	day := fmt.Sprintf(t.DateWords, t.Weekdays[at.Weekday()], at.Day(), t.Months[at.Month()-1])
	return fmt.Sprintf(t.PauseEnd, day, clockWords(t, at.Hour(), at.Minute()), zoneWords(t, b.opt.Location, at))
}
