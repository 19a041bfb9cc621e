package sender

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/redis/go-redis/v9"

	"nashra/bot/telegramtest"
	"nashra/bot/tgerr"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// env is one test's Redis, stores and fake Bot API.
type env struct {
	t     testing.TB
	redis *redistest.Redis
	store *subscribers.Store
	queue *outbox.Store
	srv   *telegramtest.Server
}

func newEnv(t testing.TB, limits telegramtest.Limits) *env {
	t.Helper()
	r := redistest.New(t)
	return &env{
		t:     t,
		redis: r,
		store: subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix}),
		queue: outbox.New(r.Client, outbox.Options{Prefix: r.Prefix}),
		srv:   telegramtest.New(t, telegramtest.Options{Limits: limits}),
	}
}

// api is a client of the fake Bot API that sees HTTP statuses, as the
// program's sender does (tgerr.Transport).
func (e *env) api(extra ...tg.Option) *tg.Bot {
	e.t.Helper()
	opts := []tg.Option{tg.WithSkipGetMe(), tg.WithHTTPClient(time.Minute, &http.Client{Transport: tgerr.Transport(nil)})}
	b, err := e.srv.Client(append(opts, extra...)...)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// sender builds a fast sender; the janitor only runs when Run starts
// unless a test shortens ReclaimEvery.
func (e *env) sender(consumer string, mod func(*Options)) *Sender {
	e.t.Helper()
	opt := Options{
		API: e.api(), Outbox: e.queue, Readers: e.store, RDB: e.redis.Client, Prefix: e.redis.Prefix,
		Rate: 200, Consumer: consumer, Workers: 3,
		ReclaimEvery: time.Hour, ReclaimIdle: time.Hour, RetryBackoff: 10 * time.Millisecond,
		OutageBackoff: 10 * time.Millisecond, MaxOutageBackoff: 100 * time.Millisecond,
	}
	if mod != nil {
		mod(&opt)
	}
	s, err := New(opt)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// start runs s until the returned stop is called (or the test ends).
func start(t testing.TB, s *Sender) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Run(ctx)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	t.Cleanup(stop)
	return stop
}

// startUntilCrash runs s, whose crash hook is set, and returns a channel
// closed when Run has returned.
func startUntilCrash(t testing.TB, s *Sender) <-chan struct{} {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Run(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return done
}

func waitClosed(t testing.TB, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// readers starts n private readers from base and returns one job each.
func (e *env) readers(base int64, n int, kind string) []outbox.Job {
	e.t.Helper()
	ctx := context.Background()
	var jobs []outbox.Job
	for i := range n {
		chat := base + int64(i)
		if _, err := e.store.Start(ctx, chat, subscribers.Joined{ChatType: "private"}); err != nil {
			e.t.Fatal(err)
		}
		jobs = append(jobs, outbox.Job{
			ID: fmt.Sprintf("b:7:%d", chat), ChatID: chat, Kind: kind,
			Text: fmt.Sprintf("<b>نشرة</b> رقم %d", chat), // "newsletter number"
		})
	}
	if err := e.queue.Enqueue(ctx, jobs...); err != nil {
		e.t.Fatal(err)
	}
	return jobs
}

// settle waits until every job has a final state and returns the states.
func (e *env) settle(jobs []outbox.Job) map[string]string {
	e.t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	for {
		states := map[string]string{}
		done := true
		for _, j := range jobs {
			st, err := e.queue.JobState(ctx, j)
			if err != nil {
				e.t.Fatal(err)
			}
			states[j.ID] = st
			done = done && outbox.IsFinal(st)
		}
		if done {
			return states
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("jobs not settled: %v", states)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exactlyOnce checks that each chat got exactly one message.
func (e *env) exactlyOnce(chats ...int64) {
	e.t.Helper()
	for _, c := range chats {
		if n := len(e.srv.SentTo(c)); n != 1 {
			e.t.Errorf("chat %d got %d messages; want exactly 1", c, n)
		}
	}
}

func chatsOf(jobs []outbox.Job) []int64 {
	var out []int64
	for _, j := range jobs {
		out = append(out, j.ChatID)
	}
	return out
}

func TestDeliversDigestOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	ctx := context.Background()
	const chat = 1001
	if _, err := e.store.Start(ctx, chat, subscribers.Joined{ChatType: "private"}); err != nil {
		t.Fatal(err)
	}
	markup := `{"inline_keyboard":[[{"text":"الإيقاف المؤقت","callback_data":"pause"}]]}` // "pause"
	jobs := []outbox.Job{
		{ID: "d:1001:1-3:1", ChatID: chat, Kind: "digest", Text: "<b>1/2</b> قسد &amp; التحالف", Markup: markup}, // "SDF & the coalition"
		{ID: "d:1001:1-3:2", ChatID: chat, Kind: "digest", Text: "<b>2/2</b>", Markup: markup},
	}
	if ok, err := e.queue.EnqueueDigest(ctx, chat, 0, 3, jobs); err != nil || !ok {
		t.Fatalf("EnqueueDigest = %v, %v", ok, err)
	}
	s := e.sender("a", nil)
	start(t, s)
	states := e.settle(jobs)
	msgs := e.srv.SentTo(chat)
	if len(msgs) != 2 {
		t.Fatalf("chat got %d messages; want the 2 parts", len(msgs))
	}
	for i, m := range msgs {
		if m.ParseMode != "HTML" || m.LinkPreview == nil || m.LinkPreview.IsDisabled == nil || !*m.LinkPreview.IsDisabled {
			t.Errorf("part %d sent with parse mode %q, preview %+v; want HTML, previews off", i+1, m.ParseMode, m.LinkPreview)
		}
		if b := m.Buttons(); len(b) != 1 || b[0] != "الإيقاف المؤقت|pause" {
			t.Errorf("part %d buttons = %v; want the pause button", i+1, b)
		}
		if want := fmt.Sprintf("sent:%d", m.MessageID); states[jobs[i].ID] != want {
			t.Errorf("state of part %d = %q; want %q", i+1, states[jobs[i].ID], want)
		}
	}
	if msgs[0].Text != "1/2 قسد & التحالف" {
		t.Errorf("first part reads %q; want the parts in order, HTML rendered", msgs[0].Text)
	}
	if st := waitStats(s, func(st Stats) bool { return !(st.Sent != 2) }); st.Sent != 2 {
		t.Errorf("stats = %+v; want 2 sent", st)
	}
}

// restart starts sender "b" as the process that replaces a crashed one.
// Its janitor's first pass runs before its workers start and takes every
// entry idle for longer than restartIdle; the sleep only makes sure the
// crashed sender's entries are at least that old (a lower bound, however
// slow the machine).
func restart(t *testing.T, e *env) *Sender {
	t.Helper()
	const restartIdle = 20 * time.Millisecond
	time.Sleep(2 * restartIdle)
	b := e.sender("b", func(o *Options) { o.ReclaimIdle = restartIdle })
	start(t, b)
	return b
}

func TestCrashAfterSendIsNotResent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	jobs := e.readers(2000, 6, "broadcast")
	victim := jobs[0]

	a := e.sender("a", func(o *Options) { o.Workers = 1 })
	var crashed atomic.Bool
	a.crashAfterSend = func(j outbox.Job) bool { return crashed.CompareAndSwap(false, true) }
	waitClosed(t, startUntilCrash(t, a), "sender a to crash")

	// a died between Telegram's answer and the ack.
	killed := ""
	for _, j := range jobs {
		if st, _ := e.queue.JobState(context.Background(), j); strings.HasPrefix(st, "inflight:a:") {
			killed = j.ID
			victim = j
		}
	}
	if killed == "" || len(e.srv.SentTo(victim.ChatID)) != 1 {
		t.Fatalf("after the crash: job in flight %q, %d messages to it; want one job in flight, sent once", killed, len(e.srv.SentTo(victim.ChatID)))
	}

	b := restart(t, e)
	states := e.settle(jobs)
	if states[victim.ID] != outbox.StateUnknown {
		t.Errorf("state of the job in flight at the crash = %q; want unknown", states[victim.ID])
	}
	e.exactlyOnce(chatsOf(jobs)...)
	if st := waitStats(b, func(st Stats) bool { return !(st.Unknown != 1 || st.Sent != 5) }); st.Unknown != 1 || st.Sent != 5 {
		t.Errorf("restarted sender stats = %+v; want 1 unknown, 5 sent", st)
	}
}

func TestCrashBeforeSendIsDeliveredOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	jobs := e.readers(3000, 12, "broadcast")

	a := e.sender("a", func(o *Options) { o.Workers = 1; o.Batch = 8 })
	a.crashBeforeBegin = func(outbox.Job) bool { return true }
	waitClosed(t, startUntilCrash(t, a), "sender a to crash")
	if n := len(e.srv.Sent()); n != 0 {
		t.Fatalf("%d messages sent before the crash; want 0", n)
	}

	restart(t, e)
	states := e.settle(jobs)
	for id, st := range states {
		if !strings.HasPrefix(st, "sent:") {
			t.Errorf("job %s ended %q; want sent", id, st)
		}
	}
	e.exactlyOnce(chatsOf(jobs)...)
}

func TestTwoSendersDeliverEachJobOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	jobs := e.readers(4000, 120, "broadcast")
	a := e.sender("a", nil)
	// b's janitor runs all the time and takes over anything idle: the
	// claims must still never let a job go out twice.
	b := e.sender("b", func(o *Options) { o.ReclaimEvery = 5 * time.Millisecond; o.ReclaimIdle = 50 * time.Millisecond })
	start(t, a)
	start(t, b)
	states := e.settle(jobs)
	unknown := 0
	for _, j := range jobs {
		n := len(e.srv.SentTo(j.ChatID))
		switch st := states[j.ID]; {
		case strings.HasPrefix(st, "sent:"):
			if n != 1 {
				t.Errorf("chat %d got %d messages for a sent job; want exactly 1", j.ChatID, n)
			}
		case st == outbox.StateUnknown:
			// A send that outlived b's 50 ms idle limit was taken for a
			// dead sender's: recorded as unknown, and never sent again.
			unknown++
			if n > 1 {
				t.Errorf("chat %d got %d messages for an unknown job; want at most 1", j.ChatID, n)
			}
		default:
			t.Errorf("job %s ended %q; want sent (or unknown)", j.ID, st)
		}
	}
	if unknown > len(jobs)/10 {
		t.Errorf("%d of %d jobs ended unknown; the claims are not working", unknown, len(jobs))
	}
}

func Test429StormLosesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{PerSecond: 40, PerChatPerSecond: 1})
	const storm = 3
	e.srv.Inject(telegramtest.Fault{Kind: telegramtest.TooManyRequests, Method: "sendMessage", RetryAfter: 1, Times: storm})
	jobs := e.readers(5000, 30, "broadcast")
	s := e.sender("a", func(o *Options) { o.Rate = 20; o.Workers = 4 })
	start(t, s)
	e.settle(jobs)
	e.exactlyOnce(chatsOf(jobs)...)
	// Only the injected 429s: once paused, the senders never ran into the
	// fake's own limits.
	if got := e.srv.Throttled(); got != storm {
		t.Errorf("the fake answered %d 429s; want only the %d injected", got, storm)
	}
	if st := waitStats(s, func(st Stats) bool { return !(st.Throttled429 != storm || st.Sent != int64(len(jobs))) }); st.Throttled429 != storm || st.Sent != int64(len(jobs)) {
		t.Errorf("stats = %+v; want %d throttled, %d sent", st, storm, len(jobs))
	}
}

func Test429PausesEverySender(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	e.srv.Inject(telegramtest.Fault{Kind: telegramtest.TooManyRequests, Method: "sendMessage", RetryAfter: 1})
	jobs := e.readers(5100, 3, "broadcast")
	s := e.sender("a", func(o *Options) { o.Workers = 1 })
	start(t, s)
	e.settle(jobs)
	e.exactlyOnce(chatsOf(jobs)...)
	calls := e.srv.Calls("sendMessage")
	if len(calls) != 4 || calls[0].Status != http.StatusTooManyRequests {
		t.Fatalf("calls = %d, first %d; want a 429 then 3 sends", len(calls), calls[0].Status)
	}
	// A lower bound only: however slow the machine, nothing may be sent
	// before retry_after has passed.
	if gap := calls[1].Time.Sub(calls[0].Time); gap < time.Second {
		t.Errorf("next send %v after the 429; want at least retry_after (1s)", gap)
	}
}

func TestBlockedReadersAreMarkedOthersServed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	jobs := e.readers(6000, 50, "digest")
	blocked := map[int64]bool{}
	for i := 0; i < len(jobs); i += 10 { // 10%
		e.srv.Block(jobs[i].ChatID)
		blocked[jobs[i].ChatID] = true
	}
	gone := jobs[3].ChatID // deleted account: "chat not found"
	e.srv.Inject(telegramtest.Fault{Kind: telegramtest.ChatNotFound, ChatID: gone, Times: -1})
	blocked[gone] = true

	s := e.sender("a", nil)
	start(t, s)
	states := e.settle(jobs)
	ctx := context.Background()
	for _, j := range jobs {
		r, err := e.store.Get(ctx, j.ChatID)
		if err != nil {
			t.Fatal(err)
		}
		if blocked[j.ChatID] {
			if r.Status != subscribers.Blocked || states[j.ID] != "failed:blocked" || r.StatusReason == "" {
				t.Errorf("blocked chat %d: status %s (%q), job %q; want blocked with a reason, failed:blocked", j.ChatID, r.Status, r.StatusReason, states[j.ID])
			}
			continue
		}
		if r.Status != subscribers.Active || len(e.srv.SentTo(j.ChatID)) != 1 {
			t.Errorf("chat %d: status %s, %d messages; want active, 1 message", j.ChatID, r.Status, len(e.srv.SentTo(j.ChatID)))
		}
	}
	if r, _ := e.store.Get(ctx, jobs[0].ChatID); r.StatusReason != "Forbidden: bot was blocked by the user" {
		t.Errorf("blocked reason = %q; want Telegram's description", r.StatusReason)
	}
	if st := waitStats(s, func(st Stats) bool {
		return !(st.Blocked != int64(len(blocked)) || st.Sent != int64(len(jobs)-len(blocked)))
	}); st.Blocked != int64(len(blocked)) || st.Sent != int64(len(jobs)-len(blocked)) {
		t.Errorf("stats = %+v; want %d blocked, %d sent", st, len(blocked), len(jobs)-len(blocked))
	}
}

func TestMigratedGroupIsMovedAndServed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{PerGroupPerMinute: 20})
	ctx := context.Background()
	const group, super = int64(-5001), int64(-1000000005001)
	if _, err := e.store.Start(ctx, group, subscribers.Joined{ChatType: "group"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Follow(ctx, group, subscribers.TopicFollow("sdf")); err != nil {
		t.Fatal(err)
	}
	job := outbox.Job{ID: "d:-5001:1-4:1", ChatID: group, Kind: "digest", Text: "<b>قسد</b>"} // "SDF"
	if ok, err := e.queue.EnqueueDigest(ctx, group, 0, 4, []outbox.Job{job}); err != nil || !ok {
		t.Fatalf("EnqueueDigest = %v, %v", ok, err)
	}
	e.srv.Migrate(group, super)
	s := e.sender("a", nil)
	start(t, s)
	states := e.settle([]outbox.Job{job})

	msgs := e.srv.SentTo(super)
	if len(msgs) != 1 || len(e.srv.SentTo(group)) != 0 {
		t.Fatalf("supergroup got %d messages, old group %d; want 1 and 0", len(msgs), len(e.srv.SentTo(group)))
	}
	if want := fmt.Sprintf("sent:%d", msgs[0].MessageID); states[job.ID] != want {
		t.Errorf("job state = %q; want %q", states[job.ID], want)
	}
	moved, err := e.store.Get(ctx, super)
	if err != nil || moved.Status != subscribers.Active || moved.Cursor != 4 || len(moved.Follows) != 1 {
		t.Errorf("moved reader = %+v, %v; want active, cursor 4, the follow", moved, err)
	}
	if old, _ := e.store.Get(ctx, group); old.Status != subscribers.Blocked {
		t.Errorf("old group status = %s; want blocked", old.Status)
	}
	if st := waitStats(s, func(st Stats) bool { return !(st.Migrated != 1 || st.Sent != 1) }); st.Migrated != 1 || st.Sent != 1 {
		t.Errorf("stats = %+v; want 1 migrated, 1 sent", st)
	}
}

func TestLostAnswer(t *testing.T) {
	t.Parallel()
	for _, resend := range []bool{false, true} {
		t.Run(fmt.Sprintf("ResendUnknown=%v", resend), func(t *testing.T) {
			e := newEnv(t, telegramtest.Limits{})
			jobs := e.readers(7000, 3, "digest")
			lost := jobs[1]
			e.srv.Inject(telegramtest.Fault{Kind: telegramtest.DropAnswer, ChatID: lost.ChatID})
			s := e.sender("a", func(o *Options) { o.ResendUnknown = resend })
			start(t, s)
			states := e.settle(jobs)
			got := len(e.srv.SentTo(lost.ChatID))
			if !resend {
				if states[lost.ID] != outbox.StateUnknown || got != 1 || s.Stats().Unknown != 1 {
					t.Errorf("lost answer: state %q, %d messages, stats %+v; want unknown, 1 (not resent)", states[lost.ID], got, s.Stats())
				}
			} else if !strings.HasPrefix(states[lost.ID], "sent:") || got != 2 {
				t.Errorf("lost answer with ResendUnknown: state %q, %d messages; want sent, 2 (at least once)", states[lost.ID], got)
			}
			e.exactlyOnce(jobs[0].ChatID, jobs[2].ChatID)
		})
	}
}

func TestServerErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		kind      telegramtest.FaultKind
		wantState string
		wantMsgs  int
	}{
		// The Bot API itself says the call failed: nothing was sent, retry.
		{"json 500 retried", telegramtest.InternalError, "sent:", 1},
		// A proxy's 502 page: it could not pass the call on (the status is
		// seen), so nothing was sent: retried after the outage pause.
		{"html 502 retried", telegramtest.BadGateway, "sent:", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, telegramtest.Limits{})
			jobs := e.readers(7100, 1, "digest")
			e.srv.Inject(telegramtest.Fault{Kind: tt.kind, Method: "sendMessage"})
			start(t, e.sender("a", nil))
			states := e.settle(jobs)
			if st := states[jobs[0].ID]; !strings.HasPrefix(st, tt.wantState) {
				t.Errorf("state = %q; want %s…", st, tt.wantState)
			}
			if n := len(e.srv.SentTo(jobs[0].ChatID)); n != tt.wantMsgs {
				t.Errorf("%d messages delivered; want %d", n, tt.wantMsgs)
			}
		})
	}
}

// refuseFirst fails the first n requests before writing anything, as a
// refused connection does.
type refuseFirst struct {
	n    atomic.Int32
	base http.RoundTripper
}

func (r *refuseFirst) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.n.Add(-1) >= 0 {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, errors.New("dial tcp 127.0.0.1:443: connect: connection refused")
	}
	return r.base.RoundTrip(req)
}

func TestRequestThatNeverLeftIsRetried(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	jobs := e.readers(7200, 1, "digest")
	rt := &refuseFirst{base: http.DefaultTransport}
	rt.n.Store(2)
	s := e.sender("a", func(o *Options) {
		o.API = e.api(tg.WithHTTPClient(time.Minute, &http.Client{Transport: tgerr.Transport(rt)}))
	})
	start(t, s)
	states := e.settle(jobs)
	if !strings.HasPrefix(states[jobs[0].ID], "sent:") || len(e.srv.SentTo(jobs[0].ChatID)) != 1 {
		t.Errorf("state %q, %d messages; want sent once after the refused attempts", states[jobs[0].ID], len(e.srv.SentTo(jobs[0].ChatID)))
	}
	// Refused connections are an outage, not the message's fault: no
	// attempt counted, never unknown.
	if st := waitStats(s, func(st Stats) bool { return st.Systemic == 2 && st.Sent == 1 }); st.Systemic != 2 || st.Retried != 0 || st.Unknown != 0 || st.Outage {
		t.Errorf("stats = %+v; want 2 systemic errors, no retry counted, nothing unknown, outage over", st)
	}
}

func TestShutdownHandsBackAWaitingJob(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	ctx := context.Background()
	const group = int64(-8001)
	if _, err := e.store.Start(ctx, group, subscribers.Joined{ChatType: "group"}); err != nil {
		t.Fatal(err)
	}
	jobs := []outbox.Job{
		{ID: "n:1", ChatID: group, Kind: "notice", Text: "one", Priority: outbox.High},
		{ID: "n:2", ChatID: group, Kind: "notice", Text: "two", Priority: outbox.High},
	}
	if err := e.queue.Enqueue(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	a := e.sender("a", func(o *Options) { o.Workers = 1 })
	stop := start(t, a)
	// The second message to the group waits ~3s for the group's limit,
	// read but not begun: a job is in flight only once its turn has come.
	if _, err := e.srv.WaitMessages(testCtx(t), group, 1); err != nil {
		t.Fatal(err)
	}
	stop()
	if st, _ := e.queue.JobState(ctx, jobs[1]); st != outbox.StateQueued {
		t.Fatalf("after shutdown the waiting job is %q; want queued (handed back)", st)
	}
	restart(t, e)
	e.settle(jobs)
	if msgs := e.srv.SentTo(group); len(msgs) != 2 || msgs[1].Text != "two" {
		t.Errorf("group got %d messages; want both, once each", len(msgs))
	}
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func waitState(t testing.TB, s *outbox.Store, j outbox.Job, ok func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := s.JobState(context.Background(), j)
		if err != nil {
			t.Fatal(err)
		}
		if ok(st) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s stuck in state %q", j.ID, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitStats returns s's counters once ok holds, or after 10 s: a job's
// state and its counters are written one after the other, so a test that
// saw the state may be a moment ahead of the counter.
func waitStats(s *Sender, ok func(Stats) bool) Stats {
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := s.Stats()
		if ok(st) || time.Now().After(deadline) {
			return st
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRefusedMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		description string
		times       int // -1: refused every time
		backoff     time.Duration
		wantState   string
		wantCalls   func(int) bool
		wantRetried func(int64) bool
	}{
		// Nothing a retry can fix: dead-lettered at the first answer.
		{"bad html", "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0", -1, 0,
			outbox.StateDeadLetter, func(n int) bool { return n == 1 }, func(n int64) bool { return n == 0 }},
		{"too long", "Bad Request: message is too long", -1, 0,
			outbox.StateDeadLetter, func(n int) bool { return n == 1 }, func(n int64) bool { return n == 0 }},
		{"bad buttons", "Bad Request: BUTTON_DATA_INVALID", -1, 0,
			outbox.StateDeadLetter, func(n int) bool { return n == 1 }, func(n int64) bool { return n == 0 }},
		// Another refusal may pass: retried until the job is older than
		// MaxAge (the clock jumps a day after the third call), then
		// dead-lettered.
		{"refused until max age", "Bad Request: TOPIC_CLOSED", -1, 0,
			outbox.StateDeadLetter, func(n int) bool { return n >= 3 }, func(n int64) bool { return n >= 2 }},
		{"refused twice, then sent", "Bad Request: TOPIC_CLOSED", 2, 0,
			"sent:", func(n int) bool { return n == 3 }, func(n int64) bool { return n == 2 }},
		// A backoff longer than a worker sleeps through: held aside.
		{"refused once, held, then sent", "Bad Request: TOPIC_CLOSED", 1, holdAfter + 500*time.Millisecond,
			"sent:", func(n int) bool { return n == 2 }, func(n int64) bool { return n == 1 }},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, telegramtest.Limits{})
			jobs := e.readers(int64(7500+10*i), 3, "digest")
			refused := jobs[1]
			e.srv.Inject(telegramtest.Fault{Kind: telegramtest.APIError, Code: 400, Description: tt.description, ChatID: refused.ChatID, Times: tt.times})
			var skew atomic.Int64
			s := e.sender("a", func(o *Options) {
				o.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
				if tt.backoff > 0 {
					o.RetryBackoff = tt.backoff
				}
			})
			start(t, s)
			if tt.name == "refused until max age" {
				waitCalls(t, e.srv, refused.ChatID, 3)
				skew.Store(int64(25 * time.Hour))
			}
			states := e.settle(jobs)
			if st := states[refused.ID]; !strings.HasPrefix(st, tt.wantState) {
				t.Errorf("refused job ended %q; want %s…", st, tt.wantState)
			}
			calls := 0
			for _, c := range e.srv.Calls("sendMessage") {
				if c.Params["chat_id"] == fmt.Sprint(refused.ChatID) {
					calls++
				}
			}
			if !tt.wantCalls(calls) {
				t.Errorf("%d calls for the refused message", calls)
			}
			if st := waitStats(s, func(st Stats) bool { return tt.wantRetried(st.Retried) }); !tt.wantRetried(st.Retried) {
				t.Errorf("stats = %+v: unexpected retries", st)
			}
			e.exactlyOnce(jobs[0].ChatID, jobs[2].ChatID)
			dl, err := e.queue.DeadLetters(context.Background(), 10)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantState == outbox.StateDeadLetter {
				if len(dl) != 1 || !strings.Contains(dl[0].Reason, tt.description) || dl[0].Job.Attempt != calls {
					t.Errorf("dead letters = %+v; want the job with Telegram's reason and %d attempts", dl, calls)
				}
			} else if len(dl) != 0 {
				t.Errorf("dead letters = %+v; want none", dl)
			}
		})
	}
}

// A sender killed while its workers wait for their turn under the rate
// limit leaves those jobs queued: they are sent after the restart, and
// only the message that was on the wire at the kill is recorded unknown.
func TestCrashWhileWaitingForTurnLosesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	jobs := e.readers(7600, 80, "broadcast")
	// a has its own Redis connection, closed at the crash: nothing it would
	// still do reaches Redis, as after kill -9.
	opt, err := redis.ParseURL(e.redis.URL)
	if err != nil {
		t.Skipf("needs a single Redis node: %v", err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	store := subscribers.New(rdb, subscribers.Options{Prefix: e.redis.Prefix})
	queue := outbox.New(rdb, outbox.Options{Prefix: e.redis.Prefix})
	// 2 messages a second: while one worker sends, the other three wait
	// for their turn, each with jobs in hand (one per shard per read).
	a := e.sender("a", func(o *Options) { o.Readers, o.Outbox, o.RDB, o.Workers, o.Rate, o.Batch = store, queue, rdb, 4, 2, 1 })
	var sends atomic.Int32
	a.crashAfterSend = func(outbox.Job) bool {
		if sends.Add(1) == 3 {
			_ = rdb.Close()
			return true
		}
		return false
	}
	waitClosed(t, startUntilCrash(t, a), "sender a to crash")

	restart(t, e)
	states := e.settle(jobs)
	unknown := 0
	for _, j := range jobs {
		n := len(e.srv.SentTo(j.ChatID))
		switch st := states[j.ID]; {
		case st == outbox.StateUnknown:
			unknown++
			if n != 1 {
				t.Errorf("job %s is unknown but its chat got %d messages; want 1 (it was on the wire)", j.ID, n)
			}
		case strings.HasPrefix(st, "sent:"):
			if n != 1 {
				t.Errorf("chat %d got %d messages; want exactly 1", j.ChatID, n)
			}
		default:
			t.Errorf("job %s ended %q; want sent", j.ID, st)
		}
	}
	if unknown > 1 {
		t.Errorf("%d jobs unknown; want at most the one on the wire", unknown)
	}
}

// waitCalls waits until the fake has seen n sendMessage calls to chat.
func waitCalls(t testing.TB, srv *telegramtest.Server, chat int64, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := 0
		for _, c := range srv.Calls("sendMessage") {
			if c.Params["chat_id"] == fmt.Sprint(chat) {
				got++
			}
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("chat %d: %d calls; want %d", chat, got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// At 1,000 messages a second every round trip a message costs is
// throughput. A message whose chat's turn is open at once checks the pause
// every sender honours once, not again after taking the chat's turn: only
// a wait for that turn can let a pause begin in between.
func TestPauseCheckedOncePerMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, telegramtest.Limits{})
	checks := e.redis.Count(redistest.NamesKey("tg:pause_until"))
	jobs := e.readers(71_000, 40, "digest")
	// One worker, whose first read takes every job.
	began := time.Now()
	start(t, e.sender("a", func(o *Options) { o.Workers, o.Batch = 1, 8 }))
	e.settle(jobs)
	elapsed := time.Since(began)
	n := checks.Load()
	e.exactlyOnce(chatsOf(jobs)...)
	// One per message, and one before each read of the queue: the few
	// that take the jobs, and one each time a read waited its 500 ms for
	// nothing (a slow machine has more of those; two checks per message
	// never fit).
	if most := int64(len(jobs)) + 5 + int64(elapsed/(500*time.Millisecond)); n > most {
		t.Errorf("%d checks of the pause for %d messages in %v, none of which waited for its chat; want at most %d", n, len(jobs), elapsed, most)
	}
}
