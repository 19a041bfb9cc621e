package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/sender"
	"nashra/bot/telegramtest"
	"nashra/digest"
	"nashra/digest/articles"
	"nashra/subscribers"
)

// testClock is the clock the bot, the stores and the digest builder share
// in a test; the test moves it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// exitsHarness is a harness on a test clock with a real sender: digests
// are built, queued and delivered through the fake Bot API as in
// production, so a reader taps the buttons of a digest they received.
type exitsHarness struct {
	*harness
	clock *testClock
}

var damascus, _ = time.LoadLocation("Asia/Damascus")

func newExitsHarness(t *testing.T, start time.Time) *exitsHarness {
	t.Helper()
	clock := &testClock{now: start}
	h := &exitsHarness{harness: newHarnessAt(t, clock.Now), clock: clock}
	api, err := h.srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	s, err := sender.New(sender.Options{API: api, Outbox: h.queue, Readers: h.store, RDB: h.redis.Client,
		Prefix: h.redis.Prefix, Rate: 2000, Consumer: "exits", Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

// at sets the clock to a day of December 2026 at hh:mm in Damascus.
func (h *exitsHarness) at(day, hh, mm int) {
	h.clock.Set(time.Date(2026, 12, day, hh, mm, 0, 0, damascus))
}

// build runs the digest builder as the scheduler's minute job does.
func (h *exitsHarness) build() digest.BuildResult {
	h.t.Helper()
	res, err := h.builder.Run(context.Background(), false)
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

// article adds an in-scope SDF story.
func (h *exitsHarness) article(id, title string) {
	h.t.Helper()
	if _, _, err := h.arts.Ingest(context.Background(), articles.Article{
		ID: id, Link: "https://7al.net/" + id, Title: title, Summary: []string{title + "."}, Topics: []string{"sdf"}, InScope: true,
	}, nil); err != nil {
		h.t.Fatal(err)
	}
}

// received waits for n more messages in chat after the first `before`
// and returns them.
func (h *harness) received(chat int64, before, n int) []telegramtest.Message {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := h.srv.WaitMessages(ctx, chat, before+n)
	if err != nil {
		h.t.Fatalf("chat %d: %v", chat, err)
	}
	return msgs[before:]
}

// tap presses a button on a message as user, waits until the bot has
// answered the press, and returns the message as it is then (a question
// becomes its outcome).
func (h *harness) tap(chat int64, msgID int, user int64, data string) telegramtest.Message {
	h.t.Helper()
	h.answerTo(h.srv.PressButton(chat, msgID, user, data))
	return h.message(chat, msgID)
}

// buttonData is the callback data of a message's buttons, in order.
func buttonData(m telegramtest.Message) []string {
	var out []string
	if m.ReplyMarkup == nil {
		return nil
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			out = append(out, b.CallbackData)
		}
	}
	return out
}

func buttonTexts(m telegramtest.Message) []string {
	var out []string
	if m.ReplyMarkup == nil {
		return nil
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// exitTexts is what a reader reads in each language.
type exitTexts struct {
	lang                                  string
	stopAsk, yes, no, stopped, undo, back string
	kept, nothingToUndo                   string
	pauseAsk                              []string // the three lengths
	pausedDay, resume, pauseOver          string
	pausedWeek, resumed, notPaused        string
	restoredPaused                        string
}

var exitLangs = []exitTexts{
	{
		lang:    "ar",
		stopAsk: "هل تريد إيقاف النشرة؟", // "do you want to stop the digest?"
		yes:     "نعم، أوقفها",           // "yes, stop it"
		no:      "لا، أبقِها",            // "no, keep it"
		stopped: "ألغينا اشتراكك",        // "we have unsubscribed you"
		undo:    "↩️ تراجع",              // "undo"
		back:    "تراجعنا عن الإلغاء",    // "we undid the unsubscribing"
		kept:    "لم نغيّر شيئاً",        // "we changed nothing"
		// "nothing to undo"
		nothingToUndo: "لا شيء نتراجع عنه",
		pauseAsk:      []string{"يوماً", "أسبوعاً", "حتى أستأنف"}, // "a day", "a week", "until I resume"
		// "we paused the digest until Sunday 6 December at 9:00 am Damascus time"
		pausedDay:  "أوقفنا النشرة حتى الأحد 6 كانون الأول الساعة 9:00 صباحاً بتوقيت دمشق",
		resume:     "▶️ استئناف",               // "resume"
		pauseOver:  "انتهى الإيقاف المؤقت",     // "the pause is over"
		pausedWeek: "حتى السبت 12 كانون الأول", // "until Saturday 12 December"
		resumed:    "استأنفنا",                 // "we resumed"
		notPaused:  "غير متوقفة",               // "not paused"
		// "we undid it, and the digest is paused as it was until Saturday 12 December"
		restoredPaused: "والنشرة متوقفة مؤقتاً كما كانت حتى السبت 12 كانون الأول",
	},
	{
		lang: "en", stopAsk: "Stop your digest?", yes: "Yes, stop it", no: "No, keep it",
		stopped: "We have unsubscribed you", undo: "↩️ Undo", back: "Undone: your subscription is as it was",
		kept: "Nothing changed", nothingToUndo: "Nothing to undo",
		pauseAsk:   []string{"A day", "A week", "Until I resume"},
		pausedDay:  "Your digest is paused until Sunday 6 December at 9:00 am Damascus time",
		resume:     "▶️ Resume",
		pauseOver:  "Your pause is over",
		pausedWeek: "until Saturday 12 December", resumed: "Your digest is back on", notPaused: "not paused",
		restoredPaused: "your digest is paused as it was, until Saturday 12 December",
	},
}

// subscribe makes user a reader following SDF, in their language.
func (h *harness) subscribe(u models.User, lang string) {
	h.t.Helper()
	h.say(u, "/start")
	if lang == "en" {
		h.say(u, "/lang en")
	}
	h.say(u, "/follow SDF")
}

// The reader taps Unsubscribe under a digest they received: a question
// first; confirmed, no digest comes; undone, the subscription is back as
// it was, follows and time included, and the next digest comes.
func TestUnsubscribeUnderDigestAsksAndUndoes(t *testing.T) {
	for i, x := range exitLangs {
		t.Run(x.lang, func(t *testing.T) {
			h := newExitsHarness(t, time.Date(2026, 12, 5, 7, 0, 0, 0, damascus))
			u := telegramtest.NewUser(int64(701+i), x.lang)
			h.subscribe(u, x.lang)
			h.say(u, "/time 8:00")
			before := h.reader(u.ID)

			h.article("a1", "SDF statement one")
			h.at(5, 8, 0)
			n := len(h.srv.SentTo(u.ID))
			if res := h.build(); res.Queued != 1 {
				t.Fatalf("first digest: %+v; want one queued", res)
			}
			d := h.received(u.ID, n, 1)[0]
			wantContains(t, d, "SDF statement one")
			if !containsButton(d, digest.ButtonStop) {
				t.Fatalf("the digest's buttons %v lack Unsubscribe", d.Buttons())
			}

			n = len(h.srv.SentTo(u.ID))
			h.answerTo(h.srv.PressButton(u.ID, d.MessageID, u.ID, digest.ButtonStop))
			q := h.received(u.ID, n, 1)[0]
			wantContains(t, q, x.stopAsk)
			if got := buttonTexts(q); len(got) != 2 || got[0] != x.yes || got[1] != x.no {
				t.Errorf("the question's buttons = %q; want %q, %q", got, x.yes, x.no)
			}
			if st := h.reader(u.ID).Status; st != subscribers.Active {
				t.Errorf("status after the question alone = %s; want active until confirmed", st)
			}

			out := h.tap(u.ID, q.MessageID, u.ID, "so:yes")
			wantContains(t, out, x.stopped)
			if got := buttonTexts(out); len(got) != 1 || got[0] != x.undo {
				t.Errorf("buttons under the outcome = %q; want only %q", got, x.undo)
			}
			r := h.reader(u.ID)
			if r.Status != subscribers.Stopped {
				t.Errorf("status after confirming = %s; want stopped", r.Status)
			}
			if followKeys(r) != "t:sdf" || r.Schedule != before.Schedule {
				t.Errorf("a stop changed follows %q or schedule %q; want t:sdf and %q", followKeys(r), r.Schedule, before.Schedule)
			}

			// Stopped: the next day's digest does not come.
			h.article("a2", "SDF statement two")
			h.at(6, 8, 0)
			if res := h.build(); res.Queued != 0 || res.Due != 0 {
				t.Errorf("digest run while stopped: %+v; want nothing due, nothing queued", res)
			}
			if hi, lo, err := h.queue.QueueDepth(context.Background()); err != nil || hi+lo != 0 {
				t.Errorf("outbox holds %d+%d jobs (%v) while the reader is stopped; want none", hi, lo, err)
			}

			n = len(h.srv.SentTo(u.ID))
			out = h.tap(u.ID, q.MessageID, u.ID, buttonData(out)[0])
			wantContains(t, out, x.back)
			if len(buttonData(out)) != 0 {
				t.Errorf("buttons left under the undone outcome: %v", out.Buttons())
			}
			after := h.reader(u.ID)
			if after.Status != subscribers.Active || followKeys(after) != "t:sdf" || after.Schedule != before.Schedule || after.Cursor != r.Cursor {
				t.Errorf("after undo %+v; want active with follows t:sdf, schedule %q and cursor %d as before", after, before.Schedule, r.Cursor)
			}
			if got := len(h.srv.SentTo(u.ID)); got != n {
				t.Errorf("%d new messages for the undo; want the outcome edited in place", got-n)
			}

			// Active again: the next digest comes, with what was held back.
			h.at(7, 8, 0)
			if res := h.build(); res.Queued != 1 {
				t.Fatalf("digest after undo: %+v; want one queued", res)
			}
			wantContains(t, h.received(u.ID, n, 1)[0], "SDF statement two")
		})
	}
}

// Cancelling the question changes nothing.
func TestUnsubscribeCancelled(t *testing.T) {
	for i, x := range exitLangs {
		t.Run(x.lang, func(t *testing.T) {
			h := newHarness(t)
			u := telegramtest.NewUser(int64(711+i), x.lang)
			h.subscribe(u, x.lang)
			d := h.postDigest(u.ID)
			q := h.sayIn(u.ID, func() { h.srv.PressButton(u.ID, d, u.ID, digest.ButtonStop) })
			out := h.tap(u.ID, q.MessageID, u.ID, "so:no")
			wantContains(t, out, x.kept)
			if len(buttonData(out)) != 0 {
				t.Errorf("buttons left under the cancelled question: %v", out.Buttons())
			}
			if st := h.reader(u.ID).Status; st != subscribers.Active {
				t.Errorf("status after cancelling = %s; want active", st)
			}
		})
	}
}

// /stop itself acts at once, and offers the same undo; undoing a stop of a
// paused reader brings back the pause and its end.
func TestStopCommandUndoKeepsThePause(t *testing.T) {
	for i, x := range exitLangs {
		t.Run(x.lang, func(t *testing.T) {
			h := newExitsHarness(t, time.Date(2026, 12, 5, 9, 0, 0, 0, damascus))
			u := telegramtest.NewUser(int64(721+i), x.lang)
			h.subscribe(u, x.lang)
			q := h.say(u, "/pause")
			h.tap(u.ID, q.MessageID, u.ID, "pa:week")
			paused := h.reader(u.ID)

			m := h.say(u, "/stop")
			wantContains(t, m, x.stopped)
			if st := h.reader(u.ID).Status; st != subscribers.Stopped {
				t.Fatalf("status after /stop = %s", st)
			}
			out := h.tap(u.ID, m.MessageID, u.ID, buttonData(m)[0])
			wantContains(t, out, x.restoredPaused)
			if got := buttonTexts(out); len(got) != 1 || got[0] != x.resume {
				t.Errorf("buttons under a restored pause = %q; want %q", got, x.resume)
			}
			r := h.reader(u.ID)
			if r.Status != subscribers.Paused || !r.PausedUntil.Equal(paused.PausedUntil) || followKeys(r) != "t:sdf" {
				t.Errorf("after undo %+v; want paused until %v with t:sdf", r, paused.PausedUntil)
			}
		})
	}
}

// An undo works only in the chat it was made for, however it is forged,
// and only while the reader is still stopped.
func TestUndoOnlyInItsChat(t *testing.T) {
	h := newHarness(t)
	a, b := telegramtest.NewUser(731, "ar"), telegramtest.NewUser(732, "ar")
	h.subscribe(a, "ar")
	h.subscribe(b, "ar")
	ma := h.say(a, "/stop")
	mb := h.say(b, "/stop")
	// b's undo data pressed in a's chat.
	answer := h.answerTo(h.srv.ForgeCallback(a.ID, ma.MessageID, a.ID, buttonData(mb)[0]))
	if !strings.Contains(answer.Text, "لمحادثة أخرى") { // "for another chat"
		t.Errorf("answer to another chat's undo = %q; want the other-chat notice", answer.Text)
	}
	for _, u := range []models.User{a, b} {
		if st := h.reader(u.ID).Status; st != subscribers.Stopped {
			t.Errorf("reader %d is %s after a foreign undo; want stopped", u.ID, st)
		}
	}
	// After /start, an old undo has nothing to undo.
	h.say(a, "/start")
	h.say(a, "/pause")
	answer = h.answerTo(h.srv.PressButton(a.ID, ma.MessageID, a.ID, buttonData(ma)[0]))
	if !strings.Contains(answer.Text, "لا شيء نتراجع عنه") { // "nothing to undo"
		t.Errorf("answer to a stale undo = %q; want nothing to undo", answer.Text)
	}
	if st := h.reader(a.ID).Status; st != subscribers.Active {
		t.Errorf("a stale undo moved the reader to %s", st)
	}
}

// Two taps of Undo before the first is answered (a phone on a slow
// network): the reader is restored once, and told once.
func TestDoubleTapUndo(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(741, "ar")
	h.subscribe(u, "ar")
	m := h.say(u, "/stop")
	undo := buttonData(m)[0]
	n := len(h.srv.SentTo(u.ID))
	first, err1 := h.srv.PressButton(u.ID, m.MessageID, u.ID, undo)
	second, err2 := h.srv.ForgeCallback(u.ID, m.MessageID, u.ID, undo) // the client still shows the button
	a1, a2 := h.answerTo(first, err1), h.answerTo(second, err2)
	if got := h.message(u.ID, m.MessageID); !strings.Contains(got.Text, "تراجعنا") || got.Edits != 1 {
		t.Errorf("the outcome after two taps: %q, %d edits; want restored, edited once", got.Text, got.Edits)
	}
	if a1.Text != "" || !strings.Contains(a2.Text, "لا شيء نتراجع عنه") { // "nothing to undo"
		t.Errorf("answers to the two taps = %q, %q; want none, then nothing to undo", a1.Text, a2.Text)
	}
	if got := len(h.srv.SentTo(u.ID)); got != n {
		t.Errorf("%d new messages for two taps; want none", got-n)
	}
	if st := h.reader(u.ID).Status; st != subscribers.Active {
		t.Errorf("status after two taps of undo = %s; want active", st)
	}
}

// Pausing for a day: /pause offers a day, a week or until resumed; for a
// day, no digest comes during it, the reader is told when it ends, and the
// digest held back comes right after.
func TestPauseForADay(t *testing.T) {
	for i, x := range exitLangs {
		t.Run(x.lang, func(t *testing.T) {
			h := newExitsHarness(t, time.Date(2026, 12, 5, 9, 0, 0, 0, damascus))
			u := telegramtest.NewUser(int64(751+i), x.lang)
			h.subscribe(u, x.lang)

			q := h.say(u, "/pause")
			if got := buttonTexts(q); strings.Join(got, "|") != strings.Join(x.pauseAsk, "|") {
				t.Errorf("/pause buttons = %q; want %q", got, x.pauseAsk)
			}
			out := h.tap(u.ID, q.MessageID, u.ID, "pa:day")
			wantContains(t, out, x.pausedDay)
			if got := buttonTexts(out); len(got) != 1 || got[0] != x.resume {
				t.Errorf("buttons under the pause = %q; want %q", got, x.resume)
			}
			r := h.reader(u.ID)
			if want := time.Date(2026, 12, 6, 9, 0, 0, 0, damascus); r.Status != subscribers.Paused || !r.PausedUntil.Equal(want) {
				t.Fatalf("after a day's pause: %s until %v; want paused until %v", r.Status, r.PausedUntil, want)
			}

			h.article("p1", "SDF statement during the pause")
			n := len(h.srv.SentTo(u.ID))
			// Through the day, at the digest time, and a minute before the end.
			for _, at := range [][3]int{{5, 20, 0}, {6, 8, 0}, {6, 8, 59}} {
				h.at(at[0], at[1], at[2])
				if res := h.build(); res.Queued != 0 || res.Resumed != 0 {
					t.Errorf("digest run at %v during the pause: %+v; want nothing", h.clock.Now(), res)
				}
			}
			if st := h.reader(u.ID).Status; st != subscribers.Paused {
				t.Errorf("status before the end = %s; want paused", st)
			}

			h.at(6, 9, 0)
			if res := h.build(); res.Resumed != 1 || res.Queued != 1 {
				t.Fatalf("digest run at the end of the pause: %+v; want the reader resumed and their digest queued", res)
			}
			got := h.received(u.ID, n, 2)
			wantContains(t, got[0], x.pauseOver)
			wantContains(t, got[1], "SDF statement during the pause")
			if r := h.reader(u.ID); r.Status != subscribers.Active || !r.PausedUntil.IsZero() {
				t.Errorf("after the end: %s until %v; want active, no end left", r.Status, r.PausedUntil)
			}
			h.at(6, 9, 1)
			if res := h.build(); res.Resumed != 0 || res.Queued != 0 {
				t.Errorf("the next run: %+v; want nothing (told once)", res)
			}
		})
	}
}

// A paused reader gets a Resume button: under the pause, under /digest and
// /pause's answers; it resumes once, and /resume still works.
func TestResumeButton(t *testing.T) {
	for i, x := range exitLangs {
		t.Run(x.lang, func(t *testing.T) {
			h := newExitsHarness(t, time.Date(2026, 12, 5, 9, 0, 0, 0, damascus))
			u := telegramtest.NewUser(int64(761+i), x.lang)
			h.subscribe(u, x.lang)
			q := h.say(u, "/pause")
			out := h.tap(u.ID, q.MessageID, u.ID, "pa:week")
			wantContains(t, out, x.pausedWeek)

			m := h.say(u, "/digest")
			wantContains(t, m, x.pausedWeek)
			if got := buttonTexts(m); len(got) != 1 || got[0] != x.resume {
				t.Errorf("/digest while paused: buttons %q; want %q", got, x.resume)
			}
			m = h.say(u, "/pause")
			wantContains(t, m, x.pausedWeek)
			if got := buttonTexts(m); len(got) != 4 || got[3] != x.resume {
				t.Errorf("/pause while paused: buttons %q; want the three lengths and %q", got, x.resume)
			}

			res := h.tap(u.ID, out.MessageID, u.ID, "pa:resume")
			wantContains(t, res, x.resumed)
			if r := h.reader(u.ID); r.Status != subscribers.Active || !r.PausedUntil.IsZero() {
				t.Errorf("after Resume: %s until %v; want active", r.Status, r.PausedUntil)
			}
			again := h.answerTo(h.srv.PressButton(u.ID, m.MessageID, u.ID, "pa:resume"))
			if !strings.Contains(again.Text, x.notPaused) {
				t.Errorf("Resume pressed when not paused answers %q; want %q", again.Text, x.notPaused)
			}

			// /resume still works, and so does a pause until resumed.
			q = h.say(u, "/pause")
			h.tap(u.ID, q.MessageID, u.ID, "pa:open")
			if r := h.reader(u.ID); r.Status != subscribers.Paused || !r.PausedUntil.IsZero() {
				t.Errorf("until resumed: %s until %v; want paused with no end", r.Status, r.PausedUntil)
			}
			h.at(30, 9, 0)
			if res := h.build(); res.Resumed != 0 {
				t.Errorf("a pause with no end ended: %+v", res)
			}
			wantContains(t, h.say(u, "/resume"), x.resumed)
			if st := h.reader(u.ID).Status; st != subscribers.Active {
				t.Errorf("status after /resume = %s", st)
			}
		})
	}
}

// /mydata and /forget are in /help and in the command menu, in both
// languages, for every language scope the menu is published in.
func TestHelpAndMenuListDataCommands(t *testing.T) {
	h := newHarness(t)
	for i, lang := range []string{"ar", "en"} {
		u := telegramtest.NewUser(int64(771+i), lang)
		h.say(u, "/start")
		if lang == "en" {
			h.say(u, "/lang en")
		}
		m := h.say(u, "/help")
		wantContains(t, m, "/mydata", "/forget")
	}
	if _, err := h.srv.WaitCalls(context.Background(), "setMyCommands", 3); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"", "ar", "en"} {
		menu := h.srv.Commands(nil, lang)
		have := map[string]string{}
		for _, c := range menu {
			have[c.Command] = c.Description
		}
		for _, cmd := range []string{"mydata", "forget"} {
			if have[cmd] == "" {
				t.Errorf("the menu for language %q lacks /%s: %v", lang, cmd, menu)
			}
		}
	}
	if ar, en := h.srv.Commands(nil, "ar"), h.srv.Commands(nil, "en"); len(ar) != len(en) || ar[0].Description == en[0].Description {
		t.Errorf("menus ar=%v en=%v; want the same commands, each in its language", ar, en)
	}
}
