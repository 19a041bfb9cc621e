package feed

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: no input makes Parse panic, and whatever it accepts comes out
// as valid UTF-8 with every kept item identified and titled. Seeds: the
// fixtures here and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"wordpress.rss", "wordpress.atom", "edge-cases.rss", "excerpt-only.rss", "broken.rss", "windows-1256.rss"} {
		f.Add(readFixture(f, name), "")
	}
	f.Add([]byte(`<?xml version="1.0" encoding="iso-8859-6"?><rss><channel><item><title>x</title></item></channel></rss>`), "text/xml; charset=windows-1256")
	f.Fuzz(func(t *testing.T, data []byte, contentType string) {
		res, err := Parse(data, "https://7al.net/feed/", contentType)
		if err != nil {
			return
		}
		for _, it := range res.Items {
			if it.ID == "" || it.Title == "" {
				t.Errorf("kept an item without ID or title: %+v", it)
			}
			for _, s := range []string{it.ID, it.Link, it.Title, it.Text, it.Author} {
				if !utf8.ValidString(s) {
					t.Errorf("invalid UTF-8 in %+v", it)
				}
			}
			if strings.Contains(it.Title, "\n") {
				t.Errorf("multi-line title %q", it.Title)
			}
		}
	})
}

// FuzzCanonicalLink: never panics, is idempotent, and an ItemID of a
// canonical link is that link.
func FuzzCanonicalLink(f *testing.F) {
	for _, s := range []string{
		"https://7al.net/2023/06/12/%d8%ae%d8%a8%d8%b1/?utm_source=rss#x",
		"HTTP://7AL.NET:80/a//",
		"https://7al.net/?p=123456",
		"https://مثال.إختبار/خبر/",
		"http://[::1]:443/%7e",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c := CanonicalLink(raw)
		if again := CanonicalLink(c); again != c {
			t.Errorf("not idempotent: %q → %q → %q", raw, c, again)
		}
		if strings.HasPrefix(c, "http") && ItemID("", c) != c {
			t.Errorf("ItemID(\"\", %q) = %q", c, ItemID("", c))
		}
	})
}
