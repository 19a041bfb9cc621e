package bot

import (
	"context"
	"errors"
	"nashra/schedule"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bidi"
	"nashra/bot/tgerr"
	"nashra/subscribers"
)

// maxReplyWait bounds how long a reply waits out a 429 before giving up;
// a reader waiting longer than this has moved on.
const maxReplyWait = 30 * time.Second

// send delivers a reply, laid out so each line reads in the message's
// direction (bidi.Message). Replies take their turns from the limiter shared
// with the sender, ahead of digests and broadcasts (TakeGlobalFirst), and
// honour every pause the sender honours. A 429 holds the reader's chat for
// retry_after (the reply already had its slot of the overall rate, so the
// limit it met is the chat's) and is retried, in the chat's own goroutine:
// no other reader waits for it. A chat that blocked the bot or is gone
// marks the reader blocked.
func (b *Bot) send(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) {
	b.sendLaidOut(ctx, chatID, bidi.Message(text), markup)
}

// sendLaidOut is send for text already laid out.
func (b *Bot) sendLaidOut(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) {
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
		if !b.waitTurn(ctx, chatID) {
			return false
		}
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
			if b.lim != nil {
				if err := b.lim.HoldChat(ctx, chatID, wait); err == nil {
					continue // waitTurn waits the hold out
				}
			}
			if schedule.Wait(ctx, wait) != nil {
				return false
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

// waitTurn waits for the shared pause, the chat's turn and a priority slot
// of the overall rate. If Redis cannot say, the reply goes anyway: a
// reader left unanswered is worse than a rare 429.
func (b *Bot) waitTurn(ctx context.Context, chatID int64) bool {
	if b.lim == nil {
		return true
	}
	steps := []func(context.Context) (time.Duration, error){
		b.lim.PauseLeft,
		func(ctx context.Context) (time.Duration, error) { return b.lim.TakeChat(ctx, chatID) },
		b.lim.PauseLeft,
		b.lim.TakeGlobalFirst,
	}
	for _, step := range steps {
		for {
			d, err := step(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return false
				}
				b.log.Warn("reply rate limit", "chat_id", chatID, "err", err)
				break
			}
			if d <= 0 {
				break
			}
			if d > maxReplyWait {
				b.log.Warn("reply dropped: rate limited for too long", "chat_id", chatID, "wait", d)
				return false
			}
			if schedule.Wait(ctx, d) != nil {
				return false
			}
		}
	}
	return true
}

func (b *Bot) markBlocked(ctx context.Context, chatID int64, cause error) {
	reason := tgerr.Description(cause)
	if _, err := b.store.SetStatus(ctx, chatID, subscribers.Blocked, reason); err != nil && !errors.Is(err, subscribers.ErrNotFound) {
		b.log.Warn("mark reader blocked", "chat_id", chatID, "err", err)
		return
	}
	b.log.Info("reader blocked", "chat_id", chatID, "reason", reason)
}
