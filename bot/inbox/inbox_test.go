package inbox_test

import (
	"context"
	"testing"

	"nashra/bot/inbox"
	"nashra/subscribers/redistest"
)

func newStore(t *testing.T) *inbox.Store {
	t.Helper()
	r := redistest.New(t)
	return inbox.New(r.Client, inbox.Options{Prefix: r.Prefix})
}

func TestClaimUpdate(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	first, err := s.Claim(ctx, 77)
	if err != nil || !first {
		t.Fatalf("first claim = %v, %v", first, err)
	}
	if again, _ := s.Claim(ctx, 77); again {
		t.Error("a redelivered update was claimed twice")
	}
	// A handler cancelled midway gives its claim back: the update is
	// handled when it comes again.
	if err := s.Release(ctx, 77); err != nil {
		t.Fatal(err)
	}
	if again, err := s.Claim(ctx, 77); err != nil || !again {
		t.Errorf("claim after release = %v, %v; want it claimed again", again, err)
	}
}

// An update is stored once however often it is fetched, stays pending
// until handled, and comes back in order to the next poller.
func TestInboxKeepsUpdatesUntilHandled(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	fresh, err := s.Add(ctx, []int64{5, 6}, [][]byte{[]byte(`{"update_id":5}`), []byte(`{"update_id":6}`)})
	if err != nil || len(fresh) != 2 || fresh[0].ID != 5 || fresh[1].ID != 6 {
		t.Fatalf("Add = %+v, %v; want both updates, in order", fresh, err)
	}
	// Fetched again: its confirmation never reached Telegram.
	again, err := s.Add(ctx, []int64{6, 7}, [][]byte{[]byte(`{"update_id":6}`), []byte(`{"update_id":7}`)})
	if err != nil || len(again) != 1 || again[0].ID != 7 {
		t.Fatalf("Add of a re-fetch = %+v, %v; want only the new update 7", again, err)
	}
	if err := s.Handled(ctx, fresh[0].Entry); err != nil {
		t.Fatal(err)
	}
	left, err := s.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, u := range left {
		ids = append(ids, u.ID)
	}
	if len(ids) != 2 || ids[0] != 6 || ids[1] != 7 || string(left[0].Raw) != `{"update_id":6}` {
		t.Errorf("pending = %v (%s); want 6 then 7 with their JSON", ids, left[0].Raw)
	}
}
