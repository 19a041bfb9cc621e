package bot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"nashra/subscribers"
)

// parseTime reads what a reader types after /time and returns the stored
// schedule: a daily cron spec, subscribers.Instant, or "" for the default.
// It reads a time of day as people write it (see readClock), and the words
// for instant ("instant", «فوراً») and the default ("default", «افتراضي»).
func parseTime(s string) (string, bool) {
	if utf8.RuneCountInString(s) > maxTimeInput {
		return "", false
	}
	switch strings.Join(timeTokens(s), " ") {
	case "instant", "now", "فوري", "فورا":
		return subscribers.Instant, true
	case "default", "افتراضي", "الافتراضي":
		return "", true
	}
	h, m, ok := readClock(s)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%d %d * * *", m, h), true
}

// maxTimeInput bounds what readClock reads: a long form it knows,
// «في الساعة الثانية عشرة والنصف بعد منتصف الليل», is 45 characters.
const maxTimeInput = 64

// readClock reads a time of day as readers write it, into 24-hour h and m:
//   - 24-hour, in any of the three digit sets: 19:00, 7:30, 7.30, ٧:٣٠, ۷:۳۰;
//   - an hour alone, in digits or words, as the clock face: 7, السابعة → 07:00;
//   - a 1–12 hour with a part of the day: 7 مساءً, ٧ م, 7:30 ص, 7pm, 12am;
//   - hours 1–12 in words, with half, quarter or third past or to:
//     الساعة السابعة والنصف مساءً, سبعة إلا ربع;
//   - noon and midnight alone: ظهراً, منتصف الليل, noon, midnight.
//
// The parts of the day: ص صباحاً الصبح فجراً am are morning (12 is 00);
// م pm عصراً بعد الظهر are afternoon (12 is noon, as phone clocks show
// «12:00 م»); مساءً is evening (12 is midnight); ليلاً is night (1–5 stay,
// 6–11 are evening, 12 is midnight); ظهراً الظهر take 12 or 1–3 pm; بعد
// منتصف الليل takes 12 or 1–5 am. A leading «في/عند الساعة» or "at" is
// skipped. Tatweel, diacritics, direction marks, hamza forms of alef, ة/ه
// and ى/ي do not matter.
func readClock(s string) (h, m int, ok bool) {
	if utf8.RuneCountInString(s) > maxTimeInput {
		return 0, 0, false
	}
	toks := timeTokens(s)
	i := 0
	if i < len(toks) && clockPrepositions[toks[i]] {
		i++
	}
	if i < len(toks) && clockHourWords[toks[i]] {
		i++
	}
	if n, at, ok := matchPhrase(clockAlone, toks[i:]); ok && n == len(toks)-i {
		return at / 60, at % 60, true
	}

	// The hour: digits, or an hour in words.
	hour, minute, worded, hasMin := 0, 0, false, false
	if i >= len(toks) {
		return 0, 0, false
	}
	if d := toks[i]; d[0] >= '0' && d[0] <= '9' {
		var ok bool
		if hour, minute, hasMin, ok = readDigits(d); !ok {
			return 0, 0, false
		}
		i++
	} else if n, v, ok := matchPhrase(clockHours, toks[i:]); ok {
		hour, worded = v, true
		i += n
	} else {
		return 0, 0, false
	}

	// Half, quarter or third past or to the hour.
	delta := 0
	if !hasMin {
		if n, v, ok := matchPhrase(clockFractions, toks[i:]); ok {
			delta = v
			i += n
		}
	}

	// The part of the day.
	mark := markNone
	if n, v, ok := matchPhrase(clockMarkers, toks[i:]); ok {
		mark = dayPart(v)
		i += n
	}
	if i != len(toks) || minute > 59 {
		return 0, 0, false
	}
	switch {
	case mark != markNone:
		if hour, ok = mark.hour(hour); !ok {
			return 0, 0, false
		}
	case worded:
		// «السابعة» alone reads as the clock face: 07:00.
	case hour > 23:
		return 0, 0, false
	}
	at := hour*60 + minute + delta
	at = (at + 24*60) % (24 * 60) // «الواحدة إلا ربعاً» after midnight is 00:45
	return at / 60, at % 60, true
}

// readDigits reads "7", "19", "7:30" or "07:30" (minutes two digits).
func readDigits(d string) (h, m int, hasMin, ok bool) {
	hs, ms, hasMin := strings.Cut(d, ":")
	if len(hs) < 1 || len(hs) > 2 || hasMin && len(ms) != 2 {
		return 0, 0, false, false
	}
	h, err := strconv.Atoi(hs)
	if err != nil {
		return 0, 0, false, false
	}
	if hasMin {
		if m, err = strconv.Atoi(ms); err != nil {
			return 0, 0, false, false
		}
	}
	return h, m, hasMin, true
}

// dayPart is a marker after the hour: what part of the day a 1–12 hour
// is in.
type dayPart int

const (
	markNone          dayPart = iota
	markMorning               // ص، صباحاً، am: 12 is 00
	markAfternoon             // م، pm، عصراً: 12 is noon
	markEvening               // مساءً: 12 is midnight
	markNight                 // ليلاً: 1–5 after midnight, 6–11 evening, 12 midnight
	markNoon                  // ظهراً، الظهر: 12, or 1–3 pm
	markAfterMidnight         // بعد منتصف الليل: 12 or 1–5 am
	markMidnight              // "12 midnight": 12 only
	markNoonOnly              // "12 noon": 12 only
)

// hour turns a 1–12 hour into 0–23.
func (p dayPart) hour(h int) (int, bool) {
	if h < 1 || h > 12 {
		return 0, false
	}
	switch p {
	case markMorning:
		return h % 12, true
	case markAfternoon:
		return h%12 + 12, true
	case markEvening:
		if h == 12 {
			return 0, true
		}
		return h + 12, true
	case markNight:
		switch {
		case h == 12:
			return 0, true
		case h <= 5:
			return h, true
		}
		return h + 12, true
	case markNoon:
		if h == 12 || h <= 3 {
			return h%12 + 12, true
		}
	case markAfterMidnight:
		if h == 12 || h <= 5 {
			return h % 12, true
		}
	case markMidnight:
		if h == 12 {
			return 0, true
		}
	case markNoonOnly:
		if h == 12 {
			return 12, true
		}
	}
	return 0, false
}

// The words readClock knows, as readers write them; they are folded like
// the input (foldTime) when the tables are built.
var (
	clockPrepositions = wordSet("في", "عند", "على", "at")
	clockHourWords    = wordSet("الساعة", "ساعة", "بالساعة")

	// Whole answers: minutes after midnight.
	clockAlone = phraseTable(map[int][]string{
		0:   {"منتصف الليل", "نص الليل", "midnight"},
		720: {"ظهراً", "الظهر", "بالظهر", "الظهيرة", "منتصف النهار", "noon", "midday"},
	})

	// Hours in words, 1–12: ordinals (السابعة) and cardinals (سبعة), each
	// also with ال added or taken away.
	clockHours = withAndWithoutAl(phraseTable(map[int][]string{
		1:  {"الواحدة", "واحدة", "واحد"},
		2:  {"الثانية", "اثنتين", "اثنين", "ثنتين", "تنتين"},
		3:  {"الثالثة", "ثلاث", "ثلاثة", "تلاتة", "تلات"},
		4:  {"الرابعة", "أربع", "أربعة"},
		5:  {"الخامسة", "خمس", "خمسة"},
		6:  {"السادسة", "ست", "ستة"},
		7:  {"السابعة", "سبع", "سبعة"},
		8:  {"الثامنة", "ثمان", "ثماني", "ثمانية", "تمانية", "تمنة"},
		9:  {"التاسعة", "تسع", "تسعة"},
		10: {"العاشرة", "عشر", "عشرة"},
		11: {"الحادية عشرة", "الحادية عشر", "إحدى عشرة", "إحدى عشر", "أحد عشر", "احدعش", "حدعش"},
		12: {"الثانية عشرة", "الثانية عشر", "اثنتا عشرة", "اثنتي عشرة", "اثنا عشر", "اثني عشر", "اطنعش", "طنعش"},
	}))

	// Minutes past (or, negative, to) the hour.
	clockFractions = phraseTable(map[int][]string{
		30:  {"والنصف", "ونصف", "ونص", "والنص"},
		15:  {"والربع", "وربع"},
		20:  {"والثلث", "وثلث"},
		-15: {"إلا ربعاً", "إلا ربع", "إلا الربع"},
		-20: {"إلا ثلثاً", "إلا ثلث", "إلا الثلث"},
	})

	clockMarkers = phraseTable(map[int][]string{
		int(markMorning): {"ص", "صباحاً", "صباح", "الصباح", "بالصباح", "في الصباح", "الصبح", "بالصبح", "صبحاً",
			"فجراً", "الفجر", "بالفجر", "am"},
		int(markAfternoon):     {"م", "pm", "عصراً", "العصر", "بالعصر", "بعد الظهر", "بعد الظهيرة"},
		int(markEvening):       {"مساءً", "مساءا", "مساء", "المساء", "بالمساء", "في المساء", "مسا", "المسا", "بالمسا"},
		int(markNight):         {"ليلاً", "الليل", "بالليل", "في الليل"},
		int(markNoon):          {"ظهراً", "الظهر", "بالظهر", "الظهيرة"},
		int(markAfterMidnight): {"بعد منتصف الليل", "بعد نص الليل", "after midnight"},
		int(markMidnight):      {"منتصف الليل", "midnight"},
		int(markNoonOnly):      {"noon", "midday"},
	})
)

// maxPhrase is the most tokens a phrase in the tables has.
const maxPhrase = 3

// phraseTable folds every phrase and maps it to its value.
func phraseTable(byValue map[int][]string) map[string]int {
	t := make(map[string]int)
	for v, phrases := range byValue {
		for _, p := range phrases {
			toks := timeTokens(p)
			if len(toks) == 0 || len(toks) > maxPhrase {
				panic("bot: bad clock phrase " + p)
			}
			t[strings.Join(toks, " ")] = v
		}
	}
	return t
}

// withAndWithoutAl adds each phrase with its first word's ال taken away,
// or added: «السابعة» gives «سابعة», «سبعة» gives «السبعة».
func withAndWithoutAl(t map[string]int) map[string]int {
	out := make(map[string]int, 2*len(t))
	for p, v := range t {
		out[p] = v
	}
	for p, v := range t {
		other := "ال" + p
		if rest, ok := strings.CutPrefix(p, "ال"); ok {
			other = rest
		}
		if _, taken := out[other]; !taken {
			out[other] = v
		}
	}
	return out
}

func wordSet(words ...string) map[string]bool {
	s := make(map[string]bool, len(words))
	for _, w := range words {
		s[strings.Join(timeTokens(w), " ")] = true
	}
	return s
}

// matchPhrase finds the longest phrase of t that toks starts with.
func matchPhrase(t map[string]int, toks []string) (n, v int, ok bool) {
	for n = min(maxPhrase, len(toks)); n > 0; n-- {
		if v, ok = t[strings.Join(toks[:n], " ")]; ok {
			return n, v, true
		}
	}
	return 0, 0, false
}

// timeTokens folds s and splits it into numbers ("7", "7:30") and words:
// "7:30pm" is "7:30" "pm", «٧م» is "7" «م», «و النصف» is «والنصف».
func timeTokens(s string) []string {
	var toks []string
	var cur strings.Builder
	num := false
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range foldTime(s) {
		switch {
		case r >= '0' && r <= '9':
			if !num {
				flush()
			}
			num = true
			cur.WriteRune(r)
		case r == ':':
			if num || cur.Len() == 0 {
				// Inside a number it separates hours and minutes; alone
				// it makes a token no table knows.
				num = true
				cur.WriteRune(r)
			}
			// Inside a word ("p.m.") it is dropped.
		case r == ' ':
			flush()
			num = false
		default:
			if num {
				flush()
			}
			num = false
			cur.WriteRune(r)
		}
	}
	flush()
	// «و» written apart from its word: «و نص» is «ونص».
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		if toks[i] == "و" && i+1 < len(toks) && !isDigitToken(toks[i+1]) {
			out = append(out, "و"+toks[i+1])
			i++
			continue
		}
		out = append(out, toks[i])
	}
	return out
}

func isDigitToken(t string) bool { return t != "" && (t[0] >= '0' && t[0] <= '9' || t[0] == ':') }

// foldTime makes the ways of writing a time alike: ASCII digits, ":" for
// every hour separator, one space for every blank or comma, lower case,
// no tatweel, diacritics or bidi marks, bare alef, ه for ة, ي for ى.
func foldTime(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + (r - '٠'))
		case r >= '۰' && r <= '۹':
			b.WriteRune('0' + (r - '۰'))
		case r == ':' || r == '.' || r == '٫' || r == '：' || r == '﹕':
			b.WriteRune(':')
		case r == ',' || r == '،' || r == '؛' || r == ';' || unicode.IsSpace(r):
			b.WriteRune(' ')
		case r == 'ـ' || r >= '\u064b' && r <= '\u065f' || r == '\u0670' || unicode.Is(unicode.Cf, r):
			// tatweel, harakat and tanween, dagger alef, invisible marks
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			b.WriteRune('ا')
		case r == 'ة':
			b.WriteRune('ه')
		case r == 'ى':
			b.WriteRune('ي')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
