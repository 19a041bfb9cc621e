package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"nashra/subscribers"
)

// Safe exits. Unsubscribing from under a digest asks first, and the
// outcome carries an undo button that puts the reader back where they
// stood; a stop never touches follows or the schedule, so undoing it only
// restores the status (and the end of a pause). Pausing asks how long: a
// day, a week, or until the reader resumes; every reply to a paused reader
// carries a Resume button. The digest builder lifts a pause whose end has
// come and tells the reader (digest.Builder's endPauses).

const (
	pauseDay  = 24 * time.Hour
	pauseWeek = 7 * 24 * time.Hour
)

// The arguments of cbPause and cbStop buttons.
const (
	pauseForDay  = "day"
	pauseForWeek = "week"
	pauseNoEnd   = "open"
	pauseResume  = "resume"
	stopYes      = "yes"
	stopNo       = "no"
	stopUndo     = "undo" // undo:<chat>:<status>[:<paused until, unix s>]
)

// pauseKeyboard offers the lengths of a pause; a paused reader also gets
// the Resume button.
func pauseKeyboard(lang string, paused bool) *models.InlineKeyboardMarkup {
	t := textsFor(lang)
	rows := [][]models.InlineKeyboardButton{{
		{Text: t.ButtonPauseDay, CallbackData: callbackData(cbPause, pauseForDay)},
		{Text: t.ButtonPauseWeek, CallbackData: callbackData(cbPause, pauseForWeek)},
		{Text: t.ButtonPauseOpen, CallbackData: callbackData(cbPause, pauseNoEnd)},
	}}
	if paused {
		rows = append(rows, resumeKeyboard(lang).InlineKeyboard...)
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// resumeKeyboard is the Resume button under a paused reader's replies.
func resumeKeyboard(lang string) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: textsFor(lang).ButtonResume, CallbackData: callbackData(cbPause, pauseResume)},
	}}}
}

// stopKeyboard confirms or cancels unsubscribing.
func stopKeyboard(lang string) *models.InlineKeyboardMarkup {
	t := textsFor(lang)
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: t.ButtonStopYes, CallbackData: callbackData(cbStop, stopYes)},
		{Text: t.ButtonStopNo, CallbackData: callbackData(cbStop, stopNo)},
	}}}
}

// undoKeyboard undoes a stop: its data names the chat and where the
// reader stood, so it needs nothing stored and works only in that chat.
// At most 40 bytes: so:undo:-100xxxxxxxxxx:paused:<10 digits>.
func undoKeyboard(lang string, chat int64, before subscribers.Standing) *models.InlineKeyboardMarkup {
	arg := stopUndo + ":" + strconv.FormatInt(chat, 10) + ":" + string(before.Status)
	if !before.PausedUntil.IsZero() {
		arg += ":" + strconv.FormatInt(before.PausedUntil.Unix(), 10)
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: textsFor(lang).ButtonUndo, CallbackData: callbackData(cbStop, arg)},
	}}}
}

// parseUndo reads the data after "undo:". Only an active or paused reader
// is restored: a forged undo can make a chat no more than what it could
// make itself with /start and /pause.
func parseUndo(arg string) (chat int64, before subscribers.Standing, ok bool) {
	parts := strings.Split(arg, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, before, false
	}
	chat, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || chat == 0 {
		return 0, before, false
	}
	before.Status = subscribers.Status(parts[1])
	switch {
	case before.Status == subscribers.Active && len(parts) == 2:
	case before.Status == subscribers.Paused && len(parts) == 2:
	case before.Status == subscribers.Paused:
		until, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil || until <= 0 {
			return 0, before, false
		}
		before.PausedUntil = time.Unix(until, 0).UTC()
	default:
		return 0, before, false
	}
	return chat, before, true
}

// howLong says how long a pause lasts: until its end, in words, or until
// the reader resumes.
func (b *Bot) howLong(lang string, until time.Time) string {
	t := textsFor(lang)
	if until.IsZero() {
		return t.PausedNoEnd
	}
	return fmt.Sprintf(t.PausedUntil, b.momentWords(lang, until))
}

// pause is /pause and the pause button under a digest: it asks how long.
// A reader already paused is told until when, and may choose again or
// resume.
func (b *Bot) pause(ctx context.Context, c chatCtx, _ string) error {
	t := textsFor(c.lang)
	r, ok, err := b.reader(ctx, c)
	if !ok {
		return err
	}
	switch r.Status {
	case subscribers.Active:
		b.send(ctx, c.id, t.PauseAsk, pauseKeyboard(c.lang, false))
	case subscribers.Paused:
		b.send(ctx, c.id, fmt.Sprintf(t.AlreadyPaused, b.howLong(c.lang, r.PausedUntil))+"\n"+t.PauseChange, pauseKeyboard(c.lang, true))
	default:
		b.send(ctx, c.id, t.StoppedUseStart, nil)
	}
	return nil
}

// resume is /resume.
func (b *Bot) resume(ctx context.Context, c chatCtx, _ string) error {
	t := textsFor(c.lang)
	before, moved, err := b.store.ChangeStatus(ctx, c.id, subscribers.StatusChange{
		To: subscribers.Active, Reason: "resume", From: []subscribers.Status{subscribers.Paused},
	})
	switch {
	case errors.Is(err, subscribers.ErrNotFound):
		b.send(ctx, c.id, t.StartFirst, nil)
	case err != nil:
		return err
	case moved:
		b.send(ctx, c.id, t.Resumed, nil)
	case before.Status == subscribers.Active:
		b.send(ctx, c.id, t.NotPaused, nil)
	default:
		b.send(ctx, c.id, t.StoppedUseStart, nil)
	}
	return nil
}

// onPauseButton handles "pa:<choice>": a length of pause, chosen on the
// question, which becomes the outcome with a Resume button; or Resume.
func (b *Bot) onPauseButton(ctx context.Context, c chatCtx, msgID int, arg string) (string, error) {
	t := textsFor(c.lang)
	var until time.Time
	switch arg {
	case pauseResume:
		return b.resumeButton(ctx, c, msgID)
	case pauseForDay:
		until = b.opt.Now().Add(pauseDay)
	case pauseForWeek:
		until = b.opt.Now().Add(pauseWeek)
	case pauseNoEnd:
	default:
		return "", nil
	}
	// To the minute the reader is told: the builder looks every minute.
	until = until.Truncate(time.Minute)
	_, moved, err := b.store.ChangeStatus(ctx, c.id, subscribers.StatusChange{
		To: subscribers.Paused, Reason: "pause", Until: until,
		From: []subscribers.Status{subscribers.Active, subscribers.Paused},
	})
	switch {
	case errors.Is(err, subscribers.ErrNotFound):
		b.replaceText(ctx, c, msgID, t.StartFirst)
	case err != nil:
		return "", err
	case !moved:
		b.replaceText(ctx, c, msgID, t.StoppedUseStart)
	default:
		b.replaceWith(ctx, c, msgID, fmt.Sprintf(t.Paused, b.howLong(c.lang, until)), resumeKeyboard(c.lang))
	}
	return "", nil
}

// resumeButton resumes a paused reader; the message it is under says so.
// Pressed again, or after /resume, it only answers.
func (b *Bot) resumeButton(ctx context.Context, c chatCtx, msgID int) (string, error) {
	t := textsFor(c.lang)
	before, moved, err := b.store.ChangeStatus(ctx, c.id, subscribers.StatusChange{
		To: subscribers.Active, Reason: "resume", From: []subscribers.Status{subscribers.Paused},
	})
	switch {
	case errors.Is(err, subscribers.ErrNotFound):
		return t.StartFirst, nil
	case err != nil:
		return "", err
	case moved:
		b.replaceText(ctx, c, msgID, t.Resumed)
		return "", nil
	case before.Status == subscribers.Active:
		return t.NotPaused, nil
	}
	return t.StoppedUseStart, nil
}

// askStop is the Unsubscribe button under a digest: nothing changes until
// the reader confirms.
func (b *Bot) askStop(ctx context.Context, c chatCtx) error {
	t := textsFor(c.lang)
	r, ok, err := b.reader(ctx, c)
	if !ok {
		return err
	}
	if r.Status == subscribers.Stopped {
		b.send(ctx, c.id, t.AlreadyStopped, nil)
		return nil
	}
	b.send(ctx, c.id, t.StopAsk, stopKeyboard(c.lang))
	return nil
}

// unsubscribe stops the chat's digests and returns what to tell the
// reader, with an undo button when there is a subscription to restore.
func (b *Bot) unsubscribe(ctx context.Context, c chatCtx) (string, *models.InlineKeyboardMarkup, error) {
	t := textsFor(c.lang)
	before, _, err := b.store.ChangeStatus(ctx, c.id, subscribers.StatusChange{To: subscribers.Stopped, Reason: "stop"})
	switch {
	case errors.Is(err, subscribers.ErrNotFound) || err == nil && before.Status == subscribers.Stopped:
		return t.AlreadyStopped, nil, nil
	case err != nil:
		return "", nil, err
	case before.Status == subscribers.Active || before.Status == subscribers.Paused:
		return t.Stopped, undoKeyboard(c.lang, c.id, before), nil
	}
	return t.Stopped, nil, nil
}

// onStopButton handles "so:<action>": confirming or cancelling the
// question askStop put, and undoing a stop.
func (b *Bot) onStopButton(ctx context.Context, c chatCtx, msgID int, arg string) (string, error) {
	t := textsFor(c.lang)
	switch action, rest, _ := strings.Cut(arg, ":"); action {
	case stopYes:
		text, kb, err := b.unsubscribe(ctx, c)
		if err != nil {
			return "", err
		}
		b.replaceWith(ctx, c, msgID, text, kb)
	case stopNo:
		b.replaceText(ctx, c, msgID, t.StopKept)
	case stopUndo:
		return b.undoStop(ctx, c, msgID, rest)
	}
	return "", nil
}

// undoStop puts a stopped reader back where they stood before the stop,
// only in the chat the stop was made in, and only while they are still
// stopped: a second press, or one after /start, changes nothing.
func (b *Bot) undoStop(ctx context.Context, c chatCtx, msgID int, arg string) (string, error) {
	t := textsFor(c.lang)
	chat, before, ok := parseUndo(arg)
	if !ok {
		return "", nil
	}
	if chat != c.id {
		b.log.Info("undo refused: made for another chat", "chat_id", c.id, "undo_chat_id", chat)
		return t.NotThisChat, nil
	}
	if !before.PausedUntil.IsZero() && !before.PausedUntil.After(b.opt.Now()) {
		// The pause would have ended by now.
		before = subscribers.Standing{Status: subscribers.Active}
	}
	_, moved, err := b.store.ChangeStatus(ctx, c.id, subscribers.StatusChange{
		To: before.Status, Until: before.PausedUntil, Reason: "undo stop",
		From: []subscribers.Status{subscribers.Stopped},
	})
	switch {
	case errors.Is(err, subscribers.ErrNotFound):
		return t.NothingToUndo, nil
	case err != nil:
		return "", err
	case !moved:
		return t.NothingToUndo, nil
	}
	if before.Status == subscribers.Paused {
		b.replaceWith(ctx, c, msgID, fmt.Sprintf(t.RestoredPaused, b.howLong(c.lang, before.PausedUntil)), resumeKeyboard(c.lang))
	} else {
		b.replaceText(ctx, c, msgID, t.Restored)
	}
	return "", nil
}
