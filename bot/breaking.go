package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"nashra/digest/arabic"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/tgerr"
	"nashra/digest"
	"nashra/subscribers"
)

// Breaking news: /breaking on|off, and the buttons that do the same under
// the /breaking reply (brk:on, brk:off) and under an alert (brk:mute,
// brk:unmute; digest renders those). The alerts themselves are sent by
// digest.Alerts.

// The arguments of the /breaking buttons.
const (
	breakingArgOn  = "on"
	breakingArgOff = "off"
)

// breakingWords are what a reader may write after /breaking.
var breakingWords = map[string]bool{
	"on": true, "yes": true, "تفعيل": true, "تشغيل": true, "نعم": true, "فعل": true, "فعّل": true,
	"off": false, "no": false, "stop": false, "إيقاف": false, "ايقاف": false, "أوقف": false, "اوقف": false, "لا": false,
}

// breaking answers /breaking: with on or off it sets the opt-in; without,
// it says what breaking news is and whether the reader has it, with a
// button that switches it.
func (b *Bot) breaking(ctx context.Context, c chatCtx, args string) error {
	t := textsFor(c.lang)
	if b.opt.BreakingCap <= 0 {
		b.send(ctx, c.id, t.BreakingNone, nil)
		return nil
	}
	status, err := b.ensureReader(ctx, c)
	if err != nil {
		return err
	}
	on, given := breakingWords[strings.ToLower(strings.TrimSpace(args))]
	if !given {
		r, err := b.store.Get(ctx, c.id)
		if err != nil {
			return err
		}
		text, kb := b.breakingView(c.lang, r.Breaking)
		b.send(ctx, c.id, text, kb)
		return nil
	}
	if err := b.store.SetBreaking(ctx, c.id, on); err != nil {
		return err
	}
	msg := t.BreakingOff
	if on {
		msg = fmt.Sprintf(t.BreakingOn, arabic.Plural(b.opt.BreakingCap, countsFor(c.lang).Stories))
		if status == subscribers.Stopped || status == subscribers.Blocked {
			msg += "\n" + t.StoppedNote
		}
	}
	b.send(ctx, c.id, msg, nil)
	return nil
}

// breakingView is the /breaking reply for a reader whose opt-in is on.
func (b *Bot) breakingView(lang string, on bool) (string, *models.InlineKeyboardMarkup) {
	t := textsFor(lang)
	state, label, arg := t.BreakingIsOff, t.ButtonBreakingOn, breakingArgOn
	if on {
		state, label, arg = t.BreakingIsOn, t.ButtonBreakingOff, breakingArgOff
	}
	return fmt.Sprintf(t.BreakingAbout, arabic.Plural(b.opt.BreakingCap, countsFor(lang).Stories), state), &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: label, CallbackData: callbackData(digest.AlertButtonKind, arg)}},
	}}
}

// alertKeyboard is the keyboard under an alert once the opt-in is on (or
// off): the one digest renders.
func alertKeyboard(lang string, on bool) (*models.InlineKeyboardMarkup, error) {
	var kb models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(digest.AlertButtons(lang, on)), &kb); err != nil {
		return nil, fmt.Errorf("alert buttons: %w", err)
	}
	return &kb, nil
}

// breakingButton handles the brk:… buttons. Under the /breaking reply the
// message is rewritten to the new state; under an alert only its button
// changes, the news stays.
func (b *Bot) breakingButton(ctx context.Context, c chatCtx, msgID int, arg string) (string, error) {
	t := textsFor(c.lang)
	var on, underAlert bool
	switch callbackData(digest.AlertButtonKind, arg) {
	case callbackData(digest.AlertButtonKind, breakingArgOn):
		on = true
	case callbackData(digest.AlertButtonKind, breakingArgOff):
	case digest.AlertButtonUnmute:
		on, underAlert = true, true
	case digest.AlertButtonMute:
		underAlert = true
	default:
		return "", nil
	}
	if b.opt.BreakingCap <= 0 {
		return t.BreakingNone, nil
	}
	if _, err := b.ensureReader(ctx, c); err != nil {
		return "", err
	}
	if err := b.store.SetBreaking(ctx, c.id, on); err != nil {
		return "", err
	}
	toast := t.ToastBreakingOff
	if on {
		toast = t.ToastBreakingOn
	}
	if underAlert {
		kb, err := alertKeyboard(c.lang, on)
		if err != nil {
			return "", err
		}
		b.call(ctx, c.id, "editMessageReplyMarkup", func() error {
			_, err := b.api.EditMessageReplyMarkup(ctx, &tg.EditMessageReplyMarkupParams{ChatID: c.id, MessageID: msgID, ReplyMarkup: kb})
			if tgerr.NotModified(err) {
				return nil
			}
			return err
		})
		return toast, nil
	}
	text, kb := b.breakingView(c.lang, on)
	b.replaceWith(ctx, c, msgID, text, kb)
	return toast, nil
}
