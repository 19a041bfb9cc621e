package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/broadcasts"
	"nashra/keyspace"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// Every script that writes a job writes the entry outbox.Entry makes, so
// that a job reads back the same whichever way it was queued: Enqueue,
// EnqueueDigests, Retry, Requeue, DeadLetter, Redrive and the broadcast
// feed. Each step compares the stream entry it wrote, field by field and in
// order, with Entry of the job it should hold, and the job read back with
// that job.
func TestEveryScriptWritesJobsAlike(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	now := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	q := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix, Now: clock})
	readers := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: clock})
	bc := broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix, Now: clock})
	const chat = 17
	shard := keyspace.New(r.Prefix).ForChat(chat)
	if _, err := readers.Start(ctx, chat, subscribers.Joined{ChatType: "private"}); err != nil {
		t.Fatal(err)
	}

	// entries returns the last n entries of stream as their field/value
	// lists, in the order stored.
	entries := func(stream string, n int) [][]string {
		t.Helper()
		res, err := r.Client.Do(ctx, "XREVRANGE", stream, "+", "-", "COUNT", n).Slice()
		if err != nil || len(res) != n {
			t.Fatalf("XREVRANGE %s = %d entries, %v; want %d", stream, len(res), err, n)
		}
		var out [][]string
		for i := len(res) - 1; i >= 0; i-- {
			var kv []string
			for _, v := range res[i].([]any)[1].([]any) {
				kv = append(kv, fmt.Sprint(v))
			}
			out = append(out, kv)
		}
		return out
	}
	entryOf := func(j outbox.Job, extra ...string) []string {
		var out []string
		for _, v := range outbox.Entry(j) {
			out = append(out, fmt.Sprint(v))
		}
		return append(out, extra...)
	}
	sameJob := func(got, want outbox.Job) bool {
		return got.ID == want.ID && got.ChatID == want.ChatID && got.Kind == want.Kind && got.Text == want.Text &&
			got.Ref == want.Ref && got.Markup == want.Markup && got.Priority == want.Priority &&
			got.Attempt == want.Attempt && got.NotBefore.Equal(want.NotBefore) && got.EnqueuedAt.Equal(want.EnqueuedAt)
	}
	// read takes the jobs just written and checks each entry and job.
	read := func(writer string, p outbox.Priority, want ...outbox.Job) []outbox.Job {
		t.Helper()
		raw := entries(shard.Queue(p.String()), len(want))
		got, err := q.Read(ctx, "c", []int{shard.N()}, 10, 0)
		if err != nil || len(got) != len(want) {
			t.Fatalf("%s: read %+v, %v; want %d jobs", writer, got, err, len(want))
		}
		for i := range want {
			if w := entryOf(want[i]); !slices.Equal(raw[i], w) {
				t.Errorf("%s wrote the entry\n  %q\nwant\n  %q", writer, raw[i], w)
			}
			if !sameJob(got[i], want[i]) {
				t.Errorf("%s: job read back %+v; want %+v", writer, got[i], want[i])
			}
		}
		return got
	}
	begin := func(j outbox.Job) {
		t.Helper()
		if ok, err := q.Begin(ctx, j, "c"); err != nil || !ok {
			t.Fatalf("Begin(%s) = %v, %v", j.ID, ok, err)
		}
	}

	notice := outbox.Job{ID: "n:17:1", ChatID: chat, Kind: "notice", Text: "<b>تنبيه</b>", // "notice"
		Markup: `{"inline_keyboard":[]}`, Priority: outbox.High, EnqueuedAt: now}
	if err := q.Enqueue(ctx, notice); err != nil {
		t.Fatal(err)
	}
	got := read("Enqueue", outbox.High, notice)[0]

	begin(got)
	retried := notice
	retried.Attempt, retried.NotBefore = 1, now.Add(time.Minute)
	got.NotBefore = retried.NotBefore // the sender's backoff
	if err := q.Retry(ctx, got); err != nil {
		t.Fatal(err)
	}
	got = read("Retry", outbox.High, retried)[0]

	begin(got)
	if err := q.Requeue(ctx, got); err != nil {
		t.Fatal(err)
	}
	got = read("Requeue", outbox.High, retried)[0]

	begin(got)
	if err := q.DeadLetter(ctx, got, "Bad Request: message is too long"); err != nil {
		t.Fatal(err)
	}
	dead := retried
	dead.Attempt = 2
	raw := entries(shard.DeadLetters(), 1)[0]
	if w := entryOf(dead, keyspace.DeadReason, "Bad Request: message is too long", keyspace.DeadPriority, "hi"); !slices.Equal(raw, w) {
		t.Errorf("DeadLetter wrote the entry\n  %q\nwant\n  %q", raw, w)
	}
	dls, err := q.DeadLetters(ctx, 10)
	if err != nil || len(dls) != 1 || !sameJob(dls[0].Job, dead) {
		t.Fatalf("DeadLetters = %+v, %v; want %+v", dls, err, dead)
	}

	now = now.Add(time.Hour)
	if res, err := q.Redrive(ctx, dls[0]); err != nil || res != outbox.RedriveQueued {
		t.Fatalf("Redrive = %q, %v", res, err)
	}
	redriven := notice
	redriven.EnqueuedAt = now // a fresh start: no attempt, no delay, its age from now
	got = read("Redrive", outbox.High, redriven)[0]
	begin(got)
	if err := q.Finish(ctx, got, outbox.StateSent(1)); err != nil {
		t.Fatal(err)
	}

	// The end of a pause, and the notice that tells the reader.
	if _, _, err := readers.ChangeStatus(ctx, chat, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause", Until: now}); err != nil {
		t.Fatal(err)
	}
	over := outbox.Job{ID: fmt.Sprintf("pe:%d:%d", chat, now.Unix()), ChatID: chat, Kind: "notice", Text: "▶️ انتهى الإيقاف المؤقت", Priority: outbox.High} // "the pause is over"
	if ok, err := q.EndPauses(ctx, []outbox.PauseEnd{{ChatID: chat, Until: now.Unix(), Notice: over}}); err != nil || !ok[0] {
		t.Fatalf("EndPauses = %v, %v", ok, err)
	}
	over.EnqueuedAt = now
	begin(read("EndPauses", outbox.High, over)[0])

	// A digest: its own text, or a text shared by readers (by its Ref,
	// stored once with its buttons; the entry carries the Ref instead).
	own := outbox.Job{ID: "d:17:0-4:0", ChatID: chat, Kind: "digest", Text: "<b>نشرة</b>", Priority: outbox.High} // "newsletter"
	shared := outbox.Job{ID: "d:17:0-4:1", ChatID: chat, Kind: "digest", Text: "<b>نشرة</b> 2", Ref: "r:1",
		Markup: `{"inline_keyboard":[]}`, Priority: outbox.High}
	ok, err := q.EnqueueDigests(ctx, []outbox.DigestRequest{{ChatID: chat, ExpectCursor: 0, NewCursor: 4, Jobs: []outbox.Job{own, shared}}})
	if err != nil || !ok[0] {
		t.Fatalf("EnqueueDigests = %v, %v", ok, err)
	}
	own.EnqueuedAt, shared.EnqueuedAt, shared.Text, shared.Markup = now, now, "", ""
	read("EnqueueDigests", outbox.High, own, shared)

	b, err := bc.Create(ctx, broadcasts.Broadcast{Text: "<b>عاجل</b>", By: 900}) // "breaking"
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bc.Start(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := bc.Feed(ctx, b.ID, 10); err != nil || n != 1 {
		t.Fatalf("Feed = %d, %v; want the one reader fed", n, err)
	}
	read("the broadcast feed", outbox.Low, outbox.Job{
		ID: fmt.Sprintf("b:%d:%d", b.ID, chat), ChatID: chat, Kind: broadcasts.JobKind, Text: b.Text,
		Priority: outbox.Low, EnqueuedAt: now,
	})
}

// Entry lays a job out in the fields of keyspace.JobFields, in that order,
// leaving out the optional ones a job does not have: a digest that points
// to a shared text is five fields, not nine (each field is work for Redis
// at the morning's peak, and memory while it waits).
func TestEntryFields(t *testing.T) {
	names := func(j outbox.Job) []string {
		e := outbox.Entry(j)
		var out []string
		for i := 0; i < len(e); i += 2 {
			out = append(out, e[i].(string))
		}
		return out
	}
	full := outbox.Job{ID: "x", ChatID: 1, Kind: "notice", Text: "t", Ref: "r", Markup: "{}", Attempt: 2,
		NotBefore: time.UnixMilli(5), EnqueuedAt: time.UnixMilli(3)}
	if got := names(full); !slices.Equal(got, keyspace.JobFields) {
		t.Errorf("Entry of a job with every field = %v; want keyspace.JobFields %v", got, keyspace.JobFields)
	}
	shared := outbox.Job{ID: "d:1:0-4:1", ChatID: 1, Kind: "digest", Ref: "r:1", EnqueuedAt: time.UnixMilli(3)}
	want := []string{keyspace.JobID, keyspace.JobChat, keyspace.JobKind, keyspace.JobRef, keyspace.JobEnqueued}
	if got := names(shared); !slices.Equal(got, want) {
		t.Errorf("Entry of a digest with a shared text = %v; want %v", got, want)
	}
	// A broadcast's template has no ID or chat yet: the feed sets them.
	want = []string{keyspace.JobID, keyspace.JobChat, keyspace.JobKind, keyspace.JobText, keyspace.JobEnqueued}
	if got := names(outbox.Job{Kind: "broadcast", Text: "t"}); !slices.Equal(got, want) {
		t.Errorf("Entry of a broadcast's template = %v; want %v", got, want)
	}
}

// Entries queued before Entry left out empty fields carry every field,
// "ref=", "markup=", "att=0" and "nb=0" included: a sender reads them as
// the same job.
func TestEntryOfAnEarlierVersion(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	const chat = 19
	stream := keyspace.New(r.Prefix).ForChat(chat).Queue(outbox.High.String())
	err := r.Client.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{
		keyspace.JobID, "d:19:0-4:0", keyspace.JobChat, "19", keyspace.JobKind, "digest", keyspace.JobText, "",
		keyspace.JobRef, "r:1", keyspace.JobMarkup, "", keyspace.JobAttempt, "0", keyspace.JobNotBefore, "0",
		keyspace.JobEnqueued, "1795852800000",
	}}).Err()
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, s, "a")
	want := outbox.Job{ID: "d:19:0-4:0", ChatID: chat, Kind: "digest", Ref: "r:1", Priority: outbox.High,
		EnqueuedAt: time.UnixMilli(1795852800000)}
	if len(got) != 1 {
		t.Fatalf("read %d jobs; want 1", len(got))
	}
	g := got[0]
	if g.ID != want.ID || g.ChatID != want.ChatID || g.Kind != want.Kind || g.Text != "" || g.Ref != want.Ref ||
		g.Markup != "" || g.Attempt != 0 || !g.NotBefore.IsZero() || !g.EnqueuedAt.Equal(want.EnqueuedAt) || g.Priority != want.Priority {
		t.Errorf("job read from an entry of the earlier layout = %+v; want %+v", g, want)
	}
	// Requeued, it is written in today's layout.
	if ok, err := s.Begin(ctx, g, "a"); err != nil || !ok {
		t.Fatalf("Begin = %v, %v", ok, err)
	}
	if err := s.Requeue(ctx, g); err != nil {
		t.Fatal(err)
	}
	res, err := r.Client.XRevRangeN(ctx, stream, "+", "-", 1).Result()
	if err != nil || len(res) != 1 {
		t.Fatalf("XREVRANGE = %v, %v", res, err)
	}
	if _, ok := res[0].Values[keyspace.JobMarkup]; ok || len(res[0].Values) != 5 {
		t.Errorf("requeued entry %v; want the five fields the job has", res[0].Values)
	}
}

// A digest job whose text is shared (the entry is its ID, chat, kind,
// ref and time) goes to Redis as three values, its ID, kind and ref: the
// script writes the field names, the reader's chat and the call's time.
// At the morning's peak every argument is work for Redis (reading it,
// making it a Lua string, then a Redis string again), and a reader's
// digest of one such message took fifteen. The entry written is the same
// either way (TestEveryScriptWritesJobsAlike).
func TestSharedDigestJobIsShortOnTheWire(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	chats := []int64{3001, 3001 + keyspace.Shards, 3001 + 2*keyspace.Shards} // one shard: one script call
	mustStart(t, r, chats...)
	shard := keyspace.New(r.Prefix).ForChat(chats[0])
	names := redistest.NamesKey(shard.Queue(outbox.High.String()))
	var mu sync.Mutex
	var argc []int // the arguments of each script call that queues digests
	r.Count(func(c redis.Cmder) bool {
		if a := c.Args(); names(c) && strings.HasPrefix(strings.ToLower(fmt.Sprint(a[0])), "eval") {
			mu.Lock()
			argc = append(argc, len(a))
			mu.Unlock()
		}
		return false
	})
	queue := func(readers []int64, cursor int64) int {
		t.Helper()
		mu.Lock()
		argc = nil
		mu.Unlock()
		var reqs []outbox.DigestRequest
		var jobs []outbox.Job
		for _, c := range readers {
			j := outbox.Job{ID: fmt.Sprintf("d:%d:%d-%d:0", c, cursor, cursor+4), ChatID: c, Kind: "digest", Ref: "r:1", Priority: outbox.High}
			reqs = append(reqs, outbox.DigestRequest{ChatID: c, ExpectCursor: cursor, NewCursor: cursor + 4, Jobs: []outbox.Job{j}})
			j.EnqueuedAt = testNow
			jobs = append(jobs, j)
		}
		ok, err := s.EnqueueDigests(ctx, reqs)
		if err != nil || slices.Contains(ok, false) {
			t.Fatalf("EnqueueDigests = %v, %v", ok, err)
		}
		// The entries are what Entry makes of the jobs.
		res, err := r.Client.XRevRangeN(ctx, shard.Queue(outbox.High.String()), "+", "-", int64(len(jobs))).Result()
		if err != nil || len(res) != len(jobs) {
			t.Fatalf("XREVRANGE = %v, %v", res, err)
		}
		for i, j := range jobs {
			got := res[len(res)-1-i].Values
			e := outbox.Entry(j)
			if len(got) != len(e)/2 {
				t.Errorf("entry %v; want %v", got, e)
			}
			for k := 0; k < len(e); k += 2 {
				if got[e[k].(string)] != fmt.Sprint(e[k+1]) {
					t.Errorf("entry %v; want %v", got, e)
					break
				}
			}
		}
		mu.Lock()
		defer mu.Unlock()
		// One call (sent again, the same, should Redis not have the
		// script yet).
		if len(argc) == 0 || slices.ContainsFunc(argc, func(n int) bool { return n != argc[0] }) {
			t.Fatalf("script calls of %v arguments for %d readers of one shard; want one call", argc, len(readers))
		}
		return argc[0]
	}
	one := queue(chats[:1], 0)
	two := queue(chats[1:], 0)
	if per := two - one; per > 10 {
		t.Errorf("a reader's digest of one message with a shared text takes %d arguments (key included); want at most 10", per)
	}
}
