package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"nashra/bot/telegramtest"
	"nashra/broadcasts"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// A broadcast to 400 readers, the program killed with -9 in the middle and
// started again: every reader gets it exactly once, except at most the one
// message that was on the wire at the kill, recorded unknown. Messages
// that were only waiting for their turn under the rate limit are not
// taken for sent.
func TestBroadcastAcrossKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the janitor to take over the killed instance's jobs (2 min)")
	}
	const readers, admin = 400, int64(7070)
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	env := runEnv(srv, r)
	env["NASHRA_ADMINS"] = fmt.Sprint(admin)
	env["NASHRA_SEND_RATE"] = "25"
	store := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	bcasts := broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix})
	ctx := context.Background()
	chats := make([]int64, readers)
	for i := range chats {
		chats[i] = 30000 + int64(i)
		if _, err := store.Start(ctx, chats[i], subscribers.Joined{ChatType: "private"}); err != nil {
			t.Fatal(err)
		}
	}
	got := func() (once, twice int) {
		for _, c := range chats {
			switch n := len(srv.SentTo(c)); {
			case n == 1:
				once++
			case n > 1:
				twice++
			}
		}
		return once, twice
	}

	a := startChild(t, env)
	boss := telegramtest.NewUser(admin, "en")
	srv.SendText(boss, "/broadcast <b>Breaking</b>: the bridge is open")
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	msgs, err := srv.WaitMessages(wctx, admin, 2)
	if err != nil {
		t.Fatalf("no broadcast preview: %v\n%s", err, a.logs.String())
	}
	control := msgs[1]
	if !strings.Contains(strings.Join(control.Buttons(), ","), "bc:confirm:1") {
		t.Fatalf("control message buttons %v; want confirm", control.Buttons())
	}
	if _, err := srv.PressButton(control.ChatID, control.MessageID, admin, "bc:confirm:1"); err != nil {
		t.Fatal(err)
	}
	// kill -9 in the middle of the broadcast.
	waitUntil(t, 60*time.Second, func() bool { n, _ := got(); return n >= readers/4 })
	a.kill()
	before, _ := got()

	b := startChild(t, env)
	// The restarted program takes over a's jobs once they have been idle
	// for the janitor's 2 minutes.
	waitUntil(t, 6*time.Minute, func() bool {
		p, err := bcasts.Progress(ctx, 1)
		return err == nil && p.Total == readers && p.Sent+p.Unknown+p.Failed+p.Blocked+p.Skipped == p.Total
	})
	b.kill()

	p, err := bcasts.Progress(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	once, twice := got()
	missing := readers - once - twice
	t.Logf("killed after %d of %d readers; progress %+v", before, readers, p)
	if twice != 0 {
		t.Errorf("%d readers got the broadcast twice; want none", twice)
	}
	if p.Unknown > 1 || p.Failed != 0 || p.Sent+p.Unknown != readers {
		t.Errorf("progress %+v; want every job sent except at most the one on the wire at the kill (unknown)", p)
	}
	if missing > int(p.Unknown) {
		t.Errorf("%d readers never got the broadcast, %d jobs unknown; want only an unknown one missing\nlogs after the restart:\n%s", missing, p.Unknown, b.logs.String())
	}
}
