package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bidi"
	"nashra/digest"
	"nashra/outbox"
	"nashra/signup/settings"
	"nashra/subscribers"
)

// /settings sends a personal link to the preference page on the web
// (package signup/page), where the reader changes topics, keywords and
// digest time; a save there comes back through SavePrefs, which changes
// the follows and the schedule with the store's calls the commands use,
// and tells the chat at once through the outbox.
//
// In a group the link goes to the admin who asked, in a private message:
// whoever holds it may change the group's settings, so it is never shown
// to the group.

// SettingsLinks makes the tokens of the links /settings sends
// (settings.Links).
type SettingsLinks interface {
	Issue(ctx context.Context, chatID int64) (token string, expires time.Time, err error)
}

// settings answers /settings. In a group, onMessage has let only its
// admins through.
func (b *Bot) settings(ctx context.Context, c chatCtx, _ string) error {
	t := textsFor(c.lang)
	if b.opt.Settings == nil || b.opt.SettingsURL == "" {
		b.send(ctx, c.id, t.SettingsInBot, nil)
		return nil
	}
	if c.isGroup() && (c.from == 0 || (c.sender != nil && c.sender.ID == c.id)) {
		// An anonymous admin: there is nobody to write to in private.
		b.send(ctx, c.id, t.SettingsAnonymous, nil)
		return nil
	}
	link, err := b.settingsLink(ctx, c.id)
	if errors.Is(err, subscribers.ErrNotFound) {
		b.send(ctx, c.id, t.StartFirst, nil)
		return nil
	}
	if err != nil {
		return err
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: t.ButtonSettings, URL: link}}}}
	if !c.isGroup() {
		b.send(ctx, c.id, t.SettingsLink, kb)
		return nil
	}
	name := c.title
	if name == "" {
		name = fmt.Sprint(c.id)
	}
	if b.sendChecked(ctx, c.from, fmt.Sprintf(t.SettingsGroupLink, html.EscapeString(name)), kb) {
		b.send(ctx, c.id, t.SettingsSentPrivately, nil)
		return nil
	}
	// Telegram lets a bot write only to someone who has opened a chat
	// with it.
	var open models.ReplyMarkup
	if b.username != "" {
		open = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: t.ButtonOpenBot, URL: "https://t.me/" + url.PathEscape(b.username)}}}}
	}
	b.send(ctx, c.id, t.SettingsNoPrivate, open)
	return nil
}

// settingsLink is the preference page's URL for chatID, with a new token.
func (b *Bot) settingsLink(ctx context.Context, chatID int64) (string, error) {
	tok, _, err := b.opt.Settings.Issue(ctx, chatID)
	if err != nil {
		return "", err
	}
	return b.opt.SettingsURL + "?t=" + url.QueryEscape(tok), nil
}

// sendChecked is send that reports whether Telegram took the message.
func (b *Bot) sendChecked(ctx context.Context, chatID int64, text string, markup models.ReplyMarkup) bool {
	params := &tg.SendMessageParams{
		ChatID:             chatID,
		Text:               bidi.Message(text),
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
		ReplyMarkup:        markup,
	}
	return b.call(ctx, chatID, "sendMessage", func() error {
		_, err := b.api.SendMessage(ctx, params)
		return err
	})
}

// Prefs returns chatID's settings as the preference page shows them;
// subscribers.ErrNotFound for a chat that is not a reader.
func (b *Bot) Prefs(ctx context.Context, chatID int64) (settings.Prefs, error) {
	r, err := b.store.Get(ctx, chatID)
	if err != nil {
		return settings.Prefs{}, err
	}
	return b.prefsOf(r), nil
}

func (b *Bot) prefsOf(r subscribers.Reader) settings.Prefs {
	lang := "ar"
	if r.Lang == "en" {
		lang = "en"
	}
	p := settings.Prefs{Lang: lang, Schedule: r.Schedule, ScheduleWords: b.describeSchedule(lang, r.Schedule), MaxFollows: b.store.MaxFollows()}
	for _, f := range r.Follows {
		if f.Topic != "" {
			p.Topics = append(p.Topics, f.Topic)
		} else {
			p.Keywords = append(p.Keywords, settings.Keyword{Key: f.Key, Words: f.Keyword})
		}
	}
	return p
}

// SavePrefs makes chatID follow exactly the topics and keywords of ch and
// sets its schedule, as the preference page's form asked, then tells the
// chat what it follows now and when its news comes, through the outbox.
// More follows than a reader may have change nothing (OverLimit). A slug
// the catalog does not know and a keyword the chat does not follow are
// left out: the page offers neither.
func (b *Bot) SavePrefs(ctx context.Context, chatID int64, ch settings.Choice) (settings.Outcome, error) {
	r, err := b.store.Get(ctx, chatID)
	if err != nil {
		return settings.Outcome{}, err
	}
	max := b.store.MaxFollows()
	want := map[string]bool{}
	var topics []string
	for _, slug := range ch.Topics {
		if _, ok := b.catalog.Get(slug); ok && !want["t:"+slug] {
			want["t:"+slug] = true
			topics = append(topics, slug)
		}
	}
	have := map[string]bool{}
	keep := 0
	for _, f := range r.Follows {
		have[f.Key] = true
	}
	for _, key := range ch.Keywords {
		if strings.HasPrefix(key, "k:") && have[key] && !want[key] {
			want[key] = true
			keep++
		}
	}
	if len(topics)+keep > max {
		return settings.Outcome{OverLimit: true, MaxFollows: max, Prefs: b.prefsOf(r)}, nil
	}
	for _, f := range r.Follows {
		if !want[f.Key] {
			if _, err := b.store.Unfollow(ctx, chatID, f.Key); err != nil {
				return settings.Outcome{}, err
			}
		}
	}
	for _, slug := range topics {
		if have["t:"+slug] {
			continue
		}
		res, err := b.store.Follow(ctx, chatID, subscribers.TopicFollow(slug))
		if err != nil {
			return settings.Outcome{}, err
		}
		if res == subscribers.LimitReached {
			break // the bot added a follow meanwhile; the message says what holds
		}
	}
	if spec, ok := signupSchedule(ch.Schedule); ok && !ch.KeepSchedule {
		if err := b.store.SetSchedule(ctx, chatID, spec); err != nil {
			return settings.Outcome{}, err
		}
	}
	if r, err = b.store.Get(ctx, chatID); err != nil {
		return settings.Outcome{}, err
	}
	if err := b.confirmPrefs(ctx, r); err != nil {
		return settings.Outcome{}, err
	}
	return settings.Outcome{MaxFollows: max, Prefs: b.prefsOf(r)}, nil
}

// confirmPrefs queues the message that tells r's chat its settings after a
// save on the page: what it follows, when its news comes.
func (b *Bot) confirmPrefs(ctx context.Context, r subscribers.Reader) error {
	lang := b.prefsOf(r).Lang
	t := textsFor(lang)
	following := t.SettingsFollowAll
	if len(r.Follows) > 0 {
		labels := make([]string, len(r.Follows))
		for i, f := range r.Follows {
			labels[i] = b.followLabel(lang, f)
		}
		following = fmt.Sprintf(t.SettingsFollowing, strings.Join(labels, t.ListSep))
	}
	lines := []string{t.SettingsSaved, following, b.whenWords(lang, r.Schedule)}
	if r.Status == subscribers.Stopped || r.Status == subscribers.Blocked {
		lines = append(lines, t.StoppedNote)
	}
	// Sixty long keywords pass one message's length: the rest follows.
	parts := splitHTML(bidi.Message(strings.Join(lines, "\n")), digest.MaxMessageLen)
	id := fmt.Sprintf("prefs:%d:%d", r.ChatID, b.opt.Now().UnixNano())
	jobs := make([]outbox.Job, len(parts))
	for i, p := range parts {
		jobs[i] = outbox.Job{ID: fmt.Sprintf("%s:%d", id, i), ChatID: r.ChatID, Kind: "notice", Text: p, Priority: outbox.High}
	}
	if err := b.outbox.Enqueue(ctx, jobs...); err != nil {
		return fmt.Errorf("confirm the settings of %d: %w", r.ChatID, err)
	}
	return nil
}
