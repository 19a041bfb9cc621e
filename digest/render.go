package digest

import (
	"cmp"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"nashra/bidi"
	"nashra/digest/arabic"
	"nashra/digest/articles"
	"nashra/wording"
)

// MaxMessageLen is Telegram's limit on a message's text after entity
// parsing, counted as Telegram counts offsets: in UTF-16 code units.
const MaxMessageLen = 4096

// DefaultMaxMessages bounds how many messages one digest takes.
const DefaultMaxMessages = 3

// DefaultFull is how many of a digest's newest articles come with their
// summary; the older ones come as headlines, so a long digest stays
// short enough to scroll through on a phone.
const DefaultFull = 10

// Entry is one article of a digest and why the reader gets it.
type Entry struct {
	Article articles.Article
	// Why names the reader's follows it matched («قسد», «دير الزور»),
	// shown under its title (see Interest.Why); none is shown when empty.
	Why []string
}

// RenderOptions shape a digest.
type RenderOptions struct {
	Lang string // "ar" (default) or "en"
	// SiteURL is where the closing "N more stories on the site" points;
	// no link when empty.
	SiteURL string
	// MaxMessages bounds how many messages one digest may take; the
	// articles that do not fit are counted in the closing line.
	// DefaultMaxMessages when zero.
	MaxMessages int
	// Limit is the length limit per message; MaxMessageLen when zero.
	Limit int
	// Date is the day the header names, in the reader's time zone; the
	// header names no day when it is zero.
	Date time.Time
	// Full is how many of the newest articles show their summary;
	// DefaultFull when zero.
	Full int

	// pieces, when set, keeps what renderings share (one builder run's):
	// an article laid out for one reader is the same for the next.
	pieces *pieceCache
}

// pieceCache keeps the laid-out parts of the digests of one run: the room
// kept for the header and the closing line, and each article laid out.
// A run renders a digest for each different following, and every one of
// them lays out the same few hundred articles: laying out text with the
// bidi algorithm was most of a run's own CPU. Safe for concurrent use.
type pieceCache struct {
	rooms memo[roomKey, [2]int]
	parts memo[partKey, piece]
}

type roomKey struct {
	lang, date, site string
	total            int
}

// partKey names an article laid out: by its number in the store (one
// run sees each article once), why it came, the direction, the room it
// had and how it was shown.
type partKey struct {
	seq      int64
	id, why  string
	dir      bidi.Direction
	max      int
	headline bool
}

func (c *pieceCache) room(k roomKey, build func() [2]int) [2]int {
	if c == nil {
		return build()
	}
	return c.rooms.get(k, build)
}

func (c *pieceCache) part(e Entry, dir bidi.Direction, max int, headline bool, build func() piece) piece {
	if c == nil {
		return build()
	}
	return c.parts.get(partKey{seq: e.Article.Seq, id: e.Article.ID, why: strings.Join(e.Why, "\x00"), dir: dir, max: max, headline: headline}, build)
}

// digestTexts are the words of a digest in one language (package
// wording, where an editor reviews them).
type digestTexts = wording.Digest

func digestTextsFor(lang string) *digestTexts { return &wording.For(lang).Digest }

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

// direction is the reader's language's: the header, the headlines'
// heading, why a story came and the closing line read in it. Stories are
// the site's, in Arabic: their lines read right to left whatever the
// reader's language (an English headline, holding no Arabic, is left as
// it is).
func direction(lang string) bidi.Direction {
	if lang == "en" {
		return bidi.LeftToRight
	}
	return bidi.RightToLeft
}

func bold(p piece) piece { return piece{html: "<b>" + p.html + "</b>", n: p.n} }

// linked is p as a link to u, or p alone when u is not a safe address.
func linked(p piece, u string) piece {
	if link := safeURL(u); link != "" {
		return piece{html: `<a href="` + html.EscapeString(link) + `">` + p.html + `</a>`, n: p.n}
	}
	return p
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// part is one article laid out, and what goes before it when something
// precedes it in its message.
type part struct {
	p   piece
	sep piece
}

// message is a digest message being filled: n counts the header's room
// in the first one.
type message struct {
	parts []part
	n     int
}

// Render lays a digest out as Telegram HTML messages: a header naming
// the day and how many articles the reader can see, the newest article
// first, the first opt.Full with why they came and their summary, the
// older ones as headlines, each message within the limit and split only
// between articles. What does not fit in opt.MaxMessages messages is
// counted in a closing line linked to the site, never in the header.
// Every string from a feed is escaped; links that are not http(s) are
// dropped. Every line reads in its own direction (package bidi), the marks
// counted in the limit.
func Render(entries []Entry, opt RenderOptions) []string {
	if len(entries) == 0 {
		return nil
	}
	limit := opt.Limit
	if limit <= 0 {
		limit = MaxMessageLen
	}
	maxMsgs := opt.MaxMessages
	if maxMsgs <= 0 {
		maxMsgs = DefaultMaxMessages
	}
	full := opt.Full
	if full <= 0 {
		full = DefaultFull
	}
	t := digestTextsFor(opt.Lang)
	dir := direction(opt.Lang)
	entries = newestFirst(entries)
	total := len(entries)

	// The header counts what the reader sees, known only once laid out, and
	// the closing line what did not fit: room is kept for their longest.
	date := ""
	if !opt.Date.IsZero() {
		date = opt.Date.Format(time.DateOnly)
	}
	rooms := opt.pieces.room(roomKey{lang: opt.Lang, date: date, site: opt.SiteURL, total: total}, func() [2]int {
		var r [2]int
		for k := 1; k <= total; k++ {
			r[0] = max(r[0], headerPiece(t, dir, opt.Date, k).n)
			r[1] = max(r[1], morePiece(t, dir, opt.SiteURL, k).n)
		}
		return r
	})
	headRoom, moreRoom := rooms[0], rooms[1]+2 // "\n\n" before the closing line
	// An article fits the first message beside the header and the closing
	// line, so every digest shows at least one.
	maxEntry := limit - headRoom - 2 - moreRoom

	paragraph, line := text("\n\n"), text("\n")
	msgs := []message{{n: headRoom}}
	shown := 0
	for i, e := range entries {
		var pt part
		switch {
		case i < full:
			pt = part{p: opt.pieces.part(e, dir, maxEntry, false, func() piece { return fullPiece(e, dir, maxEntry) }), sep: paragraph}
		case i == full:
			heading := bold(text(t.Headlines)).laidOut(dir).plus(line)
			pt = part{p: heading.plus(opt.pieces.part(e, dir, maxEntry-heading.n, true, func() piece { return headlinePiece(e, maxEntry-heading.n) })), sep: paragraph}
		default:
			pt = part{p: opt.pieces.part(e, dir, maxEntry, true, func() piece { return headlinePiece(e, maxEntry) }), sep: line}
		}
		cur := &msgs[len(msgs)-1]
		if cur.n+pt.sep.n+pt.p.n > limit {
			if len(msgs) == maxMsgs {
				break
			}
			msgs = append(msgs, message{})
			cur = &msgs[len(msgs)-1]
		}
		cur.add(pt)
		shown++
	}
	if shown < total {
		// The closing line goes in the last message: articles make room.
		last := &msgs[len(msgs)-1]
		for last.n+moreRoom > limit && len(last.parts) > 0 {
			last.pop()
			shown--
		}
	}

	out := make([]string, len(msgs))
	for i, m := range msgs {
		var b strings.Builder
		if i == 0 {
			b.WriteString(headerPiece(t, dir, opt.Date, shown).html)
		}
		for j, pt := range m.parts {
			if i == 0 || j > 0 {
				b.WriteString(pt.sep.html)
			}
			b.WriteString(pt.p.html)
		}
		if i == len(msgs)-1 && shown < total {
			b.WriteString(paragraph.html)
			b.WriteString(morePiece(t, dir, opt.SiteURL, total-shown).html)
		}
		out[i] = b.String()
	}
	return out
}

// add puts pt at the end of m, after its separator unless m is empty.
func (m *message) add(pt part) {
	if m.n > 0 {
		m.n += pt.sep.n
	}
	m.parts = append(m.parts, pt)
	m.n += pt.p.n
}

// pop takes m's last part back.
func (m *message) pop() {
	pt := m.parts[len(m.parts)-1]
	m.parts = m.parts[:len(m.parts)-1]
	m.n -= pt.p.n
	if m.n > 0 {
		m.n -= pt.sep.n
	}
}

// newestFirst orders a copy of entries by publication, newest first; the
// later stored first among those published at the same time.
func newestFirst(entries []Entry) []Entry {
	out := slices.Clone(entries)
	slices.SortStableFunc(out, func(a, b Entry) int {
		if c := b.Article.Published.Compare(a.Article.Published); c != 0 {
			return c
		}
		return cmp.Compare(b.Article.Seq, a.Article.Seq)
	})
	return out
}

// DayWords names a day as readers say it, with the months as they are
// named in Syria: «الأحد 30 تشرين الثاني», "Sunday 30 November". The bot
// says dates with it too, so the names live in one place.
func DayWords(lang string, day time.Time) string { return dayWords(digestTextsFor(lang), day) }

func dayWords(t *digestTexts, day time.Time) string {
	return fmt.Sprintf(t.Date, t.Weekdays[day.Weekday()], day.Day(), t.Months[day.Month()-1])
}

// headerPiece is the digest's first line: the day and how many articles
// the reader can see.
func headerPiece(t *digestTexts, dir bidi.Direction, day time.Time, n int) piece {
	count := arabic.Plural(n, t.Stories)
	s := fmt.Sprintf(t.HeaderUndated, count)
	if !day.IsZero() {
		s = fmt.Sprintf(t.Header, dayWords(t, day), count)
	}
	return bold(text(s)).laidOut(dir)
}

// morePiece counts, in a sentence linked to the site, the n articles that
// did not fit.
func morePiece(t *digestTexts, dir bidi.Direction, site string, n int) piece {
	return text("🔗 ").plus(linked(text(arabic.Plural(n, t.More)), site)).laidOut(dir)
}

// fullPiece is one article with its title (linked), why it came (in the
// reader's direction dir) and its summary. An entry longer than max loses
// summary sentences from the end, then why it came, then the end of its
// title.
func fullPiece(e Entry, dir bidi.Direction, max int) piece {
	title := plainHashtags(strings.TrimSpace(e.Article.Title))
	head := func(title string) piece {
		return bold(linked(text(title), e.Article.Link)).laidOut(bidi.RightToLeft)
	}
	var why piece
	if len(e.Why) > 0 {
		names := make([]string, len(e.Why))
		for i, w := range e.Why {
			names[i] = plainHashtags(w)
		}
		why = text("\n").plus(text("🏷 " + strings.Join(names, " · ")).laidOut(dir))
	}
	sentences := shownSummary(e.Article.Summary)
	for {
		p := head(title).plus(why)
		if len(sentences) > 0 {
			p = p.plus(text("\n")).plus(text(strings.Join(sentences, " ")).laidOut(bidi.RightToLeft))
		}
		switch {
		case p.n <= max:
			return p
		case len(sentences) > 0:
			sentences = sentences[:len(sentences)-1]
		case why.n > 0:
			why = piece{}
		default:
			return cutToFit(title, max, head)
		}
	}
}

// headlinePiece is an older article: its linked title alone.
func headlinePiece(e Entry, max int) piece {
	title := plainHashtags(strings.TrimSpace(e.Article.Title))
	return cutToFit(title, max, func(title string) piece {
		return text("• ").plus(linked(text(title), e.Article.Link)).laidOut(bidi.RightToLeft)
	})
}

// cutToFit is show(s), s shortened from its end until it takes at most max
// UTF-16 units, marks included; an ellipsis marks the cut.
func cutToFit(s string, max int, show func(string) piece) piece {
	p := show(s)
	if p.n <= max {
		return p
	}
	// Marks only add to the length: cut the text alone first, then one
	// character at a time until the marks fit too.
	r := []rune(s)
	for n := utf16Len(s); len(r) > 0 && n+1 > max; r = r[:len(r)-1] {
		n -= utf16.RuneLen(r[len(r)-1])
	}
	for p = show(string(r) + "…"); p.n > max && len(r) > 0; p = show(string(r) + "…") {
		r = r[:len(r)-1]
	}
	return p
}

// safeURL returns u when it is an absolute http(s) URL, else "".
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}
