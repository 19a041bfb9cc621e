package feed

import "testing"

func TestCanonicalLink(t *testing.T) {
	const slug = "https://7al.net/2023/06/12/%D8%AE%D8%A8%D8%B1" // خبر, "news"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"already canonical", slug, slug},
		{"lower-case escapes", "https://7al.net/2023/06/12/%d8%ae%d8%a8%d8%b1/", slug},
		{"raw Arabic slug", "https://7al.net/2023/06/12/خبر/", slug},
		{"scheme and host case", "HTTPS://7AL.Net/2023/06/12/%d8%ae%d8%a8%d8%b1", slug},
		{"default https port", "https://7al.net:443/2023/06/12/%D8%AE%D8%A8%D8%B1/", slug},
		{"default http port", "http://7al.net:80/a/", "http://7al.net/a"},
		{"other port kept", "https://7al.net:8443/a", "https://7al.net:8443/a"},
		{"fragment dropped", slug + "/#comments", slug},
		{"utm dropped", slug + "/?utm_source=rss&utm_medium=rss&utm_campaign=x", slug},
		{"UTM upper case dropped", slug + "?UTM_Source=x", slug},
		{"fbclid and gclid dropped", slug + "?fbclid=abc&gclid=def", slug},
		{"other params sorted and kept", "https://7al.net/?s=قسد&cat=5&utm_source=x", "https://7al.net/?cat=5&s=%D9%82%D8%B3%D8%AF"},
		{"repeated params keep their order", "https://7al.net/?b=2&a=1&b=1", "https://7al.net/?a=1&b=2&b=1"},
		{"unreserved escapes decoded", "https://7al.net/%7Euser/%41b%2dc", "https://7al.net/~user/Ab-c"},
		{"reserved escapes kept", "https://7al.net/a%2fb?q=a%26b", "https://7al.net/a%2Fb?q=a%26b"},
		{"space in query", "https://7al.net/?s=a b", "https://7al.net/?s=a%20b"},
		{"plus kept", "https://7al.net/?s=a+b", "https://7al.net/?s=a+b"},
		{"empty query dropped", "https://7al.net/a?", "https://7al.net/a"},
		{"root keeps its slash", "https://7al.net", "https://7al.net/"},
		{"many trailing slashes", "https://7al.net/a///", "https://7al.net/a"},
		{"query on root", "https://7al.net?p=1", "https://7al.net/?p=1"},
		{"IDN host", "https://مثال.إختبار/a", "https://xn--mgbh0fb.xn--kgbechtv/a"},
		{"IPv6 host", "http://[::1]:80/a/", "http://[::1]/a"},
		{"surrounding space", "  https://7al.net/a/  ", "https://7al.net/a"},
		{"not http", "mailto:news@7al.net", "mailto:news@7al.net"},
		{"relative", "/2023/06/12/a/", "/2023/06/12/a/"},
		{"not a URL", "tag:7al.net,2023:123", "tag:7al.net,2023:123"},
		{"bad escape", "https://7al.net/%zz", "https://7al.net/%zz"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CanonicalLink(tc.in)
			if got != tc.want {
				t.Errorf("CanonicalLink(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := CanonicalLink(got); again != got {
				t.Errorf("CanonicalLink is not idempotent: %q → %q → %q", tc.in, got, again)
			}
		})
	}
}

func TestItemID(t *testing.T) {
	for _, tc := range []struct {
		name, guid, link, want string
	}{
		{"WordPress GUID", "https://7al.net/?p=123456", "https://7al.net/a/", "https://7al.net/?p=123456"},
		{"WordPress GUID from before https", "http://7al.net/?p=123456", "https://7al.net/a/", "https://7al.net/?p=123456"},
		{"WordPress GUID, host case", "http://7AL.net/?p=123456", "", "https://7al.net/?p=123456"},
		{"WordPress GUID, custom post type", "https://7al.net/?post_type=video&p=99", "", "https://7al.net/?p=99"},
		{"WordPress in a sub-path", "https://example.org/news/?p=7", "", "https://example.org/news/?p=7"},
		{"permalink GUID canonicalised", "https://7al.net/a/?utm_source=rss", "", "https://7al.net/a"},
		{"opaque GUID as given", " tag:7al.net,2023:123 ", "https://7al.net/a", "tag:7al.net,2023:123"},
		{"?p= with other params is not WordPress's", "https://7al.net/?p=1&x=2", "", "https://7al.net/?p=1&x=2"},
		{"?p= not numeric", "https://7al.net/?p=abc", "", "https://7al.net/?p=abc"},
		{"no GUID: the link", "", "https://7al.net/a/#x", "https://7al.net/a"},
		{"nothing", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ItemID(tc.guid, tc.link); got != tc.want {
				t.Errorf("ItemID(%q, %q) = %q, want %q", tc.guid, tc.link, got, tc.want)
			}
		})
	}
}

func TestWordPressID(t *testing.T) {
	for _, tc := range []struct {
		guid, link string
		want       int64
	}{
		{"https://7al.net/?p=123456", "https://7al.net/a/", 123456},
		{"", "https://7al.net/?p=42", 42},
		{"tag:x", "https://7al.net/a/", 0},
		{"https://7al.net/?p=0", "", 0},
		{"https://7al.net/?p=-5", "", 0},
		{"https://7al.net/archives/5?p=5", "", 0},
	} {
		if got := wordPressID(tc.guid, tc.link); got != tc.want {
			t.Errorf("wordPressID(%q, %q) = %d, want %d", tc.guid, tc.link, got, tc.want)
		}
	}
}

func TestPageURL(t *testing.T) {
	for _, tc := range []struct {
		feed string
		page int
		want string
	}{
		{"https://7al.net/feed/", 1, "https://7al.net/feed/"},
		{"https://7al.net/feed/", 0, "https://7al.net/feed/"},
		{"https://7al.net/feed/", 2, "https://7al.net/feed/?paged=2"},
		{"https://7al.net/?cat=5&feed=rss2", 3, "https://7al.net/?cat=5&feed=rss2&paged=3"},
		{"https://7al.net/feed/?paged=2", 4, "https://7al.net/feed/?paged=4"},
	} {
		if got := PageURL(tc.feed, tc.page); got != tc.want {
			t.Errorf("PageURL(%q, %d) = %q, want %q", tc.feed, tc.page, got, tc.want)
		}
	}
}
