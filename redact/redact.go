// Package redact hides the credentials a URL may carry before it is shown:
// in /healthz, /metrics, /stats and logs. The URL itself, with its
// credentials, is only ever used to connect.
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces every hidden part.
const Mask = "***"

// URL returns raw with its userinfo (user and password: a user name alone
// may be a token) and the values of secret-looking query parameters
// replaced by Mask, so "https://u:p@site/feed/?key=k&cat=5" is shown as
// "https://***@site/feed/?key=***&cat=5". Anything else is kept, so the
// feed stays recognisable. A string that does not parse as a URL loses
// everything that might be a userinfo, its query and its fragment.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return unparsed(raw)
	}
	const placeholder = "REDACTEDUSERINFO"
	if u.User != nil {
		u.User = url.User(placeholder)
	}
	u.RawQuery = query(u.RawQuery)
	if u.Fragment != "" {
		u.Fragment, u.RawFragment = Mask, ""
	}
	s := u.String()
	if u.User != nil {
		s = strings.Replace(s, placeholder+"@", Mask+"@", 1)
	}
	return s
}

// query masks the value of each secret-looking parameter of a raw query,
// keeping the order and spelling of everything else. It splits by hand
// rather than by url.ParseQuery, which gives up on a malformed pair (such
// as one with ';') and re-encodes the rest.
func query(raw string) string {
	var b strings.Builder
	for {
		i := strings.IndexAny(raw, "&;")
		pair := raw
		if i >= 0 {
			pair = raw[:i]
		}
		if name, _, _ := strings.Cut(pair, "="); secretName(name) {
			b.WriteString(name + "=" + Mask)
		} else {
			b.WriteString(pair)
		}
		if i < 0 {
			return b.String()
		}
		b.WriteByte(raw[i])
		raw = raw[i+1:]
	}
}

// secretNames are parameter names that carry credentials, compared
// without case, '-', '_' or '.'.
var secretNames = map[string]bool{
	"key": true, "auth": true, "authorization": true, "pass": true, "passwd": true, "pwd": true,
	"sig": true, "sid": true, "session": true, "jwt": true, "bearer": true, "code": true,
	"credential": true, "credentials": true, "hash": true, "otp": true,
}

// secretSuffixes catch the many spellings: api_key, apikey, access_token,
// feedToken, client_secret, password, x-amz-signature.
var secretSuffixes = []string{"key", "token", "secret", "password", "signature", "sessionid", "auth"}

func secretName(name string) bool {
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	n := strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.', ' ':
			return -1
		}
		return r
	}, strings.ToLower(name))
	if secretNames[n] {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// unparsed hides what may be credentials in a string url.Parse refuses:
// everything from the query or fragment on, and everything between the
// scheme and the last '@'.
func unparsed(s string) string {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i+1] + Mask
	}
	if at := strings.LastIndex(s, "@"); at >= 0 {
		start := 0
		if j := strings.Index(s, "://"); j >= 0 && j < at {
			start = j + len("://")
		}
		s = s[:start] + Mask + s[at:]
	}
	return s
}

// urlInText finds URLs in free text, such as an error that repeats the URL
// it failed on: a scheme and "://", up to white space or one of NotInURL.
var urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.\-]*://[^\s"<>\x60]+`)

// NotInURL are the characters besides white space that end a URL in text
// (Text). A URL that holds one of them, or white space, must be refused
// where it is configured: Text could not tell where it ends.
const NotInURL = "\"<>`"

// Text returns s with every URL in it passed through URL: a fetch error
// such as "GET https://u:p@site/feed/?key=k: HTTP 500" becomes
// "GET https://***@site/feed/?key=***: HTTP 500". Punctuation that ends a
// sentence after a URL is kept out of it.
func Text(s string) string {
	return urlInText.ReplaceAllStringFunc(s, func(m string) string {
		u := strings.TrimRight(m, ".,:;!?)]}")
		return URL(u) + m[len(u):]
	})
}
