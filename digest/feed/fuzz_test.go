package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParse: no input makes Parse panic, and whatever it accepts comes out
// as valid UTF-8 with every kept item identified and titled. Seeds: the
// fixtures here and testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"wordpress.rss", "wordpress.atom", "edge-cases.rss", "excerpt-only.rss", "broken.rss", "windows-1256.rss", "bad-references.rss", "bad-references.atom"} {
		f.Add(readFixture(f, name), "")
	}
	f.Add([]byte(`<?xml version="1.0" encoding="iso-8859-6"?><rss><channel><item><title>x</title></item></channel></rss>`), "text/xml; charset=windows-1256")
	f.Fuzz(func(t *testing.T, data []byte, contentType string) {
		res, err := Parse(data, "https://7al.net/feed/", contentType)
		if err != nil {
			return
		}
		for _, it := range res.Items {
			if strings.ContainsFunc(it.Title, unicode.IsControl) {
				t.Errorf("control character in title %q", it.Title)
			}
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

// FuzzSanitizeXML: the sanitiser's output is valid UTF-8 free of forbidden
// characters, a second pass changes nothing, a document of allowed characters
// that encoding/xml already accepts strictly comes back unchanged, and the lenient tokeniser the feed
// parser uses never stops on a forbidden character in the output: whatever
// else is wrong with a document, it is never a character reference.
func FuzzSanitizeXML(f *testing.F) {
	for _, name := range []string{"bad-references.rss", "bad-references.atom", "wordpress.rss", "edge-cases.rss"} {
		f.Add(readFixture(f, name))
	}
	for _, s := range []string{
		"<t>a&#11;b&#X1B;&#x1b;&#0000011;&#xD800;&#x110000;&#99999999999999999999;</t>",
		"<t a='&#1;'><![CDATA[&#11;]]>&#11;<!-- &#11; -->&#8;<?p &#11;?>&#xFFFE;</t>",
		`<!DOCTYPE t [<!ENTITY e "&#11;"> "]>" <!-- > --> <x>]><t>&#1;&amp;#11;&#1575;&#x627;</t>`,
		"<t>&&#11;&#11&#12;&#x&#11;\x01\x0b</t>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out := sanitizeXML(data)
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8 out of %q: %q", data, out)
		}
		if !allXMLChars(out) {
			t.Fatalf("forbidden character left in %q", out)
		}
		if again := sanitizeXML(out); !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q → %q → %q", data, out, again)
		}
		// encoding/xml does not check characters in comments and
		// directives, and quietly turns a reference to a surrogate into
		// U+FFFD, so only a document of allowed characters without such a
		// reference counts here.
		if allXMLChars(data) && !hasSurrogateRef(data) && tokenize(data, true) == nil && !bytes.Equal(out, data) {
			t.Fatalf("well-formed %q changed to %q", data, out)
		}
		if err := tokenize(out, false); err != nil && isCharError(err) {
			t.Fatalf("tokenising %q (from %q): %v", out, data, err)
		}
	})
}

// tokenize reads a whole document with encoding/xml as the feed parser does
// (lenient) or strictly.
func tokenize(data []byte, strict bool) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = strict
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		if _, err := d.RawToken(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// numericRef matches a numeric character reference.
var numericRef = regexp.MustCompile(`&#(x[0-9a-fA-F]+|[0-9]+);`)

// hasSurrogateRef reports a reference to U+D800–U+DFFF, which XML forbids.
func hasSurrogateRef(data []byte) bool {
	for _, m := range numericRef.FindAllSubmatch(data, -1) {
		digits, base := string(m[1]), 10
		if digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		if v, err := strconv.ParseUint(digits, base, 32); err == nil && 0xD800 <= v && v <= 0xDFFF {
			return true
		}
	}
	return false
}

func allXMLChars(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	for _, r := range string(data) {
		if !isXMLChar(r) {
			return false
		}
	}
	return true
}

func isCharError(err error) bool {
	var syn *xml.SyntaxError
	return errors.As(err, &syn) && (strings.Contains(syn.Msg, "illegal character code") || strings.Contains(syn.Msg, "invalid UTF-8"))
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
