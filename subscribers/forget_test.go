package subscribers_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

func TestForgetLeavesNothing(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	c := &clock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	s := storeOn(r, c, 60)
	const chat, other = 4242, 4242 + subscribers.Shards // same shard, so the same sets
	for _, id := range []int64{chat, other} {
		if _, err := s.Start(ctx, id, subscribers.Joined{Source: "site-footer", ChatType: "private"}); err != nil {
			t.Fatal(err)
		}
		for _, f := range []subscribers.Follow{subscribers.TopicFollow("sdf"), keyword(t, "اقتصاد")} { // economy
			if _, err := s.Follow(ctx, id, f); err != nil {
				t.Fatal(err)
			}
		}
		// Words typed that name no topic, offered as a keyword: "bakery".
		if _, err := s.OfferKeyword(ctx, id, keyword(t, "فرن")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetSchedule(ctx, chat, subscribers.Instant); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, chat, subscribers.Paused, "pause"); err != nil {
		t.Fatal(err)
	}
	before := dump(t, r)

	if err := s.Forget(ctx, chat); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, chat); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("Get after Forget: %v; want ErrNotFound", err)
	}
	id := strconv.Itoa(chat)
	after := dump(t, r)
	for key, val := range after {
		if strings.Contains(key, ":u:"+id) || strings.Contains(" "+val+" ", " "+id+" ") || strings.Contains(val, " "+id+":") || strings.HasPrefix(val, id+":") {
			t.Errorf("after Forget, %s = %s still names chat %d", key, val, chat)
		}
	}
	// The other reader in the same shard is untouched.
	for key, val := range before {
		if strings.Contains(key, ":u:"+strconv.Itoa(other)) && after[key] != val {
			t.Errorf("the other reader's %s changed: %s; was %s", key, after[key], val)
		}
	}
	if ids, _ := s.Followers(ctx, "t:sdf"); len(ids) != 1 || ids[0] != other {
		t.Errorf("followers of sdf = %v; want only %d", ids, other)
	}

	if err := s.Forget(ctx, chat); err != nil {
		t.Errorf("Forget of a forgotten chat: %v; want nil", err)
	}
	res, err := s.Start(ctx, chat, subscribers.Joined{Source: "direct"})
	if err != nil || !res.Created {
		t.Errorf("Start after Forget = %+v, %v; want a new reader", res, err)
	}
	if rd, _ := s.Get(ctx, chat); len(rd.Follows) != 0 || rd.Schedule != "" || rd.Source != "direct" {
		t.Errorf("reader after Forget and Start = %+v; want a fresh one", rd)
	}
}
