package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"nashra/subscribers"
)

// /mydata shows a reader everything stored about their chat; /forget
// deletes it after a confirmation ("fg:yes" / "fg:no" buttons).

// myData answers /mydata.
func (b *Bot) myData(ctx context.Context, c chatCtx, _ string) error {
	t := dataTextsFor(c.lang)
	r, err := b.store.Get(ctx, c.id)
	if errors.Is(err, subscribers.ErrNotFound) {
		b.send(ctx, c.id, t.Nothing, nil)
		return nil
	}
	if err != nil {
		return err
	}
	var lastDigest time.Time
	if st, err := b.store.DigestStates(ctx, []int64{c.id}); err == nil && len(st) == 1 && st[0].LastDigestAt > 0 {
		lastDigest = time.Unix(st[0].LastDigestAt, 0)
	}
	b.sendLong(ctx, c.id, b.describeData(c.lang, r, lastDigest), nil)
	return nil
}

// describeData lists a reader's record, every stored string escaped.
func (b *Bot) describeData(lang string, r subscribers.Reader, lastDigest time.Time) string {
	t := dataTextsFor(lang)
	var sb strings.Builder
	sb.WriteString(t.Title)
	sb.WriteString("\n\n")
	line := func(label, value string) {
		fmt.Fprintf(&sb, "%s: %s\n", label, value)
	}
	line(t.ChatID, "<code>"+strconv.FormatInt(r.ChatID, 10)+"</code>")
	status := t.Statuses[string(r.Status)]
	if status == "" {
		status = html.EscapeString(string(r.Status))
	}
	if !r.PausedUntil.IsZero() {
		status += " " + fmt.Sprintf(t.PausedUntil, b.momentWords(lang, r.PausedUntil))
	}
	line(t.Status, status)
	if r.StatusReason != "" {
		line(t.StatusReason, html.EscapeString(r.StatusReason))
	}
	switch r.Lang {
	case "en":
		line(t.Lang, "English")
	default:
		line(t.Lang, "العربية")
	}
	sched := b.describeSchedule(lang, r.Schedule)
	if sched == r.Schedule {
		sched = html.EscapeString(sched)
	}
	line(t.Schedule, sched)
	if r.Breaking {
		line(t.Breaking, t.BreakingOn)
	} else {
		line(t.Breaking, t.BreakingOff)
	}
	line(t.Source, html.EscapeString(r.Source))
	if r.ChatType != "" {
		line(t.ChatType, html.EscapeString(r.ChatType))
	}
	line(t.Joined, b.formatDate(r.JoinedAt, t.Never))
	line(t.Updated, b.formatDate(r.UpdatedAt, t.Never))
	line(t.LastDigest, b.formatDate(lastDigest, t.Never))
	line(t.Cursor, strconv.FormatInt(r.Cursor, 10))
	if len(r.Follows) == 0 {
		line(t.Follows, t.NoFollows)
	} else {
		sb.WriteString(t.Follows + ":\n")
		for _, f := range r.Follows {
			sb.WriteString("• " + b.followLabel(lang, f) + "\n")
		}
	}
	sb.WriteString("\n" + t.Footer)
	return sb.String()
}

func (b *Bot) formatDate(at time.Time, never string) string {
	if at.IsZero() {
		return never
	}
	return at.In(b.opt.Location).Format("2006-01-02 15:04")
}

// forget answers /forget: nothing is deleted until the reader confirms.
func (b *Bot) forget(ctx context.Context, c chatCtx, _ string) error {
	t := dataTextsFor(c.lang)
	if _, err := b.store.Get(ctx, c.id); errors.Is(err, subscribers.ErrNotFound) {
		b.send(ctx, c.id, t.Nothing, nil)
		return nil
	} else if err != nil {
		return err
	}
	b.send(ctx, c.id, t.ForgetAsk, forgetKeyboard(c.lang))
	return nil
}

func forgetKeyboard(lang string) *models.InlineKeyboardMarkup {
	t := dataTextsFor(lang)
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: t.ButtonYes, CallbackData: callbackData(cbForget, "yes")},
		{Text: t.ButtonNo, CallbackData: callbackData(cbForget, "no")},
	}}}
}

// onForgetButton handles "fg:<action>" buttons: "yes" deletes everything
// stored about the chat, "no" keeps it. Either way the question is
// replaced by the outcome, so the buttons cannot be pressed twice.
func (b *Bot) onForgetButton(ctx context.Context, c chatCtx, msgID int, arg string) (string, error) {
	t := dataTextsFor(c.lang)
	var text, toast string
	switch arg {
	case "yes":
		if err := b.store.Forget(ctx, c.id); err != nil {
			return "", err
		}
		// No chat ID: the log should not remember whom it forgot.
		b.log.Info("reader data deleted on request")
		text, toast = t.Forgotten, t.ToastForgotten
	case "no":
		text, toast = t.ForgetCancelled, t.ToastCancelled
	default:
		return "", nil
	}
	b.replaceText(ctx, c, msgID, text)
	return toast, nil
}
