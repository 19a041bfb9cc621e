package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/digest/arabic"
	"nashra/signup"
	"nashra/subscribers"
)

const (
	// MaxTopicRunes bounds one topic or keyword a reader may follow.
	MaxTopicRunes = 64
	// maxItemsPerCommand bounds how many topics one /follow may add.
	maxItemsPerCommand = 10
)

// chatCtx is what a handler knows about the chat it answers.
type chatCtx struct {
	id     int64
	typ    models.ChatType
	lang   string
	from   int64
	sender *models.Chat // set when an anonymous group admin speaks as the group
	title  string       // a group's name
}

func (c chatCtx) isGroup() bool {
	return c.typ == models.ChatTypeGroup || c.typ == models.ChatTypeSupergroup
}

// shared reports a chat whose subscription only its admins may change: a
// group, or a channel (where a button press comes from any viewer).
func (c chatCtx) shared() bool {
	return c.isGroup() || c.typ == models.ChatTypeChannel
}

// adminsOnly is the refusal a non-admin gets in a shared chat.
func (c chatCtx) adminsOnly(t *texts) string {
	if c.typ == models.ChatTypeChannel {
		return t.ChannelAdminOnly
	}
	return t.GroupAdminsOnly
}

func (b *Bot) chat(ctx context.Context, m *models.Message) chatCtx {
	c := chatCtx{id: m.Chat.ID, typ: m.Chat.Type, sender: m.SenderChat, title: m.Chat.Title}
	if m.From != nil {
		c.from = m.From.ID
	}
	lang, err := b.store.Lang(ctx, c.id)
	if err != nil {
		b.log.Warn("reader language", "chat_id", c.id, "err", err)
	}
	c.lang = lang
	return c
}

func (b *Bot) onMessage(ctx context.Context, m *models.Message) {
	if m.Chat.Type == models.ChatTypeChannel {
		return
	}
	c := b.chat(ctx, m)
	if m.MigrateToChatID != 0 {
		// The group became a supergroup with a new id: the subscription
		// follows it.
		if err := b.store.MoveReader(ctx, m.Chat.ID, m.MigrateToChatID); err != nil {
			b.log.Error("move migrated group", "chat_id", m.Chat.ID, "to", m.MigrateToChatID, "err", err)
		}
		return
	}
	cmd, ok := ParseCommand(m.Text, m.Entities)
	if !ok {
		// In a group people talk to each other; only private chats are
		// answered, with the topics the text names or is near.
		if !c.isGroup() && m.Text != "" {
			if err := b.suggest(ctx, c, m.Text); err != nil {
				b.log.Error("plain text", "chat_id", c.id, "err", err)
				b.send(ctx, c.id, textsFor(c.lang).Failure, nil)
			}
		}
		return
	}
	if !cmd.ForBot(b.username) {
		return
	}
	log := b.log.With("chat_id", c.id, "command", cmd.Name)
	t := textsFor(c.lang)

	switch cmd.Name {
	case "help":
		b.send(ctx, c.id, t.Help, nil)
		return
	case "mytopics":
		b.myTopics(ctx, c)
		return
	}
	if h, ok := b.adminHandlers()[cmd.Name]; ok {
		if !b.admins[c.from] {
			log.Warn("admin command refused: not an admin", "user_id", c.from)
			b.send(ctx, c.id, t.NotAdmin, nil)
			return
		}
		if err := h(ctx, c, cmd.Args, m); err != nil {
			log.Error("admin command failed", "err", err)
			b.send(ctx, c.id, t.Failure, nil)
		}
		return
	}
	handlers := map[string]func(context.Context, chatCtx, string) error{
		"start":    b.start,
		"stop":     b.stop,
		"follow":   b.follow,
		"unfollow": b.unfollow,
		"topics":   b.topics,
		"lang":     b.lang,
		"time":     b.time,
		"breaking": b.breaking,
		"pause":    b.pause,
		"resume":   b.resume,
		"digest":   b.digestNow,
		"settings": b.settings,
		"mydata":   b.myData,
		"forget":   b.forget,
	}
	h, known := handlers[cmd.Name]
	if !known {
		// In a group an unaddressed unknown command is probably another bot's.
		if !c.isGroup() || cmd.Mention != "" {
			b.send(ctx, c.id, fmt.Sprintf(t.Unknown, html.EscapeString("/"+cmd.Name)), nil)
		}
		return
	}
	if c.isGroup() && !b.isChatAdmin(ctx, c) {
		b.send(ctx, c.id, t.GroupAdminsOnly, nil)
		return
	}
	if err := h(ctx, c, cmd.Args); err != nil {
		log.Error("command failed", "err", err)
		b.send(ctx, c.id, textsFor(c.lang).Failure, nil)
	}
}

// isChatAdmin reports whether the sender may change a group's or a
// channel's subscription: its creator and administrators, including an
// anonymous admin posting as the group.
func (b *Bot) isChatAdmin(ctx context.Context, c chatCtx) bool {
	if c.sender != nil && c.sender.ID == c.id {
		return true
	}
	if c.from == 0 {
		return false
	}
	m, err := b.api.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: c.id, UserID: c.from})
	if err != nil {
		b.log.Warn("chat admin check", "chat_id", c.id, "user_id", c.from, "err", err)
		return false
	}
	return m.Type == models.ChatMemberTypeOwner || m.Type == models.ChatMemberTypeAdministrator
}

// payloadPart is what a /start deep-link payload may hold: a signup source
// and follow-<slug> items, joined by "_" (t.me/<bot>?start=site-footer_follow-sdf).
var payloadPart = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)

// parsePayload reads a /start payload; each slug comes once, in the order
// first named. A link carries at most 64 characters, but a payload typed by
// hand can repeat a follow hundreds of times.
func parsePayload(p string) (source string, slugs []string) {
	seen := map[string]bool{}
	for part := range strings.SplitSeq(strings.ToLower(p), "_") {
		if !payloadPart.MatchString(part) {
			continue
		}
		if slug, ok := strings.CutPrefix(part, "follow-"); ok {
			if !seen[slug] {
				seen[slug] = true
				slugs = append(slugs, slug)
			}
		} else if source == "" && !strings.HasPrefix(part, signup.TokenPrefix) {
			source = part
		}
	}
	return source, slugs
}

func (b *Bot) start(ctx context.Context, c chatCtx, args string) error {
	source, slugs := parsePayload(args)
	if source == "" {
		source = "direct"
	}
	page, err := b.redeemSignup(ctx, args)
	if err != nil {
		return err
	}
	res, err := b.store.Start(ctx, c.id, subscribers.Joined{Source: source, ChatType: string(c.typ), Lang: page.lang()})
	if err != nil {
		return err
	}
	if res.Created && page.lang() != "" {
		c.lang = page.lang()
	}
	t := textsFor(c.lang)
	greeting := t.Welcome
	switch {
	case res.Created:
	case res.Previous == subscribers.Active:
		greeting = t.WelcomeAgain
	default:
		greeting = t.WelcomeBack
	}
	followed, note, err := b.applySignup(ctx, c, page)
	if err != nil {
		return err
	}
	if page.token {
		slugs = nil // the page's choice replaces any follow- parts
	}
	tried := 0
	for _, slug := range slugs {
		topic, ok := b.catalog.Get(slug)
		if !ok {
			continue
		}
		// No payload asks for more follows than a reader may have; the rest
		// is dropped quietly, as a link cut short would be.
		if tried++; tried > b.store.MaxFollows() {
			break
		}
		r, err := b.store.Follow(ctx, c.id, subscribers.TopicFollow(slug))
		if err != nil {
			return err
		}
		if r == subscribers.LimitReached {
			break
		}
		followed = append(followed, html.EscapeString(topic.Name(c.lang)))
	}
	r, err := b.store.Get(ctx, c.id)
	if err != nil {
		return err
	}
	text := b.startScreen(c, greeting, r, followed)
	if note != "" {
		text += "\n\n" + note
	}
	b.send(ctx, c.id, text, startKeyboard(c.lang))
	b.latestAtStart(ctx, c)
	return nil
}

// stop is /stop: at once (the reader typed it), with an undo button.
func (b *Bot) stop(ctx context.Context, c chatCtx, _ string) error {
	text, kb, err := b.unsubscribe(ctx, c)
	if err != nil {
		return err
	}
	if kb == nil {
		b.send(ctx, c.id, text, nil)
		return nil
	}
	b.send(ctx, c.id, text, kb)
	return nil
}

// wanted is one topic or keyword named in /follow or /unfollow.
type wanted struct {
	follow subscribers.Follow
	label  string // escaped, for replies
	err    string // set when the item is refused; the reply says why
}

// splitItems splits command arguments into items: one per line, or
// separated by commas (Latin or Arabic).
func splitItems(args string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(args, func(r rune) bool { return r == '\n' || r == ',' || r == '،' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// resolve turns what a reader typed into a follow: a catalog topic when
// the words name one (قسد, SDF, "قوات سوريا الديمقراطية"), else a free
// keyword matched the same way articles are.
func (b *Bot) resolve(lang, raw string) wanted {
	t := textsFor(lang)
	words := cleanTopic(raw)
	if utf8.RuneCountInString(words) > MaxTopicRunes {
		return wanted{err: fmt.Sprintf(t.TopicTooLong, arabic.Plural(MaxTopicRunes, countsFor(lang).Letters))}
	}
	if !validTopic(words) {
		return wanted{err: fmt.Sprintf(t.TopicInvalid, html.EscapeString(truncate(raw, 40)))}
	}
	if topic, ok := b.catalog.Lookup(words); ok {
		return wanted{follow: subscribers.TopicFollow(topic.Slug), label: html.EscapeString(topic.Name(lang))}
	}
	p, ok := arabic.NewPhrase(words)
	if !ok {
		return wanted{err: fmt.Sprintf(t.TopicInvalid, html.EscapeString(truncate(raw, 40)))}
	}
	return wanted{follow: subscribers.KeywordFollow(words, p.Key()), label: html.EscapeString(words)}
}

// cleanTopic drops what decorates a topic without changing it: a leading
// #, surrounding quotes, hashtag underscores.
func cleanTopic(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "#")
	s = strings.Trim(s, `"'«»“”‘’„ `)
	s = strings.ReplaceAll(s, "_", " ")
	return strings.Join(strings.Fields(s), " ")
}

// validTopic accepts letters (any script), digits, spaces and the few
// marks names use; markup, emoji and symbols are refused so nothing odd
// is stored or echoed.
func validTopic(s string) bool {
	if s == "" {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters++
		case unicode.Is(unicode.Mn, r), r == ' ', r == '-', r == '.', r == '\'', r == '&', r == '\u200c', r == '\u0640':
		default:
			return false
		}
	}
	return letters > 0
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// ensureReader makes a chat that follows something without /start a
// reader, so /follow never silently does nothing.
func (b *Bot) ensureReader(ctx context.Context, c chatCtx) (subscribers.Status, error) {
	r, err := b.store.Get(ctx, c.id)
	if err == nil {
		return r.Status, nil
	}
	if !errors.Is(err, subscribers.ErrNotFound) {
		return "", err
	}
	if _, err := b.store.Start(ctx, c.id, subscribers.Joined{Source: "follow", ChatType: string(c.typ)}); err != nil {
		return "", err
	}
	return subscribers.Active, nil
}

func (b *Bot) follow(ctx context.Context, c chatCtx, args string) error {
	t := textsFor(c.lang)
	items := splitItems(args)
	if len(items) == 0 {
		b.send(ctx, c.id, fmt.Sprintf(t.FollowUsage, followExamples(c.lang)), nil)
		return nil
	}
	if len(items) > maxItemsPerCommand {
		b.send(ctx, c.id, fmt.Sprintf(t.TooManyAtOnce, arabic.Plural(maxItemsPerCommand, countsFor(c.lang).Topics)), nil)
		return nil
	}
	ws := make([]wanted, len(items))
	for i, raw := range items {
		ws[i] = b.resolve(c.lang, raw)
	}
	reply, err := b.followAll(ctx, c, ws)
	if err != nil {
		return err
	}
	b.send(ctx, c.id, reply, nil)
	return nil
}

// followAll follows what a reader asked for (by /follow or a button) and
// says what came of each. A reader who followed nothing got every story:
// their first follow narrows the digest, and they are told so.
func (b *Bot) followAll(ctx context.Context, c chatCtx, ws []wanted) (string, error) {
	t := textsFor(c.lang)
	status, err := b.ensureReader(ctx, c)
	if err != nil {
		return "", err
	}
	before, err := b.store.Follows(ctx, c.id)
	if err != nil {
		return "", err
	}
	var lines []string
	added := 0
	for _, w := range ws {
		if w.err != "" {
			lines = append(lines, w.err)
			continue
		}
		res, err := b.store.Follow(ctx, c.id, w.follow)
		if err != nil {
			return "", err
		}
		switch res {
		case subscribers.Added:
			added++
			if w.follow.Topic != "" {
				lines = append(lines, fmt.Sprintf(t.Followed, w.label))
			} else {
				lines = append(lines, fmt.Sprintf(t.FollowedKeyword, w.label))
			}
		case subscribers.AlreadyFollowing:
			lines = append(lines, fmt.Sprintf(t.AlreadyFollowing, w.label))
		case subscribers.LimitReached:
			lines = append(lines, fmt.Sprintf(t.FollowLimit, arabic.Plural(b.store.MaxFollows(), countsFor(c.lang).Follows), w.label))
		}
	}
	if len(before) == 0 && added > 0 {
		lines = append(lines, "", t.FollowedFirst)
	}
	if status == subscribers.Stopped || status == subscribers.Blocked {
		lines = append(lines, t.StoppedNote)
	}
	return strings.Join(lines, "\n"), nil
}

func (b *Bot) unfollow(ctx context.Context, c chatCtx, args string) error {
	t := textsFor(c.lang)
	items := splitItems(args)
	if len(items) == 0 {
		follows, err := b.store.Follows(ctx, c.id)
		if err != nil {
			return err
		}
		if len(follows) == 0 {
			b.send(ctx, c.id, t.UnfollowUsage, nil)
			return nil
		}
		b.send(ctx, c.id, t.UnfollowPick, b.unfollowKeyboard(c.lang, follows))
		return nil
	}
	if len(items) > maxItemsPerCommand {
		b.send(ctx, c.id, fmt.Sprintf(t.TooManyAtOnce, arabic.Plural(maxItemsPerCommand, countsFor(c.lang).Topics)), nil)
		return nil
	}
	var lines []string
	for _, raw := range items {
		w := b.resolve(c.lang, raw)
		if w.err != "" {
			lines = append(lines, w.err)
			continue
		}
		ok, err := b.store.Unfollow(ctx, c.id, w.follow.Key)
		if err != nil {
			return err
		}
		if ok {
			lines = append(lines, fmt.Sprintf(t.Unfollowed, w.label))
		} else {
			lines = append(lines, fmt.Sprintf(t.NotFollowing, w.label))
		}
	}
	b.send(ctx, c.id, strings.Join(lines, "\n"), nil)
	return nil
}

// followLabel names a follow for the reader, escaped.
func (b *Bot) followLabel(lang string, f subscribers.Follow) string {
	if f.Topic != "" {
		if topic, ok := b.catalog.Get(f.Topic); ok {
			return html.EscapeString(topic.Name(lang))
		}
		return html.EscapeString(f.Topic)
	}
	return html.EscapeString(f.Keyword) + " " + textsFor(lang).KeywordNote
}

func (b *Bot) myTopics(ctx context.Context, c chatCtx) {
	t := textsFor(c.lang)
	follows, err := b.store.Follows(ctx, c.id)
	if err != nil {
		b.log.Error("list follows", "chat_id", c.id, "err", err)
		b.send(ctx, c.id, t.Failure, nil)
		return
	}
	if len(follows) == 0 {
		b.send(ctx, c.id, t.MyTopicsNone, nil)
		return
	}
	lines := make([]string, len(follows))
	for i, f := range follows {
		lines[i] = "• " + b.followLabel(c.lang, f)
	}
	// 60 follows of 64 letters pass Telegram's 4096 characters.
	b.sendLong(ctx, c.id, fmt.Sprintf(t.MyTopics, strings.Join(lines, "\n")), nil)
}

func (b *Bot) lang(ctx context.Context, c chatCtx, args string) error {
	var lang string
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "ar", "arabic", "عربي", "العربية", "عربية":
		lang = "ar"
	case "en", "english", "انجليزي", "الإنجليزية", "إنجليزي", "الانجليزية":
		lang = "en"
	default:
		b.send(ctx, c.id, textsFor(c.lang).LangUsage, langKeyboard())
		return nil
	}
	return b.setLang(ctx, c, lang)
}

func (b *Bot) setLang(ctx context.Context, c chatCtx, lang string) error {
	if _, err := b.ensureReader(ctx, c); err != nil {
		return err
	}
	if err := b.store.SetLang(ctx, c.id, lang); err != nil {
		return err
	}
	b.send(ctx, c.id, textsFor(lang).LangChosen, nil)
	return nil
}

// onMembership follows the bot's own membership: blocked in a private
// chat, added to or removed from a group.
func (b *Bot) onMembership(ctx context.Context, u *models.ChatMemberUpdated) {
	now := u.NewChatMember.Type
	was := u.OldChatMember.Type
	gone := now == models.ChatMemberTypeBanned || now == models.ChatMemberTypeLeft
	switch {
	case gone:
		if _, err := b.store.SetStatus(ctx, u.Chat.ID, subscribers.Blocked, "bot "+string(now)); err != nil && !errors.Is(err, subscribers.ErrNotFound) {
			b.log.Warn("mark reader blocked", "chat_id", u.Chat.ID, "err", err)
		}
		b.log.Info("bot removed from chat", "chat_id", u.Chat.ID, "status", string(now))
	case u.Chat.Type != models.ChatTypePrivate && (was == models.ChatMemberTypeLeft || was == models.ChatMemberTypeBanned || was == ""):
		lang, _ := b.store.Lang(ctx, u.Chat.ID)
		b.send(ctx, u.Chat.ID, fmt.Sprintf(textsFor(lang).GroupWelcome, html.EscapeString(b.username)), nil)
	}
}
