// Package topics owns the topic catalog: the named subjects readers follow
// (قسد, داعش, the coalition, the camps, the towns of North-East Syria...), the
// Arabic and English aliases that find them in articles, and which of them
// define the site's scope. The built-in catalog can be extended or replaced
// by the operator's topics file.
package topics

import (
	"errors"
	"fmt"
	"strings"

	"nashra/digest/arabic"
)

// Topic is one followable subject. Its Arabic and English names and its
// aliases are all matched against articles, as whole words after Arabic
// normalisation (see package arabic).
type Topic struct {
	// Slug identifies the topic in deep links (start=follow-<slug>) and
	// callback data: 1 to 32 of [a-z0-9-], starting with a letter or digit.
	Slug    string   `json:"slug"`
	Arabic  string   `json:"ar"`
	English string   `json:"en"`
	Aliases []string `json:"aliases,omitempty"`
	// Scope marks topics that define the site's coverage: an article enters
	// digests only when it matches at least one of them.
	Scope bool `json:"scope,omitempty"`
}

// Name returns the topic's name in lang: English for "en", Arabic otherwise.
func (t Topic) Name(lang string) string {
	if lang == "en" && t.English != "" {
		return t.English
	}
	return t.Arabic
}

// MaxSlugLen bounds slugs so that "follow-<slug>" fits a deep-link start
// parameter and callback data stays well under Telegram's 64 bytes.
const MaxSlugLen = 32

// Catalog is a validated, immutable set of topics. It is safe for concurrent
// use.
type Catalog struct {
	topics  []Topic
	phrases [][]arabic.Phrase // per topic: names then aliases, deduplicated
	bySlug  map[string]int
	byKey   map[string]int // normalised slug, name or alias -> topic index
}

// New validates topics and builds a catalog that keeps their order. Each
// error names the offending topic.
func New(topics []Topic) (*Catalog, error) {
	c := &Catalog{
		topics:  make([]Topic, 0, len(topics)),
		phrases: make([][]arabic.Phrase, 0, len(topics)),
		bySlug:  make(map[string]int, len(topics)),
		byKey:   make(map[string]int, len(topics)*8),
	}
	var errs []error
	for i, t := range topics {
		if err := c.add(t); err != nil {
			errs = append(errs, fmt.Errorf("topic %s: %w", topicLabel(i, t), err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(c.topics) == 0 {
		return nil, errors.New("no topics")
	}
	return c, nil
}

func topicLabel(i int, t Topic) string {
	switch {
	case t.Slug != "":
		return fmt.Sprintf("%q", t.Slug)
	case t.Arabic != "":
		return fmt.Sprintf("#%d (ar %q)", i+1, t.Arabic)
	}
	return fmt.Sprintf("#%d", i+1)
}

func (c *Catalog) add(t Topic) error {
	if err := checkSlug(t.Slug); err != nil {
		return err
	}
	if _, dup := c.bySlug[t.Slug]; dup {
		return errors.New("duplicate slug")
	}
	t.Arabic = strings.TrimSpace(t.Arabic)
	t.English = strings.TrimSpace(t.English)
	if t.Arabic == "" {
		return errors.New(`empty Arabic name ("ar")`)
	}
	if t.English == "" {
		return errors.New(`empty English name ("en")`)
	}
	t.Aliases = append([]string(nil), t.Aliases...)

	idx := len(c.topics)
	keys := make(map[string]bool)    // claimed by this topic
	matched := make(map[string]bool) // compiled into phrases
	var phrases []arabic.Phrase
	claim := func(what, s string, match bool) error {
		p, ok := arabic.NewPhrase(s)
		if !ok {
			return fmt.Errorf("%s %q has no letters or digits", what, s)
		}
		k := p.Key()
		if other, taken := c.byKey[k]; taken {
			return fmt.Errorf("%s %q (normalised %q) is already used by topic %q", what, s, k, c.topics[other].Slug)
		}
		// The same name spelt twice within one topic is harmless.
		keys[k] = true
		if match && !matched[k] {
			matched[k] = true
			phrases = append(phrases, p)
		}
		return nil
	}
	// The slug resolves /follow input but is not searched for in articles:
	// slugs such as "us-forces" are identifiers, not words of the text.
	if err := claim("slug", t.Slug, false); err != nil {
		return err
	}
	if err := claim("Arabic name", t.Arabic, true); err != nil {
		return err
	}
	if err := claim("English name", t.English, true); err != nil {
		return err
	}
	for _, a := range t.Aliases {
		if err := claim("alias", a, true); err != nil {
			return err
		}
	}
	for k := range keys {
		c.byKey[k] = idx
	}
	c.bySlug[t.Slug] = idx
	c.topics = append(c.topics, t)
	c.phrases = append(c.phrases, phrases)
	return nil
}

func checkSlug(s string) error {
	if s == "" {
		return errors.New("empty slug")
	}
	if len(s) > MaxSlugLen {
		return fmt.Errorf("slug longer than %d characters", MaxSlugLen)
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case 'a' <= b && b <= 'z', '0' <= b && b <= '9':
		case b == '-' && i > 0:
		default:
			return fmt.Errorf("slug %q: only a-z, 0-9 and '-' (not first) are allowed", s)
		}
	}
	return nil
}

// Topics returns the topics in catalog order. The slice is a copy.
func (c *Catalog) Topics() []Topic {
	out := make([]Topic, len(c.topics))
	for i := range c.topics {
		out[i] = c.topic(i)
	}
	return out
}

// Get returns the topic with the given slug.
func (c *Catalog) Get(slug string) (Topic, bool) {
	i, ok := c.bySlug[slug]
	if !ok {
		return Topic{}, false
	}
	return c.topic(i), true
}

// topic returns a copy of topic i that the caller may modify.
func (c *Catalog) topic(i int) Topic {
	t := c.topics[i]
	t.Aliases = append([]string(nil), t.Aliases...)
	return t
}

// Lookup resolves what a reader typed after /follow to a topic: its slug, or
// its Arabic or English name or an alias after normalisation ("SDF", "sdf",
// "قسد", "#قوات_سوريا_الديمقراطية"). It reports false otherwise, and the
// caller then follows s as a free keyword.
func (c *Catalog) Lookup(s string) (Topic, bool) {
	s = strings.TrimSpace(s)
	if t, ok := c.Get(strings.ToLower(s)); ok {
		return t, true
	}
	p, ok := arabic.NewPhrase(s)
	if !ok {
		return Topic{}, false
	}
	i, ok := c.byKey[p.Key()]
	if !ok {
		return Topic{}, false
	}
	return c.topic(i), true
}

// Match returns, in catalog order, the slugs of the topics whose name or
// aliases occur in t.
func (c *Catalog) Match(t *arabic.Text) []string {
	var slugs []string
	for i := range c.topics {
		if c.matches(i, t) {
			slugs = append(slugs, c.topics[i].Slug)
		}
	}
	return slugs
}

// InScope reports whether t matches at least one scope topic.
func (c *Catalog) InScope(t *arabic.Text) bool {
	for i := range c.topics {
		if c.topics[i].Scope && c.matches(i, t) {
			return true
		}
	}
	return false
}

// MatchesTopic reports whether t mentions the topic with the given slug;
// false for an unknown slug.
func (c *Catalog) MatchesTopic(slug string, t *arabic.Text) bool {
	i, ok := c.bySlug[slug]
	return ok && c.matches(i, t)
}

func (c *Catalog) matches(i int, t *arabic.Text) bool {
	for _, p := range c.phrases[i] {
		if t.Contains(p) {
			return true
		}
	}
	return false
}
