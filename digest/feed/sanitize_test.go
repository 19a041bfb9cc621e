package feed

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// One item whose title names a character XML forbids used to fail the whole
// document, every poll. Every item must come through, each bad reference
// dropped and the valid ones kept.
func TestParseForbiddenCharacterReferences(t *testing.T) {
	const bad = 19 // items 1..19 each carry one bad reference (see the fixture)
	for _, fixture := range []string{"bad-references.rss", "bad-references.atom"} {
		t.Run(fixture, func(t *testing.T) {
			res := parseFixture(t, fixture)
			if len(res.Skipped) != 0 {
				t.Errorf("Skipped = %v, want none", res.Skipped)
			}
			if len(res.Items) != bad+3 {
				t.Fatalf("got %d items, want %d", len(res.Items), bad+3)
			}
			for i := 1; i <= bad; i++ {
				it := findItem(t, res, fmt.Sprintf("https://7al.net/?p=%d", 300000+i))
				// "news number i"; "the news text"
				if want := fmt.Sprintf("خبر رقم %d", i); it.Title != want {
					t.Errorf("item %d: Title = %q, want %q", i, it.Title, want)
				}
				if want := "نص الخبر"; it.Text != want {
					t.Errorf("item %d: Text = %q, want %q", i, it.Text, want)
				}
			}
			for i, want := range []string{
				"ألف: ا وا وا",       // "alef: ا and ا and ا", from &#1575; &#x627; &#X627;
				"نص حرفي في العنوان", // "literal text in the title": &amp;#11; is text, a vertical tab once decoded
				"داخل CDATA نص",      // "inside CDATA text": &#11; in CDATA is literal
			} {
				it := findItem(t, res, fmt.Sprintf("https://7al.net/?p=%d", 300000+bad+1+i))
				if it.Title != want {
					t.Errorf("valid item %d: Title = %q, want %q", i, it.Title, want)
				}
				if want := "نص سليم"; it.Text != want { // "sound text"
					t.Errorf("valid item %d: Text = %q, want %q", i, it.Text, want)
				}
			}
		})
	}
}

// Raw controls are dropped whatever the encoding, with the references:
// after decoding they are the same characters.
func TestParseForbiddenCharactersInEncodings(t *testing.T) {
	for _, tc := range []struct {
		name string
		enc  encoding.Encoding
	}{
		{"windows-1256", charmap.Windows1256},
		{"ISO-8859-6", charmap.ISO8859_6},
		{"UTF-16", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)},
		{"UTF-8", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := `<?xml version="1.0" encoding="` + tc.name + `"?><rss version="2.0"><channel><title>قناة</title>` +
				"<item><title>خبر\x0b\x1b أول&#1;</title><link>https://old.example/1</link></item>" +
				"<item><title>خبر ثان</title><link>https://old.example/2</link></item>" +
				"</channel></rss>"
			data := []byte(doc)
			if tc.enc != nil {
				var err error
				if data, err = tc.enc.NewEncoder().Bytes(data); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Parse(data, "https://old.example/feed", "")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var titles []string
			for _, it := range res.Items {
				titles = append(titles, it.Title)
			}
			// "first news", "second news"
			if got, want := strings.Join(titles, "|"), "خبر أول|خبر ثان"; got != want {
				t.Errorf("titles = %q, want %q", got, want)
			}
		})
	}
}

func TestSanitizeXML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<t>a&#11;b</t>", "<t>ab</t>"},
		{"<t>a&#x1b;&#X1B;&#x1B;b</t>", "<t>ab</t>"},
		{"<t>&#0;&#1;&#8;&#31;&#xFFFE;&#xffff;&#xD800;&#xdfff;&#x110000;</t>", "<t></t>"},
		{"<t>&#0000000000000000000000011;&#x00000000000001b;</t>", "<t></t>"},
		{"<t>&#99999999999999999999999999;&#xFFFFFFFFFFFFFFFFFFFF;</t>", "<t></t>"},
		{`<t a="x&#11;y">z</t>`, `<t a="xy">z</t>`},
		// Allowed characters, and things that are not references, stay.
		{"<t>&#9;&#10;&#13;&#32;&#1575;&#x627;&#X627;&#xFFFD;&#x10000;&#x10FFFF;</t>", ""},
		{"<t>&amp;#11; &#11 &#; &#x; &#xg; &&#x;</t>", ""},
		// Where the parser does not expand references they are left alone.
		{"<t><![CDATA[&#11;]]></t>", ""},
		{"<!-- &#11; --><t/>", ""},
		{"<?pi &#11;?><t/>", ""},
		{`<!DOCTYPE t [<!ENTITY e "&#11;"> <!-- > --> ]><t/>`, ""},
		// ...but not past their end.
		{"<t><![CDATA[&#11;]]>&#11;</t>", "<t><![CDATA[&#11;]]></t>"},
		{"<!-- x -->&#1;<?pi?>&#1;<!DOCTYPE t>&#1;", "<!-- x --><?pi?><!DOCTYPE t>"},
		{`<!DOCTYPE t [ "]>" '<!--' ]>&#1;`, `<!DOCTYPE t [ "]>" '<!--' ]>`},
		// A removal never joins its neighbours into a new reference or new
		// markup: U+FFFD stands in.
		{"<t>&&#11;#12;</t>", "<t>&\uFFFD#12;</t>"},
		{"<t>&#1&#11;2;</t>", "<t>&#1\uFFFD2;</t>"},
		{"<&#11;!-- &#12; --><t/>", "<\uFFFD!--  --><t/>"}, // not a comment: &#12; is text
		{"<t>&\x00#11;x</t>", "<t>x</t>"},
		// Raw characters go everywhere, CDATA included.
		{"<t>\x01a\x0b<![CDATA[\x1b]]>\uFFFE\xff</t>", "<t>a<![CDATA[]]>\uFFFD</t>"},
	} {
		want := tc.want
		if want == "" {
			want = tc.in
		}
		if got := string(sanitizeXML([]byte(tc.in))); got != want {
			t.Errorf("sanitizeXML(%q) = %q, want %q", tc.in, got, want)
		}
	}
}
