package feed

import (
	"bytes"
	"mime"
	"regexp"
	"strings"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// xmlDecl matches an XML declaration and captures its encoding value.
var xmlDecl = regexp.MustCompile(`^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']`)

// toUTF8 returns the feed as valid UTF-8 XML with any encoding declaration
// rewritten to say so, so the XML parser never converts a second time.
//
// The encoding is taken from, in order: a byte order mark, the XML
// declaration, the Content-Type charset. The declaration beats the header
// because it is written by the software that wrote the bytes, while the
// header is often a server-wide default. Bytes that are still not valid UTF-8
// after decoding, and characters XML forbids, are replaced or dropped rather
// than failing the whole feed.
func toUTF8(data []byte, contentType string) []byte {
	enc, bomLen := encodingFromBOM(data)
	data = data[bomLen:]
	if enc == nil {
		if m := xmlDecl.FindSubmatch(leadingTrimmed(data)); m != nil {
			enc = lookupEncoding(string(m[1]))
		}
	}
	if enc == nil && contentType != "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil {
			enc = lookupEncoding(params["charset"])
		}
	}
	if enc != nil && enc != encoding.Nop {
		if out, err := enc.NewDecoder().Bytes(data); err == nil {
			data = out
		}
	}
	data = rewriteDeclaration(data)
	return sanitizeXML(data)
}

func encodingFromBOM(data []byte) (encoding.Encoding, int) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return encoding.Nop, 3
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), 2
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), 2
	}
	return nil, 0
}

// lookupEncoding returns the decoder for a charset label, or nil when the
// label is unknown. UTF-8 comes back as encoding.Nop: the bytes need no
// conversion, only the sanitising every feed gets.
func lookupEncoding(label string) encoding.Encoding {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil
	}
	enc, name := charset.Lookup(label)
	if name == "utf-8" {
		return encoding.Nop
	}
	return enc
}

func leadingTrimmed(data []byte) []byte {
	if len(data) > 1024 {
		data = data[:1024]
	}
	return bytes.TrimLeft(data, " \t\r\n")
}

// rewriteDeclaration sets the declared encoding to UTF-8, since the bytes now
// are UTF-8 whatever the declaration said.
func rewriteDeclaration(data []byte) []byte {
	head := leadingTrimmed(data)
	m := xmlDecl.FindSubmatchIndex(head)
	if m == nil {
		return data
	}
	offset := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))
	start, end := offset+m[2], offset+m[3]
	if strings.EqualFold(string(data[start:end]), "utf-8") {
		return data
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:start]...)
	out = append(out, "UTF-8"...)
	return append(out, data[end:]...)
}
