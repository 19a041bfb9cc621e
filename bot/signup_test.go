package bot_test

import (
	"context"
	"strings"
	"testing"

	"nashra/bot/telegramtest"
	"nashra/signup"
	"nashra/subscribers"
)

// A token from the signup page: the reader follows exactly what they ticked
// and gets the time they chose; /stats counts them under the page's source.
func TestStartWithSignupToken(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	tok, err := h.signups.Create(ctx, signup.Choice{Topics: []string{"raqqa", "sdf", "al-hol"}, Schedule: "30 19 * * *", Lang: "ar"})
	if err != nil {
		t.Fatal(err)
	}
	u := telegramtest.NewUser(301, "ar")
	m := h.say(u, "/start "+signup.Payload("site-footer", tok))
	wantContains(t, m,
		"أهلاً بك", // welcome
		"الرقة",    // Raqqa
		"قوات سوريا الديمقراطية", // SDF
		"مخيم الهول",             // al-Hol camp
		"الساعة 7:30 مساءً",      // at 7:30 pm
	)
	r := h.reader(301)
	if got := followKeys(r); got != "t:raqqa,t:sdf,t:al-hol" && !sameKeys(got, "t:raqqa,t:sdf,t:al-hol") {
		t.Errorf("follows = %q; want exactly the three ticked", got)
	}
	if r.Schedule != "30 19 * * *" || r.Source != "site-footer" || r.Status != subscribers.Active {
		t.Errorf("reader = %+v; want 19:30, source site-footer, active", r)
	}
	signups, err := h.store.SignupsBySource(ctx)
	if err != nil || signups["site-footer"] != 1 {
		t.Errorf("signups by source = %v, %v; want site-footer: 1", signups, err)
	}

	// Sending the same link again says it was used, pointing to what they
	// follow, and changes nothing.
	m = h.say(u, "/start "+signup.Payload("site-footer", tok))
	wantContains(t, m, "استُخدم", "/mytopics") // "was used"
	if got := followKeys(h.reader(301)); !sameKeys(got, "t:raqqa,t:sdf,t:al-hol") {
		t.Errorf("follows after a second /start = %q", got)
	}
	if r := h.reader(301); r.Schedule != "30 19 * * *" {
		t.Errorf("schedule after a second /start = %q; want 30 19 * * * kept", r.Schedule)
	}
}

// An existing reader who signs up on the page again follows exactly what
// they ticked this time: their other topics go, their keywords stay.
func TestSignupTokenReplacesTopics(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := telegramtest.NewUser(302, "en")
	h.say(u, "/start")
	h.say(u, "/lang en")
	h.say(u, "/follow isis\nKobani\npower cuts")
	tok, err := h.signups.Create(ctx, signup.Choice{Topics: []string{"kobani", "sdf"}, Schedule: "instant"})
	if err != nil {
		t.Fatal(err)
	}
	m := h.say(u, "/start "+signup.Payload("site-footer", tok))
	wantContains(t, m, "Kobani", "SDF")
	r := h.reader(302)
	if got := followKeys(r); !sameKeys(got, "t:kobani,k:power cuts,t:sdf") {
		t.Errorf("follows = %q; want kobani and sdf, and the keyword kept", got)
	}
	if r.Schedule != subscribers.Instant || r.Lang != "en" {
		t.Errorf("reader = %+v; want instant, English kept", r)
	}
}

// An email list's invitation tells what the subscriber once ticked in
// their email preferences, not what they want now: a reader already in the
// bot keeps what they follow and gains the invitation's topics; one with
// no mapped group loses nothing.
func TestInvitationAddsTopics(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	u := telegramtest.NewUser(303, "ar")
	h.say(u, "/start")
	h.say(u, "/follow isis")
	hash := signup.InviteHash([]byte("k3y-for-tests-only-0123456789abcdef"), "reader@example.org")
	toks, _, err := h.signups.CreateInvites(ctx, []signup.Choice{{Topics: []string{"raqqa"}, Invite: hash}, {Invite: hash}})
	if err != nil {
		t.Fatal(err)
	}
	m := h.say(u, "/start "+signup.Payload("invite", toks[0]))
	wantContains(t, m, "الرقة") // Raqqa
	if got := followKeys(h.reader(303)); !sameKeys(got, "t:isis,t:raqqa") {
		t.Errorf("follows = %q; want isis kept and raqqa added", got)
	}
	h.say(u, "/start "+signup.Payload("invite", toks[1]))
	if got := followKeys(h.reader(303)); !sameKeys(got, "t:isis,t:raqqa") {
		t.Errorf("follows after a link with no topics = %q; want isis and raqqa kept", got)
	}
}

// The page's language becomes a new reader's.
func TestSignupTokenFromEnglishPage(t *testing.T) {
	h := newHarness(t)
	tok, err := h.signups.Create(context.Background(), signup.Choice{Topics: []string{"sdf"}, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	u := telegramtest.NewUser(303, "ar")
	m := h.say(u, "/start "+signup.Payload("web", tok))
	wantContains(t, m, "Welcome", "Syrian Democratic Forces")
	if r := h.reader(303); r.Lang != "en" || r.Schedule != "" {
		t.Errorf("reader = %+v; want English, the default time", r)
	}
}

// A forged, expired or someone else's token: the reader is told in their
// language and subscribed plainly, counted under the page's source.
func TestSignupTokenRefused(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	tok, err := h.signups.Create(ctx, signup.Choice{Topics: []string{"sdf"}, Schedule: "0 7 * * *"})
	if err != nil {
		t.Fatal(err)
	}
	first := telegramtest.NewUser(304, "ar")
	h.say(first, "/start "+signup.Payload("site-footer", tok))

	tests := []struct {
		name    string
		id      int64
		payload string
		english bool
		want    string
	}{
		{"forged", 305, signup.Payload("site-footer", "aaaaaaaaaaaaaaaa"), false, "انتهت صلاحية"}, // "has expired"
		{"malformed", 306, "site-footer_tk-<b>x</b>", false, "انتهت صلاحية"},                      // "has expired"
		{"used by another chat", 307, signup.Payload("site-footer", tok), false, "استُخدم"},       // "was used"
		{"used, in English", 308, signup.Payload("site-footer", tok), true, "already been used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := telegramtest.NewUser(tt.id, "ar")
			if tt.english {
				h.say(u, "/lang en")
			}
			m := h.say(u, "/start "+tt.payload)
			wantContains(t, m, tt.want, "/topics", "/time")
			r := h.reader(tt.id)
			source := "site-footer"
			if tt.english {
				source = "follow" // /lang made them a reader first
			}
			if r.Status != subscribers.Active || len(r.Follows) != 0 || r.Schedule != "" || r.Source != source {
				t.Errorf("reader = %+v; want a plain subscription from %s", r, source)
			}
		})
	}
}

func sameKeys(got, want string) bool {
	g, w := strings.Split(got, ","), strings.Split(want, ",")
	if len(g) != len(w) {
		return false
	}
	seen := map[string]bool{}
	for _, k := range g {
		seen[k] = true
	}
	for _, k := range w {
		if !seen[k] {
			return false
		}
	}
	return true
}
