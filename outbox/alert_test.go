package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"nashra/outbox"
	"nashra/subscribers"
)

func alertReq(chat, seq int64, day string) outbox.AlertRequest {
	return outbox.AlertRequest{Seq: seq, Day: day, Cap: 2, Job: outbox.Job{
		ID: fmt.Sprintf("breaking:%d:%d", seq, chat), ChatID: chat, Kind: "breaking",
		Text: fmt.Sprintf("<b>عاجل</b> %d", seq), Ref: fmt.Sprintf("breaking:%d:ar", seq), // "urgent"
	}}
}

// An alert goes only to an active reader who opted in and has not had the
// article in a digest; each is queued once, and a reader has at most the
// cap a day.
func TestEnqueueAlerts(t *testing.T) {
	s, r := newStore(t)
	ctx := context.Background()
	readers := readersOn(r)
	mustStart(t, r, 1, 2, 3, 4)
	for _, c := range []int64{1, 3, 4} {
		if err := readers.SetBreaking(ctx, c, true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := readers.SetStatus(ctx, 3, subscribers.Paused, "pause"); err != nil {
		t.Fatal(err)
	}
	// Reader 4 already has articles up to 10 in a digest.
	if ok, err := s.EnqueueDigest(ctx, 4, 0, 10, nil); err != nil || !ok {
		t.Fatalf("move 4's cursor: %v %v", ok, err)
	}
	const day = "2026-11-28"
	got, err := s.EnqueueAlerts(ctx, []outbox.AlertRequest{
		alertReq(1, 11, day), // opted in: queued
		alertReq(2, 11, day), // did not opt in
		alertReq(3, 11, day), // paused
		alertReq(4, 10, day), // in 4's digest already
		alertReq(4, 11, day), // after 4's cursor: queued
		alertReq(1, 11, day), // the same again
		alertReq(1, 12, day), // 1's second today: queued
		alertReq(1, 13, day), // 1's third today: over the cap of 2
		alertReq(5, 11, day), // no such reader
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []outbox.AlertOutcome{outbox.AlertQueued, outbox.AlertNotWanted, outbox.AlertNotWanted, outbox.AlertInDigest,
		outbox.AlertQueued, outbox.AlertDuplicate, outbox.AlertQueued, outbox.AlertCapped, outbox.AlertNotWanted}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: outcome %d; want %d", i, got[i], want[i])
		}
	}
	var ids []string
	for _, j := range readAll(t, s, "c1") {
		ids = append(ids, j.ID)
		if j.Priority != outbox.High {
			t.Errorf("%s went to the low-priority stream", j.ID)
		}
		var seq, chat int64
		fmt.Sscanf(j.ID, "breaking:%d:%d", &seq, &chat)
		if text, _, err := s.JobContent(ctx, j); err != nil || text != alertReq(chat, seq, day).Job.Text {
			t.Errorf("%s: text %q, %v", j.ID, text, err)
		}
	}
	slices.Sort(ids)
	if want := []string{"breaking:11:1", "breaking:11:4", "breaking:12:1"}; !slices.Equal(ids, want) {
		t.Errorf("queued %v; want %v", ids, want)
	}

	// A new day starts a new count; opting out stops them at once.
	got, err = s.EnqueueAlerts(ctx, []outbox.AlertRequest{alertReq(1, 13, "2026-11-29"), alertReq(4, 13, "2026-11-29")})
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != outbox.AlertQueued || got[1] != outbox.AlertQueued {
		t.Errorf("the next day: %v; want both queued", got)
	}
	if err := readers.SetBreaking(ctx, 1, false); err != nil {
		t.Fatal(err)
	}
	got, err = s.EnqueueAlerts(ctx, []outbox.AlertRequest{alertReq(1, 14, "2026-11-29")})
	if err != nil || got[0] != outbox.AlertNotWanted {
		t.Errorf("after opting out: %v, %v; want not wanted", got, err)
	}
}

// A digest built before an alert was queued for its reader is refused as
// stale, so the alerted article cannot come again in it; one built with
// the alert left out goes through, and alerts the cursor has passed are
// forgotten.
func TestDigestBuiltBeforeAnAlertIsStale(t *testing.T) {
	s, r := newStore(t)
	ctx := context.Background()
	readers := readersOn(r)
	mustStart(t, r, 7)
	if err := readers.SetBreaking(ctx, 7, true); err != nil {
		t.Fatal(err)
	}
	stale := outbox.DigestRequest{ChatID: 7, ExpectCursor: 0, NewCursor: 3, Jobs: []outbox.Job{digestJob(7, 0)}}
	if got, err := s.EnqueueAlerts(ctx, []outbox.AlertRequest{alertReq(7, 2, "2026-11-28")}); err != nil || got[0] != outbox.AlertQueued {
		t.Fatalf("alert: %v %v", got, err)
	}
	ok, err := s.EnqueueDigests(ctx, []outbox.DigestRequest{stale})
	if err != nil || ok[0] {
		t.Fatalf("a digest built before the alert: queued %v, %v; want refused", ok, err)
	}
	st, err := readers.DigestStates(ctx, []int64{7})
	if err != nil || st[0].BreakingSent != "2" || !st[0].SentAsBreaking(2) || st[0].SentAsBreaking(3) {
		t.Fatalf("digest state %+v, %v; want article 2 among the alerts", st, err)
	}
	fresh := stale
	fresh.ExpectBreaking = st[0].BreakingSent
	if ok, err := s.EnqueueDigests(ctx, []outbox.DigestRequest{fresh}); err != nil || !ok[0] {
		t.Fatalf("a digest built knowing the alert: queued %v, %v", ok, err)
	}
	// The next alert drops article 2, which the cursor (3) has passed.
	if got, err := s.EnqueueAlerts(ctx, []outbox.AlertRequest{alertReq(7, 5, "2026-11-28")}); err != nil || got[0] != outbox.AlertQueued {
		t.Fatalf("second alert: %v %v", got, err)
	}
	if st, _ := readers.DigestStates(ctx, []int64{7}); st[0].BreakingSent != "5" {
		t.Errorf("alerts after the cursor moved to 3: %q; want 5", st[0].BreakingSent)
	}
}
