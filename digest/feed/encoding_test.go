package feed

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Arabic strings used below: "the Autonomous Administration" and "news
// from Hasakah".
const (
	encTitle = "الإدارة الذاتية"
	encText  = "أخبار من الحسكة"
)

// encodedFeedBytes is a windows-1256 feed that declares nothing.
func encodedFeedBytes(t *testing.T) []byte {
	return encodedFeed(t, charmap.Windows1256, "")
}

func encodedFeed(t *testing.T, enc encoding.Encoding, declared string) []byte {
	t.Helper()
	decl := `<?xml version="1.0"?>`
	if declared != "" {
		decl = `<?xml version="1.0" encoding="` + declared + `"?>`
	}
	doc := decl + "\n<rss version=\"2.0\"><channel><title>قناة</title><link>https://old.example/</link>" +
		"<item><title>" + encTitle + "</title><link>https://old.example/1</link><description>" + encText + "</description></item>" +
		"</channel></rss>"
	if enc == nil {
		return []byte(doc)
	}
	out, err := enc.NewEncoder().Bytes([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEncodings(t *testing.T) {
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	for _, tc := range []struct {
		name        string
		data        []byte
		contentType string
	}{
		{"windows-1256 in the prolog", encodedFeed(t, charmap.Windows1256, "windows-1256"), "application/rss+xml"},
		{"cp1256 alias in the prolog", encodedFeed(t, charmap.Windows1256, "cp1256"), ""},
		{"ISO-8859-6 in the prolog", encodedFeed(t, charmap.ISO8859_6, "ISO-8859-6"), ""},
		{"windows-1256 in Content-Type only", encodedFeed(t, charmap.Windows1256, ""), "text/xml; charset=windows-1256"},
		{"ISO-8859-6 in Content-Type only", encodedFeed(t, charmap.ISO8859_6, ""), `application/xml; charset="iso-8859-6"`},
		// The prolog is written with the bytes; the header is often a
		// server default.
		{"prolog beats Content-Type", encodedFeed(t, charmap.Windows1256, "windows-1256"), "text/xml; charset=utf-8"},
		{"UTF-8 declared", encodedFeed(t, nil, "utf-8"), "text/xml; charset=windows-1256"},
		{"UTF-8 undeclared", encodedFeed(t, nil, ""), ""},
		{"UTF-8 with a BOM", append([]byte{0xEF, 0xBB, 0xBF}, encodedFeed(t, nil, "UTF-8")...), ""},
		{"UTF-16 with a BOM", encodedFeed(t, utf16le, "UTF-16"), ""},
		{"unknown label falls back", encodedFeed(t, nil, "x-unknown"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(tc.data, "https://old.example/feed", tc.contentType)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(res.Items) != 1 {
				t.Fatalf("got %d items, skipped %v", len(res.Items), res.Skipped)
			}
			if it := res.Items[0]; it.Title != encTitle || it.Text != encText {
				t.Errorf("Title, Text = %q, %q; want %q, %q", it.Title, it.Text, encTitle, encText)
			}
		})
	}
}

// A committed windows-1256 file, as an old Arabic site would serve it.
func TestWindows1256Fixture(t *testing.T) {
	res, err := Parse(readFixture(t, "windows-1256.rss"), "https://old.example/feed", "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(res.Items) != 1 {
		t.Fatalf("got %d items", len(res.Items))
	}
	it := res.Items[0]
	// "SDF announces the capture of an ISIS cell"
	if want := "قوات سوريا الديمقراطية تعلن القبض على خلية لداعش"; it.Title != want {
		t.Errorf("Title = %q, want %q", it.Title, want)
	}
	if want := []string{"قسد"}; len(it.Categories) != 1 || it.Categories[0] != want[0] {
		t.Errorf("Categories = %q, want %q", it.Categories, want)
	}
	if it.WordPressID != 77 {
		t.Errorf("WordPressID = %d, want 77", it.WordPressID)
	}
}

func TestInvalidUTF8Sanitised(t *testing.T) {
	data := []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>x</title>" +
		"<item><title>خبر\xff\xfe عاجل\x00\x1b</title><link>https://7al.net/a</link><description>نص\xc3\x28 صالح\uFFFF</description></item>" +
		"</channel></rss>")
	res, err := Parse(data, "https://7al.net/feed/", "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(res.Items) != 1 {
		t.Fatalf("got %d items, skipped %v", len(res.Items), res.Skipped)
	}
	it := res.Items[0]
	// "urgent news"; "valid text"
	if want := "خبر\uFFFD\uFFFD عاجل"; it.Title != want {
		t.Errorf("Title = %q, want %q", it.Title, want)
	}
	if want := "نص\uFFFD( صالح"; it.Text != want {
		t.Errorf("Text = %q, want %q", it.Text, want)
	}
	if !strings.Contains(string(sanitizeXML([]byte("ok"))), "ok") {
		t.Error("clean input changed")
	}
}
