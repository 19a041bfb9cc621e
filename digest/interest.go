package digest

import (
	"slices"

	"nashra/digest/arabic"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/subscribers"
)

// Interest is what one reader follows, ready to match articles: catalog
// topics by slug, free keywords as phrases matched like topic aliases.
// An empty Interest matches every in-scope article.
type Interest struct {
	slugs   map[string]bool
	phrases []arabic.Phrase
}

// InterestOf compiles a reader's stored follows.
func InterestOf(follows []subscribers.Follow) Interest {
	in := Interest{slugs: make(map[string]bool)}
	for _, f := range follows {
		if f.Topic != "" {
			in.slugs[f.Topic] = true
		} else if p, ok := arabic.NewPhrase(f.Keyword); ok {
			in.phrases = append(in.phrases, p)
		}
	}
	return in
}

// ParseInterest compiles follows given as words (a topic name, alias or
// slug, or free words), as a reader would type them after /follow.
func ParseInterest(c *topics.Catalog, words []string) Interest {
	in := Interest{slugs: make(map[string]bool)}
	for _, w := range words {
		if t, ok := c.Lookup(w); ok {
			in.slugs[t.Slug] = true
		} else if p, ok := arabic.NewPhrase(w); ok {
			in.phrases = append(in.phrases, p)
		}
	}
	return in
}

// Empty reports whether nothing is followed.
func (in Interest) Empty() bool { return len(in.slugs) == 0 && len(in.phrases) == 0 }

// Matches reports whether the article is for this reader. text is the
// article prepared for matching (see Classifier.Classify); it is only
// needed for keyword follows and may be nil otherwise. Out-of-scope
// articles never match.
func (in Interest) Matches(a articles.Article, text *arabic.Text) bool {
	if !a.InScope {
		return false
	}
	if in.Empty() {
		return true
	}
	for _, t := range a.Topics {
		if in.slugs[t] {
			return true
		}
	}
	if text == nil {
		return false
	}
	for _, p := range in.phrases {
		if text.Contains(p) {
			return true
		}
	}
	return false
}

// Keywords reports whether any follow is a free keyword (and so needs the
// article's text to match).
func (in Interest) Keywords() bool { return len(in.phrases) > 0 }

// MaxWhy is how many names a digest shows under a title for why it came.
const MaxWhy = 3

// Why names, in lang, why a matching article came to this reader: the
// topics they follow that it is about, by their short names («قسد», "SDF")
// in catalog order, as the article lists them; then the keywords they
// follow that its text contains, as they wrote them. For a reader who
// follows nothing it names the topics the article is about. At most
// MaxWhy names; c names the topics (without a catalog only keywords are
// named). text is as for Matches.
func (in Interest) Why(c *topics.Catalog, lang string, a articles.Article, text *arabic.Text) []string {
	var names []string
	add := func(name string) {
		if len(names) < MaxWhy && name != "" && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	for _, slug := range a.Topics {
		if !in.Empty() && !in.slugs[slug] || c == nil {
			continue
		}
		if t, ok := c.Get(slug); ok {
			add(t.ShortName(lang))
		}
	}
	if text != nil {
		for _, p := range in.phrases {
			if text.Contains(p) {
				add(p.String())
			}
		}
	}
	return names
}
