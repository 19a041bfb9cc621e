package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/bot/telegramtest"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// newsFeed is the site's feed, to which a test publishes stories as it
// goes: each dated when it was published.
type newsFeed struct {
	*httptest.Server
	mu    sync.Mutex
	items []string
	n     int
}

func newNewsFeed(t *testing.T) *newsFeed {
	t.Helper()
	f := &newsFeed{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>الحل نت</title><link>https://7al.net</link>`)
		for i := len(f.items) - 1; i >= 0; i-- { // newest first
			fmt.Fprint(w, f.items[i])
		}
		fmt.Fprint(w, `</channel></rss>`)
	}))
	t.Cleanup(f.Close)
	return f
}

// publish adds a story about the SDF in Deir ez-Zor (in the site's scope,
// topic sdf) under title, in category, and returns its link.
func (f *newsFeed) publish(title, category string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	link := fmt.Sprintf("https://7al.net/2026/11/story-%d/", f.n)
	f.items = append(f.items, fmt.Sprintf(`<item><title>%s</title><link>%s</link><guid isPermaLink="false">https://7al.net/?p=%d</guid><pubDate>%s</pubDate><category><![CDATA[%s]]></category><description><![CDATA[قالت قوات سوريا الديمقراطية (قسد) في بيانها رقم %d إن الوضع في ريف دير الزور الشرقي تحت السيطرة. وأضافت أن دورياتها مستمرة بالتنسيق مع التحالف الدولي.]]></description></item>`,
		html.EscapeString(title), link, 5000+f.n, time.Now().UTC().Format(time.RFC1123Z), category, f.n))
	return link
}

// testServer is `nashra run` built on the test Redis r against the fake
// Bot API srv and the feed, not started: a test runs its parts itself.
func testServer(t *testing.T, srv *telegramtest.Server, r *redistest.Redis, feed *newsFeed) *server {
	t.Helper()
	vars := runEnv(srv, r)
	vars["NASHRA_FEEDS"] = feed.URL + "/feed/"
	cfg, err := resolve(t, vars)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{cfg: cfg, log: slog.New(slog.DiscardHandler), stdout: io.Discard, stderr: io.Discard}
	s, err := newServer(e, r.Client, topics.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *server) job(t *testing.T, name string) job {
	t.Helper()
	for _, j := range s.jobs {
		if j.name == name {
			return j
		}
	}
	t.Fatalf("no job %q", name)
	return job{}
}

// What a poll stores reaches, within that run of the poll job, an instant
// reader as their digest and a reader who opted in to breaking news as an
// alert (the marker «عاجل:» gone from the headline); an instant reader who
// opted in gets the alert alone, not the same story again as a digest.
// The digest job never runs. A reader who wants neither waits for their
// time.
func TestPollJobQueuesInstantDigestsAndAlerts(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	feed := newNewsFeed(t)
	s := testServer(t, srv, r, feed)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	readers := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	const instant, breaking, both, waits = 601, 602, 604, 603
	for _, chat := range []int64{instant, breaking, both, waits} {
		if _, err := readers.Start(ctx, chat, subscribers.Joined{ChatType: "private"}); err != nil {
			t.Fatal(err)
		}
		if _, err := readers.Follow(ctx, chat, subscribers.TopicFollow("sdf")); err != nil {
			t.Fatal(err)
		}
	}
	for _, chat := range []int64{instant, both} {
		if err := readers.SetSchedule(ctx, chat, subscribers.Instant); err != nil {
			t.Fatal(err)
		}
	}
	for _, chat := range []int64{breaking, both} {
		if err := readers.SetBreaking(ctx, chat, true); err != nil {
			t.Fatal(err)
		}
	}
	// The first poll finds the feed empty; the readers' cursors start here.
	poll := s.job(t, "poll")
	if err := poll.run(ctx); err != nil {
		t.Fatal(err)
	}
	link := feed.publish("عاجل: قسد تسيطر على بلدة الشحيل", "أخبار") // "urgent: the SDF takes the town of al-Shuhayl", "news"
	if err := poll.run(ctx); err != nil {
		t.Fatal(err)
	}
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	if hi, _, _ := queue.QueueDepth(ctx); hi != 3 {
		t.Fatalf("%d messages queued when the poll job returned; want the instant digest and two alerts", hi)
	}
	go s.sender.Run(ctx)
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	d, err := srv.WaitMessages(wctx, instant, 1)
	if err != nil {
		t.Fatal(err)
	}
	a, err := srv.WaitMessages(wctx, breaking, 1)
	if err != nil {
		t.Fatal(err)
	}
	const head = "قسد تسيطر على بلدة الشحيل"
	if !strings.HasPrefix(d[0].Text, "📰") || !strings.Contains(d[0].Text, head) || strings.Contains(d[0].Text, "عاجل") {
		t.Errorf("instant digest:\n%s\nwant the story without its marker", d[0].Text)
	}
	if !strings.HasPrefix(a[0].Text, "🔴 عاجل\n"+head+"\n") || !strings.Contains(a[0].Raw, link) {
		t.Errorf("alert:\n%s\nwant «🔴 عاجل», then the headline linked to the story", a[0].Text)
	}
	if !containsButtonText(a[0], "brk:mute") {
		t.Errorf("alert buttons %v; want the one that turns alerts off", a[0].Buttons())
	}
	if ab, err := srv.WaitMessages(wctx, both, 1); err != nil || ab[0].Text != a[0].Text {
		t.Errorf("the instant reader with alerts got %v, %v; want the alert", ab, err)
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(srv.SentTo(waits)); n != 0 {
		t.Errorf("the reader who waits for 08:00 got %d messages", n)
	}
	if n := len(srv.SentTo(both)); n != 1 {
		t.Errorf("the instant reader with alerts got %d messages; want the alert alone", n)
	}
}

// An instant reader gets a story within seconds of the poll that found
// it: before the minute's digest run, which does not run in between.
func TestInstantReaderWithinThePoll(t *testing.T) {
	if testing.Short() {
		t.Skip("may wait up to 15 s for a quiet part of the minute")
	}
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	feed := newNewsFeed(t)
	vars := runEnv(srv, r)
	vars["NASHRA_FEEDS"] = feed.URL + "/feed/"
	vars["NASHRA_POLL_SCHEDULE"] = "@every 1s"
	vars["NASHRA_LOG_LEVEL"] = "debug"
	p := startProcess(t, vars)
	defer p.stop(t)
	reader := telegramtest.NewUser(611, "ar")
	say := func(text string) {
		t.Helper()
		before := len(srv.SentTo(reader.ID))
		srv.SendText(reader, text)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := srv.WaitMessages(ctx, reader.ID, before+1); err != nil {
			t.Fatalf("%s: %v", text, err)
		}
	}
	say("/start")
	say("/follow قسد") // follow the SDF
	say("/time فوراً") // "instantly"
	// Publish at least 15 s before the next whole minute, when the digest
	// job runs.
	if left := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)); left < 15*time.Second {
		time.Sleep(left + time.Second)
	}
	digestRuns := strings.Count(p.logs.String(), "job=digest")
	before := len(srv.SentTo(reader.ID))
	published := time.Now()
	feed.publish("قسد تفتح معبراً جديداً", "أخبار") // "the SDF opens a new crossing"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msgs, err := srv.WaitMessages(ctx, reader.ID, before+1)
	if err != nil {
		t.Fatalf("no digest within 10 s of publishing: %v", err)
	}
	took := time.Since(published)
	if !strings.Contains(msgs[before].Text, "قسد تفتح معبراً جديداً") {
		t.Errorf("the instant reader got %q; want the new story", msgs[before].Text)
	}
	if !p.logged(`msg="instant digests built" due=1 queued=1`, 5*time.Second) {
		t.Errorf("the poll job did not log queueing the instant digest; logs:\n%s", p.logs.String())
	}
	if n := strings.Count(p.logs.String(), "job=digest"); n != digestRuns {
		t.Errorf("the digest job ran while the story was on its way; the poll job should have queued it")
	}
	t.Logf("the story reached the instant reader %v after it was published", took.Round(time.Millisecond))
}

// Breaking news reaches, at once, the readers who opted in and follow its
// topic, nobody else, at most the daily cap of them however many urgent
// stories come, once each although two instances poll the feed, and the
// reader's next digest does not repeat them.
func TestBreakingNewsAcrossTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("two instances polling for several seconds")
	}
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	feed := newNewsFeed(t)
	vars := runEnv(srv, r)
	vars["NASHRA_FEEDS"] = feed.URL + "/feed/"
	vars["NASHRA_POLL_SCHEDULE"] = "@every 1s"
	vars["NASHRA_DIGEST_SCHEDULE"] = "0 0 1 1 *" // no scheduled digest during the test
	vars["NASHRA_BREAKING_DAILY_CAP"] = "2"
	a, b := startProcess(t, vars), startProcess(t, vars)
	defer a.stop(t)
	defer b.stop(t)
	say := func(u int64, text string) telegramtest.Message {
		t.Helper()
		before := len(srv.SentTo(u))
		srv.SendText(telegramtest.NewUser(u, "ar"), text)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		msgs, err := srv.WaitMessages(ctx, u, before+1)
		if err != nil {
			t.Fatalf("%d %s: %v", u, text, err)
		}
		return msgs[before]
	}
	const follower, otherTopic, notOptedIn = 621, 622, 623
	for _, u := range []int64{follower, otherTopic, notOptedIn} {
		say(u, "/start")
	}
	say(follower, "/follow قسد")     // the SDF
	say(otherTopic, "/follow الرقة") // Raqqa
	say(notOptedIn, "/follow قسد")
	say(follower, "/breaking on")
	say(otherTopic, "/breaking on")
	counted := map[int64]int{follower: len(srv.SentTo(follower)), otherTopic: len(srv.SentTo(otherTopic)), notOptedIn: len(srv.SentTo(notOptedIn))}

	// Three urgent stories, one of them marked by its category, then an
	// ordinary one.
	var links []string
	published := time.Now()
	links = append(links, feed.publish("عاجل | قسد تسيطر على الشحيل", "أخبار"))
	links = append(links, feed.publish("🔴 عاجل: اشتباكات في ريف دير الزور", "أخبار"))
	links = append(links, feed.publish("قسد تعلن حظر تجول", "عاجل")) // "the SDF announces a curfew", category "urgent"
	links = append(links, feed.publish("قسد تفتتح مدرسة", "أخبار"))  // "the SDF opens a school": not urgent
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	got, err := srv.WaitMessages(ctx, follower, counted[follower]+2)
	if err != nil {
		t.Fatalf("the follower did not get the day's two alerts: %v", err)
	}
	t.Logf("two alerts %v after publishing", time.Since(published).Round(time.Millisecond))
	time.Sleep(3 * time.Second) // more polls by both instances: nothing more may come
	got = srv.SentTo(follower)[counted[follower]:]
	if len(got) != 2 {
		var texts []string
		for _, m := range got {
			texts = append(texts, m.Text)
		}
		t.Fatalf("the follower got %d messages; want the cap of 2 alerts:\n%s", len(got), strings.Join(texts, "\n---\n"))
	}
	seen := map[string]bool{}
	for _, m := range got {
		if !strings.HasPrefix(m.Text, "🔴 عاجل\n") || strings.Contains(m.Text, "عاجل |") || strings.Contains(m.Text, "عاجل:") {
			t.Errorf("alert %q; want «🔴 عاجل» over the headline without its marker", m.Text)
		}
		for _, l := range links {
			if strings.Contains(m.Raw, l) {
				seen[l] = true
			}
		}
	}
	if len(seen) != 2 {
		t.Errorf("the two alerts carry %d different stories; want 2", len(seen))
	}
	for _, u := range []int64{otherTopic, notOptedIn} {
		if n := len(srv.SentTo(u)) - counted[u]; n != 0 {
			t.Errorf("reader %d (another topic, or not opted in) got %d messages", u, n)
		}
	}

	// The digest brings the rest, and not what came as alerts.
	d := say(follower, "/digest")
	for _, l := range links {
		if in := strings.Contains(d.Raw, l); in == seen[l] {
			t.Errorf("story %s: alerted %v, in the digest %v; want each in exactly one", l, seen[l], in)
		}
	}
	if d := say(notOptedIn, "/digest"); strings.Count(d.Raw, "https://7al.net/2026/11/story-") != 4 {
		t.Errorf("the reader without alerts got a digest of %q; want all four stories", d.Text)
	}
}
