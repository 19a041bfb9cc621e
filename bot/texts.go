package bot

import "nashra/bidi"

// texts holds every sentence the bot says, in one language. Arguments are
// inserted with fmt verbs and must already be HTML-escaped.
//
// Direction is added when a message is sent (bidi.Message): every Arabic
// line starts right to left and each command, Latin name or number in it
// is isolated, so the texts carry no marks. Written in reading order, an
// Arabic line says what it is about first and names the command after it.
// Only a command followed by an Arabic example needs bidi.Isolate, to keep
// the example with its command.
type texts struct {
	// /start answers in one screen: a greeting, what we send, when, the
	// topics a signup link followed, what to do next, and three buttons.
	Welcome            string // to a new reader
	WelcomeBack        string // to a reader coming back (stopped, paused or blocked before)
	WelcomeAgain       string // to a reader already subscribed
	StartWhatAll       string // the reader follows nothing
	StartWhatFollowed  string // the reader follows something
	StartWhen          string // %s: the schedule (TimeDaily)
	StartInstant       string
	WelcomeFollowed    string // %s: topics followed from the signup link
	StartNext          string
	StartNextGroup     string // in a group, where plain text gets no answer
	ButtonChooseTopics string
	ButtonDigestTime   string
	ButtonLatestNow    string

	// Plain text in a private chat: a topic it names, or the topics nearest
	// to it and an offer to follow it as a keyword.
	SuggestTopic        string // %s: the topic's name
	SuggestNear         string // %s: what the reader typed, twice
	SuggestNone         string // %s: what the reader typed, twice
	ButtonFollowTopic   string // %s: the topic's short name
	ButtonFollowKeyword string // %s: the words, cut for the button
	OfferLapsed         string

	Help             string
	Stopped          string
	AlreadyStopped   string
	StopAsk          string // the question under a digest's Unsubscribe
	ButtonStopYes    string
	ButtonStopNo     string
	StopKept         string
	ButtonUndo       string
	Restored         string
	RestoredPaused   string // %s: how long (PausedUntil or PausedNoEnd)
	NothingToUndo    string // callback toast
	NotThisChat      string // callback toast: an undo made for another chat
	FollowUsage      string
	Followed         string // %s: name
	FollowedKeyword  string // %s: keyword
	FollowedFirst    string // after the first follow: the digest now holds only what is followed
	AlreadyFollowing string // %s: name
	FollowLimit      string // %d: the cap, %s: what was not followed
	TopicTooLong     string // %d: max characters
	TopicInvalid     string // %s: the offending text
	TooManyAtOnce    string // %d: max per command
	StoppedNote      string
	UnfollowUsage    string
	UnfollowPick     string
	Unfollowed       string // %s: name
	NotFollowing     string // %s: name
	MyTopics         string // %s: the list
	MyTopicsNone     string
	TopicsIntro      string
	TopicsPage       string // %s: the group, %d: the page, %d: the pages
	TopicsAll        string // the reader follows nothing
	TopicsLimited    string // the reader follows something
	TopicsFollowed   string // callback toast, %s: name
	TopicsFirst      string // callback toast for the first follow, %s: name
	TopicsUnfollowed string // callback toast, %s: name
	LangChosen       string
	LangUsage        string
	Unknown          string // %s: the command
	NotACommand      string // plain text with no word in it
	NotAdmin         string
	GroupWelcome     string // %s: bot username
	GroupAdminsOnly  string
	ChannelAdminOnly string // callback toast to a channel's non-admin
	Failure          string
	SlowDown         string // a reader sends faster than they can be answered
	StartFirst       string
	KeywordNote      string
	ButtonDone       string
	PauseAsk         string // how long, with three buttons
	ButtonPauseDay   string
	ButtonPauseWeek  string
	ButtonPauseOpen  string
	ButtonResume     string
	Paused           string // %s: how long (PausedUntil or PausedNoEnd)
	AlreadyPaused    string // %s: how long (PausedUntil or PausedNoEnd)
	PauseChange      string
	PausedUntil      string // %s: the end (PauseEnd)
	PausedNoEnd      string
	PauseEnd         string // %s: the day (digest.DayWords), %s: the time (a Clock… text), %s: the zone
	Resumed          string
	NotPaused        string
	StoppedUseStart  string
	NothingNew       string
	TimeUsage        string // %s: current schedule
	TimeInvalid      string // %s: what the reader typed
	TimeSet          string // %s: schedule, described
	TimeDaily        string // %s: the time (a Clock… text), %s: the zone (ZoneCities or ZoneOffset)
	TimeInstant      string
	TimeDefault      string // %s: the default, described
	ButtonMorning    string
	ButtonEvening    string
	ButtonInstant    string
	ButtonDefault    string
	// /breaking and its buttons.
	BreakingAbout     string // %d: the daily cap, %s: BreakingIsOn or BreakingIsOff
	BreakingIsOn      string
	BreakingIsOff     string
	BreakingOn        string // %d: the daily cap
	BreakingOff       string
	BreakingNone      string // the newsroom sends no alerts
	ButtonBreakingOn  string
	ButtonBreakingOff string
	ToastBreakingOn   string
	ToastBreakingOff  string

	// A time of day in words; %s is h:mm on a 12-hour clock. /time must
	// read each back as the same time (see readClock).
	ClockMorning       string // 1:00–11:59
	ClockNoon          string // 12:00–12:59
	ClockEvening       string // 13:00–23:59, said as 1:00–11:59
	ClockAfterMidnight string // 00:01–00:59, said as 12:01–12:59
	ClockMidnight      string // 00:00
	// ZoneCities names the city of a time zone, keyed by the zone's last
	// part (Asia/Damascus → Damascus).
	ZoneCities map[string]string
	// ZoneLatinCity lets a city missing from ZoneCities show as the zone
	// writes it (America/New_York → New York).
	ZoneLatinCity bool
	ZoneOffset    string // %s: the offset from UTC ("+3", "-4", "+5:30"; "" for UTC)
}

var arTexts = texts{
	Welcome:            "👋 أهلاً بك في <b>نشرة</b>.",
	WelcomeBack:        "👋 أهلاً بعودتك! اشتراكك مفعّل من جديد، ومتابعاتك كما تركتها.",
	WelcomeAgain:       "👋 اشتراكك في <b>نشرة</b> مفعّل.",
	StartWhatAll:       "نرسل إليك أخبار شمال شرق سوريا و«قسد» والتحالف الدولي و«داعش»، مع ملخص قصير لكل خبر.",
	StartWhatFollowed:  "نرسل إليك أخبار ما تتابعه، مع ملخص قصير لكل خبر. متابعاتك في /mytopics",
	StartWhen:          "⏰ تصلك النشرة %s.",
	StartInstant:       "⚡ تصلك الأخبار فور نشرها.",
	WelcomeFollowed:    "✅ تابعتَ من رابط الاشتراك: %s",
	StartNext:          "اختر مواضيعك بالزر أدناه، أو اكتب اسم موضوع أو مدينة، مثل قسد أو الرقة.\nالأوامر كلها في /help · For English: /lang en",
	StartNextGroup:     "يختار مشرفو المجموعة مواضيعها بالزر أدناه.\nالأوامر كلها في /help · For English: /lang en",
	ButtonChooseTopics: "📂 اختر المواضيع",
	ButtonDigestTime:   "⏰ موعد النشرة",
	ButtonLatestNow:    "📰 آخر الأخبار الآن",

	SuggestTopic:        "📌 هذا من مواضيعنا: %s.\nتابعه لتصلك أخباره في نشرتك.",
	SuggestNear:         "🔎 لا نعرف موضوعاً باسم «%s». لعلك تقصد أحد هذه المواضيع، أو تريد أن تتابع «%s» كلمةً مفتاحية فتصلك الأخبار التي تذكرها.",
	SuggestNone:         "🔎 لا نعرف موضوعاً باسم «%s». يمكنك أن تتابع «%s» كلمةً مفتاحية فتصلك الأخبار التي تذكرها، أو أن تختار من المواضيع في /topics\nالأوامر كلها في /help",
	ButtonFollowTopic:   "تابع %s",
	ButtonFollowKeyword: "🔑 تابع «%s» كلمةً مفتاحية",
	OfferLapsed:         "⌛ مضى وقت هذا الزر. أرسل الكلمة من جديد نعرض عليك متابعتها، أو تابعها بـ /follow",

	Help: "<b>نشرة</b>: أخبار شمال شرق سوريا في خلاصة على تيليغرام.\n\n" +
		"• متابعة موضوع أو كلمة: " + bidi.Isolate("/follow قسد") + "\n" +
		"(موضوع في كل سطر لإضافة أكثر من واحد)\n" +
		"• إلغاء متابعة: " + bidi.Isolate("/unfollow قسد") + "\n" +
		"• قائمة المواضيع بأزرار: /topics\n" +
		"• ما تتابعه الآن: /mytopics\n" +
		"• موعد الخلاصة (أو فوراً): /time 07:30\n" +
		"• الأخبار العاجلة، تفعيلها أو إيقافها: /breaking\n" +
		"• الجديد الآن: /digest\n" +
		"• إيقاف الخلاصة مؤقتاً واستئنافها: /pause · /resume\n" +
		"• الإنجليزية (English): /lang en\n" +
		"• كل ما نحفظه عنك: /mydata\n" +
		"• حذف بياناتك كلها: /forget\n" +
		"• إلغاء الاشتراك: /stop\n" +
		"• العودة إلى الاشتراك: /start\n\n" +
		"إن لم تتابع شيئاً تصلك كل الأخبار.",
	Stopped:          "تم إلغاء اشتراكك، ولن تصلك رسائل بعد الآن. احتفظنا بمتابعاتك: أرسل /start متى شئت للعودة.",
	AlreadyStopped:   "اشتراكك ملغى أصلاً. أرسل /start للعودة.",
	StopAsk:          "هل تريد إيقاف النشرة؟\nلن نرسل إليك شيئاً بعد ذلك، ونحتفظ بمتابعاتك إن أردت العودة.",
	ButtonStopYes:    "نعم، أوقفها",
	ButtonStopNo:     "لا، أبقِها",
	StopKept:         "لم نغيّر شيئاً، وستصلك النشرة كالمعتاد.",
	ButtonUndo:       "↩️ تراجع",
	Restored:         "↩️ تراجعنا عن الإلغاء: اشتراكك كما كان، بمتابعاتك وموعد نشرتك.",
	RestoredPaused:   "↩️ تراجعنا عن الإلغاء، والنشرة متوقفة مؤقتاً كما كانت %s. متابعاتك وموعد نشرتك كما هي.",
	NothingToUndo:    "لا شيء نتراجع عنه: تغيّر اشتراكك منذ ذلك.",
	NotThisChat:      "هذا الزر لمحادثة أخرى.",
	FollowUsage:      "اكتب الموضوع بعد الأمر، مثلاً:\n%s\nأو اختر من /topics",
	Followed:         "✅ أنت الآن تتابع: %s",
	FollowedKeyword:  "✅ ستصلك الأخبار التي تذكر «%s».",
	FollowedFirst:    "📌 صارت نشرتك تقتصر على ما تتابعه، ولن تصلك بقية الأخبار. لتعود إليك كل الأخبار ألغِ متابعاتك بـ /unfollow",
	AlreadyFollowing: "أنت تتابع %s من قبل.",
	FollowLimit:      "⚠️ وصلت إلى الحد الأقصى (%d متابعة)، فلم أُضِف: %s\nألغِ متابعة شيء ما بـ /unfollow أولاً.",
	TopicTooLong:     "⚠️ الموضوع طويل جداً: الحد %d حرفاً. جرّب كلمة أو اسماً أقصر.",
	TopicInvalid:     "⚠️ لا أستطيع متابعة «%s»: استخدم حروفاً وأرقاماً ومسافات فقط.",
	TooManyAtOnce:    "⚠️ يمكن إضافة %d مواضيع على الأكثر في رسالة واحدة.",
	StoppedNote:      "ℹ️ اشتراكك ملغى حالياً، فلن يصلك شيء حتى ترسل /start.",
	UnfollowUsage:    "أنت لا تتابع شيئاً بعد. اختر من /topics",
	UnfollowPick:     "اضغط على ما تريد إلغاء متابعته:",
	Unfollowed:       "❎ ألغيتَ متابعة: %s",
	NotFollowing:     "أنت لا تتابع %s. اعرض متابعاتك بـ /mytopics",
	MyTopics:         "<b>ما تتابعه:</b>\n%s\n\nللتعديل: /topics أو /unfollow",
	MyTopicsNone:     "لا تتابع أي موضوع، فتصلك كل الأخبار. اختر من /topics لتخصيص الخلاصة.",
	TopicsIntro:      "اضغط على موضوع لمتابعته أو لإلغاء متابعته (✅ = تتابعه):",
	TopicsPage:       "📂 المواضيع: <b>%s</b> (الصفحة %d من %d)",
	TopicsAll:        "📌 لا تتابع شيئاً بعد، فتصلك كل الأخبار. ما إن تختار موضوعاً حتى تقتصر نشرتك على ما تتابعه.",
	TopicsLimited:    "📌 تقتصر نشرتك على ما تتابعه.",
	TopicsFollowed:   "تتابع الآن: %s",
	TopicsFirst:      "تتابع الآن: %s. صارت نشرتك تقتصر على ما تتابعه.",
	TopicsUnfollowed: "ألغيت متابعة: %s",
	LangChosen:       "تم. سأراسلك بالعربية.",
	LangUsage:        "اختر اللغة: /lang ar للعربية، /lang en للإنجليزية.",
	Unknown:          "لا أعرف الأمر %s. اكتب /help لعرض الأوامر.",
	NotACommand:      "اكتب اسم موضوع أو مدينة لنعرض عليك متابعته، مثل قسد أو الرقة، أو اختر من /topics\nالأوامر كلها في /help",
	NotAdmin:         "عذراً، هذا الأمر مخصّص لمحرّري النشرة.",
	GroupWelcome:     "👋 شكراً لإضافتي. يستطيع مشرفو المجموعة إرسال /start@%s لتصل خلاصة الأخبار إلى هنا.",
	GroupAdminsOnly:  "يستطيع مشرفو المجموعة وحدهم تغيير اشتراكها.",
	ChannelAdminOnly: "هذا الزر لمشرفي القناة فقط.",
	Failure:          "⚠️ حدث خلل من جهتنا ولم يُحفظ شيء. حاول مرة أخرى بعد قليل.",
	SlowDown:         "⏳ رسائلك تصلنا أسرع مما نستطيع الرد عليه. انتظر قليلاً ثم أعد المحاولة.",
	StartFirst:       "أرسل /start أولاً للاشتراك.",
	KeywordNote:      "(كلمة حرّة)",
	ButtonDone:       "تم",
	PauseAsk:         "إلى متى نوقف النشرة؟ متابعاتك تبقى محفوظة.",
	ButtonPauseDay:   "يوماً",
	ButtonPauseWeek:  "أسبوعاً",
	ButtonPauseOpen:  "حتى أستأنف",
	ButtonResume:     "▶️ استئناف",
	Paused:           "⏸ أوقفنا النشرة %s، ومتابعاتك محفوظة. يمكنك استئنافها متى شئت بالزر أو بـ /resume",
	AlreadyPaused:    "⏸ النشرة متوقفة مؤقتاً %s.",
	PauseChange:      "اختر مدة أخرى أو استأنفها:",
	PausedUntil:      "حتى %s، ثم تعود إليك وحدها",
	PausedNoEnd:      "حتى تستأنفها",
	PauseEnd:         "%s %s بتوقيت %s",
	Resumed:          "▶️ استأنفنا الخلاصة، وستصلك في موعدها.",
	NotPaused:        "الخلاصة غير متوقفة؛ لا شيء لاستئنافه.",
	StoppedUseStart:  "اشتراكك ملغى. أرسل /start للعودة.",
	NothingNew:       "لا جديد فيما تتابعه منذ آخر خلاصة.",
	TimeUsage:        "موعد خلاصتك الآن: %s\nاكتب مثلاً /time 07:30 أو اختر:",
	TimeSet:          "⏰ تم. موعد خلاصتك: %s",
	TimeInvalid:      "⚠️ لم أفهم الموعد «%s». اكتب الساعة هكذا: /time 07:30 أو اختر:",
	TimeDaily:        "يومياً %s بتوقيت %s",
	TimeInstant:      "فور نشر الأخبار",
	TimeDefault:      "الموعد الافتراضي: %s",
	ButtonMorning:    "🌅 صباحاً 07:00",
	ButtonEvening:    "🌆 مساءً 19:00",
	ButtonInstant:    "⚡ فوراً",
	ButtonDefault:    "الافتراضي",

	BreakingAbout:     "🔴 <b>الأخبار العاجلة</b>\nحين ننشر خبراً عاجلاً فيما تتابعه نرسله إليك فور نشره، بحدٍّ أقصى %d يومياً، ولا نكرره في نشرتك.\n\n%s",
	BreakingIsOn:      "الأخبار العاجلة مفعّلة لديك.",
	BreakingIsOff:     "الأخبار العاجلة متوقفة لديك.",
	BreakingOn:        "🔴 فعّلنا الأخبار العاجلة: نرسل إليك الخبر العاجل فيما تتابعه فور نشره، بحدٍّ أقصى %d يومياً.",
	BreakingOff:       "🔕 أوقفنا الأخبار العاجلة، وستجد هذه الأخبار في نشرتك كالمعتاد.",
	BreakingNone:      "لا نرسل أخباراً عاجلة حالياً، وتجد كل الأخبار في نشرتك.",
	ButtonBreakingOn:  "🔔 تفعيل الأخبار العاجلة",
	ButtonBreakingOff: "🔕 إيقاف الأخبار العاجلة",
	ToastBreakingOn:   "فعّلنا الأخبار العاجلة",
	ToastBreakingOff:  "أوقفنا الأخبار العاجلة",

	ClockMorning:       "الساعة %s صباحاً",
	ClockNoon:          "الساعة %s ظهراً",
	ClockEvening:       "الساعة %s مساءً",
	ClockAfterMidnight: "الساعة %s بعد منتصف الليل",
	ClockMidnight:      "عند منتصف الليل",

	ZoneCities: map[string]string{
		"Damascus":   "دمشق",
		"Beirut":     "بيروت",
		"Baghdad":    "بغداد",
		"Amman":      "عمّان",
		"Istanbul":   "إسطنبول",
		"Tehran":     "طهران",
		"Cairo":      "القاهرة",
		"Riyadh":     "الرياض",
		"Kuwait":     "الكويت",
		"Qatar":      "الدوحة",
		"Dubai":      "دبي",
		"Nicosia":    "نيقوسيا",
		"Athens":     "أثينا",
		"Berlin":     "برلين",
		"Vienna":     "فيينا",
		"Zurich":     "زيورخ",
		"Paris":      "باريس",
		"Brussels":   "بروكسل",
		"Amsterdam":  "أمستردام",
		"Copenhagen": "كوبنهاغن",
		"Stockholm":  "ستوكهولم",
		"Oslo":       "أوسلو",
		"Helsinki":   "هلسنكي",
		"London":     "لندن",
		"Rome":       "روما",
		"Madrid":     "مدريد",
		"Moscow":     "موسكو",
		"Kyiv":       "كييف",
		"Kiev":       "كييف",
		"Toronto":    "تورونتو",
		"New_York":   "نيويورك",
	},
	ZoneOffset: "غرينتش%s",
}

var enTexts = texts{
	Welcome:            "👋 Welcome to <b>Nashra</b>.",
	WelcomeBack:        "👋 Welcome back! Your subscription is active again, and your topics are as you left them.",
	WelcomeAgain:       "👋 You are subscribed to <b>Nashra</b>.",
	StartWhatAll:       "We send you the news of North-East Syria, the SDF, the international coalition and ISIS, each story with a short summary.",
	StartWhatFollowed:  "We send you the news of what you follow, each story with a short summary. Your topics: /mytopics",
	StartWhen:          "⏰ Your digest comes %s.",
	StartInstant:       "⚡ Stories come to you as soon as they are published.",
	WelcomeFollowed:    "✅ Followed from the signup link: %s",
	StartNext:          "Choose your topics with the button below, or type the name of a topic or a town, such as SDF or Raqqa.\nAll commands: /help · بالعربية: /lang ar",
	StartNextGroup:     "The group's admins choose its topics with the button below.\nAll commands: /help · بالعربية: /lang ar",
	ButtonChooseTopics: "📂 Choose topics",
	ButtonDigestTime:   "⏰ Digest time",
	ButtonLatestNow:    "📰 Latest news now",

	SuggestTopic:        "📌 This is one of our topics: %s.\nFollow it to get its news in your digest.",
	SuggestNear:         "🔎 We have no topic called “%s”. Perhaps you mean one of these, or want to follow “%s” as a keyword, to get the stories that mention it.",
	SuggestNone:         "🔎 We have no topic called “%s”. You can follow “%s” as a keyword, to get the stories that mention it, or pick from the topics in /topics\nAll commands: /help",
	ButtonFollowTopic:   "Follow %s",
	ButtonFollowKeyword: "🔑 Follow “%s” as a keyword",
	OfferLapsed:         "⌛ This button has lapsed. Send the words again and we will offer to follow them, or use /follow",

	Help: "<b>Nashra</b>: North-East Syria news as a Telegram digest.\n\n" +
		"/follow SDF — follow a topic or a keyword (one per line to add several)\n" +
		"/unfollow SDF — stop following\n" +
		"/topics — the topic list, with buttons\n" +
		"/mytopics — what you follow\n" +
		"/time 07:30 — when your digest comes (or instantly)\n" +
		"/breaking — turn breaking news on or off\n" +
		"/digest — what is new, now\n" +
		"/pause · /resume — pause and resume your digest\n" +
		"/lang ar — العربية\n" +
		"/mydata — everything we store about you\n" +
		"/forget — delete all of it\n" +
		"/stop — unsubscribe\n" +
		"/start — subscribe again\n\n" +
		"If you follow nothing, you receive every story.",
	Stopped:          "You are unsubscribed and will receive nothing more. Your topics are kept: send /start whenever you want to come back.",
	AlreadyStopped:   "You are already unsubscribed. Send /start to come back.",
	StopAsk:          "Stop your digest?\nWe will send you nothing more, and keep your topics in case you come back.",
	ButtonStopYes:    "Yes, stop it",
	ButtonStopNo:     "No, keep it",
	StopKept:         "Nothing changed: your digest keeps coming.",
	ButtonUndo:       "↩️ Undo",
	Restored:         "↩️ Undone: your subscription is as it was, with your topics and digest time.",
	RestoredPaused:   "↩️ Undone: your digest is paused as it was, %s. Your topics and digest time are unchanged.",
	NothingToUndo:    "Nothing to undo: your subscription has changed since.",
	NotThisChat:      "This button belongs to another chat.",
	FollowUsage:      "Put the topic after the command, for example:\n%s\nor pick from /topics",
	Followed:         "✅ You now follow: %s",
	FollowedKeyword:  "✅ You will receive stories that mention “%s”.",
	FollowedFirst:    "📌 Your digest now holds only what you follow, not every story. To get every story again, unfollow everything with /unfollow",
	AlreadyFollowing: "You already follow %s.",
	FollowLimit:      "⚠️ You have reached the limit of %d follows, so this was not added: %s\nUnfollow something with /unfollow first.",
	TopicTooLong:     "⚠️ That topic is too long: the limit is %d characters. Try a shorter word or name.",
	TopicInvalid:     "⚠️ I can't follow “%s”: use letters, digits and spaces only.",
	TooManyAtOnce:    "⚠️ You can add at most %d topics in one message.",
	StoppedNote:      "ℹ️ You are unsubscribed, so nothing will arrive until you send /start.",
	UnfollowUsage:    "You don't follow anything yet. Pick from /topics",
	UnfollowPick:     "Tap what you want to stop following:",
	Unfollowed:       "❎ You no longer follow: %s",
	NotFollowing:     "You don't follow %s. See your follows with /mytopics",
	MyTopics:         "<b>You follow:</b>\n%s\n\nTo change: /topics or /unfollow",
	MyTopicsNone:     "You follow no topic, so you receive every story. Pick from /topics to narrow your digest.",
	TopicsIntro:      "Tap a topic to follow or unfollow it (✅ = following):",
	TopicsPage:       "📂 Topics: <b>%s</b> (page %d of %d)",
	TopicsAll:        "📌 You follow nothing yet, so you get every story. Once you pick a topic, your digest holds only what you follow.",
	TopicsLimited:    "📌 Your digest holds only what you follow.",
	TopicsFollowed:   "Now following: %s",
	TopicsFirst:      "Now following: %s. Your digest now holds only what you follow.",
	TopicsUnfollowed: "No longer following: %s",
	LangChosen:       "Done. I will write to you in English.",
	LangUsage:        "Choose a language: /lang ar for Arabic, /lang en for English.",
	Unknown:          "I don't know the command %s. Send /help for the list.",
	NotACommand:      "Type the name of a topic or a town to follow it, such as SDF or Raqqa, or pick from /topics\nAll commands: /help",
	NotAdmin:         "Sorry, this command is for the newsletter's editors.",
	GroupWelcome:     "👋 Thanks for adding me. A group admin can send /start@%s to get the news digest here.",
	GroupAdminsOnly:  "Only the group's admins can change its subscription.",
	ChannelAdminOnly: "This button is for the channel's admins only.",
	Failure:          "⚠️ Something went wrong on our side and nothing was saved. Please try again shortly.",
	SlowDown:         "⏳ Your messages are reaching us faster than we can answer them. Please wait a moment, then try again.",
	StartFirst:       "Send /start first to subscribe.",
	KeywordNote:      "(keyword)",
	ButtonDone:       "Done",
	PauseAsk:         "Pause your digest for how long? Your topics are kept.",
	ButtonPauseDay:   "A day",
	ButtonPauseWeek:  "A week",
	ButtonPauseOpen:  "Until I resume",
	ButtonResume:     "▶️ Resume",
	Paused:           "⏸ Your digest is paused %s, and your topics are kept. Resume it whenever you like with the button or /resume",
	AlreadyPaused:    "⏸ Your digest is paused %s.",
	PauseChange:      "Choose another length or resume it:",
	PausedUntil:      "until %s, then it comes back by itself",
	PausedNoEnd:      "until you resume it",
	PauseEnd:         "%s %s %s time",
	Resumed:          "▶️ Your digest is back on and will arrive at its time.",
	NotPaused:        "Your digest is not paused; nothing to resume.",
	StoppedUseStart:  "You are unsubscribed. Send /start to come back.",
	NothingNew:       "Nothing new in what you follow since your last digest.",
	TimeUsage:        "Your digest now comes: %s\nType e.g. /time 07:30 or pick:",
	TimeSet:          "⏰ Done. Your digest comes: %s",
	TimeInvalid:      "⚠️ I did not understand the time “%s”. Type it like /time 07:30 or pick:",
	TimeDaily:        "daily %s %s time",
	TimeInstant:      "as soon as stories are published",
	TimeDefault:      "at the default time: %s",
	ButtonMorning:    "🌅 Morning 07:00",
	ButtonEvening:    "🌆 Evening 19:00",
	ButtonInstant:    "⚡ Instantly",
	ButtonDefault:    "Default",

	BreakingAbout:     "🔴 <b>Breaking news</b>\nWhen we publish breaking news in what you follow, we send it to you at once, at most %d a day, and it does not come again in your digest.\n\n%s",
	BreakingIsOn:      "Breaking news is on for you.",
	BreakingIsOff:     "Breaking news is off for you.",
	BreakingOn:        "🔴 Breaking news is on: breaking stories in what you follow come to you as soon as we publish them, at most %d a day.",
	BreakingOff:       "🔕 Breaking news is off. These stories still come in your digest.",
	BreakingNone:      "We are not sending breaking news at the moment; every story comes in your digest.",
	ButtonBreakingOn:  "🔔 Turn on breaking news",
	ButtonBreakingOff: "🔕 Turn off breaking news",
	ToastBreakingOn:   "Breaking news is on",
	ToastBreakingOff:  "Breaking news is off",

	ClockMorning:       "at %s am",
	ClockNoon:          "at %s pm",
	ClockEvening:       "at %s pm",
	ClockAfterMidnight: "at %s am",
	ClockMidnight:      "at midnight",

	ZoneCities: map[string]string{
		"Qatar": "Doha",
		"Kiev":  "Kyiv",
	},
	ZoneLatinCity: true,
	ZoneOffset:    "UTC%s",
}

func textsFor(lang string) *texts {
	if lang == "en" {
		return &enTexts
	}
	return &arTexts
}

// followExamples shows how to follow, in the reader's language.
func followExamples(lang string) string {
	if lang == "en" {
		return "/follow SDF\n/follow Raqqa"
	}
	return bidi.Isolate("/follow قسد") + "\n" + bidi.Isolate("/follow الرقة")
}
