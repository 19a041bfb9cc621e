package bot

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bidi"
	"nashra/bot/tgerr"
	"nashra/subscribers"
)

// followID fits a follow key into callback data; long keywords are hashed.
func followID(key string) string {
	if len(key) <= 60 {
		return key
	}
	sum := sha1.Sum([]byte(key))
	return "h:" + hex.EncodeToString(sum[:8])
}

func (b *Bot) unfollowKeyboard(lang string, follows []subscribers.Follow) *models.InlineKeyboardMarkup {
	var rows [][]models.InlineKeyboardButton
	for _, f := range follows {
		label := f.Keyword
		if f.Topic != "" {
			label = f.Topic
			if topic, ok := b.catalog.Get(f.Topic); ok {
				label = topic.Name(lang)
			}
		}
		rows = append(rows, []models.InlineKeyboardButton{{Text: "❎ " + label, CallbackData: callbackData(cbUnfollow, followID(f.Key))}})
	}
	rows = append(rows, []models.InlineKeyboardButton{{Text: textsFor(lang).ButtonDone, CallbackData: callbackData(cbClose, "")}})
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func langKeyboard() *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: "العربية", CallbackData: callbackData(cbLang, "ar")},
		{Text: "English", CallbackData: callbackData(cbLang, "en")},
	}}}
}

// langButton sets the language a /lang button names.
func (b *Bot) langButton(ctx context.Context, c chatCtx, _ int, lang string) (string, error) {
	if lang != "ar" && lang != "en" {
		return "", nil
	}
	return "", b.setLang(ctx, c, lang)
}

// callbackChat is the chat and message a button was pressed on. For a
// message it no longer gives the bot (older than about 48 hours) Telegram
// sends an InaccessibleMessage: only the chat and the message id, date 0.
// The chat is still right and the button must still work. ok is false for
// a button on an inline message, which belongs to no chat.
func callbackChat(q *models.CallbackQuery) (chat models.Chat, msgID int, ok bool) {
	switch {
	case q.Message.Message != nil:
		return q.Message.Message.Chat, q.Message.Message.ID, true
	case q.Message.InaccessibleMessage != nil:
		return q.Message.InaccessibleMessage.Chat, q.Message.InaccessibleMessage.MessageID, true
	}
	return models.Chat{}, 0, false
}

// replaceText turns a message the bot sent into text (a question into its
// outcome). When Telegram refuses the edit, as for a message too old to be
// given to the bot, the text comes as a new message: the reader must learn
// the outcome either way.
func (b *Bot) replaceText(ctx context.Context, c chatCtx, msgID int, text string) {
	b.replaceWith(ctx, c, msgID, text, nil)
}

// replaceWith is replaceText with new buttons under the outcome (an undo,
// a resume); nil leaves none.
func (b *Bot) replaceWith(ctx context.Context, c chatCtx, msgID int, text string, kb *models.InlineKeyboardMarkup) {
	params := &tg.EditMessageTextParams{ChatID: c.id, MessageID: msgID, Text: bidi.Message(text), ParseMode: models.ParseModeHTML}
	var markup models.ReplyMarkup
	if kb != nil {
		params.ReplyMarkup, markup = kb, kb
	}
	edited := b.call(ctx, c.id, "editMessageText", func() error {
		_, err := b.api.EditMessageText(ctx, params)
		if tgerr.NotModified(err) {
			return nil // already shows it: a second tap, or a retried update
		}
		return err
	})
	if !edited {
		b.send(ctx, c.id, text, markup)
	}
}

func (b *Bot) answer(ctx context.Context, q *models.CallbackQuery, text string) {
	if _, err := b.api.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: bidi.Plain(text)}); err != nil {
		b.log.Debug("answer callback", "err", err)
	}
}

func (b *Bot) unfollowButton(ctx context.Context, c chatCtx, msgID int, id string) (string, error) {
	follows, err := b.store.Follows(ctx, c.id)
	if err != nil {
		return "", err
	}
	for _, f := range follows {
		if followID(f.Key) != id {
			continue
		}
		if _, err := b.store.Unfollow(ctx, c.id, f.Key); err != nil {
			return "", err
		}
		label := f.Keyword
		if topic, ok := b.catalog.Get(f.Topic); ok {
			label = topic.Name(c.lang)
		}
		toast := fmt.Sprintf(textsFor(c.lang).TopicsUnfollowed, label)
		return toast, b.refreshKeyboard(ctx, c, msgID, func(fs []subscribers.Follow) *models.InlineKeyboardMarkup {
			return b.unfollowKeyboard(c.lang, fs)
		})
	}
	return "", nil
}

func (b *Bot) refreshKeyboard(ctx context.Context, c chatCtx, msgID int, build func([]subscribers.Follow) *models.InlineKeyboardMarkup) error {
	follows, err := b.store.Follows(ctx, c.id)
	if err != nil {
		return err
	}
	kb := build(follows)
	b.call(ctx, c.id, "editMessageReplyMarkup", func() error {
		_, err := b.api.EditMessageReplyMarkup(ctx, &tg.EditMessageReplyMarkupParams{ChatID: c.id, MessageID: msgID, ReplyMarkup: kb})
		if tgerr.NotModified(err) {
			return nil
		}
		return err
	})
	return nil
}
