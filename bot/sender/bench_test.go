package sender

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"nashra/bot/telegramtest"
	"nashra/outbox"
)

// BenchmarkDeliver sends one message to each of 5,000 readers through the
// fake Bot API enforcing Telegram's limits (30/s overall, 1/s per chat),
// with the sender configured at the same 30/s. It reports the achieved rate
// as a fraction of the configured one (goal ≥ 0.95) and the 429s received
// (goal 0). One iteration takes about three minutes:
//
//	go test -run '^$' -bench Deliver -benchtime 1x ./bot/sender
//
// NASHRA_BENCH_READERS sets another number of readers.
func BenchmarkDeliver(b *testing.B) {
	readers := 5000
	if v, err := strconv.Atoi(os.Getenv("NASHRA_BENCH_READERS")); err == nil && v > 0 {
		readers = v
	}
	const rate = 30
	e := newEnv(b, telegramtest.Limits{PerSecond: 30, PerChatPerSecond: 1})
	s := e.sender("bench", func(o *Options) { o.Rate = rate; o.Workers = 4 })
	ctx := context.Background()
	var ratios []float64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		before := len(e.srv.Sent())
		jobs := make([]outbox.Job, readers)
		for r := range jobs {
			chat := int64(100000 + r)
			jobs[r] = outbox.Job{
				ID: fmt.Sprintf("b:%d:%d", i, chat), ChatID: chat, Kind: "broadcast",
				Text: "<b>نشرة</b> تجريبية", // "a test newsletter"
			}
		}
		if err := e.queue.Enqueue(ctx, jobs...); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		stop := start(b, s)
		wctx, cancel := context.WithTimeout(ctx, time.Duration(readers/rate+120)*time.Second)
		_, err := e.srv.WaitMessages(wctx, telegramtest.AllChats, before+readers)
		cancel()
		stop()
		if err != nil {
			b.Fatal(err)
		}
		sent := e.srv.Sent()[before:]
		// The rate from the first delivery to the last, as Telegram saw it.
		span := sent[len(sent)-1].Date.Sub(sent[0].Date)
		ratios = append(ratios, float64(len(sent)-1)/span.Seconds()/rate)
	}
	b.StopTimer()
	var sum float64
	for _, r := range ratios {
		sum += r
	}
	b.ReportMetric(sum/float64(len(ratios)), "rate/configured")
	b.ReportMetric(float64(e.srv.Throttled()), "429s")
	b.ReportMetric(float64(s.Stats().Sent)/float64(b.N), "msgs/op")
}
