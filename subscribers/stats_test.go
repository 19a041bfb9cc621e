package subscribers_test

import (
	"context"
	"maps"
	"sync"
	"testing"
	"time"

	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// movingClock is a clock the test moves by whole days.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movingClock) nextDay()       { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.AddDate(0, 0, 1) }

func newClockedStore(t *testing.T) (*subscribers.Store, *movingClock) {
	t.Helper()
	r := redistest.New(t)
	c := &movingClock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	return subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: c.now}), c
}

func TestDailyCountersFollowTheAudience(t *testing.T) {
	ctx := context.Background()
	s, clock := newClockedStore(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	start := func(chat int64, source string) {
		t.Helper()
		_, err := s.Start(ctx, chat, subscribers.Joined{Source: source})
		must(err)
	}
	setStatus := func(chat int64, st subscribers.Status, reason string) {
		t.Helper()
		_, err := s.SetStatus(ctx, chat, st, reason)
		must(err)
	}

	// Day 1 (Nov 25): three join.
	start(1, "site-footer")
	start(2, "site-footer")
	start(3, "")
	// Day 2: one stops, one pauses (still a reader), one more joins.
	clock.nextDay()
	setStatus(1, subscribers.Stopped, "stop")
	setStatus(2, subscribers.Paused, "pause")
	start(4, "article-end")
	// Day 3: the stopped reader returns, a paused one blocks the bot, a
	// /start of an active reader changes nothing, a migrated group is not lost.
	clock.nextDay()
	start(1, "other")
	setStatus(2, subscribers.Blocked, "403")
	start(3, "")
	must(s.MoveReader(ctx, 4, -1004))
	start(5, "")
	setStatus(5, subscribers.Stopped, "stop")
	setStatus(5, subscribers.Active, "test") // back, counted as returned

	got, err := s.ReadersOverTime(ctx, 4)
	must(err)
	// Active: day 1 all three; day 2 one stopped and one paused, one new
	// (3, 4); day 3 1 and 5 back, -1004 in 4's place (3, -1004, 1, 5).
	want := []subscribers.ReaderDay{
		{Day: date(2026, 11, 24), Readers: 0},
		{Day: date(2026, 11, 25), Joined: 3, Readers: 3, Active: 3},
		{Day: date(2026, 11, 26), Joined: 1, Lost: 1, Readers: 3, Active: 2},
		{Day: date(2026, 11, 27), Joined: 1, Returned: 2, Lost: 2, Readers: 4, Active: 4},
	}
	if len(got) != len(want) {
		t.Fatalf("ReadersOverTime(4) = %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("day %d = %+v; want %+v", i, got[i], want[i])
		}
	}
	counts, err := s.Counts(ctx)
	must(err)
	if n := counts[subscribers.Active] + counts[subscribers.Paused]; n != got[len(got)-1].Readers {
		t.Errorf("today's readers %d; Counts says %d", got[len(got)-1].Readers, n)
	}
	if n := counts[subscribers.Active]; n != got[len(got)-1].Active {
		t.Errorf("today's active readers %d; Counts says %d", got[len(got)-1].Active, n)
	}

	src, err := s.SignupsBySource(ctx)
	must(err)
	wantSrc := map[string]int64{"site-footer": 2, subscribers.DirectSource: 2, "article-end": 1}
	if !maps.Equal(src, wantSrc) {
		t.Errorf("SignupsBySource = %v; want %v (a returning reader's new source is not a signup)", src, wantSrc)
	}
}

// TestActiveReadersOverTime follows the active readers through every way
// in and out of active: a pause and its resume (by the button or by
// /start), a pause that ends by itself, and a reader who asks to be
// forgotten, who leaves the audience like one who stops.
func TestActiveReadersOverTime(t *testing.T) {
	ctx := context.Background()
	s, clock := newClockedStore(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	change := func(chat int64, ch subscribers.StatusChange) {
		t.Helper()
		_, _, err := s.ChangeStatus(ctx, chat, ch)
		must(err)
	}
	// Day 1: four join; 4 pauses at once.
	for chat := range int64(4) {
		_, err := s.Start(ctx, chat+1, subscribers.Joined{})
		must(err)
	}
	change(4, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause"})
	// Day 2: 1 and 2 pause; 3 asks to be forgotten; 4 resumes with /start.
	clock.nextDay()
	change(1, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause"})
	change(2, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause"})
	must(s.Forget(ctx, 3))
	_, err := s.Start(ctx, 4, subscribers.Joined{})
	must(err)
	// Day 3: 1 resumes with the button; 2, paused, asks to be forgotten.
	clock.nextDay()
	change(1, subscribers.StatusChange{To: subscribers.Active, Reason: "resume", From: []subscribers.Status{subscribers.Paused}})
	must(s.Forget(ctx, 2))
	must(s.Forget(ctx, 99)) // never a reader: changes nothing

	got, err := s.ReadersOverTime(ctx, 3)
	must(err)
	want := []subscribers.ReaderDay{
		{Day: date(2026, 11, 25), Joined: 4, Readers: 4, Active: 3},
		{Day: date(2026, 11, 26), Lost: 1, Readers: 3, Active: 1},
		{Day: date(2026, 11, 27), Lost: 1, Readers: 2, Active: 2},
	}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Errorf("day %d = %+v; want %+v", i, got, want[i])
		}
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestRecordDailyAndDaily(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	day := time.Date(2026, 11, 28, 23, 30, 0, 0, time.FixedZone("Damascus", 3*3600)) // 20:30 UTC
	for i := range 3 {                                                               // in three shards
		if err := s.RecordDaily(ctx, int64(i), subscribers.StatSentDigest, day, 2); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Daily(ctx, subscribers.StatSentDigest, date(2026, 11, 27), date(2026, 11, 29))
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{0, 6, 0}
	if len(got) != 3 {
		t.Fatalf("Daily = %+v; want 3 days", got)
	}
	for i, w := range want {
		if got[i].Count != w || !got[i].Day.Equal(date(2026, 11, 27+i)) {
			t.Errorf("day %d = %+v; want %d on Nov %d (days are UTC days)", i, got[i], w, 27+i)
		}
	}
	if got, _ := s.Daily(ctx, "nothing", date(2026, 11, 27), date(2026, 11, 26)); len(got) != 0 {
		t.Errorf("Daily over an empty range = %+v; want nothing", got)
	}
}

func TestTopicFollowers(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	// Chats in different shards follow the same topic.
	for _, chat := range []int64{1, 2, 17, 33, -1001234} {
		if _, err := s.Start(ctx, chat, subscribers.Joined{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Follow(ctx, chat, subscribers.TopicFollow("sdf")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Follow(ctx, 2, subscribers.TopicFollow("isis")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Follow(ctx, 2, subscribers.KeywordFollow("sdf", "sdf")); err != nil {
		t.Fatal(err)
	}
	got, err := s.TopicFollowers(ctx, []string{"sdf", "isis", "camps"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"sdf": 5, "isis": 1, "camps": 0}
	if !maps.Equal(got, want) {
		t.Errorf("TopicFollowers = %v; want %v (keyword follows are not topics)", got, want)
	}
}
