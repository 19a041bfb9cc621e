package feed

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// seedArticle returns the title and the expected plain text of the seed
// article: its paragraphs, one per line, without the repeated title and the
// empty (no-break space) paragraph.
func seedArticle(t testing.TB) (title, text string) {
	t.Helper()
	lines := strings.Split(string(readFixture(t, "article.txt")), "\n")
	title = strings.TrimSpace(lines[0])
	var paras []string
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(l); l != "" && l != title {
			paras = append(paras, l)
		}
	}
	return title, strings.Join(paras, "\n")
}

func parseFixture(t *testing.T, name string) *Result {
	t.Helper()
	res, err := Parse(readFixture(t, name), "https://7al.net/feed/", "application/rss+xml; charset=UTF-8")
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return res
}

func findItem(t *testing.T, res *Result, id string) Item {
	t.Helper()
	for _, it := range res.Items {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("no item with ID %q", id)
	return Item{}
}

const seedLink = "https://7al.net/2023/06/12/%D8%AA%D9%87%D8%AF%D9%8A%D8%AF%D8%A7%D8%AA-%D8%AF%D8%A7%D8%B9%D8%B4-%D9%84%D9%85-%D8%AA%D9%86%D8%AA%D9%87-%D8%A8%D8%B9%D8%AF"

func TestParseWordPressRSSAndAtom(t *testing.T) {
	title, text := seedArticle(t)
	for _, tc := range []struct {
		fixture    string
		categories []string
		updated    time.Time
	}{
		// أخبار news, سوريا Syria, التحالف الدولي the coalition, داعش ISIS, قسد SDF
		{"wordpress.rss", []string{"أخبار", "سوريا", "التحالف الدولي", "داعش", "قسد"}, time.Time{}},
		{"wordpress.atom", []string{"أخبار", "داعش", "قسد"}, time.Date(2023, 6, 12, 14, 30, 0, 0, time.UTC)},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			res := parseFixture(t, tc.fixture)
			if len(res.Skipped) != 0 {
				t.Errorf("Skipped = %v, want none", res.Skipped)
			}
			it := findItem(t, res, "https://7al.net/?p=123456")
			if it.GUID != "https://7al.net/?p=123456" || it.WordPressID != 123456 {
				t.Errorf("GUID, WordPressID = %q, %d", it.GUID, it.WordPressID)
			}
			if it.Link != seedLink {
				t.Errorf("Link = %q, want %q", it.Link, seedLink)
			}
			if it.Title != title {
				t.Errorf("Title = %q, want %q", it.Title, title)
			}
			if it.Text != text {
				t.Errorf("Text differs from the seed article (figure caption, script and feed footer dropped):\ngot  %q\nwant %q", it.Text, text)
			}
			if it.Excerpt {
				t.Error("Excerpt = true for a full content item")
			}
			if want := time.Date(2023, 6, 12, 14, 5, 0, 0, time.UTC); !it.Published.Equal(want) {
				t.Errorf("Published = %v, want %v", it.Published, want)
			}
			if !it.Updated.Equal(tc.updated) {
				t.Errorf("Updated = %v, want %v", it.Updated, tc.updated)
			}
			if !slices.Equal(it.Categories, tc.categories) {
				t.Errorf("Categories = %q, want %q", it.Categories, tc.categories)
			}
			if it.Author != "الحل نت" { // Al-Hal Net
				t.Errorf("Author = %q", it.Author)
			}
			if it.FeedURL != "https://7al.net/feed/" {
				t.Errorf("FeedURL = %q", it.FeedURL)
			}
		})
	}
}

func TestParseEdgeCases(t *testing.T) {
	res := parseFixture(t, "edge-cases.rss")
	for _, tc := range []struct {
		id, title, link string
		published       time.Time
	}{
		// The title's <b> is markup and goes; the escaped <script> is text and
		// stays, as text (the renderer escapes it). عاجل: urgent.
		{"https://7al.net/?p=200001", "عاجل: انفجار في <script>alert(1)</script> القامشلي", "https://7al.net/2023/06/12/urgent", time.Date(2023, 6, 12, 12, 0, 0, 0, time.UTC)},
		// No pubDate: zero, the caller uses the time first seen.
		{"https://7al.net/?p=200002", "خبر بلا تاريخ", "https://7al.net/2023/06/12/undated", time.Time{}},
		// A future date is kept as given; EffectiveTime corrects it.
		{"https://7al.net/?p=200003", "خبر من المستقبل", "https://7al.net/2099/01/01/future", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)},
		// An Arabic-locale date does not parse: zero.
		{"https://7al.net/?p=200004", "خبر بتاريخ عربي", "https://7al.net/2023/06/12/arabic-date", time.Time{}},
		// No GUID: a relative link, resolved against the channel link, with
		// the tracking parameter and fragment gone, is the identity.
		{"https://7al.net/2023/06/12/relative-link", "رابط دون معرف", "https://7al.net/2023/06/12/relative-link", time.Date(2023, 6, 12, 12, 0, 0, 0, time.UTC)},
		// No link: the ?p=ID GUID is a working link.
		{"https://7al.net/?p=200009", "معرف دون رابط", "https://7al.net/?p=200009", time.Date(2023, 6, 12, 12, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.id, func(t *testing.T) {
			it := findItem(t, res, tc.id)
			if it.Title != tc.title {
				t.Errorf("Title = %q, want %q", it.Title, tc.title)
			}
			if it.Link != tc.link {
				t.Errorf("Link = %q, want %q", it.Link, tc.link)
			}
			if !it.Published.Equal(tc.published) {
				t.Errorf("Published = %v, want %v", it.Published, tc.published)
			}
		})
	}
	if len(res.Items) != 6 {
		t.Errorf("got %d items, want 6", len(res.Items))
	}

	var reasons []string
	for _, s := range res.Skipped {
		reasons = append(reasons, s.Reason)
		if s.FeedURL != "https://7al.net/feed/" || s.String() == "" {
			t.Errorf("skip %+v lacks its feed", s)
		}
	}
	want := []string{ReasonNoIdentity, ReasonNoTitle, ReasonDuplicate}
	if !slices.Equal(reasons, want) {
		t.Errorf("skip reasons = %q, want %q", reasons, want)
	}
	if s := res.Skipped[2]; s.Index != 6 || s.GUID != "https://7al.net/?p=200001" {
		t.Errorf("duplicate skip = %+v, want index 6 with the first item's GUID", s)
	}
}

func TestParseExcerptOnly(t *testing.T) {
	res := parseFixture(t, "excerpt-only.rss")
	for _, tc := range []struct {
		id, text string
	}{
		// The "[…]" mark and the "appeared first on" footer are the feed's,
		// not the author's: removed.
		{"https://7al.net/?p=123456", "أكد وزراء خارجية #التحالف_الدولي لهزيمة تنظيم #داعش، اليوم الاثنين، عزمهم المشترك على مواصلة القتال ضد التنظيم، وتهيئة الظروف لهزيمته نهائيّاً."},
		{"https://7al.net/?p=123455", "قتل عنصران من تنظيم داعش في ريف دير الزور الشرقي…"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			it := findItem(t, res, tc.id)
			if !it.Excerpt {
				t.Error("Excerpt = false for a description-only item")
			}
			if it.Text != tc.text {
				t.Errorf("Text = %q, want %q", it.Text, tc.text)
			}
		})
	}
	// The first item's GUID was minted under http://; its ID is the same as
	// in the https feeds.
	if it := res.Items[0]; it.GUID != "http://7al.net/?p=123456" || it.ID != "https://7al.net/?p=123456" {
		t.Errorf("GUID %q → ID %q, want https://7al.net/?p=123456", it.GUID, it.ID)
	}
}

func TestBodyTextExcerpt(t *testing.T) {
	long := strings.Repeat("كلمة ", 200) // "word" ×200
	for _, tc := range []struct {
		name, html      string
		onlyDescription bool
		text            string
		excerpt         bool
	}{
		{"full content", "<p>" + long + "</p>", false, strings.TrimSpace(long), false},
		{"full content ending in an ellipsis", "<p>قال…</p>", false, "قال…", false},
		{"content cut with [&hellip;]", "<p>نص [&hellip;]</p>", false, "نص", true},
		{"content with a read-more link", `<p>نص</p><p><a href="x">اقرأ المزيد</a></p>`, false, "نص", true},
		{"content with the footer only", "<p>نص</p><p>The post <a>x</a> appeared first on <a>y</a>.</p>", false, "نص", false},
		{"content with an inline read-more after an ellipsis", "<p>نص… Continue reading <span>عنوان</span></p>", false, "نص…", true},
		{"author's own read more", "<p>To read more about it, see the report.</p>", false, "To read more about it, see the report.", false},
		{"short description", "<p>نص قصير</p>", true, "نص قصير", true},
		{"long description", "<p>" + long + "</p>", true, strings.TrimSpace(long), false},
		{"long description cut", "<p>" + long + "[&#8230;]</p>", true, strings.TrimSpace(long), true},
		{"Arabic footer", "<p>نص</p><p>ظهرت المقالة <a>عنوان</a> أولاً على <a>الحل نت</a>.</p>", false, "نص", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, excerpt := bodyText(tc.html, tc.onlyDescription)
			if text != tc.text || excerpt != tc.excerpt {
				t.Errorf("bodyText(%.60q, %v) = %.60q, %v; want %.60q, %v", tc.html, tc.onlyDescription, text, excerpt, tc.text, tc.excerpt)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"truncated document", readFixture(t, "broken.rss")},
		{"plain text", []byte("Service Unavailable")},
		{"unknown root", []byte(`<?xml version="1.0"?><html><body/></html>`)},
		{"HTML page", []byte("<!DOCTYPE html><html><body><p>not a feed</p></body></html>")},
		{"empty", nil},
		{"white space", []byte(" \n\t ")},
		{"JSON garbage", []byte("{not json")},
		{"binary", []byte{0x00, 0xff, 0xfe, 0x01}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(tc.data, "https://7al.net/feed/", "")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse = %+v, %v; want a *ParseError", res, err)
			}
			if pe.URL != "https://7al.net/feed/" || !strings.Contains(err.Error(), "https://7al.net/feed/") {
				t.Errorf("error %q does not name the feed", err)
			}
		})
	}
}

// The parser is lenient (real feeds are sloppy): mismatched tags spoil the
// items from there on, which are skipped, but the items before survive and
// the feed is not an error.
func TestParseLenient(t *testing.T) {
	data := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>` +
		`<item><title>سليم</title><link>https://7al.net/ok/</link></item>` +
		`<item><title>a</link></item></channel></rss>`)
	res, err := Parse(data, "https://7al.net/feed/", "")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(res.Items) != 1 || res.Items[0].Title != "سليم" { // "sound"
		t.Errorf("Items = %+v, want the sound item only", res.Items)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Reason != ReasonNoIdentity {
		t.Errorf("Skipped = %v, want the broken item", res.Skipped)
	}
}

// An article in two category feeds is one article: the same ID, though one
// feed spells the link with upper-case escapes, a port, tracking parameters
// and a fragment.
func TestCrossFeedIdentity(t *testing.T) {
	syria := parseFixture(t, "category-syria.rss")
	isis := parseFixture(t, "category-isis.rss")
	ids := map[string]int{}
	links := map[string]string{}
	for _, res := range []*Result{syria, isis} {
		for _, it := range res.Items {
			ids[it.ID]++
			if l, ok := links[it.ID]; ok && l != it.Link {
				t.Errorf("ID %s has links %q and %q", it.ID, l, it.Link)
			}
			links[it.ID] = it.Link
		}
	}
	if ids["https://7al.net/?p=123456"] != 2 {
		t.Errorf("shared article seen under %d IDs: %v", len(ids), ids)
	}
	if len(ids) != 3 {
		t.Errorf("got %d distinct articles, want 3: %v", len(ids), ids)
	}
	if links["https://7al.net/?p=123456"] != seedLink {
		t.Errorf("Link = %q, want %q", links["https://7al.net/?p=123456"], seedLink)
	}
}

func TestSeenKeys(t *testing.T) {
	for _, tc := range []struct {
		it   Item
		want []string
	}{
		{Item{ID: "https://7al.net/?p=1", Link: "https://7al.net/a"}, []string{"https://7al.net/?p=1", "https://7al.net/a"}},
		{Item{ID: "https://7al.net/a", Link: "https://7al.net/a"}, []string{"https://7al.net/a"}},
		{Item{ID: "tag:x", Link: ""}, []string{"tag:x"}},
	} {
		if got := tc.it.SeenKeys(); !slices.Equal(got, tc.want) {
			t.Errorf("%+v.SeenKeys() = %q, want %q", tc.it, got, tc.want)
		}
	}
}

func TestEffectiveTime(t *testing.T) {
	seen := time.Date(2023, 6, 12, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		published time.Time
		want      time.Time
	}{
		{"zero", time.Time{}, seen},
		{"past", seen.Add(-time.Hour), seen.Add(-time.Hour)},
		{"slightly ahead (clock skew)", seen.Add(9 * time.Minute), seen.Add(9 * time.Minute)},
		{"exactly the slack", seen.Add(10 * time.Minute), seen.Add(10 * time.Minute)},
		{"future", seen.Add(11 * time.Minute), seen},
		{"far future", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), seen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Item{Published: tc.published}).EffectiveTime(seen); !got.Equal(tc.want) {
				t.Errorf("EffectiveTime(%v) with published %v = %v, want %v", seen, tc.published, got, tc.want)
			}
		})
	}
}
