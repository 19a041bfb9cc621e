package settings

// Prefs is a chat's settings as the preference page shows them.
type Prefs struct {
	Lang     string   // "ar" or "en"
	Topics   []string // catalog slugs followed
	Keywords []Keyword
	// Schedule is as stored: "" for the default, subscribers.Instant, or a
	// cron spec; ScheduleWords says it in Lang.
	Schedule      string
	ScheduleWords string
	// MaxFollows is how many topics and keywords the chat may follow.
	MaxFollows int
}

// Keyword is a keyword followed: its follow key and the words as typed.
type Keyword struct {
	Key, Words string
}

// Choice is what the page's form asks for: exactly these topics and
// keywords (a keyword can only be kept: new ones are added in the bot),
// and the schedule unless KeepSchedule.
type Choice struct {
	Topics       []string // catalog slugs
	Keywords     []string // follow keys of keywords to keep
	Schedule     string   // "" (the default), subscribers.Instant or a daily cron spec
	KeepSchedule bool
}

// Outcome is what a save did.
type Outcome struct {
	// OverLimit: more was ticked than MaxFollows; nothing was changed.
	OverLimit  bool
	MaxFollows int
	// Prefs are the settings after the save.
	Prefs Prefs
}
