package bot

import (
	"fmt"
	"time"

	"nashra/digest/arabic"
	"nashra/subscribers"
)

// statsTexts are the words of /stats and its chart, kept together for an
// editor to review. Format verbs are noted where a string takes
// arguments; every inserted value is escaped first. Every count a
// sentence says goes through a counted noun (arabic.Plural); the figures
// of the per-day table stand after a label, as in any table.
type statsTexts struct {
	Title string

	Readers string // heading
	// Statuses label each count of readers, by subscribers.Status.
	Statuses  map[string]string
	NoReaders string // instead of the statuses, when nobody ever subscribed
	// ReaderCount counts readers (by status, by signup source).
	ReaderCount counted

	Days     string       // heading, %s: the span (LastDays)
	LastDays arabic.Forms // "the last N days"
	// DayLine is a row of the table: %s the day (date), %d joined,
	// %d returned, %d lost, %d subscribed at the end of the day.
	DayLine  string
	DayQuiet string // a day nobody joined or left: %s the day, %d subscribed
	NoMoves  string // instead of the rows when no day had any: %s the span (LastDays)
	// ShortMonths name the months in a day's date ("28 Nov"); without
	// them a day is day/month ("28/11").
	ShortMonths [12]string

	TopTopics      string // heading
	Followers      arabic.Forms
	NoFollows      string
	KeywordsNotice string

	Sources string // heading
	// SourceNames name the sources the bot knows in words: readers who
	// came with no source in their link, and the default source of
	// `nashra signup-link`.
	SourceNames map[string]string
	SourceLink  string // a source the editors named in a link: %s its name
	NoSignups   string

	Delivery      string // heading
	DeliveredDays string // %s: the span (LastDays)
	DigestLine    string // %s: messages
	BroadcastLine string // %s: messages
	Messages      counted
	ThisInstance  string
	SentLine      string // %s: messages
	FailedLine    string // %s: messages
	BlockedLine   string // %s: readers (ReaderCount)
	UnknownLine   string // %s: messages
	RetriedLine   string // %s: messages
	ThrottledLine string // %s: how many times (Times)
	Times         counted
	NoSender      string
	Queue         string // heading of the two lines below
	QueueDigests  string // %s: messages
	QueueBcasts   string // %s: messages
	QueueEmpty    string

	Feeds        string // heading
	FeedOK       string // %s: when (Ago)
	FeedNever    string
	FeedFailures arabic.Forms // consecutive failed polls
	FeedError    string       // %s
	NoFeeds      string
	Ago          string // %s: a duration (Minutes, Hours, DaysAgo)
	JustNow      string
	Minutes      arabic.Forms
	Hours        arabic.Forms
	DaysAgo      arabic.Forms

	Caption   string // %d active, %s: the span (LastDays), %d joined, %d lost
	CaptionNo string // the caption when nobody ever subscribed

	ChartReaders   string // %s: the span (LastDays)
	ChartDayAxis   string
	ChartCountAxis string
	ChartNoReaders string
	ChartTopics    string
	ChartNoTopics  string
	ChartFailed    string

	Sep string // between the parts of a line
}

// counted is a counted noun and the words for none of it ("0 readers"
// is not Arabic).
type counted struct {
	arabic.Forms
	None string
}

func (c counted) of(n int64) string {
	if n == 0 {
		return c.None
	}
	return arabic.Plural(int(n), c.Forms)
}

// enForms fills Forms for English, with one singular and one plural.
func enForms(one, many string) arabic.Forms {
	return arabic.Forms{One: one, Two: many, Few: many, Many: many, Other: many}
}

var arStats = statsTexts{
	Title: "📊 <b>إحصاءات النشرة</b>",

	Readers: "<b>القرّاء</b>",
	Statuses: map[string]string{
		"active": "نشطون", "paused": "أوقفوا النشرة مؤقتاً", "stopped": "ألغوا الاشتراك", "blocked": "حظروا البوت",
	},
	NoReaders: "لم يشترك أحد في النشرة بعد.",
	// After a colon the count stands alone, in the nominative.
	ReaderCount: counted{arabic.Forms{
		One: "قارئ واحد", Two: "قارئان", Few: "%d قرّاء", Many: "%d قارئاً", Other: "%d قارئ",
	}, "لا أحد"},

	Days: "<b>حركة القرّاء في %s</b>",
	LastDays: arabic.Forms{
		One: "آخر يوم", Two: "آخر يومين", Few: "آخر %d أيام", Many: "آخر %d يوماً", Other: "آخر %d يوم",
	},
	DayLine:  "%s: جدد %d، عائدون %d، مغادرون %d، المشتركون %d",
	DayQuiet: "%s: لا تغيير، المشتركون %d",
	NoMoves:  "لم ينضمّ أحد ولم يغادر أحد في %s.",

	TopTopics: "<b>المواضيع الأكثر متابعة</b>",
	Followers: arabic.Forms{
		One: "متابع واحد", Two: "متابعان", Few: "%d متابعين", Many: "%d متابعاً", Other: "%d متابع",
	},
	NoFollows:      "لم يتابع أحد موضوعاً بعد.",
	KeywordsNotice: "متابعات الكلمات المفتاحية لا تُحسب هنا.",

	Sources: "<b>من أين جاء القرّاء</b>",
	SourceNames: map[string]string{
		subscribers.DirectSource: "من تلغرام مباشرة",
		"site-footer":            "رابط أسفل صفحات الموقع",
	},
	SourceLink:    "رابط %s",
	NoSignups:     "لم نسجّل أي اشتراك بعد.",
	Delivery:      "<b>الإرسال</b>",
	DeliveredDays: "في %s:",
	DigestLine:    "• النشرة: %s",
	BroadcastLine: "• الرسائل الجماعية: %s",
	Messages: counted{arabic.Forms{
		One: "رسالة واحدة", Two: "رسالتان", Few: "%d رسائل", Many: "%d رسالة", Other: "%d رسالة",
	}, "لا رسائل"},
	ThisInstance:  "منذ تشغيل هذه النسخة من البوت:",
	SentLine:      "• وصلت: %s",
	FailedLine:    "• تعذّر إرسالها نهائياً: %s",
	BlockedLine:   "• تبيّن أنهم حظروا البوت: %s",
	UnknownLine:   "• لا نعرف إن وصلت: %s",
	RetriedLine:   "• أعدنا محاولة إرسالها: %s",
	ThrottledLine: "• طلب منّا تلغرام التمهّل: %s",
	Times: counted{arabic.Forms{
		One: "مرة واحدة", Two: "مرتان", Few: "%d مرات", Many: "%d مرة", Other: "%d مرة",
	}, "ولا مرة"},
	NoSender:     "عدّادات الإرسال غير متاحة في هذه النسخة.",
	Queue:        "تنتظر الإرسال:",
	QueueDigests: "• النشرة والردود: %s",
	QueueBcasts:  "• الرسائل الجماعية: %s",
	QueueEmpty:   "لا رسائل تنتظر الإرسال.",

	Feeds:     "<b>مصادر الأخبار</b>",
	FeedOK:    "آخر جلب ناجح %s",
	FeedNever: "لم ننجح في جلبه بعد",
	FeedFailures: arabic.Forms{
		One: "فشلت آخر محاولة", Two: "فشلت آخر محاولتين", Few: "فشلت آخر %d محاولات",
		Many: "فشلت آخر %d محاولة", Other: "فشلت آخر %d محاولة",
	},
	FeedError: "الخطأ: %s",
	NoFeeds:   "لا مصادر أخبار في إعدادات هذه النسخة.",
	Ago:       "قبل %s",
	JustNow:   "قبل أقل من دقيقة",
	// After «قبل» the count is in the genitive.
	Minutes: arabic.Forms{One: "دقيقة", Two: "دقيقتين", Few: "%d دقائق", Many: "%d دقيقة", Other: "%d دقيقة"},
	Hours:   arabic.Forms{One: "ساعة", Two: "ساعتين", Few: "%d ساعات", Many: "%d ساعة", Other: "%d ساعة"},
	DaysAgo: arabic.Forms{One: "يوم", Two: "يومين", Few: "%d أيام", Many: "%d يوماً", Other: "%d يوم"},

	Caption:   "القرّاء النشطون: %d · جدد في %s: %d · غادروا: %d",
	CaptionNo: "لم يشترك أحد في النشرة بعد.",

	ChartReaders:   "المشتركون في نهاية كل يوم، %s",
	ChartDayAxis:   "التاريخ (يوم/شهر)",
	ChartCountAxis: "المشتركون",
	ChartNoReaders: "لم يشترك أحد في النشرة بعد",
	ChartTopics:    "المواضيع الأكثر متابعة: عدد المتابعين",
	ChartNoTopics:  "لم يتابع أحد موضوعاً بعد",
	ChartFailed:    "تعذّر رسم المخطط.",

	Sep: "، ",
}

var enStats = statsTexts{
	Title: "📊 <b>Newsletter statistics</b>",

	Readers: "<b>Readers</b>",
	Statuses: map[string]string{
		"active": "active", "paused": "paused the digest", "stopped": "unsubscribed", "blocked": "blocked the bot",
	},
	NoReaders:   "Nobody has subscribed yet.",
	ReaderCount: counted{enForms("1 reader", "%d readers"), "none"},

	Days:     "<b>Readers coming and going in %s</b>",
	LastDays: enForms("the last day", "the last %d days"),
	DayLine:  "%s: new %d, returned %d, left %d, subscribed %d",
	DayQuiet: "%s: no change, subscribed %d",
	NoMoves:  "Nobody joined or left in %s.",
	ShortMonths: [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},

	TopTopics:      "<b>Most followed topics</b>",
	Followers:      enForms("1 follower", "%d followers"),
	NoFollows:      "Nobody follows a topic yet.",
	KeywordsNotice: "Keywords followed are not counted here.",

	Sources: "<b>Where readers came from</b>",
	SourceNames: map[string]string{
		subscribers.DirectSource: "straight from Telegram",
		"site-footer":            "the link at the foot of the site's pages",
	},
	SourceLink:    "the link %s",
	NoSignups:     "No signups recorded yet.",
	Delivery:      "<b>Delivery</b>",
	DeliveredDays: "In %s:",
	DigestLine:    "• the digest: %s",
	BroadcastLine: "• broadcasts: %s",
	Messages:      counted{enForms("1 message", "%d messages"), "no messages"},
	ThisInstance:  "Since this instance of the bot started:",
	SentLine:      "• delivered: %s",
	FailedLine:    "• could not be sent: %s",
	BlockedLine:   "• found to have blocked the bot: %s",
	UnknownLine:   "• may or may not have arrived: %s",
	RetriedLine:   "• tried again: %s",
	ThrottledLine: "• Telegram asked us to slow down: %s",
	Times:         counted{enForms("once", "%d times"), "never"},
	NoSender:      "Delivery counters are not available in this instance.",
	Queue:         "Waiting to be sent:",
	QueueDigests:  "• the digest and replies: %s",
	QueueBcasts:   "• broadcasts: %s",
	QueueEmpty:    "No messages are waiting to be sent.",

	Feeds:        "<b>News feeds</b>",
	FeedOK:       "last fetched %s",
	FeedNever:    "never fetched successfully",
	FeedFailures: enForms("the last attempt failed", "the last %d attempts failed"),
	FeedError:    "error: %s",
	NoFeeds:      "This instance is configured without news feeds.",
	Ago:          "%s ago",
	JustNow:      "less than a minute ago",
	Minutes:      enForms("1 minute", "%d minutes"),
	Hours:        enForms("1 hour", "%d hours"),
	DaysAgo:      enForms("1 day", "%d days"),

	Caption:   "Active readers: %d · new in %s: %d · left: %d",
	CaptionNo: "Nobody has subscribed yet.",

	ChartReaders:   "Subscribers at the end of each day, %s",
	ChartDayAxis:   "day",
	ChartCountAxis: "subscribers",
	ChartNoReaders: "Nobody has subscribed yet",
	ChartTopics:    "Most followed topics: followers",
	ChartNoTopics:  "Nobody follows a topic yet",
	ChartFailed:    "The chart could not be drawn.",

	Sep: ", ",
}

func statsTextsFor(lang string) *statsTexts {
	if lang == "en" {
		return &enStats
	}
	return &arStats
}

// span says "the last n days".
func (t *statsTexts) span(n int) string { return arabic.Plural(n, t.LastDays) }

// date says a day as day and month: 28/11, or 28 Nov where the language
// names its months here.
func (t *statsTexts) date(d time.Time) string {
	if m := t.ShortMonths[d.Month()-1]; m != "" {
		return fmt.Sprintf("%d %s", d.Day(), m)
	}
	return fmt.Sprintf("%d/%d", d.Day(), int(d.Month()))
}

// age says how long ago, in whole minutes, hours or days.
func (t *statsTexts) age(d time.Duration) string {
	var n string
	switch {
	case d < time.Minute:
		return t.JustNow
	case d < time.Hour:
		n = arabic.Plural(int(d/time.Minute), t.Minutes)
	case d < 48*time.Hour:
		n = arabic.Plural(int(d/time.Hour), t.Hours)
	default:
		n = arabic.Plural(int(d/(24*time.Hour)), t.DaysAgo)
	}
	return fmt.Sprintf(t.Ago, n)
}
