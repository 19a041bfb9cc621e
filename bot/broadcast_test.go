package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot"
	"nashra/bot/inbox"
	"nashra/bot/sender"
	"nashra/bot/telegramtest"
	"nashra/broadcasts"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

const bcAdmin = 900

// bcHarness runs a Bot, its broadcast loop and a sender against the fake
// Bot API and a test Redis; each loop can be stopped and started again, as
// a crashed instance would be replaced.
type bcHarness struct {
	t      *testing.T
	srv    *telegramtest.Server
	r      *redistest.Redis
	store  *subscribers.Store
	queue  *outbox.Store
	bcasts *broadcasts.Store
	bot    *bot.Bot
}

func newBCHarness(t *testing.T, cfg bot.BroadcastConfig) *bcHarness {
	t.Helper()
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	bcasts := broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix})
	if cfg.FeedEvery == 0 {
		cfg.FeedEvery = 50 * time.Millisecond
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 20
	}
	b, err := bot.New(bot.Options{
		Token: srv.Token(), APIURL: srv.URL(), Store: store, Outbox: queue, Broadcasts: bcasts,
		Inbox: inbox.New(r.Client, inbox.Options{Prefix: r.Prefix}), Catalog: topics.Builtin(),
		Admins: []int64{bcAdmin}, PollTimeout: 5 * time.Second, Broadcast: cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	h := &bcHarness{t: t, srv: srv, r: r, store: store, queue: queue, bcasts: bcasts, bot: b}
	h.loop(func(ctx context.Context) { _ = b.Run(ctx) })
	return h
}

// loop runs fn until the returned stop is called (or the test ends); stop
// waits for fn to return.
func (h *bcHarness) loop(fn func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); fn(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	h.t.Cleanup(stop)
	return stop
}

func (h *bcHarness) feeder() (stop func()) {
	return h.loop(func(ctx context.Context) { _ = h.bot.RunBroadcasts(ctx) })
}

// sender starts a sender; reclaimIdle is how long the jobs a stopped sender
// left pending wait before another takes them.
func (h *bcHarness) sender(consumer string, reclaimIdle time.Duration) (stop func()) {
	h.t.Helper()
	api, err := h.srv.Client(tg.WithSkipGetMe())
	if err != nil {
		h.t.Fatal(err)
	}
	s, err := sender.New(sender.Options{
		API: api, Outbox: h.queue, Readers: h.store, RDB: h.r.Client, Prefix: h.r.Prefix, Rate: 2000, Consumer: consumer,
		Workers: 8, Batch: 8, ReclaimEvery: 100 * time.Millisecond, ReclaimIdle: reclaimIdle,
		SendTimeout: reclaimIdle * 4 / 5, RetryBackoff: 10 * time.Millisecond,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return h.loop(func(ctx context.Context) { _ = s.Run(ctx) })
}

// readers makes chats base..base+n-1 active readers, 16 at a time.
func (h *bcHarness) readers(base int64, n int) []int64 {
	h.t.Helper()
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < n; i += 16 {
				if _, err := h.store.Start(ctx, base+int64(i), subscribers.Joined{ChatType: "private"}); err != nil {
					h.t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	out := make([]int64, n)
	for i := range out {
		out[i] = base + int64(i)
	}
	return out
}

func (h *bcHarness) setStatus(st subscribers.Status, chats ...int64) {
	h.t.Helper()
	for _, c := range chats {
		if _, err := h.store.SetStatus(context.Background(), c, st, "test"); err != nil {
			h.t.Fatal(err)
		}
	}
}

// say has user send text and returns the bot's next n messages to them.
func (h *bcHarness) say(user models.User, text string, n int) []telegramtest.Message {
	h.t.Helper()
	return h.await(user.ID, n, func() { h.srv.SendText(user, text) })
}

func (h *bcHarness) await(chat int64, n int, do func()) []telegramtest.Message {
	h.t.Helper()
	before := len(h.srv.SentTo(chat))
	do()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := h.srv.WaitMessages(ctx, chat, before+n)
	if err != nil {
		h.t.Fatalf("chat %d: %v", chat, err)
	}
	return msgs[before : before+n]
}

// press presses a button on the admin's message and waits for the answer.
func (h *bcHarness) press(m telegramtest.Message, data string) string {
	h.t.Helper()
	u, err := h.srv.PressButton(m.ChatID, m.MessageID, bcAdmin, data)
	if err != nil {
		h.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if a, ok := h.srv.CallbackAnswer(u.CallbackQuery.ID); ok {
			return a.Text
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.t.Fatalf("button %s not answered", data)
	return ""
}

// message returns the current state of one of the bot's messages.
func (h *bcHarness) message(chat int64, id int) telegramtest.Message {
	h.t.Helper()
	for _, m := range h.srv.SentTo(chat) {
		if m.MessageID == id {
			return m
		}
	}
	h.t.Fatalf("no message %d in chat %d", id, chat)
	return telegramtest.Message{}
}

// preview sends a /broadcast and returns the preview and the control
// message.
func (h *bcHarness) preview(admin models.User, text string) (preview, control telegramtest.Message) {
	h.t.Helper()
	msgs := h.say(admin, text, 2)
	return msgs[0], msgs[1]
}

// waitClosed waits until no broadcast needs looking after.
func (h *bcHarness) waitClosed(timeout time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ids, err := h.bcasts.Active(context.Background())
		if err != nil {
			h.t.Fatal(err)
		}
		if len(ids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			p, _ := h.bcasts.Progress(context.Background(), ids[0])
			h.t.Fatalf("broadcasts %v still open after %v; progress %+v", ids, timeout, p)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkOnce checks that each chat got want[c] messages. A chat whose job
// ended "unknown" (the answer was lost: a slow machine, a killed sender)
// may have got it or not, but never twice.
func (h *bcHarness) checkOnce(id int64, want map[int64]int) {
	h.t.Helper()
	got := h.received()
	bad := 0
	for c, w := range want {
		if got[c] == w {
			continue
		}
		st, err := h.queue.JobState(context.Background(), outbox.Job{ID: fmt.Sprintf("b:%d:%d", id, c), ChatID: c})
		if err != nil {
			h.t.Fatal(err)
		}
		if st == outbox.StateUnknown && got[c] <= 1 {
			continue
		}
		if bad++; bad <= 10 {
			h.t.Errorf("chat %d got %d messages (job %q); want %d", c, got[c], st, w)
		}
	}
	for c, n := range got {
		if _, ok := want[c]; !ok && n > 0 {
			h.t.Errorf("chat %d, not in the audience, got %d messages", c, n)
		}
	}
}

// received counts the messages each chat got (the admin's chat excluded).
func (h *bcHarness) received() map[int64]int {
	got := map[int64]int{}
	for _, m := range h.srv.Sent() {
		if m.ChatID != bcAdmin {
			got[m.ChatID]++
		}
	}
	return got
}

func bcWant(t *testing.T, m telegramtest.Message, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(m.Visible(), p) {
			t.Errorf("message %q does not contain %q", m.Text, p)
		}
	}
}

func TestBroadcastNonAdminReachesNoOne(t *testing.T) {
	h := newBCHarness(t, bot.BroadcastConfig{})
	h.readers(1000, 20)
	h.feeder()
	h.sender("a", 20*time.Second)
	stranger := telegramtest.NewUser(555, "ar")
	for _, text := range []string{"/broadcast hello everyone", "/broadcast #sdf hello", "/BROADCAST@nashra_bot hi"} {
		m := h.say(stranger, text, 1)[0]
		bcWant(t, m, "مخصّص لمحرّري النشرة") // "for the newsletter's editors"
	}
	time.Sleep(300 * time.Millisecond) // give a (wrong) broadcast time to go out
	if got := h.received(); len(got) != 1 || got[555] != 3 {
		t.Errorf("messages by chat = %v; want only the 3 refusals to 555", got)
	}
	if ids, _ := h.bcasts.Active(context.Background()); len(ids) != 0 {
		t.Errorf("a refused broadcast left records %v", ids)
	}
}

func TestBroadcastPreviewThenCancelReachesNoOne(t *testing.T) {
	h := newBCHarness(t, bot.BroadcastConfig{})
	h.readers(1000, 5)
	h.feeder()
	h.sender("a", 20*time.Second)
	admin := telegramtest.NewUser(bcAdmin, "ar")
	// "Urgent:" with markup-looking characters that must stay text.
	preview, control := h.preview(admin, "/broadcast عاجل: <b>x</b> & y\n  سطر ثانٍ")
	if preview.Visible() != "عاجل: <b>x</b> & y\n  سطر ثانٍ" || preview.ParseMode != "HTML" {
		t.Errorf("preview text %q (%s); want the admin's text verbatim, as HTML-escaped text", preview.Text, preview.ParseMode)
	}
	bcWant(t, control, "5")
	if got := strings.Join(control.Buttons(), ","); !strings.Contains(got, "|bc:confirm:1") || !strings.Contains(got, "|bc:cancel:1") {
		t.Fatalf("control buttons %s; want confirm and cancel of broadcast 1", got)
	}
	h.press(control, "bc:cancel:1")
	m := h.message(bcAdmin, control.MessageID)
	bcWant(t, m, "أُلغيت") // "cancelled"
	if m.ReplyMarkup != nil {
		t.Errorf("cancelled preview still has buttons %v", m.Buttons())
	}
	time.Sleep(300 * time.Millisecond)
	if got := h.received(); len(got) != 0 {
		t.Errorf("a cancelled preview reached %v", got)
	}
	if _, err := h.bcasts.Start(context.Background(), 1); !errors.Is(err, broadcasts.ErrState) {
		t.Errorf("confirming after cancel: err = %v; want ErrState", err)
	}
}

func TestBroadcastCommandErrors(t *testing.T) {
	h := newBCHarness(t, bot.BroadcastConfig{})
	admin := telegramtest.NewUser(bcAdmin, "en")
	if _, err := h.store.Start(context.Background(), bcAdmin, subscribers.Joined{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, want string }{
		{"/broadcast", "Write the message after the command"},
		{"/broadcast   ", "Write the message after the command"},
		{"/broadcast #nosuch hello", "We don't know the topic #nosuch"},
		{"/broadcast #<b>x</b> hi", "#<b>x</b>"}, // echoed as text
		{"/broadcast #sdf hello", "No active reader"},
		{"/broadcast " + strings.Repeat("ب", 4097), "too long"},
	}
	for _, tt := range tests {
		m := h.say(admin, tt.text, 1)[0]
		bcWant(t, m, tt.want)
	}
	if ids, _ := h.bcasts.Active(context.Background()); len(ids) != 0 {
		t.Errorf("refused commands left broadcasts %v", ids)
	}
}

func TestBroadcastConfirmReachesActiveReadersOnce(t *testing.T) {
	h := newBCHarness(t, bot.BroadcastConfig{BatchSize: 3})
	active := h.readers(1000, 40)
	paused := h.readers(2000, 3)
	stopped := h.readers(3000, 3)
	blocked := h.readers(4000, 3)
	h.setStatus(subscribers.Paused, paused...)
	h.setStatus(subscribers.Stopped, stopped...)
	h.setStatus(subscribers.Blocked, blocked...)
	h.feeder()
	h.sender("a", 20*time.Second)
	admin := telegramtest.NewUser(bcAdmin, "ar")

	// As a reply: the replied-to message's text is what goes out.
	before := len(h.srv.SentTo(bcAdmin))
	h.srv.PushUpdate(models.Update{Message: &models.Message{
		ID: 77, From: &admin, Chat: models.Chat{ID: bcAdmin, Type: models.ChatTypePrivate},
		Text: "/broadcast", Entities: telegramtest.CommandEntities("/broadcast"),
		ReplyToMessage: &models.Message{ID: 76, Chat: models.Chat{ID: bcAdmin}, Text: "مرحباً بالقرّاء & الأصدقاء"}, // "welcome readers & friends"
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := h.srv.WaitMessages(ctx, bcAdmin, before+2)
	if err != nil {
		t.Fatal(err)
	}
	control := msgs[before+1]
	bcWant(t, control, "40")
	if toast := h.press(control, "bc:confirm:1"); toast != "بدأ الإرسال." {
		t.Errorf("confirm toast %q", toast)
	}
	h.waitClosed(30 * time.Second)

	want := map[int64]int{}
	for _, c := range active {
		want[c] = 1
	}
	for _, c := range append(append(paused, stopped...), blocked...) {
		want[c] = 0
	}
	h.checkOnce(1, want)
	if m := h.srv.SentTo(active[0]); len(m) == 1 && (m[0].Text != "مرحباً بالقرّاء & الأصدقاء" || m[0].ParseMode != "HTML") {
		t.Errorf("reader got %q (%s)", m[0].Text, m[0].ParseMode)
	}
	final := h.message(bcAdmin, control.MessageID)
	bcWant(t, final, "اكتمل الإرسال", "✅ أُرسلت: 40", "⛔ حظروا البوت: 0") // "done", "sent: 40", "blocked: 0"
	if final.ReplyMarkup != nil {
		t.Errorf("finished broadcast still has buttons %v", final.Buttons())
	}
}

func TestBroadcastTopicReachesFollowersOnly(t *testing.T) {
	h := newBCHarness(t, bot.BroadcastConfig{})
	ctx := context.Background()
	all := h.readers(1000, 30)
	want := map[int64]bool{}
	for _, c := range all {
		if c%4 == 0 {
			if _, err := h.store.Follow(ctx, c, subscribers.TopicFollow("sdf")); err != nil {
				t.Fatal(err)
			}
			want[c] = true
		}
	}
	h.feeder()
	h.sender("a", 20*time.Second)
	admin := telegramtest.NewUser(bcAdmin, "ar")
	_, control := h.preview(admin, "/broadcast #قسد بيان") // "#SDF statement": the Arabic name works too
	bcWant(t, control, fmt.Sprint(len(want)), "قوات سوريا الديمقراطية")
	h.press(control, "bc:confirm:1")
	h.waitClosed(30 * time.Second)
	wantN := map[int64]int{}
	for _, c := range all {
		if want[c] {
			wantN[c] = 1
		} else {
			wantN[c] = 0
		}
	}
	h.checkOnce(1, wantN)
}

func TestBroadcastPauseResumeCancelButtons(t *testing.T) {
	h := newBCHarness(t, bot.BroadcastConfig{BatchSize: 2})
	h.readers(1000, 100)
	h.feeder()
	admin := telegramtest.NewUser(bcAdmin, "en")
	ctx := context.Background()
	if _, err := h.store.Start(ctx, bcAdmin, subscribers.Joined{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	_, control := h.preview(admin, "/broadcast hello")
	bcWant(t, control, "all active readers (101 readers)")
	h.press(control, "bc:confirm:1")
	running := h.message(bcAdmin, control.MessageID)
	bcWant(t, running, "Broadcast #1", "sending")
	if b := strings.Join(running.Buttons(), ","); !strings.Contains(b, "|bc:pause:1") || !strings.Contains(b, "|bc:cancel:1") {
		t.Fatalf("running buttons %s; want pause and cancel", b)
	}
	if toast := h.press(running, "bc:pause:1"); toast != "Sending paused." {
		t.Errorf("pause toast %q", toast)
	}
	paused := h.message(bcAdmin, control.MessageID)
	bcWant(t, paused, "paused")
	if b := strings.Join(paused.Buttons(), ","); !strings.Contains(b, "|bc:resume:1") {
		t.Fatalf("paused buttons %s; want resume", b)
	}
	h.press(paused, "bc:resume:1")
	if b, _ := h.bcasts.Get(ctx, 1); b.Status != broadcasts.Running {
		t.Fatalf("after resume status = %s", b.Status)
	}
	// No sender yet: the feeder queues up to 2×batch per shard, then the
	// cancel skips those and forgets the rest.
	time.Sleep(100 * time.Millisecond)
	h.press(h.message(bcAdmin, control.MessageID), "bc:cancel:1")
	h.sender("a", 20*time.Second)
	h.waitClosed(30 * time.Second)
	if got := h.received(); len(got) != 0 {
		t.Errorf("a broadcast cancelled before any send reached %d chats", len(got))
	}
	p, err := h.bcasts.Progress(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 101 || p.Sent != 0 || p.Skipped+p.Cancelled != 101 {
		t.Errorf("progress %+v; want all 101 skipped or cancelled", p)
	}
	final := h.message(bcAdmin, control.MessageID)
	bcWant(t, final, "cancelled", "Not sent (cancelled)")
	if final.ReplyMarkup != nil {
		t.Errorf("cancelled broadcast still has buttons %v", final.Buttons())
	}
}

// broadcastToMany runs a broadcast to n readers, a tenth of whom blocked
// the bot, and checks that the counts add up.
func broadcastToMany(t *testing.T, n int) {
	h := newBCHarness(t, bot.BroadcastConfig{BatchSize: 100, ProgressEvery: 200 * time.Millisecond})
	ctx := context.Background()
	readers := h.readers(100000, n)
	for _, c := range readers {
		if c%10 == 0 {
			h.srv.Block(c)
		}
	}
	if _, err := h.store.Start(ctx, bcAdmin, subscribers.Joined{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	h.feeder()
	h.sender("a", 20*time.Second)
	admin := telegramtest.NewUser(bcAdmin, "en")
	_, control := h.preview(admin, "/broadcast Our newsletter moves to Telegram")
	start := time.Now()
	h.press(control, "bc:confirm:1")
	h.waitClosed(5 * time.Minute) // correctness, not speed: the benchmark measures speed
	took := time.Since(start)
	t.Logf("%d readers: broadcast done in %v (%.0f msg/s)", n, took, float64(n)/took.Seconds())

	want := map[int64]int{}
	for _, c := range readers {
		if c%10 != 0 {
			want[c] = 1
		}
	}
	h.checkOnce(1, want)
	p, err := h.bcasts.Progress(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	total := int64(n + 1) // the admin reads too
	if p.Total != total || p.Sent+p.Blocked+p.Failed+p.Unknown != total || p.Blocked != int64(n/10) {
		t.Errorf("progress %+v: want total %d = sent+blocked+failed+unknown, %d blocked", p, total, n/10)
	}
	final := h.message(bcAdmin, control.MessageID)
	bcWant(t, final, "done", fmt.Sprintf("Sent: %d", p.Sent), fmt.Sprintf("Blocked the bot: %d", n/10), "Failed: 0", fmt.Sprintf("Unknown: %d", p.Unknown))
	if final.Edits < 3 {
		t.Errorf("progress message edited %d times; want live updates", final.Edits)
	}
	// The blocked readers are marked so.
	counts, err := h.store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[subscribers.Blocked] != int64(n/10) {
		t.Errorf("%d readers marked blocked; want %d", counts[subscribers.Blocked], n/10)
	}
}

func TestBroadcastToThousandWith403s(t *testing.T) { broadcastToMany(t, 1000) }

func TestBroadcastToTenThousandWith403s(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 readers")
	}
	broadcastToMany(t, 10000)
}

func TestBroadcastKilledMidwayResumesWithoutDuplicates(t *testing.T) {
	h := newBCHarness(t, bot.BroadcastConfig{BatchSize: 10, ProgressEvery: 100 * time.Millisecond})
	const n = 1500
	readers := h.readers(100000, n)
	for _, c := range readers[:50] {
		h.srv.Block(c)
	}
	stopFeeder := h.feeder()
	stopSender := h.sender("a", 3*time.Second)
	admin := telegramtest.NewUser(bcAdmin, "ar")
	_, control := h.preview(admin, "/broadcast تجربة") // "test"
	h.press(control, "bc:confirm:1")

	// Kill both halfway.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := h.srv.WaitMessages(ctx, telegramtest.AllChats, 600); err != nil {
		t.Fatal(err)
	}
	stopFeeder()
	stopSender()
	mid, err := h.bcasts.Progress(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if mid.Settled() {
		t.Fatalf("the broadcast finished before the kill: %+v", mid)
	}
	t.Logf("killed at %+v", mid)

	// Two new instances and a new sender take over.
	h.feeder()
	h.feeder()
	h.sender("b", 3*time.Second)
	h.waitClosed(time.Minute)

	want := map[int64]int{}
	for _, c := range readers[50:] {
		want[c] = 1
	}
	h.checkOnce(1, want)
	p, err := h.bcasts.Progress(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != n || p.Finished() != n || p.Blocked != 50 || p.Sent+p.Unknown != n-50 {
		t.Errorf("final progress %+v; want %d = %d blocked + the rest sent (or unknown)", p, n, 50)
	}
	bcWant(t, h.message(bcAdmin, control.MessageID), "اكتمل الإرسال")
}

func TestBroadcastDraftExpires(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC).UnixNano())
	h := newBCHarness(t, bot.BroadcastConfig{DraftTTL: time.Hour, Now: func() time.Time { return time.Unix(0, now.Load()) }})
	h.readers(1000, 3)
	admin := telegramtest.NewUser(bcAdmin, "ar")
	_, control := h.preview(admin, "/broadcast x")
	h.feeder()
	time.Sleep(100 * time.Millisecond)
	if ids, _ := h.bcasts.Active(context.Background()); len(ids) != 1 {
		t.Fatalf("a fresh draft was dropped: active %v", ids)
	}
	// The store stamps drafts with the wall clock; an hour and a bit later
	// by the bot's clock it has expired.
	now.Store(time.Now().Add(time.Hour + time.Minute).UnixNano())
	h.waitClosed(10 * time.Second)
	bcWant(t, h.message(bcAdmin, control.MessageID), "انتهت صلاحية") // "expired"
	if got := h.received(); len(got) != 0 {
		t.Errorf("an expired draft reached %v", got)
	}
}
