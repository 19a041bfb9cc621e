package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"nashra/digest/arabic"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bidi"
	"nashra/bot/tgerr"
	"nashra/broadcasts"
)

// /broadcast: an admin's message to every active reader, or to the active
// followers of one topic ("/broadcast #sdf ..."). The bot stores a draft
// and answers with the message exactly as readers will see it, then a
// control message with the audience and Confirm / Cancel buttons. On
// confirm the control message becomes the progress message, edited at most
// every ProgressEvery by whichever instance runs RunBroadcasts first, with
// Pause / Resume / Cancel buttons. The feeding, counting and crash safety
// live in subscribers (broadcast.go).

// BroadcastConfig tunes broadcasts. The zero value is usable.
type BroadcastConfig struct {
	// BatchSize is how many readers one feeding step queues in a shard;
	// a shard's low-priority stream is fed while it holds fewer than
	// 2×BatchSize jobs. Default 50.
	BatchSize int
	// FeedEvery is how often RunBroadcasts tends running broadcasts.
	// Default 1 s.
	FeedEvery time.Duration
	// ProgressEvery is the least time between two edits of a progress
	// message, across instances. Default 10 s.
	ProgressEvery time.Duration
	// DraftTTL: a preview not confirmed within it expires. Default 24 h.
	DraftTTL time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (b *Bot) bcConfig() BroadcastConfig {
	c := b.opt.Broadcast
	if c.BatchSize <= 0 {
		c.BatchSize = 50
	}
	if c.FeedEvery <= 0 {
		c.FeedEvery = time.Second
	}
	if c.ProgressEvery <= 0 {
		c.ProgressEvery = 10 * time.Second
	}
	if c.DraftTTL <= 0 {
		c.DraftTTL = 24 * time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// maxBroadcastLen is Telegram's limit on a message's text, in UTF-16 code
// units of the text as displayed (our text is plain, so the displayed text
// is what the admin wrote).
const maxBroadcastLen = 4096

func (b *Bot) broadcast(ctx context.Context, c chatCtx, args string, m *models.Message) error {
	t := bcTextsFor(c.lang)
	target, body := splitTarget(broadcastBody(args, m))
	if body == "" && m != nil && m.ReplyToMessage != nil {
		body = strings.TrimSpace(m.ReplyToMessage.Text)
		if body == "" {
			body = strings.TrimSpace(m.ReplyToMessage.Caption)
		}
	}
	if body == "" {
		b.send(ctx, c.id, t.Usage, nil)
		return nil
	}
	slug := ""
	if target != "" {
		topic, ok := b.catalog.Get(strings.ToLower(target))
		if !ok {
			topic, ok = b.catalog.Lookup(cleanTopic(target))
		}
		if !ok {
			b.send(ctx, c.id, fmt.Sprintf(t.UnknownTopic, html.EscapeString("#"+truncate(target, 40))), nil)
			return nil
		}
		slug = topic.Slug
	}
	// Stored laid out (bidi), as every reader and the preview get it; the
	// marks count towards Telegram's limit.
	text := bidi.Message(html.EscapeString(body))
	if len(utf16.Encode([]rune(html.UnescapeString(text)))) > maxBroadcastLen {
		b.send(ctx, c.id, fmt.Sprintf(t.TooLong, arabic.Plural(maxBroadcastLen, countsFor(c.lang).Letters)), nil)
		return nil
	}
	audience, err := b.broadcasts.Audience(ctx, slug)
	if err != nil {
		return err
	}
	if audience == 0 {
		b.send(ctx, c.id, t.NoAudience, nil)
		return nil
	}
	bc, err := b.broadcasts.Create(ctx, broadcasts.Broadcast{Text: text, By: c.from, Topic: slug})
	if err != nil {
		return err
	}
	b.log.Info("broadcast drafted", "broadcast", bc.ID, "user_id", c.from, "topic", slug, "audience", audience)
	// The preview is the message itself, sent as the sender will send it.
	b.send(ctx, c.id, bc.Text, nil)
	line := fmt.Sprintf(t.Everyone, arabic.Plural(int(audience), countsFor(c.lang).Readers))
	if slug != "" {
		line = fmt.Sprintf(t.Followers, html.EscapeString(b.bcTopicName(c.lang, slug)), arabic.Plural(int(audience), countsFor(c.lang).Readers))
	}
	if msg := b.sendMessage(ctx, c.id, fmt.Sprintf(t.Preview, bc.ID, line), confirmKeyboard(c.lang, bc.ID)); msg != nil {
		return b.broadcasts.SetMessage(ctx, bc.ID, c.id, msg.ID)
	}
	return nil
}

// confirmKeyboard is under a broadcast's preview.
func confirmKeyboard(lang string, id int64) *models.InlineKeyboardMarkup {
	t := bcTextsFor(lang)
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
		{Text: t.Confirm, CallbackData: bcData("confirm", id)},
		{Text: t.Cancel, CallbackData: bcData("cancel", id)},
	}}}
}

// bcData is the data of a broadcast's button: "bc:<action>:<id>".
func bcData(action string, id int64) string {
	return callbackData(cbBroadcast, action+":"+strconv.FormatInt(id, 10))
}

// broadcastBody is what follows the command, as the admin typed it (line
// breaks and spacing kept; the parsed args collapse blanks).
func broadcastBody(args string, m *models.Message) string {
	if m == nil {
		return args
	}
	text := strings.TrimLeftFunc(m.Text, isSpaceOrMark)
	if !strings.HasPrefix(text, "/") {
		return args
	}
	i := strings.IndexFunc(text, unicode.IsSpace)
	if i < 0 {
		return ""
	}
	// Marks copied with the command from a message around it go.
	return strings.TrimFunc(text[i:], isSpaceOrMark)
}

// splitTarget takes a leading "#topic" off the body.
func splitTarget(body string) (target, rest string) {
	if !strings.HasPrefix(body, "#") {
		return "", body
	}
	i := strings.IndexFunc(body, unicode.IsSpace)
	if i < 0 {
		return body[1:], ""
	}
	return body[1:i], strings.TrimSpace(body[i:])
}

func (b *Bot) bcTopicName(lang, slug string) string {
	if topic, ok := b.catalog.Get(slug); ok {
		return topic.Name(lang)
	}
	return slug
}

// sendMessage is send for a message whose ID the caller needs; nil when it
// could not be sent.
func (b *Bot) sendMessage(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) *models.Message {
	var msg *models.Message
	b.call(ctx, chatID, "sendMessage", func() error {
		m, err := b.api.SendMessage(ctx, &tg.SendMessageParams{
			ChatID: chatID, Text: bidi.Message(text), ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
			ReplyMarkup:        markup,
		})
		if err == nil {
			msg = m
		}
		return err
	})
	return msg
}

// onBroadcastButton handles "bc:<action>:<id>" buttons (admins only).
func (b *Bot) onBroadcastButton(ctx context.Context, c chatCtx, msgID int, arg string) (string, error) {
	t := bcTextsFor(c.lang)
	action, idText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return "", nil
	}
	log := b.log.With("broadcast", id, "user_id", c.from, "action", action)
	var prev broadcasts.Status
	toast := ""
	switch action {
	case "confirm":
		_, err = b.broadcasts.Start(ctx, id)
		if err == nil {
			// The control message shows the progress from now on.
			err = b.broadcasts.SetMessage(ctx, id, c.id, msgID)
		}
		toast = t.Started
	case "cancel":
		prev, err = b.broadcasts.Cancel(ctx, id)
		toast = t.Cancelled
	case "pause":
		_, err = b.broadcasts.Pause(ctx, id)
		toast = t.Paused
	case "resume":
		_, err = b.broadcasts.Resume(ctx, id)
		toast = t.Resumed
	default:
		return "", nil
	}
	switch {
	case errors.Is(err, broadcasts.ErrNotFound):
		return t.Gone, nil
	case errors.Is(err, broadcasts.ErrState):
		bc, gerr := b.broadcasts.Get(ctx, id)
		if gerr != nil {
			return t.Gone, nil
		}
		return fmt.Sprintf(t.NotNow, statusWord(t, bc.Status)), nil
	case err != nil:
		return "", err
	}
	log.Info("broadcast " + action)
	if action == "cancel" && prev == broadcasts.Draft {
		b.edit(ctx, c.id, msgID, fmt.Sprintf(t.DraftDropped, id), nil)
		return toast, nil
	}
	bc, err := b.broadcasts.Get(ctx, id)
	if err != nil {
		return "", err
	}
	p, err := b.broadcasts.Progress(ctx, id)
	if err != nil {
		return "", err
	}
	b.showProgress(ctx, bc, p)
	// The next automatic edit comes a full period later.
	if _, err := b.broadcasts.ClaimEdit(ctx, id, b.bcConfig().ProgressEvery); err != nil {
		log.Warn("throttle progress edits", "err", err)
	}
	return toast, nil
}

// RunBroadcasts tends the broadcasts until ctx ends: it feeds running ones
// to the outbox, counts what was delivered, edits progress messages and
// closes the finished ones. Every instance runs it; each step is safe to
// run twice or concurrently, so a crash anywhere is resumed by the next
// pass of any instance.
func (b *Bot) RunBroadcasts(ctx context.Context) error {
	cfg := b.bcConfig()
	tick := time.NewTicker(cfg.FeedEvery)
	defer tick.Stop()
	for {
		ids, err := b.broadcasts.Active(ctx)
		if err != nil && ctx.Err() == nil {
			b.log.Error("list broadcasts", "err", err)
		}
		for _, id := range ids {
			if err := b.tendBroadcast(ctx, cfg, id); err != nil && ctx.Err() == nil {
				b.log.Error("tend broadcast", "broadcast", id, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

func (b *Bot) tendBroadcast(ctx context.Context, cfg BroadcastConfig, id int64) error {
	bc, err := b.broadcasts.Get(ctx, id)
	if errors.Is(err, broadcasts.ErrNotFound) {
		return b.broadcasts.Close(ctx, id) // expired record
	}
	if err != nil {
		return err
	}
	switch bc.Status {
	case broadcasts.Draft:
		if cfg.Now().Sub(bc.Created) < cfg.DraftTTL {
			return nil
		}
		// The admin is told before the draft is closed: a crash in between
		// tells them again on the next pass, never not at all.
		if bc.StatusMsg != 0 {
			lang, _ := b.store.Lang(ctx, bc.StatusChat)
			b.edit(ctx, bc.StatusChat, bc.StatusMsg, fmt.Sprintf(bcTextsFor(lang).DraftExpired, id), nil)
		}
		if _, err := b.broadcasts.Cancel(ctx, id); err != nil && !errors.Is(err, broadcasts.ErrState) {
			return err
		}
		return nil
	case broadcasts.Running:
		if _, err := b.broadcasts.Feed(ctx, id, cfg.BatchSize); err != nil {
			return err
		}
	}
	p, err := b.broadcasts.Progress(ctx, id)
	if err != nil {
		return err
	}
	final := false
	switch bc.Status {
	case broadcasts.Running:
		if p.Settled() {
			if _, err := b.broadcasts.Complete(ctx, id); err != nil {
				return err
			}
			bc.Status, final = broadcasts.Done, true
			b.log.Info("broadcast done", "broadcast", id, "total", p.Total, "sent", p.Sent,
				"blocked", p.Blocked, "failed", p.Failed, "unknown", p.Unknown, "skipped", p.Skipped)
		}
	case broadcasts.Cancelled:
		if p.Stopped < broadcasts.Shards {
			// The canceller stopped before it finished stopping.
			return b.broadcasts.Stop(ctx, id)
		}
		final = p.Settled()
	case broadcasts.Done:
		final = true // a crash came between completing and closing
	}
	if final {
		// Shown before closing, so a crash in between shows it again.
		b.showProgress(ctx, bc, p)
		return b.broadcasts.Close(ctx, id)
	}
	ok, err := b.broadcasts.ClaimEdit(ctx, id, cfg.ProgressEvery)
	if err != nil || !ok {
		return err
	}
	b.showProgress(ctx, bc, p)
	return nil
}

// showProgress edits the broadcast's progress message.
func (b *Bot) showProgress(ctx context.Context, bc broadcasts.Broadcast, p broadcasts.Progress) {
	if bc.StatusMsg == 0 {
		return
	}
	lang, _ := b.store.Lang(ctx, bc.StatusChat)
	text, kb := b.progressView(lang, bc, p, b.bcConfig().Now())
	b.edit(ctx, bc.StatusChat, bc.StatusMsg, text, kb)
}

func statusWord(t bcTexts, st broadcasts.Status) string {
	switch st {
	case broadcasts.Running:
		return t.StRunning
	case broadcasts.Paused:
		return t.StPaused
	case broadcasts.Done:
		return t.StDone
	case broadcasts.Cancelled:
		return t.StCancelled
	}
	return html.EscapeString(string(st))
}

// progressView renders the progress message and its buttons.
func (b *Bot) progressView(lang string, bc broadcasts.Broadcast, p broadcasts.Progress, now time.Time) (string, *models.InlineKeyboardMarkup) {
	t := bcTextsFor(lang)
	to := t.ToEveryone
	if bc.Topic != "" {
		to = fmt.Sprintf(t.ToFollowers, html.EscapeString(b.bcTopicName(lang, bc.Topic)))
	}
	lines := []string{
		fmt.Sprintf(t.Title, bc.ID, statusWord(t, bc.Status)),
		fmt.Sprintf(t.To, to),
		"",
		fmt.Sprintf(t.Sent, p.Sent),
		fmt.Sprintf(t.Blocked, p.Blocked),
		fmt.Sprintf(t.Failed, p.Failed),
		fmt.Sprintf(t.Unknown, p.Unknown),
	}
	if p.Skipped > 0 {
		lines = append(lines, fmt.Sprintf(t.Skipped, p.Skipped))
	}
	if p.Cancelled > 0 {
		lines = append(lines, fmt.Sprintf(t.NotSent, p.Cancelled))
	}
	total := max(p.Total, bc.Total)
	elapsed := now.Sub(bc.Started)
	switch bc.Status {
	case broadcasts.Running, broadcasts.Paused:
		last := fmt.Sprintf(t.Remaining, p.Remaining(), total)
		// The average rate since the start: the sender runs at a steady
		// rate, so it predicts well (a pause makes it pessimistic).
		if done := p.Finished() - p.Cancelled; bc.Status == broadcasts.Running && done > 0 && elapsed > time.Second && !bc.Started.IsZero() {
			eta := time.Duration(float64(elapsed) * float64(p.Remaining()) / float64(done))
			last += " · " + fmt.Sprintf(t.ETA, clock(eta))
		}
		lines = append(lines, last)
	case broadcasts.Done:
		if !bc.Started.IsZero() {
			lines = append(lines, fmt.Sprintf(t.Took, clock(elapsed)))
		}
	}
	var kb *models.InlineKeyboardMarkup
	switch bc.Status {
	case broadcasts.Running:
		kb = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
			{Text: t.Pause, CallbackData: bcData("pause", bc.ID)},
			{Text: t.Cancel, CallbackData: bcData("cancel", bc.ID)},
		}}}
	case broadcasts.Paused:
		kb = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{
			{Text: t.Resume, CallbackData: bcData("resume", bc.ID)},
			{Text: t.Cancel, CallbackData: bcData("cancel", bc.ID)},
		}}}
	}
	return strings.Join(lines, "\n"), kb
}

// clock formats a duration as m:ss or h:mm:ss, which reads the same in
// Arabic and English.
func clock(d time.Duration) string {
	s := int64(max(d, 0).Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// edit replaces a message's text and buttons (nil removes them). An edit
// that changes nothing is not an error.
func (b *Bot) edit(ctx context.Context, chatID int64, msgID int, text string, kb *models.InlineKeyboardMarkup) {
	p := &tg.EditMessageTextParams{
		ChatID: chatID, MessageID: msgID, Text: bidi.Message(text), ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
	}
	if kb != nil {
		p.ReplyMarkup = kb
	}
	b.call(ctx, chatID, "editMessageText", func() error {
		_, err := b.api.EditMessageText(ctx, p)
		if tgerr.NotModified(err) {
			return nil
		}
		return err
	})
}
