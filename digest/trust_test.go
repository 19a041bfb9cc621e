package digest

import (
	"os"
	"strings"
	"testing"

	"nashra/digest/arabic"
	"nashra/digest/feed"
	"nashra/digest/topics"
)

// Every story of the site's feed in testdata, and the seed, summarised for
// the digest as the poll does, reads on its own: at most two sentences and
// 60 words, no hashtag mark, no sentence that opens by carrying on one the
// summary left out, no quotation left open.
func TestFeedSummariesReadAlone(t *testing.T) {
	data, err := os.ReadFile("../testdata/site.rss")
	if err != nil {
		t.Fatal(err)
	}
	res, err := feed.Parse(data, "https://7al.net/feed/", "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	seed, err := os.ReadFile("../testdata/seed-article.txt")
	if err != nil {
		t.Fatal(err)
	}
	title, body, _ := strings.Cut(string(seed), "\n")
	items := append(res.Items, feed.Item{Title: title, Text: body})
	c := &Classifier{Catalog: topics.Builtin()}
	for _, it := range items {
		sum := shownSummary(c.Classify(it.Title, nil, it.Text).Summary)
		words := 0
		for _, s := range sum {
			words += len(arabic.Tokens(s))
		}
		all := strings.Join(sum, " ")
		switch {
		case len(sum) > 2 || words > 60:
			t.Errorf("%q: %d sentences, %d words: %q", it.Title, len(sum), words, sum)
		case strings.Contains(all, "#"):
			t.Errorf("%q: a hashtag mark in %q", it.Title, all)
		case strings.Count(all, "«") != strings.Count(all, "»") || strings.Count(all, "“") != strings.Count(all, "”"):
			t.Errorf("%q: a quotation left open in %q", it.Title, all)
		}
		for i, s := range sum {
			if i == 0 {
				continue
			}
			first := arabic.Tokens(s)[0]
			for _, opener := range []string{"وأضاف", "وتابع", "وأشار"} {
				if arabic.Tokens(opener)[0] == first && !strings.Contains(it.Text, sum[i-1]) {
					t.Errorf("%q: %q leans on a sentence left out", it.Title, s)
				}
			}
		}
	}
	if len(items) < 3 {
		t.Fatalf("only %d stories read", len(items))
	}
}
