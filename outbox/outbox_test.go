package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/keyspace"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

func allShards() []int {
	out := make([]int, outbox.Shards)
	for i := range out {
		out[i] = i
	}
	return out
}

func digestJob(chat int64, part int) outbox.Job {
	return outbox.Job{
		ID: fmt.Sprintf("d:%d:1-5:%d", chat, part), ChatID: chat, Kind: "digest",
		Text: fmt.Sprintf("<b>نشرة</b> %d", part), // "newsletter"
	}
}

func noticeJob(id string, chat int64, p outbox.Priority) outbox.Job {
	return outbox.Job{ID: id, ChatID: chat, Kind: "notice", Text: "hello " + id, Priority: p}
}

func newStore(t *testing.T) (*outbox.Store, *redistest.Redis) {
	t.Helper()
	r := redistest.New(t)
	return outbox.New(r.Client, outbox.Options{Prefix: r.Prefix, Now: func() time.Time { return testNow }}), r
}

// testNow is the stores' clock.
var testNow = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)

// readersOn is the readers' store on r, with the outbox's clock.
func readersOn(r *redistest.Redis) *subscribers.Store {
	return subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: func() time.Time { return testNow }})
}

// mustStart subscribes chats: a digest is queued only for an active reader.
func mustStart(t *testing.T, r *redistest.Redis, chats ...int64) {
	t.Helper()
	s := readersOn(r)
	for _, c := range chats {
		if _, err := s.Start(context.Background(), c, subscribers.Joined{ChatType: "private"}); err != nil {
			t.Fatal(err)
		}
	}
}

func readAll(t *testing.T, s *outbox.Store, consumer string) []outbox.Job {
	t.Helper()
	jobs, err := s.Read(context.Background(), consumer, allShards(), 100, 0)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return jobs
}

func state(t *testing.T, s *outbox.Store, j outbox.Job) string {
	t.Helper()
	st, err := s.JobState(context.Background(), j)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func depth(t *testing.T, s *outbox.Store) (int64, int64) {
	t.Helper()
	hi, lo, err := s.QueueDepth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return hi, lo
}

func TestEnqueueDigestFencing(t *testing.T) {
	ctx := context.Background()
	s, rd := newStore(t)
	readers := readersOn(rd)
	const chat = 2001
	mustStart(t, rd, chat)
	jobs := []outbox.Job{digestJob(chat, 1), digestJob(chat, 2)}

	ok, err := s.EnqueueDigest(ctx, chat, 0, 5, jobs)
	if err != nil || !ok {
		t.Fatalf("EnqueueDigest(cursor 0→5) = %v, %v; want queued", ok, err)
	}
	// A second builder that read the cursor before the first one moved it.
	ok, err = s.EnqueueDigest(ctx, chat, 0, 5, []outbox.Job{digestJob(chat, 9)})
	if err != nil || ok {
		t.Fatalf("EnqueueDigest with stale cursor 0 = %v, %v; want refused", ok, err)
	}
	if hi, lo := depth(t, s); hi != 2 || lo != 0 {
		t.Errorf("queue depth = %d/%d; want 2 high (the first digest only)", hi, lo)
	}
	r, _ := readers.Get(ctx, chat)
	if r.Cursor != 5 {
		t.Errorf("cursor = %d; want 5", r.Cursor)
	}

	if _, err := readers.SetStatus(ctx, chat, subscribers.Paused, "pause"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.EnqueueDigest(ctx, chat, 5, 8, []outbox.Job{digestJob(chat, 3)}); err != nil || ok {
		t.Errorf("EnqueueDigest for a paused reader = %v, %v; want refused", ok, err)
	}
	if ok, err := s.EnqueueDigest(ctx, 999, 0, 8, nil); err != nil || ok {
		t.Errorf("EnqueueDigest for an unknown reader = %v, %v; want refused", ok, err)
	}
	if _, err := s.EnqueueDigest(ctx, chat, 5, 8, []outbox.Job{digestJob(chat+1, 1)}); err == nil {
		t.Errorf("EnqueueDigest accepted a job for another chat")
	}
	if hi, _ := depth(t, s); hi != 2 {
		t.Errorf("refused digests changed the queue: %d high jobs, want 2", hi)
	}
}

func TestEnqueueDigestRace(t *testing.T) {
	ctx := context.Background()
	s, rd := newStore(t)
	const chat = 2002
	mustStart(t, rd, chat)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		queued int
	)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := digestJob(chat, 1)
			j.ID = fmt.Sprintf("d:%d:1-5:builder%d", chat, i)
			ok, err := s.EnqueueDigest(ctx, chat, 0, 5, []outbox.Job{j})
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				queued++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if hi, _ := depth(t, s); queued != 1 || hi != 1 {
		t.Errorf("8 builders racing on cursor 0: %d queued, %d jobs; want exactly 1", queued, hi)
	}
}

func TestEnqueueSkipsKnownJobs(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	batch := []outbox.Job{
		noticeJob("b:1:3001", 3001, outbox.Low),
		noticeJob("b:1:3002", 3002, outbox.Low),
		noticeJob("b:1:3017", 3017, outbox.Low), // same shard as 3001
	}
	if err := s.Enqueue(ctx, batch...); err != nil {
		t.Fatal(err)
	}
	// The feeder crashed before saving its progress and feeds the batch again.
	if err := s.Enqueue(ctx, batch...); err != nil {
		t.Fatal(err)
	}
	if hi, lo := depth(t, s); hi != 0 || lo != 3 {
		t.Errorf("after feeding a batch twice: %d/%d jobs; want 0 high, 3 low", hi, lo)
	}
	jobs := readAll(t, s, "a")
	for _, j := range jobs {
		if ok, _ := s.Begin(ctx, j, "a"); !ok {
			t.Fatalf("Begin(%s) refused", j.ID)
		}
		if err := s.Finish(ctx, j, "sent:1"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Enqueue(ctx, batch...); err != nil {
		t.Fatal(err)
	}
	if hi, lo := depth(t, s); len(jobs) != 3 || hi+lo != 0 {
		t.Errorf("read %d jobs; after sending, feeding again left %d jobs; want 3 read, 0 left", len(jobs), hi+lo)
	}
	if err := s.Enqueue(ctx, outbox.Job{ID: "x", ChatID: 1}); err == nil {
		t.Errorf("Enqueue accepted a job without text")
	}
}

// A digest queued for many readers at once writes its entry and moves the
// reader's cursor, and nothing else: no key per job (a key per reader at
// 08:00 was a third of Redis's work in the morning build, and memory that
// grew with the audience). A job gets its state when a sender begins it,
// and a second entry for a job already sent (a reader whose cursor was set
// back) is still dropped there, unsent.
func TestQueuedDigestAddsNoKeyPerJob(t *testing.T) {
	ctx := context.Background()
	s, rd := newStore(t)
	const chat = 2003
	mustStart(t, rd, chat)
	before := len(rd.Keys(t))
	jobs := []outbox.Job{digestJob(chat, 1), digestJob(chat, 2)}
	if ok, err := s.EnqueueDigest(ctx, chat, 0, 5, jobs); err != nil || !ok {
		t.Fatalf("EnqueueDigest = %v, %v; want queued", ok, err)
	}
	if after := rd.Keys(t); len(after) != before+1 { // the shard's stream
		t.Errorf("queueing a digest of 2 messages took the keys from %d to %d: %q; want one more (the stream)", before, len(after), after)
	}
	got := readAll(t, s, "a")
	if len(got) != 2 {
		t.Fatalf("read %d jobs; want 2", len(got))
	}
	for _, j := range got {
		if st := state(t, s, j); st != "" {
			t.Errorf("job %s waiting in the queue has state %q; want none until a sender begins it", j.ID, st)
		}
		if ok, err := s.Begin(ctx, j, "a"); err != nil || !ok {
			t.Fatalf("Begin(%s) = %v, %v", j.ID, ok, err)
		}
		if err := s.Finish(ctx, j, outbox.StateSent(7)); err != nil {
			t.Fatal(err)
		}
	}

	// The reader's cursor goes back (a record restored from an export) and
	// the same digest is built again: queued, but never sent twice.
	if err := rd.Client.HSet(ctx, keyspace.New(rd.Prefix).ForChat(chat).Reader(chat), keyspace.FieldCursor, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.EnqueueDigest(ctx, chat, 0, 5, jobs); err != nil || !ok {
		t.Fatalf("EnqueueDigest again = %v, %v; want the cursor moved", ok, err)
	}
	for _, j := range readAll(t, s, "a") {
		if ok, err := s.Begin(ctx, j, "a"); err != nil || ok {
			t.Errorf("Begin(%s) of a digest already sent = %v, %v; want refused", j.ID, ok, err)
		}
	}
	if hi, lo := depth(t, s); hi+lo != 0 {
		t.Errorf("%d/%d jobs left; want the duplicates gone", hi, lo)
	}
}

func TestBeginFinishExactlyOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	j := noticeJob("n:1", 4001, outbox.High)
	if err := s.Enqueue(ctx, j); err != nil {
		t.Fatal(err)
	}
	if got := state(t, s, j); got != outbox.StateQueued {
		t.Errorf("state after Enqueue = %q; want queued", got)
	}
	jobs := readAll(t, s, "a")
	if len(jobs) != 1 || jobs[0].ID != j.ID || jobs[0].Text != j.Text || jobs[0].Priority != outbox.High || jobs[0].StreamID == "" {
		t.Fatalf("Read = %+v; want the one job with its stream ID", jobs)
	}
	got := jobs[0]
	if ok, err := s.Begin(ctx, got, "a"); err != nil || !ok {
		t.Fatalf("Begin = %v, %v; want true", ok, err)
	}
	if st := state(t, s, j); !strings.HasPrefix(st, "inflight:a:") {
		t.Errorf("state after Begin = %q; want inflight:a:<ms>", st)
	}
	// Another consumer holding a copy of the entry must not send it too.
	if ok, _ := s.Begin(ctx, got, "b"); ok {
		t.Errorf("a second Begin while in flight succeeded")
	}
	if err := s.Finish(ctx, got, "sent:77"); err != nil {
		t.Fatal(err)
	}
	if st := state(t, s, j); st != "sent:77" {
		t.Errorf("state after Finish = %q; want sent:77", st)
	}
	if ok, _ := s.Begin(ctx, got, "b"); ok {
		t.Errorf("Begin after Finish succeeded")
	}
	if hi, lo := depth(t, s); hi+lo != 0 {
		t.Errorf("%d entries left after Finish; want none", hi+lo)
	}
	if more := readAll(t, s, "b"); len(more) != 0 {
		t.Errorf("a finished job was read again: %+v", more)
	}
	if err := s.Finish(ctx, got, "inflight:x:1"); err == nil {
		t.Errorf("Finish accepted a non-final state")
	}
}

func TestReclaimAfterBegin(t *testing.T) {
	for _, resend := range []bool{false, true} {
		t.Run(fmt.Sprintf("resendUnknown=%v", resend), func(t *testing.T) {
			ctx := context.Background()
			s, _ := newStore(t)
			j := noticeJob("n:2", 4002, outbox.High)
			if err := s.Enqueue(ctx, j); err != nil {
				t.Fatal(err)
			}
			jobs := readAll(t, s, "dead")
			if ok, err := s.Begin(ctx, jobs[0], "dead"); err != nil || !ok {
				t.Fatalf("Begin = %v, %v", ok, err)
			}
			// "dead" crashed during the send. The janitor of another instance:
			var reclaimed []outbox.Job
			unknown := 0
			for n := range outbox.Shards {
				r, u, err := s.Reclaim(ctx, "janitor", n, 0, resend)
				if err != nil {
					t.Fatal(err)
				}
				reclaimed, unknown = append(reclaimed, r...), unknown+u
			}
			st := state(t, s, j)
			if !resend {
				if len(reclaimed) != 0 || unknown != 1 || st != outbox.StateUnknown {
					t.Errorf("Reclaim = %d jobs, %d unknown, state %q; want 0, 1, unknown", len(reclaimed), unknown, st)
				}
				if hi, lo := depth(t, s); hi+lo != 0 {
					t.Errorf("the unknown job is still queued (%d entries)", hi+lo)
				}
				return
			}
			if len(reclaimed) != 1 || unknown != 0 || st != outbox.StateQueued {
				t.Fatalf("Reclaim = %d jobs, %d unknown, state %q; want 1 to resend, 0, queued", len(reclaimed), unknown, st)
			}
			if ok, err := s.Begin(ctx, reclaimed[0], "janitor"); err != nil || !ok {
				t.Errorf("Begin of the reclaimed job = %v, %v; want true", ok, err)
			}
		})
	}
}

func TestReclaimBeforeBegin(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	j := noticeJob("n:3", 4003, outbox.Low)
	if err := s.Enqueue(ctx, j); err != nil {
		t.Fatal(err)
	}
	stale := readAll(t, s, "dead") // read, then crashed before Begin
	var reclaimed []outbox.Job
	for n := range outbox.Shards {
		r, u, err := s.Reclaim(ctx, "janitor", n, 0, false)
		if err != nil || u != 0 {
			t.Fatalf("Reclaim = %v, %d unknown", err, u)
		}
		reclaimed = append(reclaimed, r...)
	}
	if len(reclaimed) != 1 || reclaimed[0].ID != j.ID || reclaimed[0].Priority != outbox.Low {
		t.Fatalf("reclaimed %+v; want the one job", reclaimed)
	}
	if ok, _ := s.Begin(ctx, reclaimed[0], "janitor"); !ok {
		t.Fatal("Begin of the reclaimed job refused")
	}
	if err := s.Finish(ctx, reclaimed[0], "sent:5"); err != nil {
		t.Fatal(err)
	}
	// The dead consumer's copy comes back to life: it must not send.
	if ok, _ := s.Begin(ctx, stale[0], "dead"); ok {
		t.Errorf("the stale copy was begun after the job was sent")
	}
	for n := range outbox.Shards {
		r, u, err := s.Reclaim(ctx, "janitor", n, 0, true)
		if err != nil || len(r)+u != 0 {
			t.Errorf("second Reclaim of shard %d = %d jobs, %d unknown, %v; want nothing", n, len(r), u, err)
		}
	}
}

func TestRetryThenDeadLetter(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	j := noticeJob("n:4", 4004, outbox.High)
	if err := s.Enqueue(ctx, j); err != nil {
		t.Fatal(err)
	}
	const retries = 2
	for attempt := range retries + 1 {
		jobs := readAll(t, s, "a")
		if len(jobs) != 1 || jobs[0].Attempt != attempt {
			t.Fatalf("try %d: Read = %+v; want the job with Attempt %d", attempt, jobs, attempt)
		}
		if ok, _ := s.Begin(ctx, jobs[0], "a"); !ok {
			t.Fatalf("try %d: Begin refused", attempt)
		}
		if attempt == retries {
			if err := s.DeadLetter(ctx, jobs[0], "Bad Request: message is too long"); err != nil {
				t.Fatal(err)
			}
			break
		}
		if err := s.Retry(ctx, jobs[0]); err != nil {
			t.Fatal(err)
		}
		if hi, _ := depth(t, s); hi != 1 {
			t.Errorf("try %d: %d jobs queued after Retry; want 1 (the old entry acked)", attempt, hi)
		}
		if st := state(t, s, j); st != outbox.StateQueued {
			t.Errorf("try %d: state after Retry = %q; want queued", attempt, st)
		}
	}
	if hi, lo := depth(t, s); hi+lo != 0 {
		t.Errorf("%d jobs queued after the dead letter; want 0", hi+lo)
	}
	if st := state(t, s, j); st != outbox.StateDeadLetter {
		t.Errorf("state = %q; want %q", st, outbox.StateDeadLetter)
	}
	dl, err := s.DeadLetters(ctx, 10)
	if err != nil || len(dl) != 1 || dl[0].Job.ID != j.ID || dl[0].Reason != "Bad Request: message is too long" || dl[0].Job.Attempt != retries+1 {
		t.Errorf("DeadLetters = %+v, %v; want the job with its reason and %d attempts", dl, err, retries+1)
	}
	// A dead-lettered job is final: feeding it again does nothing.
	if err := s.Enqueue(ctx, j); err != nil {
		t.Fatal(err)
	}
	if hi, _ := depth(t, s); hi != 0 {
		t.Errorf("a dead-lettered job was queued again")
	}
}

// deadLetter queues j and dead-letters it at once, as the sender does with
// a message Telegram refuses.
func deadLetter(t *testing.T, s *outbox.Store, j outbox.Job, reason string) {
	t.Helper()
	ctx := context.Background()
	if err := s.Enqueue(ctx, j); err != nil {
		t.Fatal(err)
	}
	for _, r := range readAll(t, s, "a") {
		if r.ID != j.ID {
			t.Fatalf("read %s; want only %s", r.ID, j.ID)
		}
		if ok, _ := s.Begin(ctx, r, "a"); !ok {
			t.Fatal("Begin refused")
		}
		if err := s.DeadLetter(ctx, r, reason); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRedriveQueuesADeadLetterOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	old := noticeJob("n:6", 4006, outbox.Low)
	deadLetter(t, s, old, "Bad Request: can't parse entities")
	// A dead letter's time is its entry's, in ms: two in the same ms of
	// different shards have no order.
	time.Sleep(2 * time.Millisecond)
	newer := noticeJob("n:7", 4007, outbox.High)
	deadLetter(t, s, newer, "migration loop")

	dl, err := s.DeadLetters(ctx, 10)
	if err != nil || len(dl) != 2 || dl[0].Job.ID != newer.ID || dl[1].Job.ID != old.ID {
		t.Fatalf("DeadLetters = %+v, %v; want both, newest first", dl, err)
	}
	if dl[1].Job.Attempt != 1 || dl[1].Job.Priority != outbox.Low || dl[1].At.IsZero() || dl[1].Job.EnqueuedAt.IsZero() {
		t.Errorf("dead letter = %+v; want 1 attempt, low priority, times set", dl[1])
	}
	for i, want := range []string{outbox.RedriveQueued, outbox.RedriveGone} {
		if res, err := s.Redrive(ctx, dl[1]); err != nil || res != want {
			t.Errorf("Redrive #%d = %q, %v; want %q", i+1, res, err, want)
		}
	}
	if hi, lo := depth(t, s); hi != 0 || lo != 1 {
		t.Errorf("after redriving twice: %d high, %d low jobs queued; want the broadcast once in the low stream", hi, lo)
	}
	if st := state(t, s, old); st != outbox.StateQueued {
		t.Errorf("state after redrive = %q; want queued", st)
	}
	jobs := readAll(t, s, "b")
	if len(jobs) != 1 || jobs[0].ID != old.ID || jobs[0].Attempt != 0 || jobs[0].Text != old.Text {
		t.Errorf("read after redrive = %+v; want the job with a fresh attempt counter", jobs)
	}
	if left, _ := s.DeadLetters(ctx, 10); len(left) != 1 || left[0].Job.ID != newer.ID {
		t.Errorf("dead letters after redrive = %+v; want only the other one", left)
	}
}

func TestRedriveLeavesASentJob(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	j := noticeJob("n:8", 4008, outbox.High)
	deadLetter(t, s, j, "migration loop")
	// Delivered after all (say by an operator's hand, or a stale dead
	// letter of a job fed again later): its state says sent.
	if err := s.Enqueue(ctx, noticeJob("n:9", 4008, outbox.High)); err != nil {
		t.Fatal(err)
	}
	jobs := readAll(t, s, "a")
	if ok, _ := s.Begin(ctx, jobs[0], "a"); !ok {
		t.Fatal("Begin refused")
	}
	sent := jobs[0]
	sent.ID = j.ID // finish n:8's state through the other entry
	if err := s.Finish(ctx, sent, "sent:77"); err != nil {
		t.Fatal(err)
	}
	dl, _ := s.DeadLetters(ctx, 10)
	if res, err := s.Redrive(ctx, dl[0]); err != nil || res != outbox.RedriveSent {
		t.Errorf("Redrive of a sent job = %q, %v; want %q", res, err, outbox.RedriveSent)
	}
	if hi, lo := depth(t, s); hi+lo != 0 {
		t.Errorf("%d jobs queued; want none (it was sent)", hi+lo)
	}
	if st := state(t, s, j); st != "sent:77" {
		t.Errorf("state = %q; want it still sent", st)
	}
}

func TestUnbeginLetsTheJanitorResend(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	j := noticeJob("n:10", 4010, outbox.High)
	if err := s.Enqueue(ctx, j); err != nil {
		t.Fatal(err)
	}
	jobs := readAll(t, s, "a")
	if ok, _ := s.Begin(ctx, jobs[0], "a"); !ok {
		t.Fatal("Begin refused")
	}
	// Another consumer cannot undo a's claim.
	if err := s.Unbegin(ctx, jobs[0], "b"); err != nil {
		t.Fatal(err)
	}
	if st := state(t, s, j); !strings.HasPrefix(st, "inflight:a:") {
		t.Fatalf("state after b's Unbegin = %q; want still in flight at a", st)
	}
	if err := s.Unbegin(ctx, jobs[0], "a"); err != nil {
		t.Fatal(err)
	}
	// a dies while it waits: the janitor sends the job, it is not unknown.
	var got []outbox.Job
	for n := range outbox.Shards {
		r, u, err := s.Reclaim(ctx, "janitor", n, 0, false)
		if err != nil || u != 0 {
			t.Fatalf("Reclaim = %v, %d unknown; want none unknown", err, u)
		}
		got = append(got, r...)
	}
	if len(got) != 1 || got[0].ID != j.ID {
		t.Errorf("reclaimed %+v; want the job, to be sent", got)
	}
}

func TestRequeueKeepsAttempt(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	j := noticeJob("n:5", 4005, outbox.High)
	if err := s.Enqueue(ctx, j); err != nil {
		t.Fatal(err)
	}
	jobs := readAll(t, s, "a")
	if ok, _ := s.Begin(ctx, jobs[0], "a"); !ok {
		t.Fatal("Begin refused")
	}
	if err := s.Requeue(ctx, jobs[0]); err != nil {
		t.Fatal(err)
	}
	again := readAll(t, s, "a")
	if len(again) != 1 || again[0].Attempt != 0 || again[0].StreamID == jobs[0].StreamID {
		t.Fatalf("after Requeue Read = %+v; want one new entry with Attempt 0", again)
	}
	if st := state(t, s, j); st != outbox.StateQueued {
		t.Errorf("state after Requeue = %q; want queued", st)
	}
}

func TestReadHighBeforeLow(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	var lows, highs []outbox.Job
	for i := range 3 {
		lows = append(lows, noticeJob(fmt.Sprintf("b:1:%d", 5000+i), int64(5000+i), outbox.Low))
		highs = append(highs, noticeJob(fmt.Sprintf("d:%d", 6000+i), int64(6000+i), outbox.High))
	}
	// Broadcasts were queued first; digests arrive later and still go first.
	if err := s.Enqueue(ctx, lows...); err != nil {
		t.Fatal(err)
	}
	if err := s.Enqueue(ctx, highs...); err != nil {
		t.Fatal(err)
	}
	ids := func(jobs []outbox.Job) []string {
		var out []string
		for _, j := range jobs {
			out = append(out, j.ID)
		}
		sort.Strings(out)
		return out
	}
	first, second := readAll(t, s, "a"), readAll(t, s, "a")
	if got, want := ids(first), ids(highs); !slices.Equal(got, want) {
		t.Errorf("first Read = %v; want the high-priority jobs %v", got, want)
	}
	if got, want := ids(second), ids(lows); !slices.Equal(got, want) {
		t.Errorf("second Read = %v; want the broadcasts %v", got, want)
	}
}

// A delivery is counted in the same step that records it sent: a crash
// between the two can neither lose the count nor, when the sender records
// the state again after a reply it did not get, count it twice. (It was
// also a round trip more for every message.)
func TestFinishCountsADeliveryOnce(t *testing.T) {
	ctx := context.Background()
	s, rd := newStore(t)
	const chat = 2004
	mustStart(t, rd, chat)
	if ok, err := s.EnqueueDigest(ctx, chat, 0, 5, []outbox.Job{digestJob(chat, 1)}); err != nil || !ok {
		t.Fatalf("EnqueueDigest = %v, %v", ok, err)
	}
	j := readAll(t, s, "a")[0]
	if ok, err := s.Begin(ctx, j, "a"); err != nil || !ok {
		t.Fatalf("Begin = %v, %v", ok, err)
	}
	for range 2 { // the second as after a lost reply
		if err := s.FinishCounted(ctx, j, outbox.StateSent(9), subscribers.StatSentDigest, testNow); err != nil {
			t.Fatal(err)
		}
	}
	if st := state(t, s, j); st != outbox.StateSent(9) {
		t.Errorf("state = %q; want %q", st, outbox.StateSent(9))
	}
	days, err := readersOn(rd).Daily(ctx, subscribers.StatSentDigest, testNow, testNow)
	if err != nil || len(days) != 1 || days[0].Count != 1 {
		t.Errorf("digests sent today = %+v, %v; want 1", days, err)
	}
	if hi, lo := depth(t, s); hi+lo != 0 {
		t.Errorf("%d/%d jobs left; want the sent one acked", hi, lo)
	}
}
