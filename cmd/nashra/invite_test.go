package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nashra/bot/telegramtest"
	"nashra/signup"
	"nashra/subscribers/redistest"
)

const (
	testInviteKey = "5f0c1e9a7b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4"
	fixtures      = "../../signup/invite/testdata/"
	inviteAdmin   = 9001
)

// runInvite runs `nashra invite args...` with env and returns its stdout
// and stderr.
func runInvite(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"invite"}, args...), func(k string) string { return env[k] },
		strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// readLinks reads invite's CSV: the header, then one row per subscriber.
func readLinks(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, %v; want 0600, it holds addresses and live links", path, fi.Mode(), err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "email,name,link,topics" {
		t.Fatalf("links file starts %q; want the header email,name,link,topics", rows)
	}
	byEmail := map[string][]string{}
	for _, r := range rows[1:] {
		byEmail[r[0]] = r
	}
	return byEmail
}

// The email list moved over, end to end: invite reads a Mailchimp export
// and a mapping file and writes one personal link per subscriber; a
// subscriber opens theirs and follows exactly the topics of their groups;
// the link does nothing a second time; /stats and /metrics count six
// invited, one accepted, and a second run over the same list invites
// nobody twice. Redis holds no address.
func TestInviteEndToEnd(t *testing.T) {
	s := startSignupRun(t, "NASHRA_ADMINS", fmt.Sprint(inviteAdmin))
	env := runEnv(s.srv, s.redis)
	env["NASHRA_INVITE_KEY"] = testInviteKey
	out := filepath.Join(t.TempDir(), "links.csv")

	stdout, stderr, err := runInvite(t, env, "--csv", fixtures+"mailchimp_subscribed.csv", "--map", fixtures+"groups.csv", "--out", out)
	if err != nil {
		t.Fatalf("invite: %v\n%s", err, stderr)
	}
	t.Logf("invite says:\n%s", stderr)
	if stdout != "" {
		t.Errorf("invite wrote %q to stdout; the links go to --out", stdout)
	}
	for _, want := range []string{
		"a Mailchimp export; groups read from: اهتمامات, TAGS",
		"9 rows: 6 subscribers to invite, 1 row of an address already read (merged)",
		"line 7: the email column holds no valid address",
		"line 8: 2 fields; the header has 23",
		"topics: 4 subscribers get at least one; 2 a plain subscription (no group mapped)",
		"6 links written to " + out + " (6 new invitations, 0 invited before)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("invite's summary lacks %q", want)
		}
	}
	if strings.Contains(stderr, "@") {
		t.Errorf("invite's summary shows an address:\n%s", stderr)
	}
	links := readLinks(t, out)
	if len(links) != 6 {
		t.Fatalf("%d links; want 6: %v", len(links), links)
	}
	sara := links["sara@example.org"] // Sara: Raqqa and SDF
	if sara == nil || sara[1] != "سارة الأحمد" || sara[3] != "الرقة، قوات سوريا الديمقراطية" {
		t.Errorf("Sara's row %q; want her name and her topics in Arabic", sara)
	}
	omar := links["Omar.K@Example.com"] // English: his topics in English
	if omar == nil || omar[3] != "Raqqa, Syrian economy, Oil and gas, Hasakah" {
		t.Errorf("Omar's row %q; want his four topics in English", omar)
	}
	if nour := links["nour@example.org"]; nour == nil || nour[3] != "" || !startLink.MatchString(nour[2]) {
		t.Errorf("Nour's row %q; want a link with no topics", nour)
	}
	for email, r := range links {
		if !startLink.MatchString(r[2]) || !strings.Contains(r[2], "?start=invite_tk-") {
			t.Errorf("%s's link %q; want https://t.me/nashra_bot?start=invite_tk-…", email, r[2])
		}
	}
	checkNoAddresses(t, s.redis)

	// Sara opens her link: she follows Raqqa and SDF, counted under invite.
	m := s.start(t, 6101, sara[2])
	if !strings.Contains(m.Visible(), "الرقة") || !strings.Contains(m.Visible(), "قوات سوريا الديمقراطية") {
		t.Errorf("welcome %q; want Raqqa and SDF", m.Visible())
	}
	s.checkReader(t, 6101, []string{"raqqa", "sdf"}, "", "invite")
	// Forwarded to someone else, it is refused: they get a plain
	// subscription and are told why.
	m = s.start(t, 6102, sara[2])
	if !strings.Contains(m.Visible(), "استُخدم رابط الاشتراك هذا من قبل") { // "this signup link was used before"
		t.Errorf("a used link answered %q; want it refused", m.Visible())
	}
	s.checkReader(t, 6102, nil, "", "invite")

	checkInviteCounts(t, s, 6, 1, "قارئان") // two readers joined by the link, one accepted

	// The same list again (a second campaign email): new links, nobody
	// invited twice.
	_, stderr, err = runInvite(t, env, "--csv", fixtures+"mailchimp_subscribed.csv", "--map", fixtures+"groups.csv", "--out", out)
	if err != nil || !strings.Contains(stderr, "(0 new invitations, 6 invited before)") {
		t.Fatalf("second run: %v\n%s", err, stderr)
	}
	// Omar opens his new link; Sara opens hers again from the second email.
	again := readLinks(t, out)
	s.start(t, 6103, again["Omar.K@Example.com"][2])
	s.checkReader(t, 6103, []string{"raqqa", "syria-economy", "oil", "hasakah"}, "", "invite")
	s.start(t, 6101, again["sara@example.org"][2])
	checkInviteCounts(t, s, 6, 2, "3 قرّاء") // three readers
}

// checkInviteCounts reads the invitations where the newsroom does: in
// /stats, as an admin, and in /metrics.
func checkInviteCounts(t *testing.T, s *signupRun, issued, accepted int, joined string) {
	t.Helper()
	admin := telegramtest.NewUser(inviteAdmin, "ar")
	before := len(s.srv.SentTo(inviteAdmin))
	s.srv.SendText(admin, "/stats")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := s.srv.WaitMessages(ctx, inviteAdmin, before+2) // the text, then the chart
	if err != nil {
		t.Fatalf("/stats: %v", err)
	}
	text := msgs[before].Visible()
	nouns := map[int]string{1: "مشترك واحد", 2: "مشتركان", 6: "6 مشتركين"} // one, two, six subscribers
	for _, want := range []string{
		"• دعوناهم إلى النشرة: " + nouns[issued],
		fmt.Sprintf("• قبلوا الدعوة: %s، أي %d٪ منهم", nouns[accepted], (accepted*100+issued/2)/issued),
		"• دعوات مشتركي البريد الإلكتروني: " + joined, // readers who joined through the invitations' links
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/stats lacks %q:\n%s", want, text)
		}
	}
	resp, err := http.Get(s.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{fmt.Sprintf("nashra_invites_issued %d\n", issued), fmt.Sprintf("nashra_invites_accepted %d\n", accepted)} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// checkNoAddresses: nothing under the test's prefix holds an address of
// the fixture, nor any @.
func checkNoAddresses(t *testing.T, r *redistest.Redis) {
	t.Helper()
	ctx := context.Background()
	for _, key := range r.Keys(t) {
		var vals []string
		switch typ := r.Client.Type(ctx, key).Val(); typ {
		case "hash":
			for f, v := range r.Client.HGetAll(ctx, key).Val() {
				vals = append(vals, f, v)
			}
		case "set":
			vals = r.Client.SMembers(ctx, key).Val()
		case "string":
			vals = []string{r.Client.Get(ctx, key).Val()}
		}
		for _, v := range append(vals, key) {
			if strings.Contains(v, "@") || strings.Contains(strings.ToLower(v), "example") {
				t.Errorf("Redis key %s holds %q: an address or part of one", key, v)
			}
		}
	}
}

// --dry-run reads and maps without a key, Redis or Telegram, and tells
// which groups no topic was found for, the most common first.
func TestInviteDryRun(t *testing.T) {
	env := map[string]string{"NASHRA_REDIS_URL": "redis://127.0.0.1:1/0"} // nothing listens: a dry run needs no Redis
	stdout, stderr, err := runInvite(t, env, "--csv", fixtures+"mailchimp_subscribed.csv", "--dry-run")
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, stderr)
	}
	want := "groups with no topic (add them to a --map file as group,topic, or group,- to leave them out):\n" +
		"       2  VIP\n" +
		"       2  رياضة\n" + // sports
		"       1  Economy\n" +
		"       1  donor\n" +
		"       1  نشرة الصباح\n" // morning digest
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "dry run: no link made; 6 would be.") || stdout != "" {
		t.Errorf("dry run said:\n%s\nwant the unmapped groups:\n%s", stderr, want)
	}

	_, stderr, err = runInvite(t, env, "--csv", fixtures+"listmonk_subscribers.csv", "--dry-run")
	for _, want := range []string{
		"a listmonk export; groups read from: attributes",
		"skipped, not invited: 1 blocklisted, 1 disabled",
		"line 6: attributes: not a JSON object",
		"topics: 2 subscribers get at least one; 1 a plain subscription",
	} {
		if err != nil || !strings.Contains(stderr, want) {
			t.Errorf("listmonk dry run (%v) lacks %q:\n%s", err, want, stderr)
		}
	}
}

func TestInviteRefusals(t *testing.T) {
	r := redistest.New(t)
	base := map[string]string{"NASHRA_REDIS_URL": r.URL, "NASHRA_REDIS_PREFIX": r.Prefix}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		m[k] = v
		return m
	}
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no export", base, nil, "--csv"},
		{"no key", base, []string{"--csv", fixtures + "mailchimp_subscribed.csv", "--bot", "nashra_bot"}, "NASHRA_INVITE_KEY: required by invite"},
		{"short key", with("NASHRA_INVITE_KEY", "short-secret-value"), []string{"--csv", fixtures + "mailchimp_subscribed.csv"}, "NASHRA_INVITE_KEY: 18 characters; want at least 32"},
		{"key with spaces", with("NASHRA_INVITE_KEY", strings.Repeat("ab ", 12)), []string{"--csv", fixtures + "mailchimp_subscribed.csv"}, "NASHRA_INVITE_KEY: want printable ASCII"},
		{"memory store", with("NASHRA_REDIS_URL", "memory"), []string{"--csv", fixtures + "mailchimp_subscribed.csv", "--bot", "nashra_bot", "--invite-key", testInviteKey}, "NASHRA_REDIS_URL=memory"},
		{"bad source", base, []string{"--csv", fixtures + "mailchimp_subscribed.csv", "--source", "Email List"}, "source"},
		{"bad mapping", base, []string{"--csv", fixtures + "mailchimp_subscribed.csv", "--map", fixtures + "mailchimp_cleaned.csv", "--dry-run"}, "line 1: want group,topic"},
		{"no such group column", base, []string{"--csv", fixtures + "mailchimp_subscribed.csv", "--groups", "Interests", "--dry-run"}, `no column named "Interests"`},
		{"nobody to invite", with("NASHRA_INVITE_KEY", testInviteKey), []string{"--csv", fixtures + "mailchimp_unsubscribed.csv", "--bot", "nashra_bot"}, "nobody to invite"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, err := runInvite(t, c.env, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("invite %q = %v; want an error saying %q\n%s", c.args, err, c.want, stderr)
			}
			if err != nil && strings.Contains(err.Error(), testInviteKey) || strings.Contains(stderr, testInviteKey) ||
				(c.env["NASHRA_INVITE_KEY"] != "" && strings.Contains(err.Error(), c.env["NASHRA_INVITE_KEY"])) {
				t.Errorf("the key is echoed: %v\n%s", err, stderr)
			}
		})
	}
	if keys := r.Keys(t); len(keys) != 0 {
		t.Errorf("refused runs wrote %v", keys)
	}
}

// A newsroom's whole list, 100,000 subscribers: read, mapped and linked in
// one run, its tokens made in pipelined batches. On miniredis, whose Lua is
// slow, a tenth of it.
func TestInviteLargeList(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 subscribers")
	}
	r := redistest.New(t)
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("email,name,groups\n")
	n := 100_000
	if !redistest.Real() {
		n = 10_000
	}
	groups := []string{"الرقة", "Kobani, قسد", "", "رياضة"} // Raqqa; Kobani, SDF; none; sports
	for i := range n {
		fmt.Fprintf(&b, "reader%d@example.org,قارئ %d,\"%s\"\n", i, i, groups[i%len(groups)])
	}
	in := filepath.Join(dir, "list.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"NASHRA_REDIS_URL": r.URL, "NASHRA_REDIS_PREFIX": r.Prefix, "NASHRA_INVITE_KEY": testInviteKey}
	start := time.Now()
	_, stderr, err := runInvite(t, env, "--csv", in, "--bot", "nashra_bot", "--out", filepath.Join(dir, "links.csv"))
	took := time.Since(start)
	if err != nil {
		t.Fatalf("invite: %v\n%s", err, stderr)
	}
	t.Logf("%d links in %v", n, took)
	if !strings.Contains(stderr, fmt.Sprintf("%d links written", n)) || !strings.Contains(stderr, fmt.Sprintf("%6d  رياضة", n/4)) {
		t.Errorf("invite said:\n%s", stderr)
	}
	got, err := signup.New(r.Client, signup.Options{Prefix: r.Prefix}).InviteCounts(context.Background())
	if err != nil || got.Issued != int64(n) {
		t.Errorf("counts %+v, %v; want %d issued", got, err, n)
	}
	if redistest.Real() && took > 2*time.Minute {
		t.Errorf("%d links took %v", n, took)
	}
}
