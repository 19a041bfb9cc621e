package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"nashra/digest"
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
	words, until, err := b.store.Offers(ctx, c.id)
	if err != nil {
		return err
	}
	offers := ""
	if len(words) > 0 {
		offers = b.describeOffers(c.lang, words, until)
	}
	b.sendLong(ctx, c.id, b.describeData(c.lang, r, lastDigest, offers), nil)
	return nil
}

// describeOffers lists the words the reader was offered to follow as
// keywords, which wait for their button until they are deleted.
func (b *Bot) describeOffers(lang string, words []string, until time.Time) string {
	slices.Sort(words)
	var sb strings.Builder
	fmt.Fprintf(&sb, dataTextsFor(lang).Offered, b.storedAt(lang, until))
	for _, w := range words {
		sb.WriteString("\n• " + html.EscapeString(w))
	}
	return sb.String()
}

// describeData lists a reader's record, every stored string escaped, and
// the words offered them (describeOffers) when there are any.
func (b *Bot) describeData(lang string, r subscribers.Reader, lastDigest time.Time, offers string) string {
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
		line(t.StatusReason, reasonWords(t, r.Status, r.StatusReason))
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
	source, ok := t.Sources[r.Source]
	if !ok {
		source = fmt.Sprintf(t.SourceLink, html.EscapeString(r.Source))
	}
	line(t.Source, source)
	if r.ChatType != "" {
		kind, ok := t.ChatTypes[r.ChatType]
		if !ok {
			kind = html.EscapeString(r.ChatType)
		}
		line(t.ChatType, kind)
	}
	line(t.Joined, b.storedAt(lang, r.JoinedAt))
	line(t.Updated, b.storedAt(lang, r.UpdatedAt))
	line(t.LastDigest, b.storedAt(lang, lastDigest))
	if r.Cursor > 0 {
		line(t.Cursor, strconv.FormatInt(r.Cursor, 10))
	} else {
		line(t.Cursor, t.Never) // nothing sent yet
	}
	if len(r.Follows) == 0 {
		line(t.Follows, t.NoFollows)
	} else {
		sb.WriteString(t.Follows + ":\n")
		for _, f := range r.Follows {
			sb.WriteString("• " + b.followLabel(lang, f) + "\n")
		}
	}
	if offers != "" {
		sb.WriteString(offers + "\n")
	}
	sb.WriteString("\n" + t.Footer)
	return sb.String()
}

// storedAt says a stored moment with its year, in the service's zone:
// «الأحد 30 تشرين الثاني 2026 الساعة 9:14 صباحاً بتوقيت دمشق».
func (b *Bot) storedAt(lang string, at time.Time) string {
	d := dataTextsFor(lang)
	if at.IsZero() {
		return d.Never
	}
	t := textsFor(lang)
	at = at.In(b.opt.Location)
	return fmt.Sprintf(d.When, digest.DayWords(lang, at), at.Year(), clockWords(t, at.Hour(), at.Minute()), zoneWords(t, b.opt.Location, at))
}

// reasonWords says why a reader's status last changed. The service's own
// reasons have words; a blocked chat's other reasons are Telegram's
// refusals; anything else (an imported record's) is shown as stored.
func reasonWords(t dataTexts, st subscribers.Status, reason string) string {
	switch {
	case t.Reasons[reason] != "":
		return t.Reasons[reason]
	case strings.HasPrefix(reason, "migrated to ") || strings.HasPrefix(reason, "migrated from "):
		return t.ReasonMoved
	case st == subscribers.Blocked:
		return t.ReasonRefused
	}
	return fmt.Sprintf(t.ReasonOther, html.EscapeString(reason))
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
