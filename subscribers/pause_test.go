package subscribers_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"nashra/subscribers"
)

// A pause's end lives only while the reader is paused: every other change
// of status, and /start, drops it.
func TestPauseEndLivesOnlyWhilePaused(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	const chat = 2001
	end := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	if _, err := s.Start(ctx, chat, subscribers.Joined{}); err != nil {
		t.Fatal(err)
	}
	pause := subscribers.StatusChange{To: subscribers.Paused, Reason: "pause", Until: end}
	for _, c := range []struct {
		name string
		do   func() error
		want subscribers.Standing
	}{
		{"paused for a day", func() error { _, _, err := s.ChangeStatus(ctx, chat, pause); return err },
			subscribers.Standing{Status: subscribers.Paused, PausedUntil: end}},
		{"paused again with no end", func() error {
			_, err := s.SetStatus(ctx, chat, subscribers.Paused, "pause")
			return err
		}, subscribers.Standing{Status: subscribers.Paused}},
		{"paused for a day again", func() error { _, _, err := s.ChangeStatus(ctx, chat, pause); return err },
			subscribers.Standing{Status: subscribers.Paused, PausedUntil: end}},
		{"stopped", func() error { _, err := s.SetStatus(ctx, chat, subscribers.Stopped, "stop"); return err },
			subscribers.Standing{Status: subscribers.Stopped}},
		{"paused, then blocked", func() error {
			if _, _, err := s.ChangeStatus(ctx, chat, pause); err != nil {
				return err
			}
			_, err := s.SetStatus(ctx, chat, subscribers.Blocked, "403")
			return err
		}, subscribers.Standing{Status: subscribers.Blocked}},
		{"paused, then /start", func() error {
			if _, _, err := s.ChangeStatus(ctx, chat, pause); err != nil {
				return err
			}
			_, err := s.Start(ctx, chat, subscribers.Joined{})
			return err
		}, subscribers.Standing{Status: subscribers.Active}},
	} {
		if err := c.do(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		r, err := s.Get(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		if got := (subscribers.Standing{Status: r.Status, PausedUntil: r.PausedUntil}); got != c.want {
			t.Errorf("%s: reader stands %+v; want %+v", c.name, got, c.want)
		}
		ended, err := s.EndedPauses(ctx, []int64{chat}, end)
		if err != nil {
			t.Fatal(err)
		}
		if wantEnded := !c.want.PausedUntil.IsZero(); (len(ended) == 1) != wantEnded {
			t.Errorf("%s: EndedPauses at the end = %+v; want ended %v", c.name, ended, wantEnded)
		}
	}
}

// ChangeStatus with From moves only from those statuses, and says where
// the reader stood either way.
func TestChangeStatusFrom(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	const chat = 2002
	end := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	if _, err := s.Start(ctx, chat, subscribers.Joined{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ChangeStatus(ctx, chat, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause", Until: end}); err != nil {
		t.Fatal(err)
	}
	undo := subscribers.StatusChange{To: subscribers.Active, Reason: "undo stop", From: []subscribers.Status{subscribers.Stopped}}
	before, moved, err := s.ChangeStatus(ctx, chat, undo)
	if err != nil || moved || before != (subscribers.Standing{Status: subscribers.Paused, PausedUntil: end}) {
		t.Errorf("undo of a paused reader = %+v, moved %v, %v; want refused, standing paused until %v", before, moved, err, end)
	}
	if r, _ := s.Get(ctx, chat); r.Status != subscribers.Paused || !r.PausedUntil.Equal(end) {
		t.Errorf("a refused change moved the reader: %+v", r)
	}
	before, moved, err = s.ChangeStatus(ctx, chat, subscribers.StatusChange{To: subscribers.Stopped, Reason: "stop"})
	if err != nil || !moved || !before.PausedUntil.Equal(end) {
		t.Errorf("stop = %+v, moved %v, %v; want moved, from a pause until %v", before, moved, err, end)
	}
	if _, moved, err := s.ChangeStatus(ctx, chat, undo); err != nil || !moved {
		t.Errorf("undo of a stopped reader: moved %v, %v; want moved", moved, err)
	}
	if _, _, err := s.ChangeStatus(ctx, 9999, undo); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("change of no reader: %v; want ErrNotFound", err)
	}
}

// Many taps of Undo at once: exactly one restores the reader, and the
// audience counters see one return.
func TestUndoRace(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	const chat = 2003
	if _, err := s.Start(ctx, chat, subscribers.Joined{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, chat, subscribers.Stopped, "stop"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	moves := 0
	for range 8 {
		wg.Go(func() {
			_, moved, err := s.ChangeStatus(ctx, chat, subscribers.StatusChange{
				To: subscribers.Active, Reason: "undo stop", From: []subscribers.Status{subscribers.Stopped},
			})
			if err != nil {
				t.Error(err)
			}
			if moved {
				mu.Lock()
				moves++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if moves != 1 {
		t.Errorf("%d of 8 concurrent undos moved the reader; want exactly 1", moves)
	}
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	returned, err := s.Daily(ctx, subscribers.StatReturned, day, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(returned) != 1 || returned[0].Count != 1 {
		t.Errorf("returns counted %+v; want one on %s", returned, day.Format(time.DateOnly))
	}
}
