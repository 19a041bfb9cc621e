// Package bot is everything Telegram-facing: the update loop, command
// parsing, the reader and admin commands, and the replies in Arabic and
// English.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/inbox"
	"nashra/bot/ratelimit"
	"nashra/broadcasts"
	"nashra/digest"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/signup"
	"nashra/subscribers"
	"nashra/wording"
)

// Options configures a Bot.
type Options struct {
	Token   string
	APIURL  string // Bot API base URL without a trailing slash
	Store   *subscribers.Store
	Catalog *topics.Catalog
	Admins  []int64
	Log     *slog.Logger
	// Outbox is the queue of messages to send (its depth shows in /stats);
	// Broadcasts holds the admins' announcements; Inbox the polled updates
	// until they are handled, and the claims that answer each once.
	Outbox     *outbox.Store
	Broadcasts *broadcasts.Store
	Inbox      *inbox.Store
	// Digests builds a reader's digest on demand (/digest, and the latest
	// stories at /start); nil disables it.
	Digests DigestBuilder
	// Broadcast and Stats serve the admin commands.
	Broadcast BroadcastConfig
	Stats     StatsConfig
	// DefaultSchedule and Location describe digest times to readers.
	DefaultSchedule string
	Location        *time.Location
	// Now is the clock pauses are measured from; time.Now when nil.
	Now func() time.Time
	// BreakingCap is how many breaking news alerts a reader gets a day at
	// most, as /breaking tells them; 0 when the newsroom sends none.
	BreakingCap int
	// PollTimeout is the long-polling wait; 50 s when zero.
	PollTimeout time.Duration
	// Limiter is Telegram's flood limits shared with the sender: replies
	// take their turns there, ahead of digests and broadcasts. Nil sends
	// replies unlimited (tools and tests that run no sender).
	Limiter *ratelimit.Limiter
	// Signups holds what readers chose on the site's signup page, under
	// the token a /start payload carries; nil refuses every token.
	Signups SignupRedeemer
	// Settings makes the tokens of the links /settings sends to the
	// preference page at SettingsURL (NASHRA_PUBLIC_URL + /settings);
	// without both, /settings names the commands that change the settings
	// in the bot.
	Settings    SettingsLinks
	SettingsURL string
	// DrainTimeout bounds how long shutdown waits for handlers in flight.
	// 10 s when zero.
	DrainTimeout time.Duration
}

// SignupRedeemer gives the choice stored under a signup token, once
// (signup.Store).
type SignupRedeemer interface {
	Redeem(ctx context.Context, token string) (signup.Choice, error)
}

// DigestBuilder queues a reader's digest now (/digest), or the latest n
// stories for a reader who never had one (/start); nil means nothing.
type DigestBuilder interface {
	ForReader(ctx context.Context, chatID int64) (*digest.Digest, error)
	ForNewReader(ctx context.Context, chatID int64, n int) (*digest.Digest, error)
}

// Bot serves readers and admins.
type Bot struct {
	api      *tg.Bot
	httpc    *http.Client // the api's client, for getUpdates
	apiURL   string
	store    *subscribers.Store
	lim      *ratelimit.Limiter
	catalog  *topics.Catalog
	admins   map[int64]bool
	log      *slog.Logger
	username string
	opt      Options
	// outbox, broadcasts and inbox: see Options.
	outbox     *outbox.Store
	broadcasts *broadcasts.Store
	inbox      *inbox.Store

	// disp takes updates while the bot runs (polling or webhook); nil
	// otherwise.
	disp atomic.Pointer[dispatcher]
}

// New builds a Bot; it does not touch the network.
func New(opt Options) (*Bot, error) {
	if opt.Store == nil || opt.Outbox == nil || opt.Broadcasts == nil || opt.Inbox == nil || opt.Catalog == nil {
		return nil, errors.New("bot: the readers, the outbox, the broadcasts, the inbox and a topic catalog are required")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.PollTimeout <= 0 {
		opt.PollTimeout = 50 * time.Second
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.DefaultSchedule == "" {
		opt.DefaultSchedule = "0 8 * * *"
	}
	if opt.DrainTimeout <= 0 {
		opt.DrainTimeout = 10 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	b := &Bot{
		store:   opt.Store,
		lim:     opt.Limiter,
		catalog: opt.Catalog,
		admins:  make(map[int64]bool, len(opt.Admins)),
		log:     opt.Log,
		opt:     opt,

		outbox:     opt.Outbox,
		broadcasts: opt.Broadcasts,
		inbox:      opt.Inbox,
	}
	for _, id := range opt.Admins {
		b.admins[id] = true
	}
	// The library is used for every call but getUpdates (see longpoll.go),
	// which shares its HTTP client.
	b.httpc = &http.Client{Timeout: opt.PollTimeout + 15*time.Second}
	b.apiURL = "https://api.telegram.org"
	tgOpts := []tg.Option{
		tg.WithSkipGetMe(),
		tg.WithErrorsHandler(func(err error) { b.log.Warn("telegram", "err", err) }),
		tg.WithHTTPClient(opt.PollTimeout, b.httpc),
	}
	if opt.APIURL != "" {
		b.apiURL = opt.APIURL
		tgOpts = append(tgOpts, tg.WithServerURL(opt.APIURL))
	}
	api, err := tg.New(opt.Token, tgOpts...)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	b.api = api
	return b, nil
}

// Run identifies the bot, publishes its command menu and serves updates by
// long polling until ctx is cancelled; then it stops fetching, lets the
// handlers in flight finish (up to the drain timeout) and returns, leaving
// what it fetched and did not begin in the inbox for the next poller. It
// returns ErrOtherPoller when Telegram says another poller took over.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.identify(ctx); err != nil {
		return err
	}
	b.setCommands(ctx)
	// Polling must be the only consumer of the token; a stale webhook would
	// make every getUpdates fail with 409.
	if _, err := b.api.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		b.log.Warn("delete webhook", "err", err)
	}
	d := b.openDispatch()
	defer b.closeDispatch(d)
	b.log.Info("bot polling", "username", b.username)
	return b.poll(ctx, d)
}

// openDispatch opens the dispatcher that takes updates.
func (b *Bot) openDispatch() *dispatcher {
	d := newDispatcher(b)
	b.disp.Store(d)
	return d
}

// closeDispatch closes it once the handlers in flight are done.
func (b *Bot) closeDispatch(d *dispatcher) {
	b.disp.CompareAndSwap(d, nil)
	d.stop(b.opt.DrainTimeout)
}

// identify learns the bot's username (needed to recognise
// "/cmd@username" in groups), retrying while Telegram is unreachable.
func (b *Bot) identify(ctx context.Context) error {
	wait := time.Second
	for {
		me, err := b.api.GetMe(ctx)
		if err == nil {
			b.username = me.Username
			return nil
		}
		if errors.Is(err, tg.ErrorUnauthorized) {
			return fmt.Errorf("telegram rejected the bot token (NASHRA_TELEGRAM_TOKEN): %w", err)
		}
		b.log.Warn("telegram getMe failed; retrying", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
}

func chatOf(upd *models.Update) int64 {
	switch {
	case upd.Message != nil:
		return upd.Message.Chat.ID
	case upd.CallbackQuery != nil:
		if chat, _, ok := callbackChat(upd.CallbackQuery); ok {
			return chat.ID
		}
		return upd.CallbackQuery.From.ID
	case upd.MyChatMember != nil:
		return upd.MyChatMember.Chat.ID
	}
	return 0
}

// handle runs one update and reports whether it was handled: false when
// ctx was cancelled before the handler finished, and the claim was given
// back for the next run. A panic is logged and counts as handled (it would
// recur).
func (b *Bot) handle(ctx context.Context, upd *models.Update) (handled bool) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("handler panic", "update_id", upd.ID, "chat_id", chatOf(upd), "panic", r)
			handled = true
		}
	}()
	first, err := b.inbox.Claim(ctx, upd.ID)
	if err != nil {
		if ctx.Err() != nil {
			return false
		}
		// Better to risk answering twice than to ignore the reader.
		b.log.Warn("claim update", "update_id", upd.ID, "err", err)
	} else if !first {
		b.log.Debug("update already handled", "update_id", upd.ID)
		return true
	}
	switch {
	case upd.Message != nil:
		b.onMessage(ctx, upd.Message)
	case upd.CallbackQuery != nil:
		b.onCallback(ctx, upd.CallbackQuery)
	case upd.MyChatMember != nil:
		b.onMembership(ctx, upd.MyChatMember)
	}
	if ctx.Err() != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := b.inbox.Release(rctx, upd.ID); err != nil {
			b.log.Warn("release update", "update_id", upd.ID, "err", err)
		}
		return false
	}
	return true
}

// slowDown tells a reader who sends faster than they can be answered that
// the excess was dropped.
func (b *Bot) slowDown(ctx context.Context, chat int64, upd *models.Update) {
	lang, err := b.store.Lang(ctx, chat)
	if err != nil {
		b.log.Warn("reader language", "chat_id", chat, "err", err)
	}
	b.log.Info("reader told to slow down", "chat_id", chat, "update_id", upd.ID)
	b.send(ctx, chat, textsFor(lang).SlowDown, nil)
}

// commandMenu is published with setMyCommands, per language.
func commandMenu(lang string) []models.BotCommand {
	var menu []models.BotCommand
	for _, c := range wording.For(lang).Menu {
		menu = append(menu, models.BotCommand{Command: c.Name, Description: c.Description})
	}
	return menu
}

// setCommands publishes the menu: Arabic by default, English for English
// clients. A failure costs only the menu, so it is logged, not fatal.
func (b *Bot) setCommands(ctx context.Context) {
	for _, lang := range []string{"", "en", "ar"} {
		menu := commandMenu(lang)
		if _, err := b.api.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: menu, LanguageCode: lang}); err != nil {
			b.log.Warn("set command menu", "lang", lang, "err", err)
		}
	}
}
