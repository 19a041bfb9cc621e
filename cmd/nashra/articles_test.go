package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"nashra/subscribers/redistest"
)

const seedFeed = "../../testdata/site.rss"
const seedArticle = "../../testdata/seed-article.txt"

func runCmd(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// The acceptance: the seed article's title, an Arabic summary from
// its lead (two sentences at most), and its link.
func TestPreviewSeedArticle(t *testing.T) {
	out, errs, err := runCmd(t, nil, "", "preview", "--feed", seedFeed, "--follow", "قسد")
	if err != nil {
		t.Fatalf("preview: %v\n%s", err, errs)
	}
	for _, want := range []string{
		"📰 نشرة ",         // the digest's header, with the day...
		" · خبران جديدان", // ...and "two new stories"
		"«تهديّدات “داعش” لم تنتهِ بعد»",                    // the seed's title: "ISIS threats are not over"
		"أكد وزراء خارجية التحالف الدولي لهزيمة تنظيم داعش", // its lead, hashtags written as words
		"https://7al.net/2023/06/12/coalition-isis-threats/",
		"«قسد» تحبط تسلل", // the SDF report
		"🏷 قسد\n",         // why each came: the SDF, followed
	} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"أسعار الذهب", "اشترك بنشرتنا البريدية", "#التحالف_الدولي"} { // gold prices (out of scope); the newsletter footer; a hashtag mark
		if strings.Contains(out, unwanted) {
			t.Errorf("preview contains %q:\n%s", unwanted, out)
		}
	}
	// Newest first: the SDF report of 13 June before the seed of 12 June.
	if strings.Index(out, "«قسد» تحبط تسلل") > strings.Index(out, "«تهديّدات") {
		t.Errorf("preview lists the older story first:\n%s", out)
	}
}

func TestPreviewHTML(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "preview", "--feed", seedFeed, "--follow", "SDF", "--format", "html", "--lang", "en")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `<a href="https://7al.net/2023/06/12/coalition-isis-threats/">`) || !strings.Contains(out, "new stories") {
		t.Errorf("html preview:\n%s", out)
	}
}

func TestPreviewNothingMatches(t *testing.T) {
	out, errs, err := runCmd(t, nil, "", "preview", "--feed", seedFeed, "--follow", "بطولة كرة القدم") // "football championship"
	if err != nil || out != "" || !strings.Contains(errs, "nothing in these feeds matches") {
		t.Errorf("preview with no match = %v, out %q, err %q; want a clear note and no digest", err, out, errs)
	}
}

func TestPreviewBadFeedIsSkipped(t *testing.T) {
	out, errs, err := runCmd(t, nil, "", "preview", "--feed", "../../digest/feed/testdata/broken.rss", "--feed", seedFeed)
	if err != nil || !strings.Contains(out, "أكد وزراء خارجية") || !strings.Contains(errs, "feed skipped") {
		t.Errorf("preview with a broken feed = %v; out has seed: %v; stderr %q", err, strings.Contains(out, "أكد"), errs)
	}
}

func TestClassifySeed(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "classify", "--follow", "قسد", "--follow", "سد", "--follow", "Raqqa", seedArticle)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		InScope bool            `json:"in_scope"`
		Topics  []string        `json:"topics"`
		Follows map[string]bool `json:"follows"`
		Summary string          `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("classify printed %q: %v", out, err)
	}
	if !got.InScope || !hasAll(got.Topics, "sdf", "coalition", "isis") {
		t.Errorf("classify = %+v; want in scope with sdf, coalition, isis", got)
	}
	// سد ("dam") must not match قسد (SDF); the seed never mentions Raqqa.
	if !got.Follows["قسد"] || got.Follows["سد"] || got.Follows["Raqqa"] {
		t.Errorf("follows = %v; want قسد true, سد false, Raqqa false", got.Follows)
	}
	if !strings.HasPrefix(got.Summary, "أكد وزراء خارجية") {
		t.Errorf("summary %q does not start from the lead", got.Summary)
	}
}

func TestClassifyStdinAndBadInput(t *testing.T) {
	seed, _ := os.ReadFile(seedArticle)
	out, _, err := runCmd(t, nil, string(seed), "classify")
	if err != nil || !strings.Contains(out, `"in_scope": true`) {
		t.Errorf("classify from stdin = %v, %s", err, out)
	}
	if _, _, err := runCmd(t, nil, "\n\n  \n", "classify"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("classify of an empty article = %v; want a clear error", err)
	}
	if _, _, err := runCmd(t, nil, "", "classify", "/nonexistent/article.txt"); err == nil {
		t.Error("classify of a missing file succeeded")
	}
	if _, _, err := runCmd(t, nil, "", "classify", "a", "b"); exitCode(err) != 2 {
		t.Errorf("classify with two files = %v; want a usage error", err)
	}
}

func TestSummarize(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "summarize", "--words", "30", seedArticle)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 1 || len(lines) > 3 || !strings.HasPrefix(lines[0], "أكد وزراء خارجية") {
		t.Errorf("summary:\n%s\nwant 1-3 sentences from the lead", out)
	}
	if strings.Contains(out, "«تهديّدات “داعش” لم تنتهِ بعد».. “التحالف") {
		t.Errorf("the summary repeats the title:\n%s", out)
	}
	if _, _, err := runCmd(t, nil, "", "summarize", "--words", "0", seedArticle); exitCode(err) != 2 {
		t.Errorf("--words 0 = %v; want a usage error", err)
	}
}

func TestPollTwiceStoresNothingNew(t *testing.T) {
	data, err := os.ReadFile(seedFeed)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(data)
	}))
	defer srv.Close()
	r := redistest.New(t)
	env := map[string]string{"NASHRA_FEEDS": srv.URL + "/feed/", "NASHRA_REDIS_URL": r.URL, "NASHRA_REDIS_PREFIX": r.Prefix}
	out, errs, err := runCmd(t, env, "", "poll")
	if err != nil {
		t.Fatalf("poll: %v\n%s", err, errs)
	}
	if n := strings.Count(out, "\n"); n != 4 || !strings.Contains(out, "in-scope\tcoalition") || !strings.Contains(out, "out-of-scope") {
		t.Errorf("first poll printed:\n%s\nwant the 4 articles with their scope and topics", out)
	}
	out, errs, err = runCmd(t, env, "", "poll")
	if err != nil || out != "" || !strings.Contains(errs, "0 new articles") {
		t.Errorf("second poll = %v, out %q, err %q; want nothing new", err, out, errs)
	}
}

func hasAll(have []string, want ...string) bool {
	set := map[string]bool{}
	for _, h := range have {
		set[h] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}
