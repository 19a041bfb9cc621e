package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"nashra/outbox"
	"nashra/subscribers"
)

func pauseEnd(chat int64, until time.Time) outbox.PauseEnd {
	return outbox.PauseEnd{ChatID: chat, Until: until.Unix(), Notice: outbox.Job{
		ID: fmt.Sprintf("pe:%d:%d", chat, until.Unix()), ChatID: chat, Kind: "notice", Text: "▶️ انتهى الإيقاف المؤقت", // "the pause is over"
	}}
}

// A pause is ended only when it is still the pause read, and its end has
// come; the reader is made active and told once.
func TestEndPauses(t *testing.T) {
	ctx := context.Background()
	q, r := newStore(t)
	readers := readersOn(r)
	pause := func(chat int64, until time.Time) {
		t.Helper()
		if _, _, err := readers.ChangeStatus(ctx, chat, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause", Until: until}); err != nil {
			t.Fatal(err)
		}
	}
	const ended, later, changed, resumed = 31, 32, 33, 34
	mustStart(t, r, ended, later, changed, resumed)
	pause(ended, testNow)
	pause(later, testNow.Add(time.Minute))
	pause(changed, testNow.Add(-time.Hour))
	pause(resumed, testNow.Add(-time.Hour))
	if _, err := readers.SetStatus(ctx, resumed, subscribers.Active, "resume"); err != nil {
		t.Fatal(err)
	}
	reqs := []outbox.PauseEnd{
		pauseEnd(ended, testNow),
		pauseEnd(later, testNow.Add(time.Minute)),    // not yet
		pauseEnd(changed, testNow.Add(-2*time.Hour)), // read before the reader paused again
		pauseEnd(resumed, testNow.Add(-time.Hour)),   // resumed meanwhile
	}
	ok, err := q.EndPauses(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false, false, false} {
		if ok[i] != want {
			t.Errorf("EndPauses for chat %d = %v; want %v", reqs[i].ChatID, ok[i], want)
		}
	}
	for chat, want := range map[int64]subscribers.Status{ended: subscribers.Active, later: subscribers.Paused, changed: subscribers.Paused, resumed: subscribers.Active} {
		if rd, err := readers.Get(ctx, chat); err != nil || rd.Status != want {
			t.Errorf("chat %d after EndPauses: %+v, %v; want %s", chat, rd, err, want)
		}
	}
	if again, err := q.EndPauses(ctx, reqs[:1]); err != nil || again[0] {
		t.Errorf("EndPauses again = %v, %v; want false: it ended already", again, err)
	}
	// /stats's chart counts the reader whose pause ended among the active.
	days, err := readers.ReadersOverTime(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if days[0].Active != 0 || days[1].Active != 2 {
		t.Errorf("active readers yesterday and today: %d, %d; want 0 and 2 (%d and %d)", days[0].Active, days[1].Active, ended, resumed)
	}
	jobs, err := q.Read(ctx, "c", allShards(), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].ChatID != ended || jobs[0].Priority != outbox.High {
		t.Errorf("queued %+v; want one high-priority notice, for chat %d", jobs, ended)
	}
}

// Builders racing on the same ended pause, and the reader pressing Resume
// at the same moment: the reader ends active, told at most once, and not
// at all when their own Resume came first.
func TestEndPauseRace(t *testing.T) {
	ctx := context.Background()
	q, r := newStore(t)
	readers := readersOn(r)
	const chat = 41
	mustStart(t, r, chat)
	if _, _, err := readers.ChangeStatus(ctx, chat, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause", Until: testNow}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ended, resumedByReader := 0, false
	for range 6 {
		wg.Go(func() {
			ok, err := q.EndPauses(ctx, []outbox.PauseEnd{pauseEnd(chat, testNow)})
			if err != nil {
				t.Error(err)
				return
			}
			if ok[0] {
				mu.Lock()
				ended++
				mu.Unlock()
			}
		})
	}
	wg.Go(func() {
		_, moved, err := readers.ChangeStatus(ctx, chat, subscribers.StatusChange{
			To: subscribers.Active, Reason: "resume", From: []subscribers.Status{subscribers.Paused},
		})
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		resumedByReader = moved
		mu.Unlock()
	})
	wg.Wait()
	if resumedByReader == (ended == 1) || ended > 1 {
		t.Errorf("pause ended by %d builders, resumed by the reader %v; want exactly one of them", ended, resumedByReader)
	}
	jobs, err := q.Read(ctx, "c", allShards(), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != ended {
		t.Errorf("%d notices queued; want %d", len(jobs), ended)
	}
	if rd, _ := readers.Get(ctx, chat); rd.Status != subscribers.Active || !rd.PausedUntil.IsZero() {
		t.Errorf("reader after the race: %+v; want active, no end left", rd)
	}
}
