package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/redis/go-redis/v9"

	"nashra/bot"
	"nashra/bot/ratelimit"
	"nashra/bot/sender"
	"nashra/bot/telegramtest"
	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/schedule"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// BenchmarkWave is the morning wave: N readers due at 08:00, their digests
// built by the digest job and delivered by the sender through a fake Bot
// API that enforces Telegram's limits (30/s without allow_paid_broadcast,
// 1,000/s with it, 1/s per chat), while readers send commands to the bot.
// It runs at the free rate (30/s) and with paid broadcasts up to 1,000/s
// and reports, for each:
//
//	window/ideal   the delivery window (from the start of the digest job to
//	               the last digest Telegram accepted) over N / rate; goal ≤ 1.1
//	window-s       the window in seconds
//	429s           Telegram's 429 answers; goal 0
//	dups           digests a reader got more than once; goal 0 (a reader
//	               missing a digest fails the benchmark)
//	reply-max-ms   the slowest answer to a reader's /help during the wave; goal < 2,000
//	paid           messages sent with allow_paid_broadcast (0 at the free rate)
//	redis-calls/msg, go-cpu-µs/msg, redis-cpu-µs/msg
//	               per digest delivered, the build and the readers' commands
//	               included: Redis commands sent, and the CPU time of this
//	               process (the fake Bot API's too) and of Redis; what a
//	               message costs, steadier than the window on a busy machine
//
// Each runs twice: with one nashra instance, then with two (each its own
// sender and builder, sharing the build by shard claims as `nashra run`
// does, and Telegram's limits through Redis), and reports
//
//	speed-up       the one instance's window over the two's
//
// N is scaled to keep one iteration to about 20 s: 600 readers at the free
// rate, 20,000 with paid broadcasts (NASHRA_BENCH_WAVE_FREE and
// NASHRA_BENCH_WAVE_PAID set others):
//
//	NASHRA_TEST_REDIS_URL=… go test -run '^$' -bench Wave -benchtime 1x ./bot
func BenchmarkWave(b *testing.B) {
	for _, c := range []struct {
		name       string
		readers    int
		env        string
		paid, rate float64
	}{
		{"free-30", 600, "NASHRA_BENCH_WAVE_FREE", 0, 30},
		{"paid-1000", 20000, "NASHRA_BENCH_WAVE_PAID", 1000, 1000},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := c.readers
			if v, err := strconv.Atoi(os.Getenv(c.env)); err == nil && v > 0 {
				n = v
			}
			var sum, two waveFigures
			for range b.N {
				f := runWave(b, n, c.paid, 1)
				sum.window += f.window
				sum.throttled += f.throttled
				sum.dups += f.dups
				sum.replyMax = max(sum.replyMax, f.replyMax)
				sum.paid += f.paid
				sum.replies += f.replies
				sum.callsPerMsg += f.callsPerMsg
				sum.cpuPerMsg += f.cpuPerMsg
				sum.redisPerMsg += f.redisPerMsg
				f = runWave(b, n, c.paid, 2)
				two.window += f.window
				two.throttled += f.throttled
				two.dups += f.dups
				two.replyMax = max(two.replyMax, f.replyMax)
			}
			window := sum.window / time.Duration(b.N)
			ideal := time.Duration(float64(n) / c.rate * float64(time.Second))
			b.ReportMetric(window.Seconds()/ideal.Seconds(), "window/ideal")
			b.ReportMetric(window.Seconds(), "window-s")
			b.ReportMetric(float64(sum.throttled)/float64(b.N), "429s")
			b.ReportMetric(float64(sum.dups)/float64(b.N), "dups")
			b.ReportMetric(float64(sum.replyMax.Milliseconds()), "reply-max-ms")
			b.ReportMetric(float64(sum.paid)/float64(b.N), "paid")
			b.ReportMetric(sum.callsPerMsg/float64(b.N), "redis-calls/msg")
			b.ReportMetric(sum.cpuPerMsg/float64(b.N)*1e6, "go-cpu-µs/msg")
			b.ReportMetric(sum.redisPerMsg/float64(b.N)*1e6, "redis-cpu-µs/msg")
			b.Logf("%d readers at %v/s: window %v (ideal %v), %d × 429, %d dups, %d replies, slowest %v, %d paid",
				n, c.rate, window.Round(time.Millisecond), ideal, sum.throttled, sum.dups, sum.replies, sum.replyMax, sum.paid)
			window2 := two.window / time.Duration(b.N)
			b.ReportMetric(window2.Seconds()/ideal.Seconds(), "window/ideal-2-instances")
			b.ReportMetric(window.Seconds()/window2.Seconds(), "speed-up")
			b.ReportMetric(float64(two.throttled+two.dups)/float64(b.N), "429s+dups-2-instances")
			b.Logf("two instances: window %v, %d × 429, %d dups, slowest reply %v",
				window2.Round(time.Millisecond), two.throttled, two.dups, two.replyMax)
		})
	}
}

type waveFigures struct {
	window                time.Duration
	throttled, dups, paid int
	replyMax              time.Duration
	replies               int
	// Per digest delivered, the build and the readers' commands
	// included: Redis commands sent, and CPU seconds of this process
	// (the fake Bot API too) and of Redis.
	callsPerMsg, cpuPerMsg, redisPerMsg float64
}

// runWave runs one morning for n readers: 30/s free, and paid broadcasts
// up to paidRate (0: none), with instances nashra instances.
func runWave(b *testing.B, n int, paidRate float64, instances int) waveFigures {
	b.StopTimer()
	ctx := context.Background()
	srv := telegramtest.New(b, telegramtest.Options{SkipLayoutCheck: true,
		Limits: telegramtest.Limits{PerSecond: 30, PaidPerSecond: 1000, PerChatPerSecond: 1}})
	r := redistest.New(b)
	if redistest.Real() {
		b.Cleanup(func() { _ = redistest.DeletePrefix(context.Background(), r.Client, r.Prefix) })
	}
	damascus, _ := time.LoadLocation("Asia/Damascus")
	eight := time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	clock := func() time.Time { return eight }
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: clock})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix, Now: clock})

	// n readers due at 08:00, with nothing read yet.
	const base = 500_000_000
	var in bytes.Buffer
	for i := range n {
		fmt.Fprintf(&in, `{"chat_id": %d, "status": "active", "lang": "ar", "schedule": "0 8 * * *", "joined_at": "2026-11-27T08:00:00Z"}`+"\n", base+i)
	}
	rep, err := store.Import(ctx, &in, func(string) (subscribers.Follow, bool) { return subscribers.Follow{}, false })
	if err != nil || rep.Imported != n {
		b.Fatalf("import %d readers: %+v, %v", n, rep, err)
	}
	if _, _, err := arts.Ingest(ctx, articles.Article{
		ID: "wave", Link: "https://7al.net/wave", Title: "قسد تعلن هدنة", // "SDF announces a truce"
		Summary: []string{"قسد تعلن هدنة."}, Text: "قسد تعلن هدنة", Topics: []string{"sdf"}, InScope: true,
	}, nil); err != nil {
		b.Fatal(err)
	}
	var builders []*digest.Builder
	for range instances {
		builders = append(builders, &digest.Builder{Readers: store, Outbox: queue, Articles: arts, DefaultSchedule: "0 8 * * *",
			Location: damascus, SiteURL: "https://7al.net/", Now: clock, Topics: topics.Builtin()})
	}

	paid := ratelimit.Paid{Rate: paidRate, PerDay: 10_000_000}
	api, err := srv.Client(tg.WithSkipGetMe())
	if err != nil {
		b.Fatal(err)
	}
	var senders []*sender.Sender
	for i := range instances {
		snd, err := sender.New(sender.Options{API: api, Outbox: queue, Readers: store, RDB: r.Client, Prefix: r.Prefix,
			Rate: 30, Paid: paid, Consumer: fmt.Sprint("wave-", i)})
		if err != nil {
			b.Fatal(err)
		}
		senders = append(senders, snd)
	}
	sent := func() int64 {
		var total int64
		for _, s := range senders {
			total += s.Stats().Sent
		}
		return total
	}
	opt := limited(r, bot.Options{})
	opt.Limiter = ratelimit.New(r.Client, r.Prefix, 30, 0.04).WithPaid(paid)
	runBot(b, srv, r, opt)

	sctx, stopSender := context.WithCancel(ctx)
	var running sync.WaitGroup
	calls := r.Count(func(redis.Cmder) bool { return true })
	cpu0 := redistest.ProcessCPU()
	redis0, cpuErr := redistest.ServerCPU(ctx, r.Client)
	if cpuErr != nil {
		b.Fatal(cpuErr)
	}
	b.StartTimer()
	began := time.Now()
	for _, snd := range senders {
		running.Go(func() { _ = snd.Run(sctx) })
	}
	defer func() { stopSender(); running.Wait() }()

	// Readers ask the bot for /help through the wave, one a second.
	var (
		mu       sync.Mutex
		replyMax time.Duration
		replies  int
	)
	askCtx, stopAsking := context.WithCancel(ctx)
	asked := make(chan struct{})
	go func() {
		defer close(asked)
		for i := int64(0); askCtx.Err() == nil; i++ {
			u := telegramtest.NewUser(900_000_000+i, "ar")
			t0 := time.Now()
			srv.SendText(u, "/help")
			wctx, cancel := context.WithTimeout(askCtx, 30*time.Second)
			_, err := srv.WaitMessages(wctx, u.ID, 1)
			cancel()
			if err != nil {
				return // the wave is over
			}
			mu.Lock()
			replyMax = max(replyMax, time.Since(t0))
			replies++
			mu.Unlock()
			select {
			case <-askCtx.Done():
			case <-time.After(time.Second):
			}
		}
	}()

	// The digest job: one instance runs it; two share it by shard, as
	// `nashra run` does.
	var queued atomic.Int64
	var builds sync.WaitGroup
	tick := eight.Truncate(time.Minute)
	for i, builder := range builders {
		inst := schedule.New(schedule.Options{RDB: r.Client, Prefix: r.Prefix, Instance: fmt.Sprint("wave-", i)})
		builds.Go(func() {
			var res digest.BuildResult
			var err error
			if instances == 1 {
				res, err = builder.Run(ctx, false)
			} else {
				res, err = builder.RunShared(ctx, func(ctx context.Context, shard int) (bool, error) {
					return inst.Claim(ctx, "digest", tick, strconv.Itoa(shard))
				})
			}
			if err != nil {
				b.Errorf("digest job: %v", err)
			}
			queued.Add(int64(res.Queued))
		})
	}
	builds.Wait()
	built := time.Since(began)
	if queued.Load() != int64(n) {
		b.Fatalf("digest job queued %d digests; want %d", queued.Load(), n)
	}
	// Wait for the sender to have delivered every digest (a cheap count;
	// what Telegram accepted is checked below), polling at 10 ms: the
	// window is measured from Telegram's record, not from this loop.
	deadline := time.Now().Add(time.Duration(float64(n)/30*1.5+120) * time.Second)
	for sent() < int64(n) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := sent(); got < int64(n) {
		err = fmt.Errorf("%d of %d digests delivered", got, n)
	}
	b.StopTimer()
	cpu1 := redistest.ProcessCPU()
	redis1, cpuErr := redistest.ServerCPU(ctx, r.Client)
	if cpuErr != nil {
		b.Fatal(cpuErr)
	}
	calls1 := calls.Load()
	stopAsking()
	<-asked
	if err != nil {
		b.Fatalf("not every digest delivered: %v", err)
	}
	f := waveFigures{throttled: srv.Throttled(), paid: srv.PaidSent(),
		callsPerMsg: float64(calls1) / float64(n), cpuPerMsg: (cpu1 - cpu0) / float64(n), redisPerMsg: (redis1 - redis0) / float64(n)}
	per := make(map[int64]int, n)
	var last time.Time
	for _, m := range srv.Sent() {
		if m.ChatID < base || m.ChatID >= base+int64(n) {
			continue
		}
		per[m.ChatID]++
		if m.Date.After(last) {
			last = m.Date
		}
	}
	for i := range n {
		switch c := per[int64(base+i)]; {
		case c == 0:
			b.Fatalf("reader %d got no digest", base+i)
		case c > 1:
			f.dups += c - 1
		}
	}
	f.window = last.Sub(began)
	var first time.Time
	for _, m := range srv.Sent() {
		if m.ChatID >= base && m.ChatID < base+int64(n) && (first.IsZero() || m.Date.Before(first)) {
			first = m.Date
		}
	}
	b.Logf("built in %v; first digest after %v; %.0f/s from the first to the last", built, first.Sub(began), float64(n-1)/last.Sub(first).Seconds())
	mu.Lock()
	f.replyMax, f.replies = replyMax, replies
	mu.Unlock()
	return f
}
