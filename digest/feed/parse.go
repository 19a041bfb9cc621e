package feed

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"unicode"

	"github.com/mmcdole/gofeed"
)

// Result is what one fetch of one feed produced.
type Result struct {
	Items      []Item
	Validators Validators // to send with the next fetch of the same URL
	// NotModified reports a 304: Items is empty and Validators are the ones
	// sent (updated by any the server returned).
	NotModified bool
	// Skipped lists the items that could not be used, in feed order.
	Skipped []Skip
}

// Skip is an item left out of a Result, and why. One bad item never fails
// the whole feed.
type Skip struct {
	FeedURL string
	Index   int // position in the feed, from 0
	GUID    string
	Link    string
	Title   string
	Reason  string
}

func (s Skip) String() string {
	return fmt.Sprintf("feed %s item %d (guid %q, link %q): %s", s.FeedURL, s.Index, s.GUID, s.Link, s.Reason)
}

// LogValue makes a Skip log as structured fields.
func (s Skip) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("feed", s.FeedURL),
		slog.Int("index", s.Index),
		slog.String("guid", s.GUID),
		slog.String("link", s.Link),
		slog.String("title", s.Title),
		slog.String("reason", s.Reason),
	)
}

// Reasons an item is skipped.
const (
	ReasonNoIdentity = "no link and no guid"
	ReasonNoTitle    = "empty title"
	ReasonDuplicate  = "duplicate of an earlier item in the same feed"
)

// ParseError reports a body that is not a readable RSS or Atom feed (broken
// XML, an HTML page, an empty body).
type ParseError struct {
	URL string
	Err error
}

func (e *ParseError) Error() string { return fmt.Sprintf("parse feed %s: %v", e.URL, e.Err) }
func (e *ParseError) Unwrap() error { return e.Err }

// Parse reads an RSS 2.0, RSS 1.0 or Atom document (JSON Feed too). feedURL
// resolves relative links and is recorded on every item; contentType (the
// HTTP header, may be empty) is the encoding of last resort. Validators are
// left empty. It is what Fetch uses, exposed for feeds read from files.
func Parse(data []byte, feedURL, contentType string) (*Result, error) {
	data = toUTF8(data, contentType)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &ParseError{URL: feedURL, Err: fmt.Errorf("empty body")}
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, &ParseError{URL: feedURL, Err: err}
	}

	base, _ := url.Parse(feedURL)
	if f.Link != "" && base != nil {
		if l, err := base.Parse(f.Link); err == nil && l.Host != "" {
			base = l
		}
	}

	res := &Result{}
	seen := make(map[string]bool, len(f.Items))
	for i, gi := range f.Items {
		if gi == nil {
			continue
		}
		it := convert(gi, base, feedURL)
		skip := Skip{FeedURL: feedURL, Index: i, GUID: it.GUID, Link: it.Link, Title: it.Title}
		switch {
		case it.ID == "":
			skip.Reason = ReasonNoIdentity
		case it.Title == "":
			skip.Reason = ReasonNoTitle
		case seen[it.ID]:
			skip.Reason = ReasonDuplicate
		}
		if skip.Reason != "" {
			res.Skipped = append(res.Skipped, skip)
			continue
		}
		seen[it.ID] = true
		res.Items = append(res.Items, it)
	}
	return res, nil
}

func convert(gi *gofeed.Item, base *url.URL, feedURL string) Item {
	it := Item{
		GUID:    strings.TrimSpace(gi.GUID),
		Title:   oneLine(gi.Title),
		FeedURL: feedURL,
	}

	link := strings.TrimSpace(gi.Link)
	if link == "" && len(gi.Links) > 0 {
		link = strings.TrimSpace(gi.Links[0])
	}
	if link == "" && isWebURL(it.GUID) {
		link = it.GUID // a permalink GUID, or WordPress's ?p=ID, which redirects
	}
	if link != "" {
		link = resolve(base, link)
		it.URL = link
		it.Link = CanonicalLink(link)
	}
	it.ID = ItemID(it.GUID, it.Link)
	it.WordPressID = wordPressID(it.GUID, link)

	content, desc := strings.TrimSpace(gi.Content), strings.TrimSpace(gi.Description)
	switch {
	case content != "":
		it.Text, it.Excerpt = bodyText(content, false)
	case desc != "":
		it.Text, it.Excerpt = bodyText(desc, true)
	}

	if gi.PublishedParsed != nil {
		it.Published = gi.PublishedParsed.UTC()
	}
	if gi.UpdatedParsed != nil {
		it.Updated = gi.UpdatedParsed.UTC()
	}

	seenCat := make(map[string]bool, len(gi.Categories))
	for _, c := range gi.Categories {
		c = oneLine(c)
		if c != "" && !seenCat[c] {
			seenCat[c] = true
			it.Categories = append(it.Categories, c)
		}
	}

	switch {
	case gi.Author != nil && gi.Author.Name != "":
		it.Author = oneLine(gi.Author.Name)
	case len(gi.Authors) > 0 && gi.Authors[0] != nil:
		it.Author = oneLine(gi.Authors[0].Name)
	case gi.DublinCoreExt != nil && len(gi.DublinCoreExt.Creator) > 0:
		it.Author = oneLine(gi.DublinCoreExt.Creator[0])
	}
	return it
}

// excerptWords bounds a hand-written excerpt: WordPress cuts automatic ones
// at 55 words.
const excerptWords = 80

// readMore are the closing links feed software puts after a cut text, in
// English (compared in lower case) and Arabic.
var readMore = []string{"continue reading", "read more", "اقرأ المزيد", "إقرأ المزيد", "تابع القراءة", "أكمل القراءة"}

// bodyText turns an item's content:encoded (or, with onlyDescription, its
// description) into plain text without the marks the feed software added,
// and reports whether it is a truncated excerpt. Without content:encoded a
// WordPress feed is in summary mode: the description is an excerpt, marked
// when cut automatically, unmarked but short when written by hand.
//
// The marks are looked for in the last lines only, where feed software
// puts them; a long article is never scanned for them.
func bodyText(fragment string, onlyDescription bool) (text string, excerpt bool) {
	text = PlainText(fragment)
	footer := false
	for range 3 { // the footer may follow a read-more line or an empty paragraph
		start := strings.LastIndexByte(text, '\n') + 1
		last := text[start:]
		if isAppearedFirst(last) {
			footer = true
			text = strings.TrimRight(text[:start], "\n")
			continue
		}
		if i := cutMarkIndex(last); i >= 0 {
			excerpt = true
			text = strings.TrimRightFunc(text[:start+i], unicode.IsSpace)
			continue
		}
		break
	}
	if onlyDescription {
		excerpt = excerpt || footer ||
			strings.HasSuffix(text, "…") || strings.HasSuffix(text, "...") ||
			len(strings.Fields(text)) <= excerptWords
	}
	return text, excerpt
}

// isAppearedFirst recognises the footer SEO plugins append to feed items:
// "The post X appeared first on Y." and its Arabic translation.
func isAppearedFirst(line string) bool {
	return strings.Contains(asciiLower(line), "appeared first on") ||
		strings.Contains(line, "ظهرت المقالة") && (strings.Contains(line, "أولاً على") || strings.Contains(line, "أولا على"))
}

// cutMarkIndex finds where a line's closing cut mark starts: "[…]", "[...]"
// (WordPress's [&hellip;]) or a read-more link. It returns -1 if none.
func cutMarkIndex(line string) int {
	t := strings.TrimRightFunc(line, unicode.IsSpace)
	if strings.HasSuffix(t, "]") {
		if i := strings.LastIndexByte(t, '['); i >= 0 {
			if inner := strings.TrimSpace(t[i+1 : len(t)-1]); inner == "…" || inner == "..." {
				return i
			}
		}
	}
	// A read-more link counts when it is the whole line or follows an
	// ellipsis, so an author's own "read more about it" is left alone.
	lower := asciiLower(line)
	for _, phrase := range readMore {
		i := strings.LastIndex(lower, phrase)
		if i < 0 {
			continue
		}
		before := strings.TrimRightFunc(line[:i], unicode.IsSpace)
		if before == "" {
			return i
		}
		if strings.HasSuffix(before, "…") || strings.HasSuffix(before, "...") {
			return len(before)
		}
	}
	return -1
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay valid.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func resolve(base *url.URL, ref string) string {
	if base == nil {
		return ref
	}
	u, err := base.Parse(ref)
	if err != nil {
		return ref
	}
	return u.String()
}
