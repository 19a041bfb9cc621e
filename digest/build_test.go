package digest_test

import (
	"context"
	"fmt"
	"html"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/digest"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

type buildEnv struct {
	readers  *subscribers.Store
	queue    *outbox.Store
	articles *articles.Store
	builder  *digest.Builder
	now      time.Time
	r        *redistest.Redis
}

var damascus, _ = time.LoadLocation("Asia/Damascus")

func newBuildEnv(t *testing.T) *buildEnv {
	t.Helper()
	r := redistest.New(t)
	e := &buildEnv{r: r, now: time.Date(2026, 11, 28, 7, 0, 0, 0, damascus)}
	clock := func() time.Time { return e.now }
	e.readers = subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: clock})
	e.queue = outbox.New(r.Client, outbox.Options{Prefix: r.Prefix, Now: clock})
	e.articles = articles.New(r.Client, articles.Options{Prefix: r.Prefix, Now: clock})
	e.builder = e.newBuilder()
	return e
}

func (e *buildEnv) newBuilder() *digest.Builder {
	return &digest.Builder{
		Readers: e.readers, Outbox: e.queue, Articles: e.articles, DefaultSchedule: "0 8 * * *",
		Location: damascus, SiteURL: "https://7al.net/", Now: func() time.Time { return e.now },
		Topics: topics.Builtin(),
	}
}

func (e *buildEnv) add(t *testing.T, id, title string, scope bool, topics ...string) {
	t.Helper()
	_, _, err := e.articles.Ingest(context.Background(), articles.Article{
		ID: id, Link: "https://7al.net/" + id, Title: title, Summary: []string{title + "."},
		Text: title, Topics: topics, InScope: scope,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
}

func (e *buildEnv) reader(t *testing.T, chat int64, follows ...subscribers.Follow) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.readers.Start(ctx, chat, subscribers.Joined{}); err != nil {
		t.Fatal(err)
	}
	for _, f := range follows {
		if _, err := e.readers.Follow(ctx, chat, f); err != nil {
			t.Fatal(err)
		}
	}
}

func (e *buildEnv) run(t *testing.T) digest.BuildResult {
	t.Helper()
	res, err := e.builder.Run(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// queued takes every job waiting in the outbox, as a sender would see it.
func (e *buildEnv) queued(t *testing.T) []outbox.Job {
	t.Helper()
	shards := make([]int, outbox.Shards)
	for i := range shards {
		shards[i] = i
	}
	jobs, err := e.queue.Read(context.Background(), "test", shards, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range jobs {
		text, markup, err := e.queue.JobContent(context.Background(), j)
		if err != nil {
			t.Fatal(err)
		}
		jobs[i].Text, jobs[i].Markup = text, markup
		e.queue.Finish(context.Background(), j, "sent:1")
	}
	return jobs
}

// queuedTitles lists, in order, the article titles of the queued digest
// text; titles are the linked bold lines.
func (e *buildEnv) queuedTitles(t *testing.T) string {
	t.Helper()
	var out []string
	for _, j := range e.queued(t) {
		for _, line := range strings.Split(j.Text, "\n") {
			if i := strings.Index(line, "\">"); strings.HasPrefix(line, "<b><a href=") && i > 0 {
				out = append(out, html.UnescapeString(strings.TrimSuffix(line[i+2:], "</a></b>")))
			}
		}
	}
	return strings.Join(out, " | ")
}

// A reader who follows قسد gets the in-scope SDF articles at their time,
// once, and nothing else.
func TestDigestAtScheduledTimeOnce(t *testing.T) {
	e := newBuildEnv(t)
	e.reader(t, 1, subscribers.TopicFollow("sdf"))
	e.add(t, "a1", "sdf news", true, "sdf")
	e.add(t, "a2", "isis only", true, "isis")
	e.add(t, "a3", "sdf but out of scope", false, "sdf")
	e.add(t, "a4", "more sdf", true, "sdf", "raqqa")

	e.now = e.now.Add(59 * time.Minute) // 07:59 Damascus
	if res := e.run(t); res.Due != 0 {
		t.Fatalf("at 07:59 %d digests were due; want none before 08:00", res.Due)
	}
	e.now = e.now.Add(time.Minute) // 08:00
	res := e.run(t)
	if res.Queued != 1 {
		t.Fatalf("at 08:00: %+v; want one digest", res)
	}
	jobs := e.queued(t)
	if len(jobs) != 1 || !strings.Contains(jobs[0].Markup, digest.ButtonPause) || jobs[0].ChatID != 1 {
		t.Fatalf("queued %+v; want one message to chat 1 with the buttons", jobs)
	}
	if got := jobs[0].Text; !strings.Contains(got, "sdf news") || !strings.Contains(got, "more sdf") ||
		strings.Contains(got, "isis only") || strings.Contains(got, "out of scope") {
		t.Errorf("digest text:\n%s\nwant the two in-scope SDF articles and nothing else", got)
	}
	r, _ := e.readers.Get(context.Background(), 1)
	if r.Cursor != 4 {
		t.Errorf("cursor %d after the digest; want 4 (every article considered)", r.Cursor)
	}
	for _, later := range []time.Duration{time.Minute, 3 * time.Hour} {
		e.now = e.now.Add(later)
		if res := e.run(t); res.Due != 0 {
			t.Errorf("%v later %d digests due again; want none until tomorrow", later, res.Due)
		}
	}
	// The next morning: only what is new since.
	e.add(t, "a5", "tomorrow's sdf", true, "sdf")
	e.now = time.Date(2026, 11, 29, 8, 0, 30, 0, damascus)
	res = e.run(t)
	if got := e.queuedTitles(t); res.Queued != 1 || got != "tomorrow's sdf" {
		t.Errorf("next morning: %+v, titles %q; want only the new article", res, got)
	}
}

func TestDigestEmptyMovesOn(t *testing.T) {
	e := newBuildEnv(t)
	e.reader(t, 2, subscribers.TopicFollow("raqqa"))
	e.add(t, "a1", "isis", true, "isis")
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	res := e.run(t)
	if res.Due != 1 || res.Empty != 1 || res.Queued != 0 {
		t.Errorf("%+v; want one due reader with nothing to send", res)
	}
	if hi, _, _ := e.queue.QueueDepth(context.Background()); hi != 0 {
		t.Errorf("%d jobs queued for an empty digest", hi)
	}
}

// A reader who follows nothing gets every in-scope article; a new reader
// gets the latest few, not the archive.
func TestFirstDigestIsShort(t *testing.T) {
	e := newBuildEnv(t)
	for i := range 12 {
		e.add(t, fmt.Sprint("a", i), fmt.Sprint("story ", i), true, "isis")
	}
	e.add(t, "out", "out of scope", false)
	e.reader(t, 3)
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	res := e.run(t)
	if got := e.queuedTitles(t); res.Queued != 1 || got != "story 11 | story 10 | story 9 | story 8 | story 7" {
		t.Errorf("first digest: %+v, titles %q; want the latest %d, newest first", res, got, digest.DefaultFirstDigest)
	}
}

func TestInstantAndKeywordReaders(t *testing.T) {
	e := newBuildEnv(t)
	ctx := context.Background()
	// A free keyword: "Tishrin dam" (سد تشرين).
	e.reader(t, 4, subscribers.KeywordFollow("سد تشرين", "سد تشرين"))
	if err := e.readers.SetSchedule(ctx, 4, subscribers.Instant); err != nil {
		t.Fatal(err)
	}
	e.add(t, "a1", "قصف قرب سد تشرين", true, "tishrin-dam") // "shelling near Tishrin dam"
	e.add(t, "a2", "اجتماع في قسد", true, "sdf")            // "a meeting in the SDF"
	res := e.run(t)
	if got := e.queuedTitles(t); res.Queued != 1 || got != "قصف قرب سد تشرين" {
		t.Fatalf("instant reader: %+v, titles %q; want the dam article at once and not the SDF one", res, got)
	}
	if res := e.run(t); res.Due != 0 {
		t.Errorf("instant reader due again with nothing new: %+v", res)
	}
}

// Two instances building at once queue each reader's digest once.
func TestConcurrentBuildersQueueOnce(t *testing.T) {
	e := newBuildEnv(t)
	for chat := int64(10); chat < 50; chat++ {
		e.reader(t, chat, subscribers.TopicFollow("sdf"))
	}
	e.add(t, "a1", "sdf", true, "sdf")
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	// Start on an empty script cache, as after a restart: one builder's
	// EVAL caches the script in the middle of another's batch, whose
	// later calls then run by hash while its earlier ones were NOSCRIPT.
	e.r.FlushScripts(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	queued := 0
	for range 3 {
		b := e.newBuilder()
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := b.Run(context.Background(), false)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			queued += res.Queued
			mu.Unlock()
		}()
	}
	wg.Wait()
	hi, _, _ := e.queue.QueueDepth(context.Background())
	if queued != 40 || hi != 40 {
		t.Errorf("three builders queued %d digests (%d jobs); want 40, one per reader", queued, hi)
	}
	// The 40 readers share one rendering: its text is stored once per
	// shard, not once per reader.
	texts := 0
	for _, k := range e.r.Keys(t) {
		if strings.Contains(k, ":txt:") {
			texts++
		}
	}
	if texts == 0 || texts > outbox.Shards {
		t.Errorf("%d stored texts for one shared rendering; want at most one per shard (%d)", texts, outbox.Shards)
	}
	for _, j := range e.queued(t) {
		if !strings.Contains(j.Text, "sdf") {
			t.Errorf("job %s reads back text %q", j.ID, j.Text)
		}
	}
}

// Under each title the reader sees what of theirs it matched, named in
// their language; readers who follow different things do not share a
// rendering. The header names the day in the builder's zone.
func TestDigestSaysWhyAndWhen(t *testing.T) {
	e := newBuildEnv(t)
	ctx := context.Background()
	e.reader(t, 20, subscribers.TopicFollow("sdf"), subscribers.TopicFollow("deir-ez-zor"))
	e.reader(t, 21, subscribers.TopicFollow("raqqa"), subscribers.KeywordFollow("حظر تجوال", "حظر تجوال")) // keyword "curfew"
	e.reader(t, 22)
	if err := e.readers.SetLang(ctx, 22, "en"); err != nil {
		t.Fatal(err)
	}
	// "SDF declares a curfew in Deir ez-Zor and Raqqa"
	e.add(t, "a1", "قسد تعلن حظر تجوال في دير الزور والرقة", true, "sdf", "raqqa", "deir-ez-zor")
	// 23:30 UTC on Saturday is 01:30 on Sunday in Damascus.
	e.builder.DefaultSchedule = "30 1 * * *"
	e.now = time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC)
	if res := e.run(t); res.Queued != 3 {
		t.Fatalf("%+v; want three digests", res)
	}
	got := map[int64]string{}
	for _, j := range e.queued(t) {
		got[j.ChatID] = j.Text
	}
	for chat, want := range map[int64][]string{
		20: {"📰 نشرة الأحد 29 تشرين الثاني · خبر جديد", "\n🏷 قسد · دير الزور\n"}, // Sunday 29 November · a new story; SDF · Deir ez-Zor
		21: {"📰 نشرة الأحد 29 تشرين الثاني", "\n🏷 الرقة · حظر تجوال\n"},          // Raqqa · curfew
		22: {"📰 Digest · Sunday 29 November · 1 new story", "\n🏷 SDF · Raqqa · Deir ez-Zor\n"},
	} {
		for _, w := range want {
			if !strings.Contains(got[chat], w) {
				t.Errorf("chat %d's digest lacks %q:\n%s", chat, w, got[chat])
			}
		}
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	e := newBuildEnv(t)
	e.reader(t, 5)
	e.add(t, "a1", "x", true, "isis")
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	res, err := e.builder.Run(context.Background(), true)
	if err != nil || len(res.Digests) != 1 {
		t.Fatalf("dry run = %+v, %v", res, err)
	}
	r, _ := e.readers.Get(context.Background(), 5)
	hi, _, _ := e.queue.QueueDepth(context.Background())
	if r.Cursor != 0 || hi != 0 {
		t.Errorf("dry run moved the cursor to %d and queued %d", r.Cursor, hi)
	}
}

func TestPausedReadersGetNothing(t *testing.T) {
	e := newBuildEnv(t)
	e.reader(t, 6)
	e.readers.SetStatus(context.Background(), 6, subscribers.Paused, "pause")
	e.add(t, "a1", "x", true, "isis")
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	if res := e.run(t); res.Readers != 0 || res.Queued != 0 {
		t.Errorf("paused reader: %+v; want nothing", res)
	}
}
