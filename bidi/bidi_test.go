package bidi

import (
	"strings"
	"testing"

	"nashra/bidi/biditest"
)

// marked spells the marks out: ‹R› RLM, ‹L› LRM, ⟦ FSI, ⟧ PDI.
func marked(s string) string {
	return strings.NewReplacer(RLM, "‹R›", LRM, "‹L›", FSI, "⟦", PDI, "⟧").Replace(s)
}

func TestMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		// "Send /start to come back."
		{"command", "أرسل /start للعودة.", "أرسل ⟦‹L›/start⟧ للعودة."},
		{"command with Latin arguments", "اكتب مثلاً /time 07:30 أو اختر:", "اكتب مثلاً ⟦‹L›/time 07:30⟧ أو اختر:"},
		{"commands and English", "الأوامر كلها في /help · For English: /lang en", "الأوامر كلها في ⟦‹L›/help · For English: /lang en⟧"},
		{"two commands", "للتعديل: /topics أو /unfollow", "للتعديل: ⟦‹L›/topics⟧ أو ⟦‹L›/unfollow⟧"},
		{"command for a bot", "أرسل /start@nashra_bot هنا", "أرسل ⟦‹L›/start@nashra_bot⟧ هنا"},
		{"isolated by the catalog", "• متابعة: " + Isolate("/follow قسد"), "• متابعة: ⟦‹L›/follow قسد⟧"},
		{"line starting with an isolate", "اكتب:\n" + Isolate("/follow قسد"), "اكتب:\n‹R›⟦‹L›/follow قسد⟧"},
		{"Latin first", "اكتب:\nSDF تعلن", "اكتب:\n‹R›⟦SDF⟧ تعلن"},
		{"Latin name with its brackets", "قوات سوريا الديمقراطية (SDF) تعلن", "قوات سوريا الديمقراطية ⟦‹L›(SDF)⟧ تعلن"},
		{"zone", "يومياً (بتوقيت Asia/Damascus)", "يومياً (بتوقيت ⟦Asia/Damascus⟧)"},
		{"range", "بين 5–10 أخبار", "بين ⟦‹L›5–10⟧ أخبار"},
		{"date and time", "آخر تعديل: 2026-01-02 15:04", "آخر تعديل: ⟦‹L›2026-01-02 15:04⟧"},
		{"plain numbers", "الحد 64 حرفاً و50% منها", "الحد 64 حرفاً و50% منها"},
		{"signed number", "نشرة\n+13 على الموقع", "نشرة\n‹R›⟦‹L›+13⟧ على الموقع"},
		{"figures under an Arabic heading", "آخر الأيام\n11-28: +5 / −1 ← 4", "آخر الأيام\n‹R›⟦‹L›11-28⟧: ⟦‹L›+5⟧ / ⟦‹L›−1⟧ ← 4"},
		{"number glued to Latin", "شبكات 5G هنا", "شبكات ⟦‹L›5G⟧ هنا"},
		{"hashtag", "اكتب #sdf هنا", "اكتب ⟦‹L›#sdf⟧ هنا"},
		{"link", "زوروا https://7al.net/feed/. الآن", "زوروا ⟦https://7al.net/feed/⟧. الآن"},
		{"symbol before Arabic", "ℹ️ اشتراكك ملغى حتى ترسل /start.", "‹R›ℹ️ اشتراكك ملغى حتى ترسل ⟦‹L›/start⟧."},
		// Markup: marks go between tags, never in a tag or an entity.
		{"tags", "<b>ما تتابعه:</b>\n• <b>SDF</b> (كلمة)", "<b>ما تتابعه:</b>\n‹R›• <b>⟦SDF⟧</b> (كلمة)"},
		{"link tag", `<b><a href="https://x.com/?q=SDF&amp;a=1">قسد تعلن عن SDF</a></b>`, `<b><a href="https://x.com/?q=SDF&amp;a=1">قسد تعلن عن ⟦SDF⟧</a></b>`},
		{"line starting with a tag", "عنوان\n<b><a href=\"https://x\">SDF تعلن</a></b>", "عنوان\n‹R›<b><a href=\"https://x\">⟦SDF⟧ تعلن</a></b>"},
		{"entity in a name", "شركة AT&amp;T هنا", "شركة ⟦AT&amp;T⟧ هنا"},
		{"escaped markup", "الحالة: &lt;b&gt;pause&lt;/b&gt; &amp; co", "الحالة: ⟦‹L›&lt;b&gt;pause&lt;/b&gt; &amp; co⟧"},
		{"code", "اكتب <code>/broadcast نص</code> هنا", "اكتب ⟦‹L›<code>/broadcast نص</code>⟧ هنا"},
		{"code of a bare number", "رقم المحادثة: <code>301</code>", "رقم المحادثة: <code>301</code>"},
		{"code of a negative number", "رقم المحادثة: <code>-100301</code>", "رقم المحادثة: ⟦‹L›<code>-100301</code>⟧"},
		// English messages: lines start left to right; nothing is isolated.
		{"English", "All commands: /help · بالعربية: /lang ar", "All commands: /help · بالعربية: /lang ar"},
		{"English line starting with Arabic", "You follow:\n• قسد (keyword)", "You follow:\n‹L›• قسد (keyword)"},
		{"Arabic line in English", "You follow:\nقسد", "You follow:\nقسد"},
		{"no letters", "12 / 5", "12 / 5"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Message(tt.in)
			if marked(got) != tt.want {
				t.Errorf("Message(%q)\n got %s\nwant %s", tt.in, marked(got), tt.want)
			}
			if again := Message(got); again != got {
				t.Errorf("Message is not idempotent on %q:\n%s\n%s", tt.in, marked(got), marked(again))
			}
		})
	}
}

func TestLines(t *testing.T) {
	// A digest's story in an English digest: right to left all the same.
	if got := marked(Lines(RightToLeft, "SDF تعلن")); got != "‹R›⟦SDF⟧ تعلن" {
		t.Errorf("Lines(RightToLeft) = %s", got)
	}
	if got := marked(Lines(LeftToRight, "قسد: 3 new stories")); got != "‹L›قسد: 3 new stories" {
		t.Errorf("Lines(LeftToRight) = %s", got)
	}
}

func TestPlain(t *testing.T) {
	// A callback answer: "<" is a character, not a tag.
	if got := marked(Plain("تتابع الآن: <SDF>")); got != "تتابع الآن: ⟦‹L›<SDF>⟧" {
		t.Errorf("Plain = %s", got)
	}
	if got := marked(Message("تتابع الآن: <SDF>")); got != "تتابع الآن: <SDF>" {
		t.Errorf("Message treats <SDF> as a tag: %s", got)
	}
}

func TestIsMark(t *testing.T) {
	for _, r := range "\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202e" {
		if !IsMark(r) {
			t.Errorf("IsMark(%U) = false", r)
		}
	}
	for _, r := range "/ a\u0627\u200b\u200d" {
		if IsMark(r) {
			t.Errorf("IsMark(%U) = true", r)
		}
	}
}

// FuzzLines: laying out only adds marks, only between tags and entities,
// as many PDIs as FSIs, and a second time adds nothing.
func FuzzLines(f *testing.F) {
	for _, s := range []string{
		"أرسل /start للعودة.", "<b>ما تتابعه:</b>\n• SDF (كلمة)", `<a href="https://x/?a=1&amp;b">SDF قسد</a>`,
		"آخر: 2026-01-02 15:04 و +5", "&lt;b&gt;x &amp; y", "<code>-1</code> قسد", "\u2068/follow قسد\u2069 اكتب",
		"a < b قسد", "&#1575; SDF", "(SDF قسد", "https://x.com/قسد قسد",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, ltr bool) {
		d := RightToLeft
		if ltr {
			d = LeftToRight
		}
		out := Lines(d, s)
		inserted := strings.NewReplacer(RLM, "", LRM, "", FSI, "", PDI, "")
		if inserted.Replace(out) != inserted.Replace(s) {
			t.Fatalf("Lines(%q) changed the text: %q", s, out)
		}
		if strings.Count(out, FSI)-strings.Count(s, FSI) != strings.Count(out, PDI)-strings.Count(s, PDI) {
			t.Errorf("Lines(%q) = %q: unbalanced isolates", s, out)
		}
		// The units (tags, entities, characters) are the same, marks aside.
		var a, b []string
		for _, u := range scan(s, true) {
			if !IsMark(u.r) || u.tag != "" {
				a = append(a, s[u.start:u.end])
			}
		}
		for _, u := range scan(out, true) {
			if !IsMark(u.r) || u.tag != "" {
				b = append(b, out[u.start:u.end])
			}
		}
		if strings.Join(a, "\x00") != strings.Join(b, "\x00") {
			t.Errorf("Lines(%q) = %q: a mark went inside a tag or an entity", s, out)
		}
		if again := Lines(d, out); again != out {
			t.Errorf("Lines is not idempotent on %q:\n%q\n%q", s, out, again)
		}
	})
}

// FuzzLaidOutReadsRight: however words of both scripts, commands, names,
// numbers, ranges, links and punctuation are put together, once laid out
// right to left no line holding Arabic reads left to right and nothing
// biditest looks for (commands, hashtags, signed numbers and ranges,
// links) shows out of order, by the Unicode Bidirectional Algorithm.
func FuzzLaidOutReadsRight(f *testing.F) {
	words := []string{
		"أرسل", "قسد", "للعودة", "الرقة", "في", "/start", "/follow", "/time", "07:30", "/lang", "en",
		"/start@nashra_bot", "#sdf", "@nashra_bot", "SDF", "YPG", "Deir ez-Zor", "Asia/Damascus", "5G",
		"12", "5–10", "2026-01-02", "15:04", "+5", "−1", "50%", "3.5", "https://7al.net/feed/", "https://t.me/x",
		"ℹ️", "✅", "•", "←", "(", ")", "«", "»", ".", "،", ":", "·", "—", "/", "-", "\n",
	}
	f.Add([]byte{0, 5, 2})
	f.Add([]byte{5, 1, 9, 10})
	f.Add([]byte{22, 38, 23, 40, 24, 1})
	f.Fuzz(func(t *testing.T, picks []byte) {
		var sb strings.Builder
		for i, p := range picks {
			if i > 0 && p%3 != 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[int(p)%len(words)])
		}
		s := sb.String()
		out := Lines(RightToLeft, s)
		if p := biditest.Problems("ar", out); len(p) > 0 {
			t.Errorf("Lines(RightToLeft, %q) = %q:\n%s", s, out, strings.Join(p, "\n"))
		}
	})
}
