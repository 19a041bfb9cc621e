// Package topics owns the topic catalog: the named subjects readers follow
// (قسد, داعش, the coalition, the camps, the towns of North-East Syria...), the
// Arabic and English aliases that find them in articles, the names that
// find them only when a reader types them, the groups /topics lists them
// under, and which of them define the site's scope. The built-in catalog
// can be extended or replaced by the operator's topics file.
package topics

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"nashra/digest/arabic"
)

// Topic is one followable subject. Its Arabic and English names and its
// aliases are all matched against articles, as whole words after Arabic
// normalisation (see package arabic).
type Topic struct {
	// Slug identifies the topic in deep links (start=follow-<slug>) and
	// callback data: 1 to 32 of [a-z0-9-], starting with a letter or digit.
	Slug    string `json:"slug"`
	Arabic  string `json:"ar"`
	English string `json:"en"`
	// ShortArabic and ShortEnglish name the topic on a button where the
	// full name is long («الحكومة الانتقالية» for «الحكومة السورية
	// الانتقالية»); empty means the full name. Typed after /follow they
	// find the topic, but articles are not searched for them.
	ShortArabic  string `json:"short_ar,omitempty"`
	ShortEnglish string `json:"short_en,omitempty"`
	// Group is the slug of the group /topics lists the topic under; empty
	// lists it under OtherGroup.
	Group   string   `json:"group,omitempty"`
	Aliases []string `json:"aliases,omitempty"`
	// FollowNames are what readers type for the topic but are not searched
	// for in articles, because they would match too much («التحالف» is
	// any coalition) or are what readers say rather than what the press
	// writes.
	FollowNames []string `json:"follow_names,omitempty"`
	// Except lists longer names that contain one of the topic's names or
	// aliases but mean something else: «الحكومة السورية المؤقتة» (the
	// opposition's interim government) for «الحكومة السورية». A name found
	// only inside one of them does not count.
	Except []string `json:"except,omitempty"`
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

// ShortName returns the name for a button in lang: the short name when the
// topic has one, else the full name.
func (t Topic) ShortName(lang string) string {
	if lang == "en" {
		if t.ShortEnglish != "" {
			return t.ShortEnglish
		}
		return t.Name(lang)
	}
	if t.ShortArabic != "" {
		return t.ShortArabic
	}
	return t.Arabic
}

// Group is a heading /topics lists topics under, one page each.
type Group struct {
	// Slug names the group in topics and callback data, as a topic's slug.
	Slug    string `json:"slug"`
	Arabic  string `json:"ar"`
	English string `json:"en"`
}

// Name returns the group's name in lang: English for "en", Arabic otherwise.
func (g Group) Name(lang string) string {
	if lang == "en" {
		return g.English
	}
	return g.Arabic
}

// OtherGroup holds the topics that name no group. It is always listed last;
// a catalog may rename it by defining a group with its slug.
var OtherGroup = Group{Slug: "other", Arabic: "مواضيع أخرى", English: "Other topics"}

// Section is a group and its topics, in catalog order.
type Section struct {
	Group  Group
	Topics []Topic
}

// MaxSlugLen bounds slugs so that "follow-<slug>" fits a deep-link start
// parameter and callback data stays well under Telegram's 64 bytes.
const MaxSlugLen = 32

// Catalog is a validated, immutable set of topics and the groups they are
// listed under. It is safe for concurrent use.
type Catalog struct {
	topics  []Topic
	phrases [][]arabic.Phrase // per topic: names then aliases, deduplicated
	except  [][]arabic.Phrase // per topic: what its phrases must be outside of
	bySlug  map[string]int
	byKey   map[string]int // normalised slug, name, alias or follow name -> topic index
	groups  []Group        // OtherGroup last
	byGroup map[string]int
}

// New validates groups and topics and builds a catalog that keeps their
// order. OtherGroup is added when groups lack it. Each error names the
// offending group or topic.
func New(groups []Group, topics []Topic) (*Catalog, error) {
	c := &Catalog{
		topics:  make([]Topic, 0, len(topics)),
		phrases: make([][]arabic.Phrase, 0, len(topics)),
		except:  make([][]arabic.Phrase, 0, len(topics)),
		bySlug:  make(map[string]int, len(topics)),
		byKey:   make(map[string]int, len(topics)*8),
		byGroup: make(map[string]int, len(groups)+1),
	}
	var errs []error
	other := OtherGroup
	for i, g := range groups {
		g.Arabic, g.English = strings.TrimSpace(g.Arabic), strings.TrimSpace(g.English)
		if err := c.checkGroup(g, other); err != nil {
			errs = append(errs, fmt.Errorf("group %s: %w", groupLabel(i, g), err))
			continue
		}
		if g.Slug == other.Slug {
			other = g // renamed
			continue
		}
		c.groups = append(c.groups, g)
		c.byGroup[g.Slug] = len(c.groups) // 1-based, so that 0 means absent
	}
	c.groups = append(c.groups, other)
	c.byGroup[other.Slug] = len(c.groups)
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

func (c *Catalog) checkGroup(g, other Group) error {
	switch {
	case checkSlug(g.Slug) != nil:
		return checkSlug(g.Slug)
	case c.byGroup[g.Slug] > 0 || g.Slug == other.Slug && other != OtherGroup:
		return errors.New("duplicate slug")
	case g.Arabic == "":
		return errors.New(`empty Arabic name ("ar")`)
	case g.English == "":
		return errors.New(`empty English name ("en")`)
	}
	return nil
}

func groupLabel(i int, g Group) string {
	if g.Slug != "" {
		return fmt.Sprintf("%q", g.Slug)
	}
	return fmt.Sprintf("#%d", i+1)
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
	t.ShortArabic = strings.TrimSpace(t.ShortArabic)
	t.ShortEnglish = strings.TrimSpace(t.ShortEnglish)
	if t.Arabic == "" {
		return errors.New(`empty Arabic name ("ar")`)
	}
	if t.English == "" {
		return errors.New(`empty English name ("en")`)
	}
	if t.Group == "" {
		t.Group = OtherGroup.Slug
	}
	if c.byGroup[t.Group] == 0 {
		return fmt.Errorf("unknown group %q (groups: %s)", t.Group, strings.Join(c.groupSlugs(), ", "))
	}
	t.Aliases = slices.Clone(t.Aliases)
	t.FollowNames = slices.Clone(t.FollowNames)
	t.Except = slices.Clone(t.Except)

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
	if t.ShortArabic != "" {
		if err := claim("short Arabic name", t.ShortArabic, false); err != nil {
			return err
		}
	}
	if t.ShortEnglish != "" {
		if err := claim("short English name", t.ShortEnglish, false); err != nil {
			return err
		}
	}
	for _, n := range t.FollowNames {
		if err := claim("follow name", n, false); err != nil {
			return err
		}
	}
	var except []arabic.Phrase
	for _, e := range t.Except {
		p, ok := arabic.NewPhrase(e)
		if !ok {
			return fmt.Errorf("except %q has no letters or digits", e)
		}
		// An exception that holds none of the topic's phrases excludes
		// nothing: most likely a typo.
		text := arabic.NewText(e)
		if !slices.ContainsFunc(phrases, text.Contains) {
			return fmt.Errorf("except %q contains none of the topic's names or aliases", e)
		}
		except = append(except, p)
	}
	for k := range keys {
		c.byKey[k] = idx
	}
	c.bySlug[t.Slug] = idx
	c.topics = append(c.topics, t)
	c.phrases = append(c.phrases, phrases)
	c.except = append(c.except, except)
	return nil
}

func (c *Catalog) groupSlugs() []string {
	out := make([]string, len(c.groups))
	for i, g := range c.groups {
		out[i] = g.Slug
	}
	return out
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
	t.Aliases = slices.Clone(t.Aliases)
	t.FollowNames = slices.Clone(t.FollowNames)
	t.Except = slices.Clone(t.Except)
	return t
}

// Groups returns every group, OtherGroup last, whether or not it holds
// topics. The slice is a copy.
func (c *Catalog) Groups() []Group { return slices.Clone(c.groups) }

// Sections returns the groups that hold topics, in group order (OtherGroup
// last), each with its topics in catalog order.
func (c *Catalog) Sections() []Section {
	by := make([][]Topic, len(c.groups))
	for i := range c.topics {
		g := c.byGroup[c.topics[i].Group] - 1
		by[g] = append(by[g], c.topic(i))
	}
	var out []Section
	for i, ts := range by {
		if len(ts) > 0 {
			out = append(out, Section{Group: c.groups[i], Topics: ts})
		}
	}
	return out
}

// Lookup resolves what a reader typed after /follow to a topic: its slug,
// or its Arabic or English name, short name, alias or follow name after
// normalisation ("SDF", "sdf", "قسد", "#قوات_سوريا_الديمقراطية"), also after
// a word such as «قوات» or «تنظيم» that only says what kind of thing the
// name is («قوات قسد», «تنظيم داعش»). It reports false otherwise, and the
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
	toks := p.Tokens()
	if i, ok := c.byKey[p.Key()]; ok {
		return c.topic(i), true
	}
	if len(toks) > 1 && kindWords[toks[0]] {
		if i, ok := c.byKey[strings.Join(toks[1:], " ")]; ok {
			return c.topic(i), true
		}
	}
	return Topic{}, false
}

// kindWords, normalised, say what kind of thing the name after them is
// without changing what it names. Readers type them; the catalog need not
// list «قوات قسد» beside «قسد».
var kindWords = map[string]bool{
	"تنظيم": true, "قوات": true, "حزب": true, "حركه": true, "مليشيا": true, "مليشيات": true,
	"مدينه": true, "بلده": true, "حي": true, "منطقه": true, "محافظه": true,
	"مخيم": true, "سجن": true, "معبر": true, "نهر": true,
	"the": true,
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
		if t.ContainsOutside(p, c.except[i]) {
			return true
		}
	}
	return false
}
