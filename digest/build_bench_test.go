package digest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/schedule"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// BenchmarkBuild100k builds the digests of 100,000 readers over 200 new
// articles (run it against real Redis or the CI's cluster:
// NASHRA_TEST_REDIS_URL, and with -benchtime 1x). It reports the build's
// seconds and peak heap, beside them the floor (one pipelined pass that
// only reads every reader's record), and the next morning's build shared
// by two instances (RunShared, shards claimed as `nashra run` does) with
// its speed-up, and what the build allocated per reader.
// NASHRA_BENCH_READERS changes the number of readers.
func BenchmarkBuild100k(b *testing.B) {
	readers := 100_000
	if n, err := strconv.Atoi(os.Getenv("NASHRA_BENCH_READERS")); err == nil && n > 0 {
		readers = n
	}
	ctx := context.Background()
	r := redistest.New(b)
	now := time.Date(2026, 11, 28, 7, 0, 0, 0, damascus)
	clock := func() time.Time { return now }
	rs := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: clock})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix, Now: clock})
	as := articles.New(r.Client, articles.Options{Prefix: r.Prefix, Now: clock})
	slugs := []string{"sdf", "isis", "coalition", "aanes", "camps", "al-hol", "raqqa", "hasakah", "qamishli", "deir-ez-zor", "manbij", "kobani"}

	// Readers: one to three topics, one in ten also a free keyword.
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for {
				i := next.Add(1)
				if i > int64(readers) {
					return
				}
				chat := 1_000_000 + i
				if _, err := rs.Start(ctx, chat, subscribers.Joined{}); err != nil {
					b.Error(err)
					return
				}
				for range 1 + rng.IntN(3) {
					rs.Follow(ctx, chat, subscribers.TopicFollow(slugs[rng.IntN(len(slugs))]))
				}
				if rng.IntN(10) == 0 {
					rs.Follow(ctx, chat, subscribers.KeywordFollow("سد تشرين", "سد تشرين"))
				}
			}
		}()
	}
	wg.Wait()

	addArticles := func(round int) {
		rng := rand.New(rand.NewPCG(uint64(round), 11))
		for i := range 200 {
			id := fmt.Sprintf("r%d-a%d", round, i)
			as.Ingest(ctx, articles.Article{
				ID: id, Link: "https://7al.net/" + id, Title: "خبر " + id,
				Summary: []string{"الجملة الأولى من الخبر.", "الجملة الثانية."},
				Text:    "نص الخبر عن سد تشرين والمنطقة", Topics: []string{slugs[rng.IntN(len(slugs))]}, InScope: true,
			}, nil)
		}
	}
	builder := &digest.Builder{Readers: rs, Outbox: queue, Articles: as, DefaultSchedule: "0 8 * * *", Location: damascus, Now: clock, Topics: topics.Builtin()}

	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	defer close(stop)

	var buildTotal, sharedTotal, floorTotal time.Duration
	// CPU seconds spent by Redis (every primary) and by this process in
	// the floor and the build: where the build's time goes.
	var floorRedis, floorGo, buildRedis, buildGo float64
	var buildAlloc uint64 // bytes the build allocated: the garbage the process collects
	// The two instances' builders, kept from one morning to the next as a
	// running instance keeps its own.
	pair := []*digest.Builder{
		{Readers: rs, Outbox: queue, Articles: as, DefaultSchedule: "0 8 * * *", Location: damascus, Now: clock, Topics: topics.Builtin()},
		{Readers: rs, Outbox: queue, Articles: as, DefaultSchedule: "0 8 * * *", Location: damascus, Now: clock, Topics: topics.Builtin()},
	}
	round := 0
	for b.Loop() {
		b.StopTimer()
		round++
		addArticles(round)
		now = now.Add(24 * time.Hour).Truncate(time.Hour).Add(time.Hour) // 08:00 the next day
		runtime.GC()
		// The floor: every reader's record in one pipelined pass.
		t0, rc0, gc0 := time.Now(), redisCPU(b, r.Client), processCPU()
		seen := 0
		rs.ChatIDs(ctx, subscribers.Active, func(ids []int64) error {
			st, err := rs.DigestStates(ctx, ids)
			seen += len(st)
			return err
		})
		floorTotal += time.Since(t0)
		floorRedis += redisCPU(b, r.Client) - rc0
		floorGo += processCPU() - gc0
		b.StartTimer()

		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		t1, rc1, gc1 := time.Now(), redisCPU(b, r.Client), processCPU()
		res, err := builder.Run(ctx, false)
		buildTotal += time.Since(t1)
		buildRedis += redisCPU(b, r.Client) - rc1
		buildGo += processCPU() - gc1
		runtime.ReadMemStats(&ms1)
		buildAlloc += ms1.TotalAlloc - ms0.TotalAlloc
		if err != nil || res.Due != readers || seen != readers {
			b.Fatalf("build: %+v, %v (floor saw %d); want %d due", res, err, seen, readers)
		}

		// The next morning, two instances share the build (RunShared),
		// claiming shards as `nashra run` does.
		b.StopTimer()
		round++
		addArticles(round)
		now = now.Add(24 * time.Hour)
		runtime.GC()
		b.StartTimer()
		tick := now.Truncate(time.Minute)
		t2 := time.Now()
		var wg sync.WaitGroup
		var due atomic.Int64
		for i, other := range pair {
			inst := schedule.New(schedule.Options{RDB: r.Client, Prefix: r.Prefix, Instance: fmt.Sprint("bench-", i)})
			wg.Go(func() {
				res, err := other.RunShared(ctx, func(ctx context.Context, shard int) (bool, error) {
					return inst.Claim(ctx, "digest", tick, strconv.Itoa(shard))
				})
				if err != nil {
					b.Error(err)
				}
				due.Add(int64(res.Due))
			})
		}
		wg.Wait()
		sharedTotal += time.Since(t2)
		if due.Load() != int64(readers) {
			b.Fatalf("two instances built %d digests; want %d", due.Load(), readers)
		}
	}
	rounds := float64(round / 2)
	b.ReportMetric(buildTotal.Seconds()/rounds, "s/build")
	b.ReportMetric(sharedTotal.Seconds()/rounds, "s/build-2-instances")
	b.ReportMetric(buildTotal.Seconds()/sharedTotal.Seconds(), "speed-up")
	b.ReportMetric(floorTotal.Seconds()/rounds, "s/floor")
	b.ReportMetric(float64(peak.Load())/(1<<20), "MB-peak-heap")
	b.ReportMetric(buildRedis/rounds, "redis-cpu-s/build")
	b.ReportMetric(buildGo/rounds, "go-cpu-s/build")
	b.ReportMetric(floorRedis/rounds, "redis-cpu-s/floor")
	b.ReportMetric(floorGo/rounds, "go-cpu-s/floor")
	b.ReportMetric(float64(buildAlloc)/rounds/float64(readers), "B-alloc/reader")
}

// redisCPU is the CPU seconds the Redis server (every primary of a
// cluster) has used.
func redisCPU(b *testing.B, c redis.UniversalClient) float64 {
	cpu, err := redistest.ServerCPU(context.Background(), c)
	if err != nil {
		b.Fatal(err)
	}
	return cpu
}

// processCPU is the CPU seconds this process has used.
func processCPU() float64 { return redistest.ProcessCPU() }
