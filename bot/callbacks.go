package bot

import (
	"context"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/digest"
)

// Every inline button carries callback data "<kind>" or "<kind>:<arg>",
// at most 64 bytes (Telegram's limit). The kind, everything before the
// first colon, picks the handler in callbacks(); kinds are unique and hold
// no colon, so no data can reach two handlers (callbacks_test.go checks
// this, and that every keyboard the bot builds routes and fits).
const (
	cbTopic     = "t"    // t:<slug>
	cbTopicPage = "tp"   // tp:<group slug>:<part> (topicsPage.id)
	cbUnfollow  = "u"    // u:<follow id> (followID)
	cbLang      = "l"    // l:ar, l:en
	cbTime      = "time" // time:07:00, time:instant, time:default
	cbBroadcast = "bc"   // bc:<confirm|cancel|pause|resume>:<broadcast id>
	cbForget    = "fg"   // fg:yes, fg:no
	cbPause     = "pa"   // pa:day, pa:week, pa:open, pa:resume
	cbStop      = "so"   // so:yes, so:no, so:undo:<chat>:<status>[:<paused until>]
	cbClose     = "x"    // x
	cbStart     = "go"   // go:topics, go:time, go:latest (under /start)
	cbFollow    = "f"    // f:t:<slug>, f:k:<offer token> (under plain text)
	// digest.ButtonKind ("do"): do:topics, do:pause, do:stop. The digest
	// package renders those buttons, so it names them.
	// digest.AlertButtonKind ("brk"): brk:on, brk:off under /breaking;
	// brk:mute, brk:unmute under a breaking news alert (digest renders it).
)

// callbackRoute is one kind of button.
type callbackRoute struct {
	kind string
	what string
	// adminOnly buttons are refused (and the press logged) for anyone not
	// in NASHRA_ADMINS.
	adminOnly bool
	// handle gets the data after "<kind>:" and the message the button is
	// on; it returns the toast that answers the press.
	handle func(ctx context.Context, c chatCtx, msgID int, arg string) (toast string, err error)
}

// callbacks is every kind of button the bot answers.
func (b *Bot) callbacks() []callbackRoute {
	return []callbackRoute{
		{kind: cbTopic, what: "follows or unfollows a topic on the /topics keyboard", handle: b.toggleTopic},
		{kind: cbTopicPage, what: "turns a page of the /topics keyboard", handle: b.turnTopicsPage},
		{kind: cbUnfollow, what: "unfollows from the /unfollow keyboard", handle: b.unfollowButton},
		{kind: cbLang, what: "sets the language from the /lang keyboard", handle: b.langButton},
		{kind: cbTime, what: "sets the digest time from the /time keyboard", handle: b.timeButton},
		{kind: digest.ButtonKind, what: "the buttons under every digest: topics, pause, unsubscribe", handle: b.onDigestButton},
		{kind: digest.AlertButtonKind, what: "turns breaking news alerts on or off, under /breaking and under an alert", handle: b.breakingButton},
		{kind: cbBroadcast, what: "confirms, cancels, pauses or resumes a broadcast", adminOnly: true, handle: b.onBroadcastButton},
		{kind: cbForget, what: "confirms or cancels /forget", handle: b.onForgetButton},
		{kind: cbPause, what: "pauses for a day, a week or until resumed; resumes", handle: b.onPauseButton},
		{kind: cbStop, what: "confirms or cancels unsubscribing, and undoes it", handle: b.onStopButton},
		{kind: cbClose, what: "closes a keyboard", handle: b.closeKeyboard},
		{kind: cbStart, what: "opens the topics, the digest time or the latest news from under /start", handle: b.onStartButton},
		{kind: cbFollow, what: "follows a topic or keyword offered for plain text", handle: b.onFollowButton},
	}
}

// callbackData is the data of a button of kind with arg.
func callbackData(kind, arg string) string {
	if arg == "" {
		return kind
	}
	return kind + ":" + arg
}

// route finds the handler of a button's data.
func (b *Bot) route(data string) (callbackRoute, string, bool) {
	kind, arg, _ := strings.Cut(data, ":")
	for _, r := range b.callbacks() {
		if r.kind == kind {
			return r, arg, true
		}
	}
	return callbackRoute{}, "", false
}

func (b *Bot) onCallback(ctx context.Context, q *models.CallbackQuery) {
	chat, msgID, ok := callbackChat(q)
	if !ok {
		b.answer(ctx, q, "")
		return
	}
	c := chatCtx{id: chat.ID, typ: chat.Type, from: q.From.ID}
	c.lang, _ = b.store.Lang(ctx, c.id)
	t := textsFor(c.lang)
	// In a group or a channel the press comes from whoever pressed, and
	// the data may be forged: every button is checked, none trusted.
	if c.shared() && !b.isChatAdmin(ctx, c) {
		b.log.Info("button refused: not a chat admin", "chat_id", c.id, "user_id", c.from, "data", q.Data)
		b.answer(ctx, q, c.adminsOnly(t))
		return
	}
	r, arg, known := b.route(q.Data)
	if !known {
		b.answer(ctx, q, "")
		return
	}
	if r.adminOnly && !b.admins[c.from] {
		b.log.Warn("admin button refused: not an admin", "user_id", c.from, "button", r.kind)
		b.answer(ctx, q, t.NotAdmin)
		return
	}
	toast, err := r.handle(ctx, c, msgID, arg)
	if err != nil {
		b.log.Error("button failed", "chat_id", c.id, "data", q.Data, "err", err)
		toast = t.Failure
	}
	b.answer(ctx, q, toast)
}

func (b *Bot) closeKeyboard(ctx context.Context, c chatCtx, msgID int, _ string) (string, error) {
	b.call(ctx, c.id, "editMessageReplyMarkup", func() error {
		_, err := b.api.EditMessageReplyMarkup(ctx, &tg.EditMessageReplyMarkupParams{ChatID: c.id, MessageID: msgID})
		return err
	})
	return "", nil
}
