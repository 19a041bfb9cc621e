package subscribers_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

func newStore(t *testing.T) (*subscribers.Store, *redistest.Redis) {
	t.Helper()
	r := redistest.New(t)
	now := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	return subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, MaxFollows: 5, Now: func() time.Time { return now }}), r
}

func TestStartCreatesThenReactivates(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	const chat = 1001

	res, err := s.Start(ctx, chat, subscribers.Joined{Source: "site-footer", ChatType: "private"})
	if err != nil || !res.Created {
		t.Fatalf("first Start = %+v, %v; want created", res, err)
	}
	r, err := s.Get(ctx, chat)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != subscribers.Active || r.Lang != "ar" || r.Source != "site-footer" || r.Cursor != 0 || r.JoinedAt.IsZero() {
		t.Errorf("new reader = %+v; want active, ar, site-footer, cursor 0, joined set", r)
	}

	if _, err := s.SetStatus(ctx, chat, subscribers.Blocked, "403 bot was blocked by the user"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetLang(ctx, chat, "en"); err != nil {
		t.Fatal(err)
	}
	res, err = s.Start(ctx, chat, subscribers.Joined{Source: "other-source", Lang: "ar"})
	if err != nil || res.Created || res.Previous != subscribers.Blocked {
		t.Fatalf("second Start = %+v, %v; want existing, previously blocked", res, err)
	}
	r, _ = s.Get(ctx, chat)
	if r.Status != subscribers.Active || r.Source != "site-footer" || r.Lang != "en" {
		t.Errorf("returning reader = %+v; want active, first source and chosen language kept", r)
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[subscribers.Active] != 1 || counts[subscribers.Blocked] != 0 {
		t.Errorf("counts = %v; want one active, none blocked", counts)
	}
}

func TestUnknownReader(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	if _, err := s.Get(ctx, 5); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("Get = %v; want ErrNotFound", err)
	}
	if _, err := s.SetStatus(ctx, 5, subscribers.Stopped, "stop"); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("SetStatus = %v; want ErrNotFound", err)
	}
	if _, err := s.Follow(ctx, 5, subscribers.TopicFollow("sdf")); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("Follow = %v; want ErrNotFound", err)
	}
	if err := s.SetLang(ctx, 5, "en"); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("SetLang = %v; want ErrNotFound", err)
	}
	if lang, err := s.Lang(ctx, 5); err != nil || lang != "ar" {
		t.Errorf("Lang = %q, %v; want ar", lang, err)
	}
	if keys := r.Keys(t); len(keys) != 0 {
		t.Errorf("an unknown reader left keys behind: %v", keys)
	}
}

func TestFollowUnfollow(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	const chat = -100123 // a supergroup
	if _, err := s.Start(ctx, chat, subscribers.Joined{ChatType: "supergroup"}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		f    subscribers.Follow
		want subscribers.FollowResult
	}{
		{subscribers.TopicFollow("sdf"), subscribers.Added},
		{subscribers.TopicFollow("sdf"), subscribers.AlreadyFollowing},
		// "سد تشرين" (Tishrin dam) as a free keyword.
		{subscribers.KeywordFollow("سد تشرين", "سد تشرين"), subscribers.Added},
		{subscribers.KeywordFollow("سدّ تشرين", "سد تشرين"), subscribers.AlreadyFollowing},
		{subscribers.TopicFollow("isis"), subscribers.Added},
		{subscribers.TopicFollow("raqqa"), subscribers.Added},
		{subscribers.TopicFollow("hasakah"), subscribers.Added},
		{subscribers.TopicFollow("manbij"), subscribers.LimitReached},
	}
	for i, st := range steps {
		got, err := s.Follow(ctx, chat, st.f)
		if err != nil || got != st.want {
			t.Errorf("step %d: Follow(%q) = %v, %v; want %v", i, st.f.Key, got, err, st.want)
		}
	}
	follows, _ := s.Follows(ctx, chat)
	var names []string
	for _, f := range follows {
		names = append(names, f.Topic+f.Keyword)
	}
	if got, want := strings.Join(names, ","), "hasakah,isis,raqqa,sdf,سد تشرين"; got != want {
		t.Errorf("follows = %s; want %s", got, want)
	}
	if ids, _ := s.Followers(ctx, "t:sdf"); fmt.Sprint(ids) != "[-100123]" {
		t.Errorf("followers of sdf = %v; want [-100123]", ids)
	}

	ok, err := s.Unfollow(ctx, chat, "t:sdf")
	if err != nil || !ok {
		t.Fatalf("Unfollow = %v, %v; want true", ok, err)
	}
	if ok, _ := s.Unfollow(ctx, chat, "t:sdf"); ok {
		t.Errorf("second Unfollow reported a follow that was gone")
	}
	if ids, _ := s.Followers(ctx, "t:sdf"); len(ids) != 0 {
		t.Errorf("followers of sdf after unfollow = %v; want none", ids)
	}
	if got, err := s.Follow(ctx, chat, subscribers.TopicFollow("manbij")); got != subscribers.Added || err != nil {
		t.Errorf("follow after freeing a slot = %v, %v; want Added", got, err)
	}
}

func TestFollowRejectsMalformed(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	s.Start(ctx, 7, subscribers.Joined{})
	for _, f := range []subscribers.Follow{
		{Key: "k:", Keyword: "x"},
		{Key: "x:sdf", Topic: "sdf"},
		{Key: "k:" + strings.Repeat("ق", 300), Keyword: "ق"},
	} {
		if _, err := s.Follow(ctx, 7, f); err == nil {
			t.Errorf("Follow(%+v) succeeded; want an error", f)
		}
	}
	if fs, _ := s.Follows(ctx, 7); len(fs) != 0 {
		t.Errorf("malformed follows were stored: %+v", fs)
	}
}

// Concurrent follows from two instances can never exceed the cap.
func TestFollowCapUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	s.Start(ctx, 42, subscribers.Joined{})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Follow(ctx, 42, subscribers.KeywordFollow(fmt.Sprint("w", i), fmt.Sprint("w", i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if fs, _ := s.Follows(ctx, 42); len(fs) != s.MaxFollows() {
		t.Errorf("%d follows after 20 concurrent follows; want the cap %d", len(fs), s.MaxFollows())
	}
}

func TestStatusesAndChatIDs(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	for id := int64(1); id <= 40; id++ {
		s.Start(ctx, id, subscribers.Joined{})
	}
	for id := int64(1); id <= 40; id += 4 {
		s.SetStatus(ctx, id, subscribers.Paused, "pause")
	}
	if _, err := s.SetStatus(ctx, 2, "gone", "x"); err == nil {
		t.Error("an unknown status was accepted")
	}
	var active int
	err := s.ChatIDs(ctx, subscribers.Active, func(ids []int64) error { active += len(ids); return nil })
	if err != nil || active != 30 {
		t.Errorf("ChatIDs(active) saw %d, %v; want 30", active, err)
	}
	counts, _ := s.Counts(ctx)
	if counts[subscribers.Paused] != 10 || counts[subscribers.Active] != 30 {
		t.Errorf("counts = %v; want 30 active, 10 paused", counts)
	}
}

// Every key the store writes carries the prefix and the reader's hash tag.
func TestKeysShareReaderSlot(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	s.Start(ctx, 17, subscribers.Joined{})
	s.Follow(ctx, 17, subscribers.TopicFollow("sdf"))
	for _, k := range r.Keys(t) {
		if !strings.HasPrefix(k, r.Prefix+"{r1}:") {
			t.Errorf("key %q is outside the reader's slot {r1}", k)
		}
	}
}
