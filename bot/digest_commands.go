package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/go-telegram/bot/models"

	"nashra/digest"
	"nashra/subscribers"
)

// The reader's digest: when it comes (/time), getting it now (/digest),
// and the buttons under every digest. Holding it back (/pause, /resume)
// and unsubscribing from under it are in exits.go.

// reader loads the chat's reader; a chat that never sent /start is told
// to, and gets ok false.
func (b *Bot) reader(ctx context.Context, c chatCtx) (r subscribers.Reader, ok bool, err error) {
	r, err = b.store.Get(ctx, c.id)
	if errors.Is(err, subscribers.ErrNotFound) {
		b.send(ctx, c.id, textsFor(c.lang).StartFirst, nil)
		return r, false, nil
	}
	return r, err == nil, err
}

// digestNow is /digest: what is new for the reader, now, through the
// same queue and cursor as scheduled digests (so nothing comes twice).
func (b *Bot) digestNow(ctx context.Context, c chatCtx, _ string) error {
	t := textsFor(c.lang)
	r, ok, err := b.reader(ctx, c)
	if !ok {
		return err
	}
	if r.Status == subscribers.Paused {
		b.send(ctx, c.id, fmt.Sprintf(t.AlreadyPaused, b.howLong(c.lang, r.PausedUntil)), resumeKeyboard(c.lang))
		return nil
	}
	if r.Status != subscribers.Active {
		b.send(ctx, c.id, t.StoppedUseStart, nil)
		return nil
	}
	if b.opt.Digests == nil {
		b.send(ctx, c.id, t.NothingNew, nil)
		return nil
	}
	d, err := b.opt.Digests.ForReader(ctx, c.id)
	if err != nil {
		return err
	}
	if d == nil {
		b.send(ctx, c.id, t.NothingNew, nil)
	}
	return nil
}

// describeSchedule says a stored schedule in the reader's language.
func (b *Bot) describeSchedule(lang, spec string) string {
	t := textsFor(lang)
	switch spec {
	case subscribers.Instant:
		return t.TimeInstant
	case "":
		return fmt.Sprintf(t.TimeDefault, b.describeSchedule(lang, b.opt.DefaultSchedule))
	}
	var m, h int
	var dom, mon, dow string
	if n, _ := fmt.Sscanf(spec, "%d %d %s %s %s", &m, &h, &dom, &mon, &dow); n == 5 && dom == "*" && mon == "*" && dow == "*" {
		return b.dailyWords(t, h, m)
	}
	return spec
}

func timeKeyboard(lang string) *models.InlineKeyboardMarkup {
	t := textsFor(lang)
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: t.ButtonMorning, CallbackData: callbackData(cbTime, "07:00")}, {Text: t.ButtonEvening, CallbackData: callbackData(cbTime, "19:00")}},
		{{Text: t.ButtonInstant, CallbackData: callbackData(cbTime, "instant")}, {Text: t.ButtonDefault, CallbackData: callbackData(cbTime, "default")}},
	}}
}

func (b *Bot) time(ctx context.Context, c chatCtx, args string) error {
	if _, err := b.ensureReader(ctx, c); err != nil {
		return err
	}
	if strings.TrimSpace(args) == "" {
		r, err := b.store.Get(ctx, c.id)
		if err != nil {
			return err
		}
		b.send(ctx, c.id, fmt.Sprintf(textsFor(c.lang).TimeUsage, html.EscapeString(b.describeSchedule(c.lang, r.Schedule))), timeKeyboard(c.lang))
		return nil
	}
	return b.setTime(ctx, c, args)
}

func (b *Bot) setTime(ctx context.Context, c chatCtx, arg string) error {
	t := textsFor(c.lang)
	spec, ok := parseTime(arg)
	if !ok {
		b.send(ctx, c.id, fmt.Sprintf(t.TimeInvalid, html.EscapeString(truncate(arg, 20))), timeKeyboard(c.lang))
		return nil
	}
	if err := b.store.SetSchedule(ctx, c.id, spec); err != nil {
		return err
	}
	b.send(ctx, c.id, fmt.Sprintf(t.TimeSet, html.EscapeString(b.describeSchedule(c.lang, spec))), nil)
	return nil
}

// timeButton sets the digest time a /time button names.
func (b *Bot) timeButton(ctx context.Context, c chatCtx, _ int, arg string) (string, error) {
	return "", b.setTime(ctx, c, arg)
}

// onDigestButton handles the buttons under every digest.
func (b *Bot) onDigestButton(ctx context.Context, c chatCtx, _ int, arg string) (string, error) {
	switch callbackData(digest.ButtonKind, arg) {
	case digest.ButtonTopics:
		return "", b.topics(ctx, c, "")
	case digest.ButtonPause:
		return "", b.pause(ctx, c, "")
	case digest.ButtonStop:
		return "", b.askStop(ctx, c)
	}
	return "", nil
}
