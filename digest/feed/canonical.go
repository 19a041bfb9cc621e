package feed

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// CanonicalLink normalises an absolute http(s) URL so that the spellings a
// feed may use for one article compare equal: scheme and host lower-cased
// (an internationalised host in its ASCII form), default ports and fragments
// dropped, tracking parameters (utm_*, fbclid, gclid) removed, the remaining
// query parameters sorted by name, percent-encoding upper-cased with
// unreserved characters decoded and non-ASCII characters encoded (Arabic
// slugs arrive both as %d8%ae and as raw letters), and trailing slashes
// removed from the path. Anything that is not an absolute http(s) URL is
// returned trimmed but otherwise unchanged.
//
// The result is an identity key, not necessarily the byte-for-byte link the
// site prints; it still resolves to the same page.
func CanonicalLink(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return raw
	}
	host := strings.ToLower(u.Hostname())
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		host = ascii
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && !(u.Scheme == "http" && port == "80") && !(u.Scheme == "https" && port == "443") {
		host += ":" + port
	}

	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteString("://")
	if u.User != nil {
		b.WriteString(u.User.String())
		b.WriteByte('@')
	}
	b.WriteString(host)

	p := normalizeEscapes(u.EscapedPath(), "/")
	p = strings.TrimRight(p, "/")
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	b.WriteString(p)

	if q := canonicalQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String()
}

// canonicalQuery drops tracking parameters and sorts the rest by name. The
// sort is stable so repeated names keep their relative order, which some
// servers give meaning to.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ key, pair string }
	var params []param
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		pair = normalizeEscapes(pair, "=+")
		key, _, _ := strings.Cut(pair, "=")
		name := strings.ToLower(key)
		if dec, err := url.QueryUnescape(key); err == nil {
			name = strings.ToLower(dec)
		}
		if isTrackingParam(name) {
			continue
		}
		params = append(params, param{key: key, pair: pair})
	}
	sort.SliceStable(params, func(i, j int) bool { return params[i].key < params[j].key })
	pairs := make([]string, len(params))
	for i, p := range params {
		pairs[i] = p.pair
	}
	return strings.Join(pairs, "&")
}

func isTrackingParam(name string) bool {
	return strings.HasPrefix(name, "utm_") || name == "fbclid" || name == "gclid"
}

// normalizeEscapes rewrites a URL component into one spelling: escapes of
// unreserved characters are decoded, other escapes upper-cased, and bytes
// that may not appear raw (non-ASCII, spaces, quotes) escaped. Characters in
// keep, and the sub-delimiters, stay as they are.
func normalizeEscapes(s, keep string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(hex[v>>4])
				b.WriteByte(hex[v&15])
			}
			i += 2
		case isUnreserved(c) || strings.IndexByte(keep, c) >= 0 || strings.IndexByte("!$'()*,;:@/?", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// PageURL returns the URL of page n of a WordPress feed (?paged=n), so that
// a caller who saw no known item on page 1 can walk back until it does.
// Page 1 and below is the feed URL itself.
func PageURL(feedURL string, page int) string {
	if page <= 1 {
		return feedURL
	}
	u, err := url.Parse(feedURL)
	if err != nil {
		sep := "?"
		if strings.Contains(feedURL, "?") {
			sep = "&"
		}
		return feedURL + sep + "paged=" + strconv.Itoa(page)
	}
	q := u.Query()
	q.Set("paged", strconv.Itoa(page))
	u.RawQuery = q.Encode()
	return u.String()
}
