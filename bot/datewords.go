package bot

import (
	"fmt"
	"time"

	"nashra/digest"
)

// momentWords says an instant in the reader's language, in the service's
// zone, with the zone as a city: «الأحد 7 كانون الأول الساعة 9:14 صباحاً
// بتوقيت دمشق», "Sunday 7 December at 9:14 am Damascus time".
func (b *Bot) momentWords(lang string, at time.Time) string {
	t := textsFor(lang)
	at = at.In(b.opt.Location)
	return fmt.Sprintf(t.PauseEnd, digest.DayWords(lang, at), clockWords(t, at.Hour(), at.Minute()), zoneWords(t, b.opt.Location, at))
}
