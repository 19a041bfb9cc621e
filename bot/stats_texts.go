package bot

// statsTexts are the words of /stats and its chart. Format verbs are noted
// where a string takes arguments; every inserted value is escaped first.
type statsTexts struct {
	Title          string
	Readers        string
	Statuses       map[string]string // by subscribers.Status
	Days           string            // %d: the number of days
	DayLine        string            // %s day, %d joined, %d returned, %d lost, %d readers at the end of the day
	TopTopics      string
	NoFollows      string
	Followers      string // %d
	Sources        string
	NoSignups      string
	Delivery       string
	DeliveredDays  string // %d days, %d digests, %d broadcasts
	ThisInstance   string // %d sent, %d failed, %d blocked, %d unknown, %d 429s, %d retried
	NoSender       string
	Queue          string // %d digests and replies, %d broadcasts
	Feeds          string
	FeedOK         string // %s: when
	FeedNever      string
	FeedFailures   string // %d consecutive failures
	FeedError      string // %s
	Ago            string // %s: a duration
	Minutes        string // %d
	Hours          string // %d
	DaysShort      string // %d
	Caption        string // %d active, %d joined in the last week, %d lost
	ChartReaders   string // %d days
	ChartTopics    string
	ChartAxis      string
	ChartNoData    string
	ChartFailed    string
	DirectSignup   string
	KeywordsNotice string
	Sep            string // between the parts of a line
}

var arStats = statsTexts{
	Title:   "📊 <b>إحصاءات النشرة</b>",
	Readers: "<b>القرّاء</b>",
	Statuses: map[string]string{
		"active": "نشطون", "paused": "أوقفوا الخلاصة مؤقتاً", "stopped": "ألغوا الاشتراك", "blocked": "حظروا البوت",
	},
	Days:           "<b>آخر %d أيام</b> (جدد / عائدون / مغادرون ← المجموع)",
	DayLine:        "%s: +%d / +%d / −%d ← %d",
	TopTopics:      "<b>المواضيع الأكثر متابعة</b>",
	NoFollows:      "لا أحد يتابع موضوعاً بعد.",
	Followers:      "المتابعون: %d",
	Sources:        "<b>مصادر الاشتراك</b>",
	NoSignups:      "لا اشتراكات مسجّلة بعد.",
	Delivery:       "<b>التوصيل</b>",
	DeliveredDays:  "خلال آخر %d أيام: رسائل الخلاصة %d، الرسائل الجماعية %d",
	ThisInstance:   "منذ تشغيل هذه النسخة: أُرسلت %d، فشلت %d، محظور %d، مجهولة المصير %d، ردود 429: %d، إعادة محاولة %d",
	NoSender:       "عدّادات المرسِل غير متاحة في هذه النسخة.",
	Queue:          "في الطابور: خلاصات وردود %d، رسائل جماعية %d",
	Feeds:          "<b>مصادر الأخبار</b>",
	FeedOK:         "آخر جلب ناجح %s",
	FeedNever:      "لم يُجلب بنجاح بعد",
	FeedFailures:   "إخفاقات متتالية: %d",
	FeedError:      "الخطأ: %s",
	Ago:            "قبل %s",
	Minutes:        "%d د",
	Hours:          "%d س",
	DaysShort:      "%d يوم",
	Caption:        "القرّاء النشطون: %d — جدد هذا الأسبوع: %d، مغادرون: %d",
	ChartReaders:   "القرّاء خلال آخر %d يوماً",
	ChartTopics:    "المواضيع الأكثر متابعة",
	ChartAxis:      "القرّاء",
	ChartNoData:    "لا بيانات بعد",
	ChartFailed:    "تعذّر رسم المخطط.",
	DirectSignup:   "مباشرة",
	KeywordsNotice: "الكلمات الحرة لا تُحسب هنا.",
	Sep:            "، ",
}

var enStats = statsTexts{
	Title:   "📊 <b>Newsletter statistics</b>",
	Readers: "<b>Readers</b>",
	Statuses: map[string]string{
		"active": "active", "paused": "paused", "stopped": "unsubscribed", "blocked": "blocked the bot",
	},
	Days:           "<b>Last %d days</b> (new / returned / lost → total)",
	DayLine:        "%s: +%d / +%d / −%d → %d",
	TopTopics:      "<b>Most followed topics</b>",
	NoFollows:      "Nobody follows a topic yet.",
	Followers:      "%d followers",
	Sources:        "<b>Signup sources</b>",
	NoSignups:      "No signups recorded yet.",
	Delivery:       "<b>Delivery</b>",
	DeliveredDays:  "In %d days: %d digest messages, %d broadcast messages",
	ThisInstance:   "Since this instance started: sent %d, failed %d, blocked %d, unknown %d, 429 answers %d, retried %d",
	NoSender:       "Sender counters are not available in this instance.",
	Queue:          "Queued: %d digests and replies, %d broadcast messages",
	Feeds:          "<b>Feeds</b>",
	FeedOK:         "last good poll %s",
	FeedNever:      "never polled successfully",
	FeedFailures:   "%d consecutive failures",
	FeedError:      "error: %s",
	Ago:            "%s ago",
	Minutes:        "%d min",
	Hours:          "%d h",
	DaysShort:      "%d d",
	Caption:        "Active readers: %d — new this week: %d, lost: %d",
	ChartReaders:   "Readers over the last %d days",
	ChartTopics:    "Most followed topics",
	ChartAxis:      "readers",
	ChartNoData:    "no data yet",
	ChartFailed:    "The chart could not be drawn.",
	DirectSignup:   "direct",
	KeywordsNotice: "Free keywords are not counted here.",
	Sep:            ", ",
}

func statsTextsFor(lang string) *statsTexts {
	if lang == "en" {
		return &enStats
	}
	return &arStats
}
