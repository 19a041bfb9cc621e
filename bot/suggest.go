package bot

import (
	"context"
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"nashra/digest/arabic"
	"nashra/digest/topics"
	"nashra/subscribers"
)

// Plain text in a private chat is taken as the name of something to
// follow. Text that names a topic, by any name /follow accepts («قسد»,
// «تنظيم داعش»), gets a button that follows it («تابع قسد»); other words
// get the topics nearest to them as buttons, and a button that follows
// them as a keyword. The keyword's words wait in the reader's offers
// (subscribers.OfferKeyword) under a short token, since callback data
// holds 64 bytes. Several names, on lines or between commas, are answered
// each in turn. What /follow refuses (too long, markup, too many at once)
// is refused in the same words.

// nearestOffered is how many near topics plain text is offered.
const nearestOffered = 3

// The arguments of cbFollow buttons: a topic's slug or an offer's token
// after these.
const (
	followTopicArg   = "t:"
	followKeywordArg = "k:"
)

// followVerbs, normalised, open a text that asks to follow what comes
// after them: «تابع قسد», "follow SDF".
var followVerbs = map[string]bool{"تابع": true, "اتابع": true, "متابعه": true, "follow": true}

// plainItem is what one name in plain text asks to follow: without the
// sentence's final marks and a leading «تابع».
func plainItem(s string) string {
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), "?!.؟…"))
	if first, rest, ok := strings.Cut(s, " "); ok && followVerbs[arabic.Normalize(first)] && strings.TrimSpace(rest) != "" {
		s = strings.TrimSpace(rest)
	}
	return s
}

// plainTime reads plain text that is a time of day as /time does («7
// مساءً», "7pm», «السابعة»): the reader most likely means the digest's
// time. Words alone that /time also reads (instant, default) are left to
// be followed.
func plainTime(s string) (h, m int, ok bool) {
	if utf8.RuneCountInString(s) > maxTimeInput {
		return 0, 0, false
	}
	return readClock(s)
}

// hasWord reports whether s holds a letter or a digit.
func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// suggest answers plain text in a private chat.
func (b *Bot) suggest(ctx context.Context, c chatCtx, text string) error {
	t := textsFor(c.lang)
	if !hasWord(text) {
		b.send(ctx, c.id, t.NotACommand, nil)
		return nil
	}
	items := splitItems(text)
	if len(items) > maxItemsPerCommand {
		b.send(ctx, c.id, fmt.Sprintf(t.TooManyAtOnce, arabic.Plural(maxItemsPerCommand, countsFor(c.lang).Topics)), nil)
		return nil
	}
	follows, err := b.store.Follows(ctx, c.id)
	if err != nil {
		return err
	}
	following := make(map[string]bool, len(follows))
	for _, f := range follows {
		following[f.Key] = true
	}
	var paras []string
	var rows [][]models.InlineKeyboardButton
	offered := map[string]bool{}
	offerTopic := func(tp topics.Topic) bool {
		key := subscribers.TopicFollow(tp.Slug).Key
		if following[key] || offered[key] {
			return false
		}
		offered[key] = true
		rows = append(rows, []models.InlineKeyboardButton{followTopicButton(c.lang, tp)})
		return true
	}
	for _, raw := range items {
		raw = plainItem(raw)
		if h, m, ok := plainTime(raw); ok {
			clock := clockWords(t, h, m)
			rows = append(rows, []models.InlineKeyboardButton{{
				Text:         fmt.Sprintf(t.ButtonDigestAt, clock),
				CallbackData: callbackData(cbTime, fmt.Sprintf("%02d:%02d", h, m)),
			}})
			paras = append(paras, fmt.Sprintf(t.SuggestTime, html.EscapeString(raw), clock))
			continue
		}
		w := b.resolve(c.lang, raw)
		switch {
		case w.err != "":
			paras = append(paras, w.err)
		case following[w.follow.Key]:
			paras = append(paras, fmt.Sprintf(t.AlreadyFollowing, w.label))
		case w.follow.Topic != "":
			tp, _ := b.catalog.Get(w.follow.Topic)
			offerTopic(tp)
			paras = append(paras, fmt.Sprintf(t.SuggestTopic, w.label))
		default:
			near := 0
			for _, tp := range b.catalog.Nearest(w.follow.Keyword, nearestOffered) {
				if offerTopic(tp) {
					near++
				}
			}
			token, err := b.store.OfferKeyword(ctx, c.id, w.follow)
			if err != nil {
				return err
			}
			if !offered[w.follow.Key] {
				offered[w.follow.Key] = true
				rows = append(rows, []models.InlineKeyboardButton{followKeywordButton(c.lang, w.follow.Keyword, token)})
			}
			// The label of a keyword is its words as typed, escaped.
			if near > 0 {
				paras = append(paras, fmt.Sprintf(t.SuggestNear, w.label, w.label))
			} else {
				paras = append(paras, fmt.Sprintf(t.SuggestNone, w.label, w.label))
			}
		}
	}
	var kb models.ReplyMarkup
	if len(rows) > 0 {
		kb = &models.InlineKeyboardMarkup{InlineKeyboard: rows}
	}
	b.sendLong(ctx, c.id, strings.Join(paras, "\n\n"), kb)
	return nil
}

// followTopicButton follows a topic: «تابع قسد».
func followTopicButton(lang string, tp topics.Topic) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{
		Text:         fmt.Sprintf(textsFor(lang).ButtonFollowTopic, tp.ShortName(lang)),
		CallbackData: callbackData(cbFollow, followTopicArg+tp.Slug),
	}
}

// followKeywordButton follows the words offered under token as a keyword;
// the label shows them, cut if long.
func followKeywordButton(lang, words, token string) models.InlineKeyboardButton {
	return models.InlineKeyboardButton{
		Text:         fmt.Sprintf(textsFor(lang).ButtonFollowKeyword, buttonLabel(words)),
		CallbackData: callbackData(cbFollow, followKeywordArg+token),
	}
}

// onFollowButton follows what a button under plain text offered, and says
// so as /follow does. A keyword's offer that has lapsed is told.
func (b *Bot) onFollowButton(ctx context.Context, c chatCtx, _ int, arg string) (string, error) {
	var w wanted
	switch {
	case strings.HasPrefix(arg, followTopicArg):
		tp, ok := b.catalog.Get(strings.TrimPrefix(arg, followTopicArg))
		if !ok {
			return "", nil
		}
		w = wanted{follow: subscribers.TopicFollow(tp.Slug), label: html.EscapeString(tp.Name(c.lang))}
	case strings.HasPrefix(arg, followKeywordArg):
		words, ok, err := b.store.Offered(ctx, c.id, strings.TrimPrefix(arg, followKeywordArg))
		if err != nil {
			return "", err
		}
		if !ok {
			b.send(ctx, c.id, textsFor(c.lang).OfferLapsed, nil)
			return "", nil
		}
		// Read again: a catalog changed since may have a topic of that name.
		w = b.resolve(c.lang, words)
	default:
		return "", nil
	}
	reply, err := b.followAll(ctx, c, []wanted{w})
	if err != nil {
		return "", err
	}
	b.send(ctx, c.id, reply, nil)
	return "", nil
}
