package bot

// bcTexts are the admin-facing texts of /broadcast. They are Telegram
// HTML; every %s is filled with an escaped string.
type bcTexts struct {
	Usage        string
	UnknownTopic string // %s: the hashtag as typed
	TooLong      string // %d: the limit
	NoAudience   string
	Preview      string // %d id, %s audience line
	Everyone     string // %d readers
	Followers    string // %d readers, %s topic name
	Confirm      string
	Cancel       string
	Pause        string
	Resume       string
	Started      string
	Paused       string
	Resumed      string
	Cancelled    string
	DraftDropped string // the preview after Cancel
	DraftExpired string
	Gone         string
	NotNow       string // %s the status it is in

	Title       string // %d id
	StRunning   string
	StPaused    string
	StDone      string
	StCancelled string
	To          string // %s: audience
	ToEveryone  string
	ToFollowers string // %s topic name
	Sent        string
	Blocked     string
	Failed      string
	Unknown     string
	Skipped     string
	NotSent     string
	Remaining   string // %d remaining, %d total
	ETA         string // %s duration
	Took        string // %s duration
}

var bcTextsAr = bcTexts{
	Usage: "اكتب نص الرسالة بعد الأمر: <code>/broadcast نص الرسالة</code>\n" +
		"أو أرسل الأمر ردّاً على رسالة لإرسال نصّها.\n" +
		"لإرسالها إلى متابعي موضوع واحد: <code>/broadcast #sdf نص الرسالة</code>",
	UnknownTopic: "لا أعرف الموضوع %s. اكتب <code>/topics</code> لترى المواضيع، أو أرسل الرسالة بلا وسم لتصل إلى الجميع.",
	TooLong:      "الرسالة طويلة جداً: الحدّ %d حرفاً.",
	NoAudience:   "لا يوجد قرّاء نشطون يمكن أن تصلهم هذه الرسالة.",
	Preview:      "☝️ هذه معاينة الرسالة الجماعية رقم %d كما سيراها القرّاء.\n%s\nهل أرسلها؟",
	Everyone:     "ستصل إلى %d من القرّاء النشطين.",
	Followers:    "ستصل إلى %d من متابعي «%s».",
	Confirm:      "✅ أرسِل",
	Cancel:       "✖️ إلغاء",
	Pause:        "⏸ إيقاف مؤقت",
	Resume:       "▶️ استئناف",
	Started:      "بدأ الإرسال.",
	Paused:       "أُوقف الإرسال مؤقتاً.",
	Resumed:      "استُؤنف الإرسال.",
	Cancelled:    "أُلغي الإرسال.",
	DraftDropped: "✖️ أُلغيت الرسالة الجماعية رقم %d، ولم تصل إلى أحد.",
	DraftExpired: "⌛ انتهت صلاحية الرسالة الجماعية رقم %d دون تأكيد، ولم تصل إلى أحد.",
	Gone:         "لم أعد أجد هذه الرسالة الجماعية.",
	NotNow:       "لا يمكن ذلك الآن: حالة الرسالة «%s».",

	Title:       "📣 <b>الرسالة الجماعية رقم %d</b> — %s",
	StRunning:   "جارٍ الإرسال…",
	StPaused:    "متوقّفة مؤقتاً",
	StDone:      "اكتمل الإرسال",
	StCancelled: "أُلغيت",
	To:          "إلى: %s",
	ToEveryone:  "كل القرّاء النشطين",
	ToFollowers: "متابعو «%s»",
	Sent:        "✅ أُرسلت: %d",
	Blocked:     "⛔ حظروا البوت: %d",
	Failed:      "⚠️ فشلت: %d",
	Unknown:     "❔ غير مؤكَّدة: %d",
	Skipped:     "⏭ تُخطّيت: %d",
	NotSent:     "✖️ لم تُرسل بسبب الإلغاء: %d",
	Remaining:   "⏳ المتبقي: %d من %d",
	ETA:         "الوقت المتوقّع ≈ %s",
	Took:        "استغرق ≈ %s",
}

var bcTextsEn = bcTexts{
	Usage: "Write the message after the command: <code>/broadcast your text</code>\n" +
		"or send the command as a reply to a message to send its text.\n" +
		"To reach the followers of one topic: <code>/broadcast #sdf your text</code>",
	UnknownTopic: "I don't know the topic %s. Send <code>/topics</code> to see them, or leave out the hashtag to reach everyone.",
	TooLong:      "The message is too long: the limit is %d characters.",
	NoAudience:   "No active reader would receive this message.",
	Preview:      "☝️ This is a preview of broadcast #%d as readers will see it.\n%s\nSend it?",
	Everyone:     "It will go to %d active readers.",
	Followers:    "It will go to %d followers of “%s”.",
	Confirm:      "✅ Send",
	Cancel:       "✖️ Cancel",
	Pause:        "⏸ Pause",
	Resume:       "▶️ Resume",
	Started:      "Sending started.",
	Paused:       "Sending paused.",
	Resumed:      "Sending resumed.",
	Cancelled:    "Sending cancelled.",
	DraftDropped: "✖️ Broadcast #%d was cancelled; nobody received it.",
	DraftExpired: "⌛ Broadcast #%d was never confirmed and has expired; nobody received it.",
	Gone:         "I can no longer find this broadcast.",
	NotNow:       "Not possible now: the broadcast is %s.",

	Title:       "📣 <b>Broadcast #%d</b> — %s",
	StRunning:   "sending…",
	StPaused:    "paused",
	StDone:      "done",
	StCancelled: "cancelled",
	To:          "To: %s",
	ToEveryone:  "every active reader",
	ToFollowers: "followers of “%s”",
	Sent:        "✅ Sent: %d",
	Blocked:     "⛔ Blocked the bot: %d",
	Failed:      "⚠️ Failed: %d",
	Unknown:     "❔ Unknown: %d",
	Skipped:     "⏭ Skipped: %d",
	NotSent:     "✖️ Not sent (cancelled): %d",
	Remaining:   "⏳ Remaining: %d of %d",
	ETA:         "ETA ≈ %s",
	Took:        "took ≈ %s",
}

func bcTextsFor(lang string) bcTexts {
	if lang == "en" {
		return bcTextsEn
	}
	return bcTextsAr
}
