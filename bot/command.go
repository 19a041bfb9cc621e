package bot

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"nashra/bidi"
)

// Command is a parsed bot command: "/follow@nashra_bot  قسد" gives
// Name "follow", Mention "nashra_bot", Args "قسد".
type Command struct {
	Name    string // lower case, without the slash
	Mention string // the @bot part, if any, without "@"
	Args    string // the rest, trimmed, runs of spaces collapsed (newlines kept)
}

// ParseCommand finds the command in a message. The library's own matching
// misses "/cmd@botname", upper case and commands that follow other text, so
// we parse ourselves: a message is a command when it starts with "/" or
// when Telegram marked a bot_command entity in it (offsets are UTF-16).
func ParseCommand(text string, entities []models.MessageEntity) (Command, bool) {
	// Marks a reader copied with a command from one of our messages
	// (bidi.Isolate wraps them) are not part of it.
	trimmed := strings.TrimLeftFunc(text, isSpaceOrMark)
	start := -1
	if strings.HasPrefix(trimmed, "/") {
		start = len(text) - len(trimmed)
	} else {
		for _, e := range entities {
			if e.Type == models.MessageEntityTypeBotCommand {
				if b, ok := utf16ToByte(text, e.Offset); ok {
					start = b
					break
				}
			}
		}
	}
	if start < 0 || start >= len(text) || text[start] != '/' {
		return Command{}, false
	}
	rest := text[start+1:]
	end := strings.IndexFunc(rest, func(r rune) bool { return r == '\n' || isBlank(r) })
	word, args := rest, ""
	if end >= 0 {
		word, args = rest[:end], rest[end:]
	}
	name, mention, _ := strings.Cut(word, "@")
	if name == "" || !isCommandName(name) {
		return Command{}, false
	}
	return Command{
		Name:    strings.ToLower(name),
		Mention: mention,
		Args:    cleanArgs(args),
	}, true
}

// isCommandName accepts what Telegram accepts in a command: Latin letters,
// digits and underscores, at most 32 of them.
func isCommandName(s string) bool {
	if len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// cleanArgs trims the arguments and collapses runs of blanks within each
// line; line breaks separate items (e.g. one topic per line).
func cleanArgs(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.Join(strings.FieldsFunc(l, isBlank), " ")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func isBlank(r rune) bool {
	return r != '\n' && isSpaceOrMark(r)
}

// isSpaceOrMark: white space, or an invisible direction mark (bidi.IsMark).
func isSpaceOrMark(r rune) bool { return unicode.IsSpace(r) || bidi.IsMark(r) }

// utf16ToByte converts a UTF-16 code unit offset in s to a byte offset.
func utf16ToByte(s string, off int) (int, bool) {
	units := 0
	for i, r := range s {
		if units == off {
			return i, true
		}
		if units > off {
			return 0, false
		}
		units += len(utf16.Encode([]rune{r}))
	}
	return len(s), units == off
}

// ForBot reports whether the command is meant for the bot named username:
// in a group "/follow@otherbot" belongs to another bot.
func (c Command) ForBot(username string) bool {
	return c.Mention == "" || strings.EqualFold(c.Mention, username)
}
