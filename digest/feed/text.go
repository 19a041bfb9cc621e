package feed

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PlainText turns an HTML fragment (a feed title, content:encoded, a REST
// API body, a readability result) into plain text: tags removed, entities
// decoded, runs of white space collapsed to one space, and one line per
// paragraph, list item, heading or <br>. Scripts, styles and similar
// non-text elements are dropped with their content, and so are figure
// captions, which on news sites are photo credits rather than the story.
// Boilerplate such as a newsletter footer is kept: deciding what is
// boilerplate belongs to the summariser.
func PlainText(fragment string) string {
	if !strings.Contains(fragment, "<") {
		// No markup (most titles): decoding entities is all there is to do,
		// and it is cheaper than a tokenizer.
		return collapseLines(html.UnescapeString(fragment))
	}
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	skip := 0 // depth inside dropped elements
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return collapseLines(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if dropped(a) {
				if tt == html.StartTagToken && !isVoid(a) {
					skip++
				}
				continue
			}
			if skip == 0 && breaks(a) {
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if dropped(a) {
				if skip > 0 {
					skip--
				}
				continue
			}
			if skip == 0 && breaks(a) {
				b.WriteByte('\n')
			}
		}
	}
}

func dropped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe,
		atom.Svg, atom.Math, atom.Object, atom.Figcaption,
		atom.Select, atom.Button, atom.Canvas, atom.Video, atom.Audio:
		return true
	}
	return false
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
		atom.Input, atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// breaks reports whether an element starts or ends a line of text.
func breaks(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.Li, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Pre,
		atom.Hr, atom.Table, atom.Tr, atom.Td, atom.Th, atom.Figure, atom.Section,
		atom.Article, atom.Header, atom.Footer, atom.Aside, atom.Nav, atom.Main,
		atom.Address, atom.Details, atom.Summary, atom.Form, atom.Fieldset, atom.Body:
		return true
	}
	return false
}

// collapseLines collapses white space inside each line, trims the lines and
// drops empty ones. A no-break space counts as white space: WordPress writes
// empty paragraphs as <p>&nbsp;</p>.
func collapseLines(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace, pendingLine := false, false
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			pendingLine = b.Len() > 0
			pendingSpace = false
		case unicode.IsSpace(r) || r == '\u00a0':
			pendingSpace = b.Len() > 0
		case unicode.IsControl(r):
			// dropped: stray control characters carry no text
		default:
			if pendingLine {
				b.WriteByte('\n')
			} else if pendingSpace {
				b.WriteByte(' ')
			}
			pendingLine, pendingSpace = false, false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// oneLine is PlainText for titles, author names and categories: everything on
// a single line.
func oneLine(fragment string) string {
	return strings.ReplaceAll(PlainText(fragment), "\n", " ")
}
