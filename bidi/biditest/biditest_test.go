package biditest

import (
	"strings"
	"testing"
)

const (
	lrm = "\u200e"
	rlm = "\u200f"
	fsi = "\u2068"
	pdi = "\u2069"
)

// Lines as Telegram showed them before marks were added, and after.
var cases = []struct {
	name, lang, text string
	problems         int
}{
	// "Send /start to come back": the slash lands after the word.
	{"command in Arabic", "ar", "أرسل /start للعودة", 1},
	{"isolated command", "ar", "أرسل " + fsi + lrm + "/start" + pdi + " للعودة", 0},
	// "/follow SDF — follow a topic": the line turns left to right.
	{"help line starting with a command", "ar", "/follow قسد — متابعة موضوع", 1},
	{"help line, description first", "ar", "• متابعة موضوع أو كلمة: " + fsi + lrm + "/follow قسد" + pdi, 0},
	{"isolate alone turns the line left to right", "ar", fsi + lrm + "/follow قسد" + pdi, 1},
	{"with a right-to-left mark", "ar", rlm + fsi + lrm + "/follow قسد" + pdi, 0},
	// "+13 on the site": the sign goes to the wrong side.
	{"signed number", "ar", "+13 على الموقع", 1},
	{"number range", "ar", "بين 5–10 أخبار", 1},
	{"isolated range", "ar", "بين " + fsi + lrm + "5–10" + pdi + " أخبار", 0},
	{"time and plain number", "ar", "الساعة 07:30 و 12 خبراً", 0},
	{"hashtag", "ar", "اكتب #sdf هنا", 1},
	{"link", "ar", "زوروا https://7al.net/feed/ الآن", 1},
	{"isolated link", "ar", "زوروا " + fsi + "https://7al.net/feed/" + pdi + " الآن", 0},
	{"english line", "en", "All commands: /help · بالعربية: /lang ar", 0},
	{"english line starting with Arabic", "en", "• قسد (keyword)", 1},
	{"english line with a mark", "en", lrm + "• قسد (keyword)", 0},
	{"english message with an Arabic headline", "", "📰 Nashra · 2 new stories\nقسد تعلن عن SDF", 0},
	{"arabic message with a left-to-right line", "", "ما تتابعه:\n• SDF (كلمة مفتاحية)", 1},
}

func TestProblems(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Problems(c.lang, c.text)
			if len(got) != c.problems {
				t.Errorf("Problems(%q, %q) = %d problems, want %d:\n%s", c.lang, c.text, len(got), c.problems, strings.Join(got, "\n"))
			}
		})
	}
}

// TestAgreesWithFriBidi: GNU FriBidi lays the same lines out the same way:
// same paragraph direction, and every token found out of order here is
// missing from FriBidi's display order, every other one present.
func TestAgreesWithFriBidi(t *testing.T) {
	NeedFriBidi(t)
	var lines []string
	for _, c := range cases {
		lines = append(lines, strings.Split(c.text, "\n")...)
	}
	laid, err := FriBidi(lines)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range lines {
		l := Layout(s)
		if l.RTL != laid[i].RTL {
			t.Errorf("%q: right to left %v here, %v in fribidi", s, l.RTL, laid[i].RTL)
		}
		rs := []rune(s)
		for _, tok := range Tokens(s) {
			word := string(rs[tok[0]:tok[1]])
			if inFri := strings.Contains(laid[i].Visual, word); inFri != l.AsWritten(tok[0], tok[1]) {
				t.Errorf("%q: %q as written %v here, in fribidi's %q: %v", s, word, l.AsWritten(tok[0], tok[1]), laid[i].Visual, inFri)
			}
		}
	}
}
