package subscribers_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"nashra/outbox"
	"nashra/subscribers"
)

func TestMoveReader(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	const group, super = int64(-4009), int64(-1000000004009)
	if _, err := s.Start(ctx, group, subscribers.Joined{ChatType: "group", Lang: "en", Source: "site"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []subscribers.Follow{subscribers.TopicFollow("sdf"), subscribers.KeywordFollow("الرقة", "الرقه")} { // "Raqqa"
		if _, err := s.Follow(ctx, group, f); err != nil {
			t.Fatal(err)
		}
	}
	// The group's digests so far moved its cursor.
	if ok, err := queue.EnqueueDigest(ctx, group, 0, 7, nil); err != nil || !ok {
		t.Fatalf("EnqueueDigest = %v, %v", ok, err)
	}

	for range 2 { // the second call finds the move done
		if err := s.MoveReader(ctx, group, super); err != nil {
			t.Fatalf("MoveReader: %v", err)
		}
	}
	moved, err := s.Get(ctx, super)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Status != subscribers.Active || moved.Cursor != 7 || moved.Lang != "en" || moved.Source != "site" || len(moved.Follows) != 2 {
		t.Errorf("moved reader = %+v; want active, cursor 7, en, source and 2 follows kept", moved)
	}
	old, _ := s.Get(ctx, group)
	if old.Status != subscribers.Blocked || old.StatusReason != fmt.Sprintf("migrated to %d", super) {
		t.Errorf("old reader = %s (%s); want blocked, migrated to %d", old.Status, old.StatusReason, super)
	}
	followers, _ := s.Followers(ctx, "t:sdf")
	if !slices.Contains(followers, super) {
		t.Errorf("followers of sdf = %v; want the supergroup %d", followers, super)
	}
	counts, _ := s.Counts(ctx)
	if counts[subscribers.Active] != 1 || counts[subscribers.Blocked] != 1 {
		t.Errorf("counts = %v; want 1 active (the supergroup), 1 blocked (the old group)", counts)
	}
	if err := s.MoveReader(ctx, 404, 405); err == nil {
		t.Errorf("MoveReader of an unknown chat succeeded")
	}
}

func TestMoveReaderIntoExistingReader(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	const group, super = int64(-4010), int64(-1000000004010)
	for _, c := range []int64{group, super} {
		if _, err := s.Start(ctx, c, subscribers.Joined{ChatType: "private"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Follow(ctx, group, subscribers.TopicFollow("isis")); err != nil {
		t.Fatal(err)
	}
	if ok, _ := queue.EnqueueDigest(ctx, group, 0, 12, nil); !ok {
		t.Fatal("EnqueueDigest refused")
	}
	if ok, _ := queue.EnqueueDigest(ctx, super, 0, 3, nil); !ok {
		t.Fatal("EnqueueDigest refused")
	}
	if err := s.MoveReader(ctx, group, super); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, super)
	if got.Cursor != 12 || len(got.Follows) != 1 || got.Status != subscribers.Active {
		t.Errorf("merged reader = %+v; want the larger cursor 12 and the old follow", got)
	}
}
