package bot

import (
	"context"
	"fmt"
	"html"
	"nashra/digest/arabic"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"nashra/digest/topics"
	"nashra/subscribers"
)

// /topics shows the catalog a group at a time: one page per group of the
// catalog, or several for a group too long for a phone's screen, with
// ◀️/▶️ buttons that name the page they lead to.
const (
	// maxTopicButtons bounds the topics on a page: six rows of two.
	maxTopicButtons = 12
	// maxButtonRunes bounds a topic's label; a longer name is cut with
	// "…" (no built-in short name is).
	maxButtonRunes = 24
)

// topicsPage is one page of /topics.
type topicsPage struct {
	group       topics.Group
	part, parts int // 1-based
	topics      []topics.Topic
}

// id names the page in callback data (tp:<group>:<part>): a group's slug
// stays when a topics file adds groups, where an index would not.
func (p topicsPage) id() string { return p.group.Slug + ":" + strconv.Itoa(p.part) }

// label names the page on the button that leads to it: the group, and
// which part of it for a group of several pages.
func (p topicsPage) label(lang string) string {
	name := p.group.Name(lang)
	if p.part > 1 {
		name = fmt.Sprintf("%s (%d)", name, p.part)
	}
	return name
}

// topicsPages splits the catalog's groups into pages, a long group into
// parts of equal size.
func (b *Bot) topicsPages() []topicsPage {
	var pages []topicsPage
	for _, s := range b.catalog.Sections() {
		n := len(s.Topics)
		parts := (n + maxTopicButtons - 1) / maxTopicButtons
		per := (n + parts - 1) / parts
		for i := range parts {
			pages = append(pages, topicsPage{
				group: s.Group, part: i + 1, parts: parts,
				topics: s.Topics[i*per : min((i+1)*per, n)],
			})
		}
	}
	return pages
}

// pageWith is the index of the page that lists the topic; 0 if none does.
func pageWith(pages []topicsPage, slug string) int {
	for i, p := range pages {
		for _, t := range p.topics {
			if t.Slug == slug {
				return i
			}
		}
	}
	return 0
}

// pageByID is the index of the page with the id; 0 (the first) for an id
// a changed catalog no longer has.
func pageByID(pages []topicsPage, id string) (int, bool) {
	for i, p := range pages {
		if p.id() == id {
			return i, true
		}
	}
	return 0, false
}

// topicsView is page at of /topics for a reader who follows follows: the
// group, whether the digest is limited to what they follow, and the
// buttons (✅ on what they follow).
func (b *Bot) topicsView(lang string, follows []subscribers.Follow, pages []topicsPage, at int) (string, *models.InlineKeyboardMarkup) {
	t := textsFor(lang)
	p := pages[at]
	status := t.TopicsAll
	if len(follows) > 0 {
		status = t.TopicsLimited
	}
	text := fmt.Sprintf(t.TopicsPage, html.EscapeString(p.group.Name(lang)), at+1, len(pages)) + "\n" +
		status + "\n\n" + t.TopicsIntro

	following := make(map[string]bool, len(follows))
	for _, f := range follows {
		following[f.Topic] = true
	}
	var rows [][]models.InlineKeyboardButton
	var row []models.InlineKeyboardButton
	for _, topic := range p.topics {
		label := buttonLabel(topic.ShortName(lang))
		if following[topic.Slug] {
			label = "✅ " + label
		}
		row = append(row, models.InlineKeyboardButton{Text: label, CallbackData: callbackData(cbTopic, topic.Slug)})
		if len(row) == 2 {
			rows = append(rows, row)
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if nav := pageButtons(lang, pages, at); len(nav) > 0 {
		rows = append(rows, nav)
	}
	rows = append(rows, []models.InlineKeyboardButton{{Text: t.ButtonDone, CallbackData: callbackData(cbClose, "")}})
	return text, &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// pageButtons lead to the previous and the next page, round the ends.
// Each points the way its page lies in the reader's script: in Arabic,
// read right to left, the next page is on the left (◀️) and the previous
// on the right (▶️); in English the other way round. Telegram lays out
// the row left to right in every language, and each label by its own
// first letter: an Arabic label shows its last character on the left, so
// the arrows are written where they end up on the outer edges.
func pageButtons(lang string, pages []topicsPage, at int) []models.InlineKeyboardButton {
	n := len(pages)
	if n < 2 {
		return nil
	}
	prev, next := pages[(at+n-1)%n], pages[(at+1)%n]
	button := func(p topicsPage, text string) models.InlineKeyboardButton {
		return models.InlineKeyboardButton{Text: text, CallbackData: callbackData(cbTopicPage, p.id())}
	}
	if lang == "en" {
		if n == 2 {
			return []models.InlineKeyboardButton{button(next, next.label(lang)+" ▶️")}
		}
		return []models.InlineKeyboardButton{button(prev, "◀️ "+prev.label(lang)), button(next, next.label(lang)+" ▶️")}
	}
	if n == 2 {
		return []models.InlineKeyboardButton{button(next, next.label(lang)+" ◀️")}
	}
	return []models.InlineKeyboardButton{button(next, next.label(lang)+" ◀️"), button(prev, "▶️ "+prev.label(lang))}
}

func buttonLabel(s string) string {
	if utf8.RuneCountInString(s) <= maxButtonRunes {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxButtonRunes-1])) + "…"
}

// topics answers /topics with the first page.
func (b *Bot) topics(ctx context.Context, c chatCtx, _ string) error {
	if _, err := b.ensureReader(ctx, c); err != nil {
		return err
	}
	follows, err := b.store.Follows(ctx, c.id)
	if err != nil {
		return err
	}
	text, kb := b.topicsView(c.lang, follows, b.topicsPages(), 0)
	b.send(ctx, c.id, text, kb)
	return nil
}

// turnTopicsPage shows the page a ◀️/▶️ button names.
func (b *Bot) turnTopicsPage(ctx context.Context, c chatCtx, msgID int, id string) (string, error) {
	follows, err := b.store.Follows(ctx, c.id)
	if err != nil {
		return "", err
	}
	pages := b.topicsPages()
	at, _ := pageByID(pages, id)
	b.showTopicsPage(ctx, c, msgID, follows, pages, at)
	return "", nil
}

// toggleTopic follows or unfollows the topic a button names and shows its
// page again with the change. The first follow says that the digest now
// holds only what the reader follows.
func (b *Bot) toggleTopic(ctx context.Context, c chatCtx, msgID int, slug string) (string, error) {
	t := textsFor(c.lang)
	topic, ok := b.catalog.Get(slug)
	if !ok {
		return "", nil
	}
	if _, err := b.ensureReader(ctx, c); err != nil {
		return "", err
	}
	f := subscribers.TopicFollow(slug)
	name := topic.Name(c.lang)
	removed, err := b.store.Unfollow(ctx, c.id, f.Key)
	if err != nil {
		return "", err
	}
	if !removed {
		res, err := b.store.Follow(ctx, c.id, f)
		if err != nil {
			return "", err
		}
		if res == subscribers.LimitReached {
			return fmt.Sprintf(t.FollowLimit, arabic.Plural(b.store.MaxFollows(), countsFor(c.lang).Follows), name), nil
		}
	}
	follows, err := b.store.Follows(ctx, c.id)
	if err != nil {
		return "", err
	}
	pages := b.topicsPages()
	b.showTopicsPage(ctx, c, msgID, follows, pages, pageWith(pages, slug))
	switch {
	case removed:
		return fmt.Sprintf(t.TopicsUnfollowed, name), nil
	case len(follows) == 1:
		return fmt.Sprintf(t.TopicsFirst, name), nil
	}
	return fmt.Sprintf(t.TopicsFollowed, name), nil
}

// showTopicsPage puts page at on the /topics message. When Telegram
// refuses the edit, as for a message too old to be given to the bot, the
// page comes as a new message: the reader must see the change either way.
func (b *Bot) showTopicsPage(ctx context.Context, c chatCtx, msgID int, follows []subscribers.Follow, pages []topicsPage, at int) {
	text, kb := b.topicsView(c.lang, follows, pages, at)
	b.replaceWith(ctx, c, msgID, text, kb)
}
