package bot_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"nashra/bidi/biditest"
	"nashra/bot"
	"nashra/signup"
	"nashra/subscribers"
)

// /stats tells the editors how the email list's invitations went: the
// subscribers invited, those who accepted and the share, in words that
// agree with the number, right to left in Arabic; nothing before any
// invitation was made.
func TestStatsShowsInvitations(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	var signups *signup.Store
	h := newStatsHarnessWith(t, now, func(c *bot.StatsConfig) {
		c.Invites = func(ctx context.Context) (signup.InviteCounts, error) { return signups.InviteCounts(ctx) }
	})
	signups = signup.New(h.redis.Client, signup.Options{Prefix: h.redis.Prefix})
	seedAudience(t, h, now)
	ctx := context.Background()

	text, _ := statsReply(t, h, adminID, "ar")
	if strings.Contains(text.Text, "البريد الإلكتروني") { // "email"
		t.Errorf("/stats speaks of invitations before any was made:\n%s", text.Visible())
	}

	key := []byte("k3y-for-tests-only-0123456789abcdef")
	choices := make([]signup.Choice, 12)
	for i := range choices {
		choices[i] = signup.Choice{Invite: signup.InviteHash(key, fmt.Sprintf("r%d@example.org", i))}
	}
	toks, _, err := signups.CreateInvites(ctx, choices)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signups.Redeem(ctx, toks[0]); err != nil {
		t.Fatal(err)
	}
	text, _ = statsReply(t, h, adminID, "ar")
	wantContains(t, text,
		"دعوة مشتركي البريد الإلكتروني",          // "inviting the email subscribers"
		"• دعوناهم إلى النشرة: 12 مشتركاً",       // "we invited them to the newsletter: 12 subscribers"
		"• قبلوا الدعوة: مشترك واحد، أي 8٪ منهم", // "accepted: one subscriber, 8% of them"
	)
	var lines []string
	for _, l := range strings.Split(text.Text, "\n") {
		if strings.Contains(l, "الدعوة") || strings.Contains(l, "دعوناهم") || strings.Contains(l, "دعوة") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("invitation lines %q; want a heading and two lines", lines)
	}
	for _, l := range lines {
		if !biditest.Layout(l).RTL {
			t.Errorf("reads left to right: %q", l)
		}
	}
	if _, err := exec.LookPath("fribidi"); err != nil && os.Getenv("CI") == "" {
		t.Skip("fribidi is not installed")
	}
	laid, err := biditest.FriBidi(lines)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range laid {
		t.Logf("fribidi: %s", l.Visual)
		if !l.RTL {
			t.Errorf("fribidi lays a line out left to right: %q", l.Visual)
		}
	}
	// On screen, read from the right: «أي 8٪ منهم» ("that is, 8% of
	// them"), the share where the sentence says it; fribidi's visual
	// order writes it left to right, letters reversed.
	if !strings.Contains(laid[2].Visual, "مهنم ٪8 يأ ،دحاو كرتشم") {
		t.Errorf("accepted line laid out as %q", laid[2].Visual)
	}

	for i := 1; i < 3; i++ {
		if _, err := signups.Redeem(ctx, toks[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.store.Start(ctx, adminID, subscribers.Joined{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	text, _ = statsReply(t, h, adminID, "en")
	wantContains(t, text, "Email subscribers invited", "• invited to the newsletter: 12 subscribers",
		"• accepted: 3 subscribers, 25% of those invited")
}
