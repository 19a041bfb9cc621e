package bot

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

var tagRE = regexp.MustCompile(`<[^>]*>`)

// visibleText is what a reader sees of HTML made of our tags and escaped
// text, found independently of the splitter's own measure.
func visibleText(s string) string { return html.UnescapeString(tagRE.ReplaceAllString(s, "")) }

func units(s string) int { return len(utf16.Encode([]rune(s))) }

func TestSplitHTML(t *testing.T) {
	// 70 lines of 64 Arabic letters ("ب" and "ت"), an element over two lines,
	// a line longer than a message inside <b>.
	line := "• " + strings.Repeat("بت", 32)
	long := strings.Repeat(line+"\n", 70)
	for _, tc := range []struct {
		name, in string
		limit    int
		parts    int
	}{
		{"short", "<b>ما تتابعه:</b>\nقسد", 4096, 1},
		{"70 lines", "<b>ما تتابعه:</b>\n" + long + "\nللتعديل: /topics", 4096, 2},
		{"element over lines is never cut", "<b>aaaa\nbbbb</b>\ncccc\ndddd", 10, 2},
		{"over-long line", "<b>" + strings.Repeat("ث", 25) + "</b> &amp; &lt;x&gt;", 10, 4},
		{"astral characters count twice", strings.Repeat("🔥\n", 10), 5, 5}, // "🔥\n🔥" is 5 units
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := splitHTML(tc.in, tc.limit)
			if len(parts) != tc.parts {
				t.Errorf("%d parts, want %d: %q", len(parts), tc.parts, parts)
			}
			var got []string
			for _, p := range parts {
				v := visibleText(p)
				if n := units(v); n > tc.limit {
					t.Errorf("part of %d units, limit %d: %q", n, tc.limit, p)
				}
				if strings.Count(p, "<b>") != strings.Count(p, "</b>") {
					t.Errorf("part with unbalanced markup: %q", p)
				}
				got = append(got, v)
			}
			flat := func(s string) string { return strings.ReplaceAll(s, "\n", "") }
			if g, w := flat(strings.Join(got, "")), flat(visibleText(tc.in)); g != w {
				t.Errorf("text changed by the split:\ngot  %q\nwant %q", g, w)
			}
		})
	}
}

// FuzzSplitHTML: every part is within the limit as Telegram counts, no text
// is lost or reordered, and markup stays balanced in each part.
func FuzzSplitHTML(f *testing.F) {
	f.Add("قسد\nداعش & <i>x</i>\n\n🔥 ٧:٣٠", uint8(5))
	f.Add(strings.Repeat("• بتث\n", 40), uint8(30))
	f.Fuzz(func(t *testing.T, raw string, limit uint8) {
		if !utf8.ValidString(raw) || limit == 0 {
			return
		}
		// Lines of escaped text, every other one in bold, as replies are built.
		var b strings.Builder
		for i, l := range strings.Split(raw, "\n") {
			if i > 0 {
				b.WriteByte('\n')
			}
			if i%2 == 1 {
				b.WriteString("<b>" + html.EscapeString(l) + "</b>")
			} else {
				b.WriteString(html.EscapeString(l))
			}
		}
		in := b.String()
		parts := splitHTML(in, int(limit))
		var got []string
		for _, p := range parts {
			v := visibleText(p)
			if units(v) > int(limit) {
				t.Fatalf("part %q has %d units, limit %d", p, units(v), limit)
			}
			if strings.Count(p, "<b>") != strings.Count(p, "</b>") {
				t.Fatalf("unbalanced part %q", p)
			}
			got = append(got, v)
		}
		flat := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if g, w := flat(strings.Join(got, "")), flat(visibleText(in)); g != w {
			t.Fatalf("text changed:\ngot  %q\nwant %q", g, w)
		}
	})
}
