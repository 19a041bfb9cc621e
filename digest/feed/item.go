package feed

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Item is one article as a feed describes it, normalised for storage.
type Item struct {
	// ID is the article's identity: the GUID when the feed gives one (a
	// WordPress ?p=ID GUID in one canonical spelling, other URL GUIDs
	// canonicalised), else the canonical link. The same article seen in
	// several category feeds has the same ID.
	ID   string
	GUID string // as the feed gives it
	Link string // canonical link (see CanonicalLink), for identity
	// URL is the link as the feed gives it (made absolute), the one to
	// show readers: the canonical form may cost them a redirect.
	URL string

	Title   string // plain text
	Text    string // plain text, one line per paragraph
	Excerpt bool   // the feed carries only a truncated excerpt; see FullText

	Published time.Time // zero when missing or unparseable; may be in the future
	Updated   time.Time // zero when missing or unparseable

	Categories  []string // WordPress categories and tags, by display name
	Author      string
	WordPressID int64 // from a ?p=ID GUID or link; zero when unknown
	FeedURL     string
}

// futureSlack is how far ahead of the moment it was first seen an item's
// date may be before it is treated as wrong. It absorbs clock skew between
// the site and us.
const futureSlack = 10 * time.Minute

// EffectiveTime is the time to order and window the item by: its published
// date, unless that is missing or later than firstSeen plus a few minutes
// (a wrong clock or a scheduled post), in which case firstSeen.
func (it Item) EffectiveTime(firstSeen time.Time) time.Time {
	if it.Published.IsZero() || it.Published.After(firstSeen.Add(futureSlack)) {
		return firstSeen
	}
	return it.Published
}

// SeenKeys returns every key under which the item may already have been
// recorded: its ID and, when different, its canonical link. A feed that drops
// or changes GUIDs (a plugin change, a migration) still matches on the link.
func (it Item) SeenKeys() []string {
	keys := []string{it.ID}
	if it.Link != "" && it.Link != it.ID {
		keys = append(keys, it.Link)
	}
	return keys
}

// ItemID returns the identity of an item from its GUID and link: a WordPress
// ?p=ID GUID as https://host/?p=ID (WordPress keeps the GUID it minted under
// http:// after a site moves to https), another URL GUID canonicalised, any
// other GUID as given, and without a GUID the canonical link. It returns ""
// when both are empty.
func ItemID(guid, link string) string {
	guid = strings.TrimSpace(guid)
	if guid == "" {
		return CanonicalLink(link)
	}
	if u, id := wordPressPostURL(guid); id > 0 {
		return "https://" + strings.ToLower(u.Host) + strings.TrimRight(u.EscapedPath(), "/") + "/?p=" + strconv.FormatInt(id, 10)
	}
	return CanonicalLink(guid)
}

// wordPressPostURL recognises WordPress's plain post URL, home/?p=ID (with an
// optional post_type for custom post types), as minted for GUIDs and
// shortlinks.
func wordPressPostURL(raw string) (*url.URL, int64) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, 0
	}
	if u.Path != "" && !strings.HasSuffix(u.Path, "/") {
		return nil, 0
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil || len(q["p"]) != 1 {
		return nil, 0
	}
	for k := range q {
		if k != "p" && k != "post_type" {
			return nil, 0
		}
	}
	id, err := strconv.ParseInt(q.Get("p"), 10, 64)
	if err != nil || id <= 0 {
		return nil, 0
	}
	return u, id
}

// wordPressID finds the post ID in the GUID or, failing that, the link.
func wordPressID(guid, link string) int64 {
	if _, id := wordPressPostURL(guid); id > 0 {
		return id
	}
	_, id := wordPressPostURL(link)
	return id
}
