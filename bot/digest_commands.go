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

// The reader's digest: when it comes (/time), holding it back (/pause,
// /resume), getting it now (/digest), and the buttons under every digest.

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

// moveStatus is /pause and /resume: from one status to the other, with a
// clear answer from any other status.
func (b *Bot) moveStatus(ctx context.Context, c chatCtx, from, to subscribers.Status, reason, done, already string) error {
	r, ok, err := b.reader(ctx, c)
	if !ok {
		return err
	}
	switch r.Status {
	case from:
		if _, err := b.store.SetStatus(ctx, c.id, to, reason); err != nil {
			return err
		}
		b.send(ctx, c.id, done, nil)
	case to:
		b.send(ctx, c.id, already, nil)
	default:
		b.send(ctx, c.id, textsFor(c.lang).StoppedUseStart, nil)
	}
	return nil
}

func (b *Bot) pause(ctx context.Context, c chatCtx, _ string) error {
	t := textsFor(c.lang)
	return b.moveStatus(ctx, c, subscribers.Active, subscribers.Paused, "pause", t.Paused, t.AlreadyPaused)
}

func (b *Bot) resume(ctx context.Context, c chatCtx, _ string) error {
	t := textsFor(c.lang)
	return b.moveStatus(ctx, c, subscribers.Paused, subscribers.Active, "resume", t.Resumed, t.NotPaused)
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
		b.send(ctx, c.id, t.AlreadyPaused, nil)
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
		return "", b.stop(ctx, c, "")
	}
	return "", nil
}
