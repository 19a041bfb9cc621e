package digest

import (
	"strings"
	"time"

	"nashra/digest/arabic"
	"nashra/digest/articles"
	"nashra/digest/feed"
	"nashra/digest/summary"
	"nashra/digest/topics"
)

// DefaultSummaryWords is the word budget of a digest entry's summary, of
// at most MaxSummarySentences sentences.
const DefaultSummaryWords = 60

// Classifier finds an article's topics and scope and summarises it.
type Classifier struct {
	Catalog      *topics.Catalog
	SummaryWords int // DefaultSummaryWords when zero
	// Markers say which items the site marks as breaking news; the zero
	// value marks none.
	Markers Markers
}

// Classification is what the Classifier says about one text.
type Classification struct {
	Topics  []string // catalog slugs
	InScope bool
	Summary []string
	// Text is the prepared text, for matching readers' free keywords.
	Text *arabic.Text
}

// Classify looks at an article's title, categories and body. Categories
// count: the site's editors tag articles with the subjects they cover.
func (c *Classifier) Classify(title string, categories []string, body string) Classification {
	all := title + "\n" + strings.Join(categories, "\n") + "\n" + body
	text := arabic.NewText(all)
	words := c.SummaryWords
	if words <= 0 {
		words = DefaultSummaryWords
	}
	return Classification{
		Topics:  c.Catalog.Match(text),
		InScope: c.Catalog.InScope(text),
		Summary: summary.Summarize(title, body, summary.Options{Words: words, MaxSentences: MaxSummarySentences, MaxWords: words}),
		Text:    text,
	}
}

// Article builds the article to store for a feed item whose full text is
// body, first seen at seen. An item marked urgent is stored as such, its
// title without the marker.
func (c *Classifier) Article(it feed.Item, body string, seen time.Time) articles.Article {
	title, urgent := c.Markers.Mark(it.Title, it.Categories)
	cl := c.Classify(title, it.Categories, body)
	link := it.URL
	if link == "" {
		link = it.Link
	}
	return articles.Article{
		ID:        it.ID,
		Link:      link,
		Title:     title,
		Summary:   cl.Summary,
		Text:      body,
		Topics:    cl.Topics,
		InScope:   cl.InScope,
		Published: it.EffectiveTime(seen),
		SeenAt:    seen,
		Feed:      it.FeedURL,
		Author:    it.Author,
		Urgent:    urgent,
	}
}
