package telegramtest

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapedTextAlwaysParses(t *testing.T) {
	// Titles as they come from feeds; html.EscapeString must make each safe.
	for _, title := range []string{"Q&A: <script>", "«قسد» & \"الحكومة\"", "a<b>c", "5 > 3 & 2 < 4", "it's"} { // "SDF", "the government"
		in := "<b>" + html.EscapeString(title) + "</b>"
		got, err := parseHTML(in)
		if err != nil {
			t.Errorf("parseHTML(%q): %v", in, err)
			continue
		}
		if got.text != title {
			t.Errorf("parseHTML(%q) text = %q, want %q", in, got.text, title)
		}
	}
}

func FuzzParseHTML(f *testing.F) {
	for _, s := range []string{"<b>x</b>", "a &amp; b", "<a href='x'>y</a>", "<pre><code class=\"language-go\">x</code></pre>", "🔥<i>ب</i>", "<", "&#x1F525;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got, err := parseHTML(s)
		if err != nil {
			return
		}
		n := utf16Len(got.text)
		for _, e := range got.entities {
			if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				t.Errorf("parseHTML(%q): entity %+v outside text of %d units", s, e, n)
			}
		}
		if strings.ContainsAny(s, "<&") && !strings.ContainsAny(s, ">;") {
			t.Errorf("parseHTML(%q) accepted a bare '<' or '&'", s)
		}
	})
}

func FuzzCommandEntities(f *testing.F) {
	for _, s := range []string{"/start", "تابع /follow قسد", "/follow@nashra_bot x", "🔥 /a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		n := utf16Len(s)
		for _, e := range CommandEntities(s) {
			if e.Offset < 0 || e.Length < 2 || e.Offset+e.Length > n {
				t.Fatalf("CommandEntities(%q): entity %+v outside text of %d units", s, e, n)
			}
		}
	})
}
