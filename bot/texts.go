package bot

import (
	"nashra/bidi"
	"nashra/wording"
)

// The bot's words live in package wording, one file per language, where
// an editor reviews them; these names are the bot's view of them.
type (
	texts     = wording.Bot
	bcTexts   = wording.Broadcast
	dataTexts = wording.Data
)

func textsFor(lang string) *texts { return &wording.For(lang).Bot }

func bcTextsFor(lang string) bcTexts { return wording.For(lang).Broadcast }

func dataTextsFor(lang string) dataTexts { return wording.For(lang).Data }

// countsFor gives the counted nouns of a language, for arabic.Plural.
func countsFor(lang string) *wording.Counts { return &wording.For(lang).Counts }

// followExamples shows how to follow, in the reader's language.
func followExamples(lang string) string {
	if lang == "en" {
		return "/follow SDF\n/follow Raqqa"
	}
	return bidi.Isolate("/follow قسد") + "\n" + bidi.Isolate("/follow الرقة")
}
