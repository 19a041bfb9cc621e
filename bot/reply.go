package bot

import (
	"context"
	"errors"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/tgerr"
	"nashra/subscribers"
)

// maxReplyWait bounds how long a reply waits out a 429 before giving up;
// a reader waiting longer than this has moved on.
const maxReplyWait = 30 * time.Second

// send delivers a reply. A 429 is waited out and retried; a chat that
// blocked the bot or is gone marks the reader blocked.
func (b *Bot) send(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) {
	params := &tg.SendMessageParams{
		ChatID:             chatID,
		Text:               text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
		ReplyMarkup:        markup,
	}
	b.call(ctx, chatID, "sendMessage", func() error {
		_, err := b.api.SendMessage(ctx, params)
		return err
	})
}

// call runs one Bot API call with the reply policy described at send.
func (b *Bot) call(ctx context.Context, chatID int64, method string, do func() error) bool {
	for attempt := 1; ; attempt++ {
		err := do()
		if err == nil {
			return true
		}
		class := tgerr.Classify(err, nil)
		switch {
		case class == tgerr.Throttled && attempt < 3:
			wait := tgerr.RetryAfter(err)
			if wait > maxReplyWait {
				b.log.Warn("reply dropped: rate limited for too long", "chat_id", chatID, "method", method, "retry_after", wait)
				return false
			}
			select {
			case <-ctx.Done():
				return false
			case <-time.After(wait):
			}
			continue
		case class == tgerr.Blocked || class == tgerr.Gone:
			b.markBlocked(ctx, chatID, err)
			return false
		default:
			b.log.Warn("telegram call failed", "chat_id", chatID, "method", method, "err", err)
			return false
		}
	}
}

func (b *Bot) markBlocked(ctx context.Context, chatID int64, cause error) {
	reason := tgerr.Description(cause)
	if _, err := b.store.SetStatus(ctx, chatID, subscribers.Blocked, reason); err != nil && !errors.Is(err, subscribers.ErrNotFound) {
		b.log.Warn("mark reader blocked", "chat_id", chatID, "err", err)
		return
	}
	b.log.Info("reader blocked", "chat_id", chatID, "reason", reason)
}
