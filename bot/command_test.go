package bot

import (
	"testing"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		text     string
		entities []models.MessageEntity
		want     Command
		ok       bool
	}{
		{text: "/start", want: Command{Name: "start"}, ok: true},
		{text: "/start site-footer_follow-sdf", want: Command{Name: "start", Args: "site-footer_follow-sdf"}, ok: true},
		// "follow SDF" (قسد) addressed to the bot in a group.
		{text: "/follow@nashra_bot قسد", want: Command{Name: "follow", Mention: "nashra_bot", Args: "قسد"}, ok: true},
		{text: "/FOLLOW   قسد  ", want: Command{Name: "follow", Args: "قسد"}, ok: true},
		{text: "  /Follow \t قوات   سوريا الديمقراطية", want: Command{Name: "follow", Args: "قوات سوريا الديمقراطية"}, ok: true},
		// One topic per line: SDF, then ISIS (داعش).
		{text: "/follow قسد\n\n  داعش ", want: Command{Name: "follow", Args: "قسد\nداعش"}, ok: true},
		{text: "/follow\u200f قسد", want: Command{Name: "follow", Args: "قسد"}, ok: true},
		// Copied from /help with the marks that keep it in order around it.
		{text: "\u2068\u200e/follow قسد\u2069", want: Command{Name: "follow", Args: "قسد"}, ok: true},
		{text: "\u200f\u061c\u2066/time 07:30\u2069 ", want: Command{Name: "time", Args: "07:30"}, ok: true},
		{text: "\u2068/start@nashra_bot\u2069", want: Command{Name: "start", Mention: "nashra_bot"}, ok: true},
		{text: "\u2068/follow\u2069\u2068\u200eSDF\u2069\n\u200fداعش", want: Command{Name: "follow", Args: "SDF\nداعش"}, ok: true},
		{text: "\u2068hello /help\u2069", ok: false},
		{text: "hello", ok: false},
		{text: "", ok: false},
		{text: "/", ok: false},
		{text: "/@bot", ok: false},
		{text: "/قسد", ok: false}, // Arabic is not a command name
		{text: "/" + string(make([]byte, 40)), ok: false},
		// "hello" in Arabic, then a command Telegram marked as an entity.
		{
			text:     "مرحبا /follow داعش",
			entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: utf16Len("مرحبا "), Length: 7}},
			want:     Command{Name: "follow", Args: "داعش"}, ok: true,
		},
		// An emoji before the command takes two UTF-16 units.
		{
			text:     "🔥 /help",
			entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 3, Length: 5}},
			want:     Command{Name: "help"}, ok: true,
		},
		// An entity offset that lands inside a character is ignored.
		{
			text:     "🔥/help",
			entities: []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 1, Length: 5}},
			ok:       false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := ParseCommand(tt.text, tt.entities)
			if ok != tt.ok || got != tt.want {
				t.Errorf("ParseCommand(%q) = %+v, %v; want %+v, %v", tt.text, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestForBot(t *testing.T) {
	c, _ := ParseCommand("/help@Nashra_Bot", nil)
	if !c.ForBot("nashra_bot") {
		t.Error("a mention of our bot in another case was not for us")
	}
	c, _ = ParseCommand("/help@other_bot", nil)
	if c.ForBot("nashra_bot") {
		t.Error("a command for another bot was taken as ours")
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/start", "/follow@nashra_bot قسد", "مرحبا /follow داعش", "🔥 /help", "/\n\n", "/a@", "\u2068\u200e/follow قسد\u2069"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, text string, off int) {
		ents := []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: off, Length: 2}}
		c, ok := ParseCommand(text, ents)
		if !ok {
			return
		}
		if c.Name == "" || len(c.Name) > 32 {
			t.Errorf("ParseCommand(%q) gave name %q", text, c.Name)
		}
		if c.Args != cleanArgs(c.Args) {
			t.Errorf("ParseCommand(%q) args %q are not clean", text, c.Args)
		}
	})
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
