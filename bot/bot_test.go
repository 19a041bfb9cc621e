package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot"
	"nashra/bot/inbox"
	"nashra/bot/telegramtest"
	"nashra/broadcasts"
	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/signup"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

const adminID = 900

// harness runs a real Bot against the fake Bot API and a test Redis.
type harness struct {
	t       *testing.T
	srv     *telegramtest.Server
	store   *subscribers.Store
	queue   *outbox.Store
	arts    *articles.Store
	builder *digest.Builder
	redis   *redistest.Redis
	signups *signup.Store
	bot     *bot.Bot
	done    chan error
	stop    context.CancelFunc
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessAt(t, nil)
}

// newHarnessAt is newHarness on the clock now (the real one when nil),
// shared by the bot, the stores and the digest builder.
func newHarnessAt(t *testing.T, now func() time.Time) *harness {
	t.Helper()
	return newHarnessWith(t, now, nil)
}

// newHarnessWith is newHarnessAt with the bot's options changed by tweak
// (when not nil) before the bot is built.
func newHarnessWith(t *testing.T, now func() time.Time, tweak func(*bot.Options, *redistest.Redis, *subscribers.Store)) *harness {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: now})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix, Now: now})
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix, Now: now})
	loc, _ := time.LoadLocation("Asia/Damascus")
	builder := &digest.Builder{Readers: store, Outbox: queue, Articles: arts, DefaultSchedule: "0 8 * * *", Location: loc, Now: now}
	signups := signup.New(r.Client, signup.Options{Prefix: r.Prefix})
	opt := bot.Options{
		Signups:         signups,
		Token:           srv.Token(),
		APIURL:          srv.URL(),
		Store:           store,
		Outbox:          queue,
		Broadcasts:      broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix}),
		Inbox:           inbox.New(r.Client, inbox.Options{Prefix: r.Prefix}),
		Catalog:         topics.Builtin(),
		Admins:          []int64{adminID},
		PollTimeout:     5 * time.Second,
		Digests:         builder,
		DefaultSchedule: "0 8 * * *",
		Location:        loc,
		Now:             now,
		BreakingCap:     3,
	}
	if tweak != nil {
		tweak(&opt, r, store)
	}
	b, err := bot.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, srv: srv, store: store, queue: queue, arts: arts, builder: builder, redis: r, signups: signups, bot: b, done: make(chan error, 1), stop: cancel}
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(func() { h.shutdown() })
	return h
}

func (h *harness) shutdown() error {
	h.stop()
	select {
	case err := <-h.done:
		h.done <- err
		return err
	case <-time.After(30 * time.Second):
		h.t.Fatal("bot did not stop within 30s of cancellation")
		return nil
	}
}

// say sends text as user and returns the bot's next message to that chat.
func (h *harness) say(user models.User, text string) telegramtest.Message {
	h.t.Helper()
	return h.sayIn(user.ID, func() { h.srv.SendText(user, text) })
}

func (h *harness) sayIn(chatID int64, send func()) telegramtest.Message {
	h.t.Helper()
	before := len(h.srv.SentTo(chatID))
	send()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := h.srv.WaitMessages(ctx, chatID, before+1)
	if err != nil {
		h.t.Fatalf("no reply in chat %d: %v", chatID, err)
	}
	return msgs[before]
}

func (h *harness) reader(chatID int64) subscribers.Reader {
	h.t.Helper()
	r, err := h.store.Get(context.Background(), chatID)
	if err != nil {
		h.t.Fatalf("reader %d: %v", chatID, err)
	}
	return r
}

func wantContains(t *testing.T, m telegramtest.Message, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(m.Visible(), p) {
			t.Errorf("reply %q does not contain %q", m.Text, p)
		}
	}
}

func followKeys(r subscribers.Reader) string {
	var keys []string
	for _, f := range r.Follows {
		keys = append(keys, f.Key)
	}
	return strings.Join(keys, ",")
}

func TestReaderJourney(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(101, "ar")

	m := h.say(u, "/start site-footer")
	wantContains(t, m, "أهلاً بك") // "welcome"
	if m.ParseMode != "HTML" {
		t.Errorf("reply parse mode %q; want HTML", m.ParseMode)
	}
	r := h.reader(101)
	if r.Status != subscribers.Active || r.Source != "site-footer" || r.Lang != "ar" {
		t.Errorf("after /start reader = %+v; want active, source site-footer, Arabic", r)
	}

	// "follow SDF" in Arabic, then by its English alias: one follow.
	m = h.say(u, "/follow قسد")
	wantContains(t, m, "تتابع") // "you follow"
	m = h.say(u, "/follow SDF")
	wantContains(t, m, "من قبل") // "already"
	if got := followKeys(h.reader(101)); got != "t:sdf" {
		t.Errorf("follows = %q; want exactly t:sdf", got)
	}

	m = h.say(u, "/mytopics")
	wantContains(t, m, "قوات سوريا الديمقراطية")

	m = h.say(u, "/unfollow قسد")
	wantContains(t, m, "ألغيتَ متابعة")
	if got := followKeys(h.reader(101)); got != "" {
		t.Errorf("follows after /unfollow = %q; want none", got)
	}

	m = h.say(u, "/stop")
	wantContains(t, m, "ألغينا اشتراكك") // "we have unsubscribed you"
	if st := h.reader(101).Status; st != subscribers.Stopped {
		t.Errorf("status after /stop = %s; want stopped", st)
	}
	m = h.say(u, "/start")
	wantContains(t, m, "أهلاً بعودتك") // "welcome back"
	if r := h.reader(101); r.Status != subscribers.Active || r.Source != "site-footer" {
		t.Errorf("after returning reader = %+v; want active with the first source kept", r)
	}
}

func TestCommandForms(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(102, "ar")
	h.say(u, "/start")
	for _, text := range []string{
		"/FOLLOW   داعش  ",                // upper case, extra spaces: ISIS
		"/follow@nashra_bot الرقة",        // addressed form: Raqqa
		"/follow #قوات_سوريا_الديمقراطية", // hashtag of SDF's full name
		"/follow التحالف الدولي\nمنبج",    // two on two lines: coalition, Manbij
	} {
		h.say(u, text)
	}
	got := followKeys(h.reader(102))
	for _, want := range []string{"t:isis", "t:raqqa", "t:sdf", "t:coalition", "t:manbij"} {
		if !strings.Contains(got, want) {
			t.Errorf("follows %q lack %s", got, want)
		}
	}
}

func TestBadInput(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(103, "ar")
	h.say(u, "/start")

	tests := []struct {
		name, text string
		want       []string
	}{
		{"follow without argument", "/follow", []string{"اكتب الموضوع"}},
		{"300-character topic", "/follow " + strings.Repeat("قسد", 100), []string{"طويل جداً", "64"}},
		{"HTML in a topic", "/follow <b>قسد</b>", []string{"لا نستطيع متابعة", "<b>قسد</b>"}},
		{"unknown command", "/frobnicate", []string{"لا نعرف الأمر", "/frobnicate"}},
		{"plain text", "مرحبا", []string{"لا نعرف موضوعاً باسم «مرحبا»"}}, // "hello": "we know no topic called «hello»"
		{"non-admin broadcast", "/broadcast hello everyone", []string{"مخصّص لمحرّري النشرة"}},
		{"lang without argument", "/lang", []string{"اختر اللغة"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := h.say(u, tt.text)
			wantContains(t, m, tt.want...)
		})
	}
	if got := followKeys(h.reader(103)); got != "" {
		t.Errorf("bad input stored follows %q; want none", got)
	}
	// The HTML came back escaped, as text (the fake rejects bad HTML).
	for _, m := range h.srv.SentTo(103) {
		if strings.Contains(m.Raw, "<b>قسد</b>") {
			t.Errorf("raw reply %q echoes the reader's HTML unescaped", m.Raw)
		}
	}
}

func TestFollowCap(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(104, "en")
	h.say(u, "/start")
	for batch := range subscribers.DefaultMaxFollows / 10 {
		var words []string
		for i := range 10 {
			words = append(words, fmt.Sprintf("keyword%d", batch*10+i))
		}
		h.say(u, "/follow "+strings.Join(words, "\n"))
	}
	if n := len(h.reader(104).Follows); n != subscribers.DefaultMaxFollows {
		t.Fatalf("%d follows; want %d", n, subscribers.DefaultMaxFollows)
	}
	m := h.say(u, "/follow one more")
	wantContains(t, m, "60", "one more")
	if n := len(h.reader(104).Follows); n != subscribers.DefaultMaxFollows {
		t.Errorf("the 61st follow was stored: %d follows", n)
	}
}

func TestTopicsKeyboardToggles(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(105, "ar")
	h.say(u, "/start")
	kb := h.say(u, "/topics")
	if kb.ReplyMarkup == nil || !containsButton(kb, "|t:sdf") {
		t.Fatalf("/topics sent %v; want an inline keyboard with t:sdf", kb.Buttons())
	}
	if _, err := h.srv.PressButton(105, kb.MessageID, 105, "t:sdf"); err != nil {
		t.Fatal(err)
	}
	snap, err := h.srv.WaitFor(20*time.Second, func(s telegramtest.Snapshot) bool {
		for _, m := range s.SentTo(105) {
			if m.MessageID == kb.MessageID && m.Edits > 0 {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatal(err)
	}
	var edited telegramtest.Message
	for _, m := range snap.SentTo(105) {
		if m.MessageID == kb.MessageID {
			edited = m
		}
	}
	if !containsButton(edited, "✅") {
		t.Errorf("keyboard after the press = %v; want the followed topic ticked", edited.Buttons())
	}
	if got := followKeys(h.reader(105)); got != "t:sdf" {
		t.Errorf("follows after the press = %q; want t:sdf", got)
	}
}

func containsButton(m telegramtest.Message, part string) bool {
	for _, b := range m.Buttons() {
		if strings.Contains(b, part) {
			return true
		}
	}
	return false
}

func TestLanguage(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(106, "en")
	h.say(u, "/start")
	m := h.say(u, "/lang en")
	wantContains(t, m, "English")
	m = h.say(u, "/help")
	wantContains(t, m, "/follow SDF", "unsubscribe")
	m = h.say(u, "/follow SDF")
	wantContains(t, m, "You now follow")
	if got := h.reader(106).Lang; got != "en" {
		t.Errorf("stored language %q; want en", got)
	}
}

func TestGroup(t *testing.T) {
	h := newHarness(t)
	const group = -1001234567890
	admin := telegramtest.NewUser(201, "ar")
	member := telegramtest.NewUser(202, "ar")
	h.srv.SetMember(group, admin.ID, models.ChatMemberTypeAdministrator)
	h.srv.SetMember(group, member.ID, models.ChatMemberTypeMember)

	m := h.sayIn(group, func() { h.srv.AddedToGroup(group, admin.ID) })
	wantContains(t, m, "/start@nashra_bot")

	m = h.sayIn(group, func() { h.srv.SendGroupText(group, member, "/start@nashra_bot") })
	wantContains(t, m, "مشرفو المجموعة") // "the group's admins"
	if _, err := h.store.Get(context.Background(), group); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("a plain member subscribed the group: %v", err)
	}
	h.sayIn(group, func() { h.srv.SendGroupText(group, admin, "/start@nashra_bot") })
	h.sayIn(group, func() { h.srv.SendGroupText(group, admin, "/follow@nashra_bot قسد") })
	if r := h.reader(group); r.Status != subscribers.Active || followKeys(r) != "t:sdf" || r.ChatType != "supergroup" {
		t.Errorf("group reader = %+v; want an active supergroup following sdf", r)
	}
	// Chatter and other bots' commands get no answer from us.
	before := len(h.srv.SentTo(group))
	h.srv.SendGroupText(group, member, "مرحبا بالجميع") // "hello everyone"
	h.srv.SendGroupText(group, member, "/weather@other_bot")
	h.sayIn(group, func() { h.srv.SendGroupText(group, member, "/help@nashra_bot") })
	if n := len(h.srv.SentTo(group)); n != before+1 {
		t.Errorf("%d replies in the group; want only the one to /help", n-before)
	}
}

func TestBlockedReader(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(107, "ar")
	h.say(u, "/start")
	h.srv.BlockedBy(u.ID)
	waitStatus(t, h, 107, subscribers.Blocked)
	h.srv.UnblockedBy(u.ID)
	m := h.say(u, "/start")
	wantContains(t, m, "أهلاً بعودتك")
	if st := h.reader(107).Status; st != subscribers.Active {
		t.Errorf("status after /start = %s; want active again", st)
	}

	// A reply that meets 403 marks the reader blocked too.
	h.srv.Block(107)
	h.srv.SendText(u, "/help")
	waitStatus(t, h, 107, subscribers.Blocked)
}

func waitStatus(t *testing.T, h *harness, chat int64, want subscribers.Status) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, err := h.store.Get(context.Background(), chat)
		if err == nil && r.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("reader %d status %s (%v); want %s", chat, r.Status, err, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReplyRetriesAfter429(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(108, "ar")
	h.say(u, "/start")
	h.srv.Inject(telegramtest.Fault{Kind: telegramtest.TooManyRequests, Method: "sendMessage", ChatID: 108, RetryAfter: 1})
	m := h.say(u, "/help")
	wantContains(t, m, "/follow")
	if h.srv.Throttled() == 0 {
		t.Error("the 429 was never given")
	}
}

func TestCommandMenuPublished(t *testing.T) {
	h := newHarness(t)
	if _, err := h.srv.WaitCalls(context.Background(), "setMyCommands", 3); err != nil {
		t.Fatal(err)
	}
	ar := h.srv.Commands(nil, "")
	en := h.srv.Commands(nil, "en")
	if len(ar) == 0 || len(en) == 0 || ar[0].Description == en[0].Description {
		t.Errorf("menus ar=%v en=%v; want both, in their languages", ar, en)
	}
}

// A failing setMyCommands costs the menu, not the bot.
func TestCommandMenuFailureIsNotFatal(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	srv.Inject(telegramtest.Fault{Kind: telegramtest.InternalError, Method: "setMyCommands", Times: -1})
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	b, err := bot.New(bot.Options{Token: srv.Token(), APIURL: srv.URL(), Store: store, Outbox: queue,
		Broadcasts: broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix}), Inbox: inbox.New(r.Client, inbox.Options{Prefix: r.Prefix}),
		Catalog: topics.Builtin(), PollTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	srv.SendText(telegramtest.NewUser(1, "ar"), "/help")
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if _, err := srv.WaitMessages(wctx, 1, 1); err != nil {
		t.Errorf("the bot did not answer after setMyCommands failed: %v", err)
	}
	cancel()
	<-done
}

// SIGTERM (a cancelled context) lets a reply in flight finish.
func TestShutdownFinishesHandlersInFlight(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(109, "ar")
	h.say(u, "/start")
	h.srv.Inject(telegramtest.Fault{Kind: telegramtest.Slow, Method: "sendMessage", ChatID: 109, Delay: 1500 * time.Millisecond})
	upd := h.srv.SendText(u, "/help")
	// Once a handler has claimed the update it is in flight: stop the bot
	// while the slow reply is still on its way.
	claim := h.redis.Prefix + "upd:" + strconv.FormatInt(upd.ID, 10)
	deadline := time.Now().Add(20 * time.Second)
	for h.redis.Client.Exists(context.Background(), claim).Val() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the /help update was never claimed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t0 := time.Now()
	t.Logf("shutdown at %v", t0)
	if err := h.shutdown(); err != nil {
		t.Fatal(err)
	}
	for _, c := range h.srv.Calls("sendMessage") {
		t.Logf("%v %d %s", c.Time, c.Status, c.Params["text"][:10])
	}
	if msgs := h.srv.SentTo(109); len(msgs) != 2 {
		t.Errorf("%d messages after shutdown; want the /help reply in flight delivered", len(msgs))
	}
}

func TestScheduleCommands(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(110, "ar")
	h.say(u, "/start")
	m := h.say(u, "/time")
	wantContains(t, m, "الموعد الافتراضي", "الساعة 8:00 صباحاً بتوقيت دمشق") // "the default time: 8:00 in the morning, Damascus time"
	if !containsButton(m, "time:instant") {
		t.Errorf("/time buttons = %v; want the instant choice", m.Buttons())
	}
	m = h.say(u, "/time ٧:٣٠") // 7:30 in Arabic-Indic digits
	// Confirmed in words: "at 7:30 in the morning".
	wantContains(t, m, "الساعة 7:30 صباحاً")
	if got := h.reader(110).Schedule; got != "30 7 * * *" {
		t.Errorf("stored schedule %q; want \"30 7 * * *\"", got)
	}
	m = h.say(u, "/time 25:99")
	wantContains(t, m, "لم نفهم الموعد") // "we did not understand the time"
	if got := h.reader(110).Schedule; got != "30 7 * * *" {
		t.Errorf("a bad time changed the schedule to %q", got)
	}
	// The choice is confirmed in a message of its own; wait for it, so the
	// next reply read is /pause's.
	m = h.sayIn(110, func() {
		if _, err := h.srv.PressButton(110, m.MessageID, 110, "time:instant"); err != nil {
			t.Fatal(err)
		}
	})
	if got := h.reader(110).Schedule; got != subscribers.Instant {
		t.Errorf("schedule after the instant button = %q; want instant (reply %q)", got, m.Text)
	}

	m = h.say(u, "/pause")
	wantContains(t, m, "إلى متى") // "for how long"
	m = h.tap(110, m.MessageID, 110, "pa:open")
	wantContains(t, m, "أوقفنا النشرة حتى تستأنفها") // "we paused the digest until you resume it"
	if st := h.reader(110).Status; st != subscribers.Paused {
		t.Errorf("status after /pause = %s", st)
	}
	m = h.say(u, "/digest")
	wantContains(t, m, "متوقفة مؤقتاً") // "paused"
	m = h.say(u, "/resume")
	wantContains(t, m, "استأنفنا") // "resumed"
	if st := h.reader(110).Status; st != subscribers.Active {
		t.Errorf("status after /resume = %s", st)
	}
}

func TestDigestCommandQueuesWhatIsNew(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(111, "en")
	h.say(u, "/start")
	m := h.say(u, "/digest")
	wantContains(t, m, "لا جديد") // nothing new yet (the reader's language is still Arabic)
	ctx := context.Background()
	h.arts.Ingest(ctx, articles.Article{ID: "x1", Link: "https://7al.net/x1", Title: "SDF statement", Topics: []string{"sdf"}, InScope: true}, nil)
	upd := h.srv.SendText(u, "/digest")
	waitFor(t, func() bool {
		hi, _, _ := h.queue.QueueDepth(ctx)
		return hi == 1
	})
	if r := h.reader(111); r.Cursor != 1 {
		t.Errorf("cursor after /digest = %d; want 1", r.Cursor)
	}
	_ = upd
}

func TestDigestButtons(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(112, "ar")
	h.say(u, "/start")
	// A digest with its buttons, posted as the sender posts it.
	client, err := h.srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	d, err := client.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: 112, Text: "digest", ReplyMarkup: json.RawMessage(digestMarkup(t))})
	if err != nil {
		t.Fatal(err)
	}
	// The pause is confirmed in a message of its own; wait for it, so the
	// next message is the topics keyboard's.
	q := h.sayIn(112, func() {
		if _, err := h.srv.PressButton(112, d.ID, 112, digest.ButtonPause); err != nil {
			t.Fatal(err)
		}
	})
	h.tap(112, q.MessageID, 112, "pa:day")
	if st := h.reader(112).Status; st != subscribers.Paused {
		t.Errorf("status after the pause button = %s; want paused", st)
	}
	m := h.sayIn(112, func() { h.srv.PressButton(112, d.ID, 112, digest.ButtonTopics) })
	if !containsButton(m, "|t:sdf") {
		t.Errorf("the topics button sent %v; want the topics keyboard", m.Buttons())
	}
}

// digestMarkup is the keyboard under a digest, as the builder makes it.
func digestMarkup(t *testing.T) string {
	t.Helper()
	return `{"inline_keyboard":[[{"text":"⚙️","callback_data":"` + digest.ButtonTopics + `"}],[{"text":"⏸","callback_data":"` + digest.ButtonPause + `"},{"text":"✖️","callback_data":"` + digest.ButtonStop + `"}]]}`
}

// A group that becomes a supergroup keeps its subscription under the new id.
func TestGroupMigration(t *testing.T) {
	h := newHarness(t)
	const oldID, newID = -4242, -1004242
	admin := telegramtest.NewUser(301, "ar")
	h.srv.SetMember(oldID, admin.ID, models.ChatMemberTypeAdministrator)
	h.sayIn(oldID, func() { h.srv.SendGroupText(oldID, admin, "/start@nashra_bot") })
	h.sayIn(oldID, func() { h.srv.SendGroupText(oldID, admin, "/follow@nashra_bot داعش") })
	h.srv.PushUpdate(models.Update{Message: &models.Message{ID: 99, Chat: models.Chat{ID: oldID, Type: models.ChatTypeGroup}, MigrateToChatID: newID}})
	// The new chat is written first, the old one marked second.
	waitFor(t, func() bool {
		r, err := h.store.Get(context.Background(), newID)
		return err == nil && r.Status == subscribers.Active && followKeys(r) == "t:isis" &&
			h.reader(oldID).Status == subscribers.Blocked
	})
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 20s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// With Redis gone the reader is told, in their language, that nothing was
// saved; when it is back, the bot carries on.
func TestRedisGoingAway(t *testing.T) {
	if redistest.Real() {
		t.Skip("needs the in-process Redis, which the test can stop")
	}
	h := newHarness(t)
	u := telegramtest.NewUser(120, "ar")
	h.say(u, "/start")
	addr := h.redis.Mini.Addr()
	h.redis.Mini.Close()
	m := h.say(u, "/follow قسد")
	wantContains(t, m, "لم يُحفظ شيء") // "nothing was saved"
	if err := h.redis.Mini.StartAddr(addr); err != nil {
		t.Fatal(err)
	}
	m = h.say(u, "/follow قسد")
	wantContains(t, m, "تتابع") // "you follow"
}
