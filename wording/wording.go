// Package wording holds every sentence nashra shows to a person — readers,
// editors, the site's visitors — one file per language (ar.go, en.go), so
// an editor reviews a language in one place. Texts are Telegram HTML
// unless noted; values inserted with fmt verbs must already be escaped.
// Every count goes through arabic.Plural with Forms.
package wording

import (
	"fmt"
	"strconv"
	"time"

	"nashra/digest/arabic"
)

// Book is everything said in one language.
type Book struct {
	Bot       Bot
	Data      Data      // /mydata and /forget
	Stats     Stats     // /stats and its chart, to editors
	Broadcast Broadcast // /broadcast, to editors
	Digest    Digest
	Counts    Counts
	Alert     Alert
	Menu      []Command // the bot's command menu, in order
	Signup    Signup
	Page      Page  // the signup page on the web (/subscribe)
	Prefs     Prefs // the preference page on the web (/settings)
}

// For returns the book of a language: English for "en", Arabic otherwise.
func For(lang string) *Book {
	if lang == "en" {
		return &English
	}
	return &Arabic
}

// Bot holds every sentence the bot says, in one language. Arguments are
// inserted with fmt verbs and must already be HTML-escaped.
//
// Direction is added when a message is sent (bidi.Message): every Arabic
// line starts right to left and each command, Latin name or number in it
// is isolated, so the texts carry no marks. Written in reading order, an
// Arabic line says what it is about first and names the command after it.
// Only a command followed by an Arabic example needs bidi.Isolate, to keep
// the example with its command.
type Bot struct {
	// /start answers in one screen: a greeting, what we send, when, the
	// topics a signup link followed, what to do next, and three buttons.
	Welcome            string // to a new reader
	WelcomeBack        string // to a reader coming back (stopped, paused or blocked before)
	WelcomeAgain       string // to a reader already subscribed
	StartWhatAll       string // the reader follows nothing
	StartWhatFollowed  string // the reader follows something
	StartWhen          string // %s: the schedule (TimeDaily)
	StartInstant       string
	WelcomeFollowed    string // %s: topics followed from the signup link, joined by ListSep
	ListSep            string // between the items of a list in a sentence
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
	// SuggestTime answers plain text that is a time of day: %s what the
	// reader typed, %s the time in words.
	SuggestTime    string
	ButtonDigestAt string // %s: the time in words

	// A signup page's token the bot cannot apply: gone (expired or never
	// made), or used before, by this reader or another. The reader is
	// subscribed plainly; the note ends the /start screen.
	SignupExpired string
	SignupUsed    string

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
	FollowLimit      string // %s: the cap (Counts.Follows), %s: what was not followed
	TopicTooLong     string // %s: the limit (Counts.Letters)
	TopicInvalid     string // %s: the offending text
	TooManyAtOnce    string // %s: the limit per message (Counts.Topics)
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
	BreakingAbout     string // %s: the daily cap (Counts.Stories), %s: BreakingIsOn or BreakingIsOff
	BreakingIsOn      string
	BreakingIsOff     string
	BreakingOn        string // %s: the daily cap (Counts.Stories)
	BreakingOff       string
	BreakingNone      string // the newsroom sends no alerts
	ButtonBreakingOn  string
	ButtonBreakingOff string
	ToastBreakingOn   string
	ToastBreakingOff  string

	// /settings: a personal link to the preference page on the web. In a
	// group the link goes to the admin who asked, in private, as anyone
	// holding it may change the group's settings.
	SettingsLink          string // the link's message in a private chat
	SettingsGroupLink     string // %s: the group's name; to the admin, in private
	ButtonSettings        string
	SettingsInBot         string // no page published: the commands that change the settings
	SettingsSentPrivately string // in the group: the link went to the admin in private
	SettingsNoPrivate     string // in the group: the bot cannot write to the admin in private
	ButtonOpenBot         string
	SettingsAnonymous     string // an admin writing as the group, whom the bot cannot write to
	// A save on the preference page, told in the chat at once: what the
	// chat follows now (or everything), and when its news comes (StartWhen
	// or StartInstant).
	SettingsSaved     string
	SettingsFollowing string // %s: the topics and keywords, joined by ListSep
	SettingsFollowAll string

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

// Broadcast is the admin-facing texts of /broadcast. They are Telegram
// HTML; every %s is filled with an escaped string.
type Broadcast struct {
	Usage        string
	UnknownTopic string // %s: the hashtag as typed
	TooLong      string // %s: the limit (Counts.Letters)
	NoAudience   string
	Preview      string // %d id, %s audience line
	Everyone     string // %s readers (Counts.Readers)
	Followers    string // %s topic name, %s readers (Counts.Readers)
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

// Data is the sentences of /mydata and /forget.
type Data struct {
	Title, Nothing, Footer               string
	ChatID, Status, StatusReason, Lang   string
	Schedule, Source, ChatType, Joined   string
	Breaking, BreakingOn, BreakingOff    string
	Updated, LastDigest, Cursor, Follows string
	NoFollows                            string
	// Offered heads the list of the words offered to follow that wait: %s
	// when they are deleted.
	Offered     string
	Never       string
	Statuses    map[string]string // by subscribers.Status
	PausedUntil string            // %s: the end of the pause, in words
	// Why the status last changed, by the reason the service stores
	// (outbox.PauseEndReason, "bot kicked"…); ReasonMoved for a group that
	// became a supergroup, ReasonRefused for a refusal from Telegram,
	// ReasonOther (%s: the stored reason) for anything else.
	Reasons                                 map[string]string
	ReasonMoved, ReasonRefused, ReasonOther string
	ChatTypes                               map[string]string // by Telegram's chat type
	// Where the subscription came from: Sources by the stored source
	// ("direct", "follow", "import"), SourceLink (%s: its name) for a
	// signup link.
	Sources    map[string]string
	SourceLink string
	// When is a stored moment: %s the day (digest.DayWords), %d the year,
	// %s the time (a Bot.Clock… text), %s the zone.
	When                           string
	ForgetAsk, ButtonYes, ButtonNo string
	Forgotten, ForgetCancelled     string
	ToastForgotten, ToastCancelled string
}

// Digest is the words of a digest in one language, kept together
// for an editor to review. Counts go through arabic.Plural.
type Digest struct {
	Header        string    // %s: the day (Date), %s: the count (Stories)
	HeaderUndated string    // %s: the count (Stories)
	Date          string    // %[1]s: weekday, %[2]d: day of the month, %[3]s: month
	Weekdays      [7]string // Sunday first, as time.Weekday
	Months        [12]string
	// Stories counts the articles the reader can see in this digest.
	Stories arabic.Forms
	// Headlines stands above the older articles, shown without summary.
	Headlines string
	// More counts, as a sentence linked to the site, the articles that did
	// not fit.
	More arabic.Forms
	// The buttons under every digest.
	ButtonTopics, ButtonPause, ButtonStop string
	// PauseEnded tells a reader the pause they chose is over (plain text).
	PauseEnded string
}

// Counts are the counted nouns the texts share, each for every class of
// number (arabic.Plural).
type Counts struct {
	Letters Forms // a length limit
	Follows Forms
	Topics  Forms
	Stories Forms
	Readers Forms
}

// Forms are the ways a count is written; see arabic.Forms.
type Forms = arabic.Forms

// Alert is what a breaking news alert says around the article.
type Alert struct {
	Label      string // above the headline
	ButtonMute string
	ButtonOn   string
}

// Command is one entry of the bot's command menu (plain text, no HTML).
type Command struct {
	Name        string // without the slash
	Description string
}

// Signup is the block that takes the email form's place on the site
// (plain HTML text, not Telegram HTML).
type Signup struct {
	Title   string
	Pitch   string
	Follows string // "You follow on subscribing: …", %s: the topics
	Button  string
}

// Page is the signup page the service serves on the web (/subscribe),
// around Signup's title, pitch and button. Plain text: the page escapes it.
type Page struct {
	Topics      string // the legend over the topics
	TopicsHint  string // ticking none gets every story
	Time        string // the label of the digest time
	TimeDefault string // %s: the default time of day (Bot.Clock)
	// TimeDefaultPlain is the default when it is not one time a day.
	TimeDefaultPlain string
	TimeZone         string // %s: the zone (Bot.Zone)
	Next             string // what the button does
	QR               string // the caption of the QR code, for readers on a computer
	QRAlt            string // the QR code's text alternative
	Privacy          string // the heading of the privacy note
	PrivacyText      string
	OtherLanguage    string // the link to the page in the other language, named in that language
	// Errors, each on a page of its own with a way back.
	TooMany     string // too many links from one address
	Unavailable string // the link could not be made
	Back        string
}

// Prefs is the preference page that /settings links to, around the
// signup page's topics and time (Page). Plain text: the page escapes it.
type Prefs struct {
	Title        string
	Pitch        string
	Keywords     string // the legend over the keywords the reader follows
	KeywordsHint string // untick to stop following; new ones are added in the bot
	TimeCurrent  string // %s: the reader's own time in words, not among the page's
	Save         string // the button
	Saved        string // the banner after a save
	SavedNote    string // the bot has confirmed it in the chat
	OverLimit    string // %s: the cap (Counts.Follows)
	Personal     string // the page is for the reader alone
	// A link that no longer works (expired, tampered, or the reader has
	// stopped or forgotten since): a page of its own.
	Refused     string // the heading
	RefusedText string // how to get a new link
	Unavailable string // the page could not be shown or saved
	OpenBot     string // the link to the bot
}

// Stats is the words of /stats and its chart, kept together for an
// editor to review. Format verbs are noted where a string takes
// arguments; every inserted value is escaped first. Every count a
// sentence says goes through a counted noun (arabic.Plural); the figures
// of the per-day table stand after a label, as in any table.
type Stats struct {
	Title string

	Readers string // heading
	// Statuses label each count of readers, by subscribers.Status.
	Statuses  map[string]string
	NoReaders string // instead of the statuses, when nobody ever subscribed
	// ReaderCount counts readers (by status, by signup source).
	ReaderCount Counted

	Days     string       // heading, %s: the span (LastDays)
	LastDays arabic.Forms // "the last N days"
	// DayLine is a row of the table: %s the day (date), %d joined,
	// %d returned, %d lost, %d subscribed and %d active at the end of the
	// day.
	DayLine  string
	DayQuiet string // a day nobody joined or left: %s the day, %d subscribed, %d active
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
	// The email list's invitations (nashra invite), once any was made:
	// the subscribers invited, and those who opened their link.
	Invites         string // heading
	InvitesIssued   string // %s: subscribers (Invited)
	InvitesAccepted string // %s: subscribers (Invited), %d: the percentage of those invited
	Invited         Counted

	Delivery      string // heading
	DeliveredDays string // %s: the span (LastDays)
	DigestLine    string // %s: messages
	BroadcastLine string // %s: messages
	Messages      Counted
	ThisInstance  string
	SentLine      string // %s: messages
	FailedLine    string // %s: messages
	BlockedLine   string // %s: readers (ReaderCount)
	UnknownLine   string // %s: messages
	RetriedLine   string // %s: messages
	ThrottledLine string // %s: how many times (Times)
	Times         Counted
	NoSender      string
	Queue         string // heading of the two lines below
	QueueDigests  string // %s: messages
	QueueBcasts   string // %s: messages
	QueueEmpty    string
	// PaidStates say what paid broadcasts (Telegram Stars) are doing, by
	// ratelimit.PaidState: off, on, budget (today's is spent), balance
	// (held: the Stars balance is too low).
	PaidStates map[string]string
	PaidToday  string  // %s Stars spent today (StarsOf), %s the day's budget (StarsOf)
	PaidDays   string  // %s the span (LastDays), %s Stars spent in it (StarsOf)
	Stars      Counted // whole Stars
	StarsPart  string  // Stars with a tenth: %s the number ("2.5")

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

// Counted is a counted noun and the words for none of it ("0 readers"
// is not Arabic).
type Counted struct {
	arabic.Forms
	None string
}

// Of says n of it.
func (c Counted) Of(n int64) string {
	if n == 0 {
		return c.None
	}
	return arabic.Plural(int(n), c.Forms)
}

// StarsOf says Stars counted in tenths (0.1 Star pays for one paid
// message): whole Stars as a counted noun, others with one decimal.
func (t *Stats) StarsOf(tenths int64) string {
	if tenths%10 == 0 {
		return t.Stars.Of(tenths / 10)
	}
	return fmt.Sprintf(t.StarsPart, strconv.FormatFloat(float64(tenths)/10, 'f', 1, 64))
}

// Span says "the last n days".
func (t *Stats) Span(n int) string { return arabic.Plural(n, t.LastDays) }

// Date says a day as day and month: 28/11, or 28 Nov where the language
// names its months here.
func (t *Stats) Date(d time.Time) string {
	if m := t.ShortMonths[d.Month()-1]; m != "" {
		return fmt.Sprintf("%d %s", d.Day(), m)
	}
	return fmt.Sprintf("%d/%d", d.Day(), int(d.Month()))
}

// Age says how long ago, in whole minutes, hours or days.
func (t *Stats) Age(d time.Duration) string {
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
