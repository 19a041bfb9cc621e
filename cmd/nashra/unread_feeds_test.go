package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"nashra/subscribers/redistest"
)

// feedServer serves the seed feed at /feed/ and answers 500 elsewhere.
func feedServer(t *testing.T) *httptest.Server {
	t.Helper()
	data, err := os.ReadFile(seedFeed)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed/" {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// When not one feed can be read, poll fails (a cron job or a person
// running it must notice); when some can, it succeeds and names the rest.
func TestPollWhenFeedsFail(t *testing.T) {
	feeds := feedServer(t)
	r := redistest.New(t)
	env := map[string]string{"NASHRA_REDIS_URL": r.URL, "NASHRA_REDIS_PREFIX": r.Prefix}

	env["NASHRA_FEEDS"] = feeds.URL + "/down-1/," + feeds.URL + "/down-2/?token=tok-S3CRET"
	res := execNashra(t, "", env, "poll")
	if res.code != 1 || !strings.Contains(res.stderr, "no feed could be read") || res.stdout != "" {
		t.Errorf("poll with every feed down: exit %d, stdout %q, stderr %q; want exit 1 and \"no feed could be read\"", res.code, res.stdout, res.stderr)
	}
	if strings.Contains(res.stderr, "S3CRET") {
		t.Errorf("stderr shows a feed's token:\n%s", res.stderr)
	}

	env["NASHRA_FEEDS"] = feeds.URL + "/feed/," + feeds.URL + "/down-3/"
	res = execNashra(t, "", env, "poll")
	if res.code != 0 || strings.Count(res.stdout, "\n") != 4 {
		t.Errorf("poll with one of two feeds down: exit %d, stdout %q, stderr %q; want exit 0 and the 4 new articles", res.code, res.stdout, res.stderr)
	}
	if want := "1 of 2 feeds could not be read: " + feeds.URL + "/down-3/"; !strings.Contains(res.stderr, want) {
		t.Errorf("stderr %q; want %q", res.stderr, want)
	}
}

func TestPreviewWhenFeedsFail(t *testing.T) {
	feeds := feedServer(t)
	res := execNashra(t, "", nil, "preview", "--feed", "../../digest/feed/testdata/broken.rss", "--feed", feeds.URL+"/down/", "--feed", "/nonexistent/feed.rss")
	if res.code != 1 || !strings.Contains(res.stderr, "no feed could be read") || res.stdout != "" {
		t.Errorf("preview with no readable feed: exit %d, stdout %q, stderr %q; want exit 1 and \"no feed could be read\"", res.code, res.stdout, res.stderr)
	}

	res = execNashra(t, "", nil, "preview", "--feed", feeds.URL+"/down/", "--feed", seedFeed, "--follow", "قسد") // follow SDF
	if res.code != 0 || !strings.Contains(res.stdout, "«قسد» تحبط تسلل") {                                       // the SDF report
		t.Errorf("preview with one of two feeds down: exit %d, stdout %q, stderr %q; want exit 0 and the digest", res.code, res.stdout, res.stderr)
	}
	if want := "1 of 2 feeds could not be read: " + feeds.URL + "/down/"; !strings.Contains(res.stderr, want) {
		t.Errorf("stderr %q; want %q", res.stderr, want)
	}
}
