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
	"sync"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/digest"
	"nashra/digest/topics"
	"nashra/subscribers"
)

// Options configures a Bot.
type Options struct {
	Token   string
	APIURL  string // Bot API base URL without a trailing slash
	Store   *subscribers.Store
	Catalog *topics.Catalog
	Admins  []int64
	Log     *slog.Logger
	// Digests builds a reader's digest on demand (/digest); nil disables it.
	Digests DigestBuilder
	// Broadcast and Stats serve the admin commands.
	Broadcast BroadcastConfig
	Stats     StatsConfig
	// DefaultSchedule and Location describe digest times to readers.
	DefaultSchedule string
	Location        *time.Location
	// PollTimeout is the long-polling wait; 50 s when zero.
	PollTimeout time.Duration
	// Lanes is how many chats are served at once; updates of one chat are
	// always handled in order. 8 when zero.
	Lanes int
	// DrainTimeout bounds how long shutdown waits for handlers in flight.
	// 10 s when zero.
	DrainTimeout time.Duration
}

// DigestBuilder queues a reader's digest now; nil means nothing new.
type DigestBuilder interface {
	ForReader(ctx context.Context, chatID int64) (*digest.Digest, error)
}

// Bot serves readers and admins.
type Bot struct {
	api      *tg.Bot
	store    *subscribers.Store
	catalog  *topics.Catalog
	admins   map[int64]bool
	log      *slog.Logger
	username string
	opt      Options

	lanes []chan laneItem
	wg    sync.WaitGroup
	// hctx is the handlers' context. It outlives the polling context so
	// that work in flight at SIGTERM can finish; it is cancelled when the
	// drain timeout runs out.
	hctx    context.Context
	hcancel context.CancelFunc
	// ready is set while webhook updates can be taken.
	ready atomic.Bool
	// laneMu keeps a push from racing the lanes being closed at shutdown.
	laneMu sync.RWMutex
	closed bool
}

// New builds a Bot; it does not touch the network.
func New(opt Options) (*Bot, error) {
	if opt.Store == nil || opt.Catalog == nil {
		return nil, errors.New("bot: a store and a topic catalog are required")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.PollTimeout <= 0 {
		opt.PollTimeout = 50 * time.Second
	}
	if opt.Lanes <= 0 {
		opt.Lanes = 8
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
	b := &Bot{
		store:   opt.Store,
		catalog: opt.Catalog,
		admins:  make(map[int64]bool, len(opt.Admins)),
		log:     opt.Log,
		opt:     opt,
	}
	for _, id := range opt.Admins {
		b.admins[id] = true
	}
	tgOpts := []tg.Option{
		tg.WithSkipGetMe(),
		tg.WithDefaultHandler(b.enqueue),
		tg.WithErrorsHandler(func(err error) { b.log.Warn("telegram", "err", err) }),
		tg.WithAllowedUpdates(tg.AllowedUpdates{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateMyChatMember}),
		tg.WithHTTPClient(opt.PollTimeout, &http.Client{Timeout: opt.PollTimeout + 15*time.Second}),
		// Handing updates over without a buffer means the library never
		// confirms an update to Telegram that is not yet in one of our
		// lanes, and our lanes are drained at shutdown: nothing is lost.
		tg.WithUpdatesChannelCap(0),
		tg.WithNotAsyncHandlers(),
	}
	if opt.APIURL != "" {
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
// long polling until ctx is cancelled; then it lets the handlers in flight
// finish (up to the drain timeout) and returns.
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
	b.startLanes()
	b.log.Info("bot polling", "username", b.username)
	b.api.Start(ctx)
	b.drain()
	return nil
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

// laneItem is an update waiting in its chat's lane; done, when set, is
// closed once it is handled.
type laneItem struct {
	upd  *models.Update
	done chan struct{}
}

func (b *Bot) startLanes() {
	b.laneMu.Lock()
	defer b.laneMu.Unlock()
	b.closed = false
	b.hctx, b.hcancel = context.WithCancel(context.Background())
	b.lanes = make([]chan laneItem, b.opt.Lanes)
	for i := range b.lanes {
		ch := make(chan laneItem, 64)
		b.lanes[i] = ch
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			for it := range ch {
				b.handle(b.hctx, it.upd)
				if it.done != nil {
					close(it.done)
				}
			}
		}()
	}
}

// enqueue is the library's handler: it puts the update in its chat's lane.
// It blocks while the lane is full, which slows polling down instead of
// dropping updates.
func (b *Bot) enqueue(_ context.Context, _ *tg.Bot, upd *models.Update) {
	b.push(laneItem{upd: upd})
}

func (b *Bot) push(it laneItem) bool {
	b.laneMu.RLock()
	defer b.laneMu.RUnlock()
	if b.closed || b.lanes == nil {
		return false
	}
	lane := b.lanes[laneOf(chatOf(it.upd), len(b.lanes))]
	select {
	case lane <- it:
		return true
	case <-b.hctx.Done():
		return false
	}
}

func laneOf(chat int64, n int) int {
	if chat < 0 {
		chat = -chat
	}
	return int(chat % int64(n))
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

// drain waits for the lanes to empty, then cancels what is still running.
func (b *Bot) drain() {
	// A push waiting for room in a full lane holds the read lock; the
	// lane's worker keeps taking updates, so the push lands and the lock
	// follows. No push can reach a closed lane.
	b.laneMu.Lock()
	b.closed = true
	for _, ch := range b.lanes {
		close(ch)
	}
	b.laneMu.Unlock()
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(b.opt.DrainTimeout):
		b.log.Warn("shutdown: handlers still running after the drain timeout; cancelling them")
		b.hcancel()
		<-done
	}
	b.hcancel()
}

// handle runs one update; a panic is logged and the bot goes on.
func (b *Bot) handle(ctx context.Context, upd *models.Update) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("handler panic", "update_id", upd.ID, "chat_id", chatOf(upd), "panic", r)
		}
	}()
	first, err := b.store.ClaimUpdate(ctx, upd.ID)
	if err != nil {
		// Better to risk answering twice than to ignore the reader.
		b.log.Warn("claim update", "update_id", upd.ID, "err", err)
	} else if !first {
		b.log.Debug("update already handled", "update_id", upd.ID)
		return
	}
	switch {
	case upd.Message != nil:
		b.onMessage(ctx, upd.Message)
	case upd.CallbackQuery != nil:
		b.onCallback(ctx, upd.CallbackQuery)
	case upd.MyChatMember != nil:
		b.onMembership(ctx, upd.MyChatMember)
	}
}

// commandMenu is published with setMyCommands, per language.
func commandMenu(lang string) []models.BotCommand {
	if lang == "en" {
		return []models.BotCommand{
			{Command: "topics", Description: "Choose topics"},
			{Command: "follow", Description: "Follow a topic or keyword"},
			{Command: "unfollow", Description: "Stop following"},
			{Command: "mytopics", Description: "What you follow"},
			{Command: "digest", Description: "What is new, now"},
			{Command: "time", Description: "When your digest comes"},
			{Command: "pause", Description: "Pause the digest"},
			{Command: "resume", Description: "Resume the digest"},
			{Command: "lang", Description: "Language: ar / en"},
			{Command: "help", Description: "Help"},
			{Command: "stop", Description: "Unsubscribe"},
		}
	}
	return []models.BotCommand{
		{Command: "topics", Description: "اختيار المواضيع"},
		{Command: "follow", Description: "متابعة موضوع أو كلمة"},
		{Command: "unfollow", Description: "إلغاء متابعة"},
		{Command: "mytopics", Description: "ما تتابعه"},
		{Command: "digest", Description: "الجديد الآن"},
		{Command: "time", Description: "موعد الخلاصة"},
		{Command: "pause", Description: "إيقاف الخلاصة مؤقتاً"},
		{Command: "resume", Description: "استئناف الخلاصة"},
		{Command: "lang", Description: "اللغة: ar / en"},
		{Command: "help", Description: "المساعدة"},
		{Command: "stop", Description: "إلغاء الاشتراك"},
	}
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
