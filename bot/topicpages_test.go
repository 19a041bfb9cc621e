package bot

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"

	"nashra/digest/topics"
	"nashra/subscribers"
)

// Every topic of the catalog is on exactly one page, in its group, and the
// pages' buttons stay within Telegram's limits and a phone's screen.
func TestTopicsPagesHoldEveryTopic(t *testing.T) {
	b := &Bot{catalog: topics.Builtin()}
	pages := b.topicsPages()
	if len(pages) < 7 {
		t.Fatalf("%d pages; want at least one per built-in group", len(pages))
	}
	var listed []string
	for i, p := range pages {
		if n := len(p.topics); n == 0 || n > maxTopicButtons {
			t.Errorf("page %d (%s) lists %d topics; want 1 to %d", i+1, p.id(), n, maxTopicButtons)
		}
		for _, tp := range p.topics {
			if tp.Group != p.group.Slug {
				t.Errorf("topic %q of group %q on the page of %q", tp.Slug, tp.Group, p.group.Slug)
			}
			listed = append(listed, tp.Slug)
		}
	}
	var all []string
	for _, tp := range b.catalog.Topics() {
		all = append(all, tp.Slug)
	}
	slices.Sort(listed)
	slices.Sort(all)
	if !slices.Equal(listed, all) {
		t.Errorf("pages list %q; want each of %q once", listed, all)
	}

	for _, lang := range []string{"ar", "en"} {
		for _, tp := range b.catalog.Topics() {
			if n := utf8.RuneCountInString(tp.ShortName(lang)); n > maxButtonRunes {
				t.Errorf("%s button of %q, %q, is %d characters; a short name of at most %d keeps it whole", lang, tp.Slug, tp.ShortName(lang), n, maxButtonRunes)
			}
		}
		// Buttons of a reader who follows everything (the longest labels).
		var follows []subscribers.Follow
		for _, slug := range all {
			follows = append(follows, subscribers.TopicFollow(slug))
		}
		for i := range pages {
			_, kb := b.topicsView(lang, follows, pages, i)
			for _, row := range kb.InlineKeyboard {
				if len(row) > 2 {
					t.Errorf("%s page %d: a row of %d buttons; want at most 2", lang, i+1, len(row))
				}
				for _, btn := range row {
					if n := len(btn.CallbackData); n == 0 || n > 64 {
						t.Errorf("%s page %d: button %q carries %d bytes of data", lang, i+1, btn.Text, n)
					}
					if strings.Contains(btn.Text, "…") {
						t.Errorf("%s page %d: button %q is cut", lang, i+1, btn.Text)
					}
				}
			}
		}
	}
}

// ◀️ and ▶️ lead to the next and the previous page the way each script
// reads, round the ends, and name where they lead.
func TestTopicsPageButtons(t *testing.T) {
	b := &Bot{catalog: topics.Builtin()}
	pages := b.topicsPages()
	n := len(pages)
	for _, tt := range []struct {
		lang       string
		next, prev int    // positions in the row
		nextArrow  string // the label's end
		prevArrow  string // the label's start
	}{
		// Read right to left, forward is leftwards; the arrow comes last
		// in the text so that it shows on the button's left edge.
		{"ar", 0, 1, " ◀️", "▶️ "},
		{"en", 1, 0, " ▶️", "◀️ "},
	} {
		for at := range pages {
			row := pageButtons(tt.lang, pages, at)
			if len(row) != 2 {
				t.Fatalf("%s page %d: %d page buttons; want 2", tt.lang, at+1, len(row))
			}
			next, prev := pages[(at+1)%n], pages[(at+n-1)%n]
			if got := row[tt.next]; got.CallbackData != callbackData(cbTopicPage, next.id()) ||
				!strings.Contains(got.Text, next.label(tt.lang)) || !strings.HasSuffix(got.Text, tt.nextArrow) {
				t.Errorf("%s page %d: next button %+v; want %q with %q to %s", tt.lang, at+1, got, next.label(tt.lang), tt.nextArrow, next.id())
			}
			if got := row[tt.prev]; got.CallbackData != callbackData(cbTopicPage, prev.id()) ||
				!strings.Contains(got.Text, prev.label(tt.lang)) || !strings.HasPrefix(got.Text, tt.prevArrow) {
				t.Errorf("%s page %d: previous button %+v; want %q with %q to %s", tt.lang, at+1, got, prev.label(tt.lang), tt.prevArrow, prev.id())
			}
		}
		// Following "next" from the first page visits every page once.
		seen := map[int]bool{}
		at := 0
		for range n {
			seen[at] = true
			id := strings.TrimPrefix(pageButtons(tt.lang, pages, at)[tt.next].CallbackData, cbTopicPage+":")
			at, _ = pageByID(pages, id)
		}
		if len(seen) != n || at != 0 {
			t.Errorf("%s: next from the first page saw %d of %d pages and ended on %d", tt.lang, len(seen), n, at+1)
		}
	}
}

// A long group is split into near-equal parts; one or two pages need
// fewer buttons.
func TestTopicsPagesOfOtherCatalogs(t *testing.T) {
	catalog := func(n int, groups ...topics.Group) *topics.Catalog {
		var ts []topics.Topic
		for i := range n {
			ts = append(ts, topics.Topic{Slug: fmt.Sprintf("t%d", i), Arabic: fmt.Sprintf("موضوع %d", i), English: fmt.Sprintf("Topic %d", i)}) // topic i
		}
		c, err := topics.New(groups, ts)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		topics   int
		sizes    []int
		navOnOne int // page buttons on the first page
	}{
		{1, []int{1}, 0},
		{12, []int{12}, 0},
		{13, []int{7, 6}, 1},
		{25, []int{9, 9, 7}, 2},
	}
	for _, tt := range tests {
		b := &Bot{catalog: catalog(tt.topics)}
		pages := b.topicsPages()
		var sizes []int
		for _, p := range pages {
			sizes = append(sizes, len(p.topics))
		}
		if !slices.Equal(sizes, tt.sizes) {
			t.Errorf("%d topics: pages of %v; want %v", tt.topics, sizes, tt.sizes)
		}
		if got := len(pageButtons("ar", pages, 0)); got != tt.navOnOne {
			t.Errorf("%d topics: %d page buttons; want %d", tt.topics, got, tt.navOnOne)
		}
		if len(pages) > 1 && pages[1].label("ar") != topics.OtherGroup.Arabic+" (2)" {
			t.Errorf("%d topics: the second part is labelled %q", tt.topics, pages[1].label("ar"))
		}
	}
}

func TestButtonLabel(t *testing.T) {
	long := strings.Repeat("ع", maxButtonRunes+5)
	if got := buttonLabel(long); utf8.RuneCountInString(got) != maxButtonRunes || !strings.HasSuffix(got, "…") {
		t.Errorf("buttonLabel(%d letters) = %q; want %d characters ending in …", maxButtonRunes+5, got, maxButtonRunes)
	}
	if got := buttonLabel("قسد"); got != "قسد" { // SDF
		t.Errorf("buttonLabel(short) = %q", got)
	}
}

// Each Arabic line these texts add starts right to left on a phone: its
// first strong character is Arabic (ℹ️, a Latin letter to the algorithm,
// would turn the line left to right).
func TestTopicsTextsStartRightToLeft(t *testing.T) {
	b := &Bot{catalog: topics.Builtin()}
	pages := b.topicsPages()
	var lines []string
	for i := range pages {
		for _, follows := range [][]subscribers.Follow{nil, {subscribers.TopicFollow("sdf")}} {
			text, kb := b.topicsView("ar", follows, pages, i)
			lines = append(lines, strings.Split(text, "\n")...)
			for _, row := range kb.InlineKeyboard {
				for _, btn := range row {
					lines = append(lines, btn.Text)
				}
			}
		}
	}
	lines = append(lines, strings.Split(textsFor("ar").FollowedFirst, "\n")...)
	lines = append(lines, fmt.Sprintf(textsFor("ar").TopicsFirst, "داعش")) // ISIS
	for _, line := range lines {
		if line == "" {
			continue
		}
		if first := firstStrong(line); first != bidi.R && first != bidi.AL {
			t.Errorf("%q starts with a strong character of class %v; want Arabic", line, first)
		}
	}
}

// firstStrong is the class of the first strong character a reader sees:
// HTML tags are markup, not text.
func firstStrong(s string) bidi.Class {
	for _, r := range regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, "") {
		p, _ := bidi.LookupRune(r)
		switch c := p.Class(); c {
		case bidi.L, bidi.R, bidi.AL:
			return c
		}
	}
	return bidi.ON
}
