package digest

import (
	"fmt"
	"html"
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"nashra/bidi"
	"nashra/digest/articles"
)

// MaxMessageLen is Telegram's limit on a message's text after entity
// parsing, counted as Telegram counts offsets: in UTF-16 code units.
const MaxMessageLen = 4096

// RenderOptions shape a digest.
type RenderOptions struct {
	Lang string // "ar" (default) or "en"
	// SiteURL is where "+N more on the site" points; no link when empty.
	SiteURL string
	// MaxMessages bounds how many messages one digest may take; the
	// articles that do not fit are counted in "+N more". 3 when zero.
	MaxMessages int
	// Limit is the length limit per message; MaxMessageLen when zero.
	Limit int
}

// piece is some HTML and the length of the text a reader sees from it.
type piece struct {
	html string
	n    int
}

func text(s string) piece { return piece{html: html.EscapeString(s), n: utf16Len(s)} }
func raw(h, visible string) piece {
	return piece{html: h, n: utf16Len(visible)}
}

func (p piece) plus(q piece) piece { return piece{html: p.html + q.html, n: p.n + q.n} }

// laidOut lays p's lines out in direction d (package bidi); the marks it
// adds are visible text to Telegram's length limit, one unit each.
func (p piece) laidOut(d bidi.Direction) piece {
	h := bidi.Lines(d, p.html)
	return piece{html: h, n: p.n + utf8.RuneCountInString(h) - utf8.RuneCountInString(p.html)}
}

// direction is the reader's language's: the header and the "more" line
// read in it. Articles are the site's, in Arabic: their lines read right
// to left whatever the reader's language (an English headline, holding no
// Arabic, is left as it is).
func direction(lang string) bidi.Direction {
	if lang == "en" {
		return bidi.LeftToRight
	}
	return bidi.RightToLeft
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}

// Render lays articles out as Telegram HTML messages, each within the
// limit, split only between articles. Every string from a feed is
// escaped; links that are not http(s) are dropped. Every line reads in its
// own direction (bidi), the marks counted in the limit.
func Render(arts []articles.Article, opt RenderOptions) []string {
	if len(arts) == 0 {
		return nil
	}
	limit := opt.Limit
	if limit <= 0 {
		limit = MaxMessageLen
	}
	maxMsgs := opt.MaxMessages
	if maxMsgs <= 0 {
		maxMsgs = 3
	}
	// Room kept in the last message for the "+N more" line.
	const reserve = 200
	header := headerPiece(opt.Lang, len(arts)).laidOut(direction(opt.Lang))

	var msgs []piece
	cur := header
	for i, a := range arts {
		entry := entryPiece(a, limit-reserve-header.n-2)
		sep := text("\n\n")
		if cur.n > 0 && cur.n+sep.n+entry.n > limit-reserve {
			msgs = append(msgs, cur)
			cur = piece{}
			if len(msgs) == maxMsgs {
				return finish(msgs, opt, len(arts)-i, limit)
			}
		}
		if cur.n > 0 {
			cur = cur.plus(sep)
		}
		cur = cur.plus(entry)
	}
	msgs = append(msgs, cur)
	return finish(msgs, opt, 0, limit)
}

func finish(msgs []piece, opt RenderOptions, more, limit int) []string {
	if more > 0 {
		last := &msgs[len(msgs)-1]
		*last = last.plus(text("\n\n")).plus(morePiece(opt, more).laidOut(direction(opt.Lang)))
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.html
	}
	return out
}

func headerPiece(lang string, n int) piece {
	var title string
	if lang == "en" {
		title = fmt.Sprintf("📰 Nashra · %d new %s", n, plural(n, "story", "stories"))
	} else {
		title = fmt.Sprintf("📰 نشرة · %s", arabicCount(n))
	}
	return raw("<b>"+html.EscapeString(title)+"</b>", title)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// arabicCount says "N new stories" with Arabic's number agreement.
func arabicCount(n int) string {
	switch {
	case n == 1:
		return "خبر جديد"
	case n == 2:
		return "خبران جديدان"
	case n >= 3 && n <= 10:
		return fmt.Sprintf("%d أخبار جديدة", n)
	default:
		return fmt.Sprintf("%d خبراً جديداً", n)
	}
}

func morePiece(opt RenderOptions, n int) piece {
	var s string
	if opt.Lang == "en" {
		s = fmt.Sprintf("+%d more on the site", n)
	} else {
		s = fmt.Sprintf("+%d على الموقع", n)
	}
	if link := safeURL(opt.SiteURL); link != "" {
		return raw(`<a href="`+html.EscapeString(link)+`">`+html.EscapeString(s)+`</a>`, s)
	}
	return text(s)
}

// entryPiece is one article: its title (linked), then its summary. An
// entry longer than max loses summary sentences from the end, then is cut.
func entryPiece(a articles.Article, max int) piece {
	title := strings.TrimSpace(a.Title)
	var head piece
	if link := safeURL(a.Link); link != "" {
		head = raw(`<b><a href="`+html.EscapeString(link)+`">`+html.EscapeString(title)+`</a></b>`, title)
	} else {
		head = raw("<b>"+html.EscapeString(title)+"</b>", title)
	}
	sentences := a.Summary
	for {
		p := head
		if len(sentences) > 0 {
			p = p.plus(text("\n" + strings.Join(sentences, " ")))
		}
		p = p.laidOut(bidi.RightToLeft)
		if p.n <= max || len(sentences) == 0 {
			if p.n > max { // a title alone longer than a message
				r := []rune(title)
				for len(r) > 0 && text(string(r)+"…").laidOut(bidi.RightToLeft).n > max {
					r = r[:len(r)-1]
				}
				return text(string(r) + "…").laidOut(bidi.RightToLeft)
			}
			return p
		}
		sentences = sentences[:len(sentences)-1]
	}
}

// safeURL returns u when it is an absolute http(s) URL, else "".
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}
