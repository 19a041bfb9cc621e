package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"

	"nashra/bot"
	"nashra/bot/inbox"
	"nashra/bot/ratelimit"
	"nashra/bot/sender"
	"nashra/bot/telegramtest"
	"nashra/broadcasts"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// slowDownAr is part of the notice a flooding reader gets: "your messages
// reach us faster than we can answer".
const slowDownAr = "أسرع مما نستطيع الرد عليه"

// running is one bot instance: Run until stop.
type running struct {
	b    *bot.Bot
	stop func() // cancels Run and waits for it to return
}

func runBot(t testing.TB, srv *telegramtest.Server, r *redistest.Redis, opt bot.Options) *running {
	t.Helper()
	opt.Token, opt.APIURL = srv.Token(), srv.URL()
	opt.Store = subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	opt.Outbox = outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	opt.Broadcasts = broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix})
	opt.Inbox = inbox.New(r.Client, inbox.Options{Prefix: r.Prefix})
	opt.Catalog = topics.Builtin()
	if opt.PollTimeout == 0 {
		opt.PollTimeout = 5 * time.Second
	}
	b, err := bot.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return rerun(t, b)
}

// rerun runs b again, as the lease does when it is obtained once more.
func rerun(t testing.TB, b *bot.Bot) *running {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = b.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Error("the bot did not stop within 30s")
			}
		})
	}
	t.Cleanup(stop)
	return &running{b: b, stop: stop}
}

func countContaining(msgs []telegramtest.Message, part string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, part) {
			n++
		}
	}
	return n
}

// A reader who floods the bot while Telegram throttles their chat does not
// hold up anyone else, and is told once to slow down.
func TestFloodingReaderDoesNotStallOthers(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	bt := runBot(t, srv, r, limited(r, bot.Options{}))
	a, b := telegramtest.NewUser(8001, "ar"), telegramtest.NewUser(8009, "ar")
	// Telegram answers A's chat 429 for a while: each of A's replies
	// takes seconds.
	srv.Inject(telegramtest.Fault{Kind: telegramtest.TooManyRequests, Method: "sendMessage", ChatID: a.ID, RetryAfter: 5, Times: 2})
	for range 120 {
		srv.SendText(a, "/help")
	}
	srv.SendText(b, "/follow قسد") // "follow SDF"
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := srv.WaitMessages(ctx, b.ID, 1); err != nil {
		t.Fatalf("B's /follow was not answered while A flooded: %v", err)
	}
	_, err := srv.WaitFor(60*time.Second, func(s telegramtest.Snapshot) bool {
		return countContaining(s.SentTo(a.ID), slowDownAr) > 0
	})
	if err != nil {
		t.Fatalf("A was never asked to slow down: %v", err)
	}
	bt.stop()
	if n := countContaining(srv.SentTo(a.ID), slowDownAr); n != 1 {
		t.Errorf("A got %d slow-down notices; want exactly 1", n)
	}
}

// Commands fetched but not yet handled when the bot stops (SIGTERM, or the
// polling lease lost) are handled by the next run: every reader's two
// commands are stored and confirmed exactly once. Each reader's second
// command waits behind their first, so a stop while the first ones are
// being answered leaves the second ones unbegun.
func TestStopMidwayLosesNoCommand(t *testing.T) {
	for _, how := range []string{"restart", "lease lost and regained"} {
		t.Run(how, func(t *testing.T) {
			srv := telegramtest.New(t, telegramtest.Options{})
			r := redistest.New(t)
			// Long enough for the handlers in flight to finish.
			opt := limited(r, bot.Options{DrainTimeout: 20 * time.Second})
			first := runBot(t, srv, r, opt)
			// Every reply is slow, so most commands are still waiting
			// when the bot stops.
			srv.Inject(telegramtest.Fault{Kind: telegramtest.Slow, Method: "sendMessage", Delay: 700 * time.Millisecond, Times: -1})
			const n = 30
			for i := range n {
				u := telegramtest.NewUser(int64(7100+i), "ar")
				srv.SendText(u, "/follow قسد")  // SDF
				srv.SendText(u, "/follow داعش") // ISIS
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			_, err := srv.WaitMessages(ctx, telegramtest.AllChats, 3)
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			first.stop()
			srv.ClearFaults()
			var second *running
			if how == "restart" {
				second = runBot(t, srv, r, opt)
			} else {
				second = rerun(t, first.b)
			}
			store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
			for i := range n {
				chat := int64(7100 + i)
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				_, err := srv.WaitMessages(ctx, chat, 2)
				cancel()
				if err != nil {
					t.Errorf("reader %d did not get both answers: %v", chat, err)
					continue
				}
				rd, err := store.Get(context.Background(), chat)
				if err != nil || followKeys(rd) != "t:isis,t:sdf" {
					t.Errorf("reader %d: follows %q (%v); want t:isis,t:sdf", chat, followKeys(rd), err)
				}
			}
			second.stop()
			for i := range n {
				if msgs := srv.SentTo(int64(7100 + i)); len(msgs) != 2 {
					t.Errorf("reader %d got %d messages; want one confirmation of each follow: %s", 7100+i, len(msgs), texts(msgs))
				}
			}
		})
	}
}

// A handler cut off by the drain timeout is not lost: its update stays in
// the inbox and the next run handles it again. That is at least once: a
// reply that was already on its way may be followed by a second one
// («already following»), never by none.
func TestHandlerCutAtDrainTimeoutRunsAgain(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	opt := limited(r, bot.Options{DrainTimeout: 100 * time.Millisecond})
	first := runBot(t, srv, r, opt)
	srv.Inject(telegramtest.Fault{Kind: telegramtest.Slow, Method: "sendMessage", Delay: 3 * time.Second, Times: -1})
	const n = 10
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	for i := range n {
		srv.SendText(telegramtest.NewUser(int64(7300+i), "ar"), "/follow قسد") // SDF
	}
	// Every reader's follow is stored: the handlers are under way.
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; i < n; {
		rd, err := store.Get(context.Background(), int64(7300+i))
		if err == nil && followKeys(rd) == "t:sdf" {
			i++
			continue
		}
		if time.Now().After(deadline) {
			t.Fatalf("reader %d's follow was never stored", 7300+i)
		}
		time.Sleep(10 * time.Millisecond)
	}
	first.stop()
	srv.ClearFaults()
	second := runBot(t, srv, r, opt)
	for i := range n {
		chat := int64(7300 + i)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := srv.WaitMessages(ctx, chat, 1)
		cancel()
		if err != nil {
			t.Errorf("reader %d never got an answer: %v", chat, err)
		}
	}
	second.stop()
	for i := range n {
		if msgs := srv.SentTo(int64(7300 + i)); len(msgs) == 0 || len(msgs) > 2 {
			t.Errorf("reader %d got %d messages; want one or two: %s", 7300+i, len(msgs), texts(msgs))
		}
	}
}

func texts(msgs []telegramtest.Message) string {
	var parts []string
	for _, m := range msgs {
		parts = append(parts, fmt.Sprintf("%q", m.Text))
	}
	return strings.Join(parts, ", ")
}

// Replies count against Telegram's limits like every other message: while
// the sender delivers digests at the configured rate, readers' commands
// are answered without a single 429 from a fake enforcing 30/s overall and
// 1/s per chat.
func TestRepliesShareTheLimitsWithDigests(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.Limits{PerSecond: 30, PerChatPerSecond: 1}})
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	ctx := context.Background()
	var jobs []outbox.Job
	for i := range 150 {
		chat := int64(60000 + i)
		jobs = append(jobs, outbox.Job{ID: fmt.Sprintf("d:%d:1-2:0", chat), ChatID: chat, Kind: "digest", Text: "📰 digest", Priority: outbox.High})
	}
	if err := queue.Enqueue(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	api, err := srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	snd, err := sender.New(sender.Options{API: api, Outbox: queue, Readers: store, RDB: r.Client, Prefix: r.Prefix, Rate: 25, Consumer: "c1", Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	sdone := make(chan struct{})
	go func() { defer close(sdone); _ = snd.Run(sctx) }()
	defer func() { stop(); <-sdone }()
	runBot(t, srv, r, limited(r, bot.Options{}))
	// Wait until the digests flow at full rate, then ten readers at once.
	if _, err := srv.WaitMessages(ctx, telegramtest.AllChats, 25); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		srv.SendText(telegramtest.NewUser(int64(61000+i), "ar"), "/help")
	}
	for i := range 10 {
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		_, err := srv.WaitMessages(wctx, int64(61000+i), 1)
		cancel()
		if err != nil {
			t.Fatalf("reader %d not answered: %v", 61000+i, err)
		}
	}
	if n := srv.Throttled(); n != 0 {
		t.Errorf("%d answers of 429; want none: replies must take their turns with the digests", n)
	}
}

// With paid broadcasts on, the digests go beyond the free rate with
// allow_paid_broadcast while readers' replies keep taking free turns
// ahead of them: no reply is ever paid, every reader is answered quickly,
// and Telegram never says 429.
func TestRepliesNeverPaid(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{Limits: telegramtest.Limits{PerSecond: 30, PaidPerSecond: 200, PerChatPerSecond: 1}})
	r := redistest.New(t)
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	ctx := context.Background()
	var jobs []outbox.Job
	for i := range 600 {
		chat := int64(70000 + i)
		jobs = append(jobs, outbox.Job{ID: fmt.Sprintf("d:%d:1-2:0", chat), ChatID: chat, Kind: "digest", Text: "📰 digest", Priority: outbox.High})
	}
	if err := queue.Enqueue(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	api, err := srv.Client(tg.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	paid := ratelimit.Paid{Rate: 200, PerDay: 100000}
	snd, err := sender.New(sender.Options{API: api, Outbox: queue, Readers: store, RDB: r.Client, Prefix: r.Prefix,
		Rate: 25, Paid: paid, Consumer: "c1", Workers: 12})
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	sdone := make(chan struct{})
	go func() { defer close(sdone); _ = snd.Run(sctx) }()
	defer func() { stop(); <-sdone }()
	opt := limited(r, bot.Options{})
	opt.Limiter = opt.Limiter.WithPaid(paid) // the bot's limiter knows paid sending is on, as in `nashra run`
	runBot(t, srv, r, opt)
	if _, err := srv.WaitMessages(ctx, telegramtest.AllChats, 100); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		asked := time.Now()
		u := telegramtest.NewUser(int64(71000+i), "ar")
		srv.SendText(u, "/help")
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		msgs, err := srv.WaitMessages(wctx, u.ID, 1)
		cancel()
		if err != nil {
			t.Fatalf("reader %d not answered: %v", u.ID, err)
		}
		if took := time.Since(asked); took > 2*time.Second {
			t.Errorf("reader %d answered after %v during the paid wave; want within 2 s", u.ID, took)
		}
		if msgs[0].PaidBroadcast {
			t.Errorf("the reply to %d was sent with allow_paid_broadcast; replies are never paid", u.ID)
		}
	}
	if srv.PaidSent() == 0 {
		t.Errorf("no digest was paid: the test did not run beyond the free rate")
	}
	if n := srv.Throttled(); n != 0 {
		t.Errorf("%d answers of 429; want none", n)
	}
}
