package bot

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/go-telegram/bot/models"

	"nashra/subscribers"
)

// The first minute. /start answers in one screen: a greeting, what we
// send, when (the reader's own time, in words), the topics a signup link
// followed, and buttons to choose topics, set the time and get the latest
// news now. A reader who never had a digest gets the latest stories at
// once, through the outbox like every digest.

// startStories is how many stories a new reader gets at once.
const startStories = 3

// The arguments of cbStart buttons.
const (
	startTopics = "topics"
	startTime   = "time"
	startLatest = "latest"
)

// startScreen is /start's answer to r in chat c, greeted with greeting;
// followed names, escaped, the topics the signup link followed.
func (b *Bot) startScreen(c chatCtx, greeting string, r subscribers.Reader, followed []string) string {
	lang := c.lang
	t := textsFor(lang)
	what := t.StartWhatAll
	if len(r.Follows) > 0 {
		what = t.StartWhatFollowed
	}
	lines := []string{greeting, what, b.whenWords(lang, r.Schedule)}
	if len(followed) > 0 {
		lines = append(lines, "", fmt.Sprintf(t.WelcomeFollowed, strings.Join(followed, t.ListSep)))
	}
	next := t.StartNext
	if c.isGroup() {
		next = t.StartNextGroup
	}
	lines = append(lines, "", next)
	return strings.Join(lines, "\n")
}

// whenWords says when the reader's news comes: «⏰ تصلك النشرة يومياً
// الساعة 8:00 صباحاً بتوقيت دمشق.»; the default time when they chose none.
func (b *Bot) whenWords(lang, spec string) string {
	t := textsFor(lang)
	switch spec {
	case subscribers.Instant:
		return t.StartInstant
	case "":
		spec = b.opt.DefaultSchedule
	}
	return fmt.Sprintf(t.StartWhen, html.EscapeString(b.describeSchedule(lang, spec)))
}

// startKeyboard is under /start's answer.
func startKeyboard(lang string) *models.InlineKeyboardMarkup {
	t := textsFor(lang)
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{{Text: t.ButtonChooseTopics, CallbackData: callbackData(cbStart, startTopics)}},
		{{Text: t.ButtonDigestTime, CallbackData: callbackData(cbStart, startTime)}, {Text: t.ButtonLatestNow, CallbackData: callbackData(cbStart, startLatest)}},
	}}
}

// onStartButton answers the buttons under /start as the commands do:
// /topics, /time, /digest.
func (b *Bot) onStartButton(ctx context.Context, c chatCtx, _ int, arg string) (string, error) {
	switch arg {
	case startTopics:
		return "", b.topics(ctx, c, "")
	case startTime:
		return "", b.time(ctx, c, "")
	case startLatest:
		return "", b.digestNow(ctx, c, "")
	}
	return "", nil
}

// latestAtStart queues the latest stories for a reader who never had a
// digest. The reader has been greeted already: a failure here is logged,
// and their first digest holds the stories instead.
func (b *Bot) latestAtStart(ctx context.Context, c chatCtx) {
	if b.opt.Digests == nil {
		return
	}
	if _, err := b.opt.Digests.ForNewReader(ctx, c.id, startStories); err != nil {
		b.log.Warn("latest stories at start", "chat_id", c.id, "err", err)
	}
}
