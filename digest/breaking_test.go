package digest_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/digest"
	"nashra/digest/articles"
	"nashra/subscribers"
)

// newAlerts is the breaking news sender of e, on e's clock.
func (e *buildEnv) newAlerts(cap int) *digest.Alerts {
	return &digest.Alerts{Readers: e.readers, Queue: e.queue, Cap: cap, Location: damascus, Now: func() time.Time { return e.now }}
}

// addUrgent stores an article the site marked urgent, published now, and
// returns it as a poll would.
func (e *buildEnv) addUrgent(t *testing.T, id, title string, topics ...string) articles.Article {
	t.Helper()
	a := articles.Article{
		ID: id, Link: "https://7al.net/" + id, Title: title, Summary: []string{title + ".", "ثانية.", "ثالثة."}, // "second", "third"
		Text: title, Topics: topics, InScope: true, Urgent: true, Published: e.now, SeenAt: e.now,
	}
	seq, added, err := e.articles.Ingest(context.Background(), a, nil)
	if err != nil || !added {
		t.Fatalf("ingest %s: %v", id, err)
	}
	a.Seq = seq
	return a
}

func (e *buildEnv) breakingReader(t *testing.T, chat int64, follows ...subscribers.Follow) {
	t.Helper()
	e.reader(t, chat, follows...)
	if err := e.readers.SetBreaking(context.Background(), chat, true); err != nil {
		t.Fatal(err)
	}
}

func sendAlerts(t *testing.T, a *digest.Alerts, arts ...articles.Article) digest.AlertResult {
	t.Helper()
	res, err := a.Send(context.Background(), arts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// jobsByChat groups the queued jobs' texts by reader.
func jobsByChat(t *testing.T, e *buildEnv) map[int64][]string {
	t.Helper()
	out := map[int64][]string{}
	for _, j := range e.queued(t) {
		out[j.ChatID] = append(out[j.ChatID], j.Text)
	}
	return out
}

// An urgent article reaches, at once, the active readers who opted in and
// follow its topic (or follow nothing), as the article alone, with a
// button to turn alerts off; nobody else.
func TestAlertsReachOptedInFollowers(t *testing.T) {
	e := newBuildEnv(t)
	ctx := context.Background()
	e.breakingReader(t, 1, subscribers.TopicFollow("sdf"))
	e.breakingReader(t, 2, subscribers.TopicFollow("raqqa"))
	e.reader(t, 3, subscribers.TopicFollow("sdf")) // did not opt in
	e.breakingReader(t, 4)                         // follows nothing: everything in scope
	e.breakingReader(t, 5, subscribers.TopicFollow("sdf"))
	e.readers.SetStatus(ctx, 5, subscribers.Paused, "pause")
	e.breakingReader(t, 6, subscribers.KeywordFollow("الشحيل", "الشحيل")) // a keyword in the headline
	if err := e.readers.SetLang(ctx, 4, "en"); err != nil {
		t.Fatal(err)
	}
	a := e.addUrgent(t, "u1", "قسد تسيطر على <الشحيل>", "sdf") // "the SDF takes al-Shuhayl", with markup-looking text

	res := sendAlerts(t, e.newAlerts(3), a)
	if res.Urgent != 1 || res.Queued != 3 {
		t.Fatalf("%+v; want one urgent article queued for three readers", res)
	}
	jobs := e.queued(t)
	got := map[int64]string{}
	for _, j := range jobs {
		got[j.ChatID] = j.Text
		if j.Kind != digest.AlertKind || !strings.Contains(j.Markup, digest.AlertButtonMute) {
			t.Errorf("alert to %d: kind %q, markup %s; want a breaking alert with the button to turn alerts off", j.ChatID, j.Kind, j.Markup)
		}
	}
	want := "<b>🔴 عاجل</b>\n<b><a href=\"https://7al.net/u1\">قسد تسيطر على &lt;الشحيل&gt;</a></b>\nقسد تسيطر على &lt;الشحيل&gt;. ثانية." // "urgent", the headline, two sentences
	if got[1] != want {
		t.Errorf("alert to a follower of the topic:\n%s\nwant\n%s", got[1], want)
	}
	if !strings.HasPrefix(got[4], "<b>🔴 Breaking</b>\n") {
		t.Errorf("alert to an English reader:\n%s", got[4])
	}
	if got[6] == "" {
		t.Errorf("no alert to the follower of a keyword in the headline")
	}
	for _, chat := range []int64{2, 3, 5} {
		if _, ok := got[chat]; ok {
			t.Errorf("reader %d got an alert (another topic, not opted in, or paused)", chat)
		}
	}
	// Sent again, by this instance or another, nothing comes twice.
	if res := sendAlerts(t, e.newAlerts(3), a); res.Queued != 0 || res.Duplicate != 3 {
		t.Errorf("sent again: %+v; want three duplicates and nothing queued", res)
	}
}

// Articles not marked urgent, outside the site's scope, or found too late
// to be breaking are left to the digests.
func TestAlertsOnlyForFreshUrgentNews(t *testing.T) {
	e := newBuildEnv(t)
	e.breakingReader(t, 1)
	plain := e.addUrgent(t, "p", "خبر عادي", "sdf") // "an ordinary story"
	plain.Urgent = false
	out := e.addUrgent(t, "o", "خارج النطاق", "sdf") // "out of scope"
	out.InScope = false
	old := e.addUrgent(t, "old", "عاجل قديم", "sdf") // "old urgent"
	old.Published = e.now.Add(-2 * time.Hour)
	if res := sendAlerts(t, e.newAlerts(3), plain, out, old); res.Urgent != 0 || res.Queued != 0 {
		t.Errorf("%+v; want nothing sent as breaking", res)
	}
	if res := sendAlerts(t, e.newAlerts(0), e.addUrgent(t, "u", "عاجل", "sdf")); res.Queued != 0 {
		t.Errorf("with a cap of 0: %+v; want no alerts at all", res)
	}
}

// A reader gets at most the cap a day, counted in the newsroom's zone,
// across polls; the day after, alerts come again.
func TestAlertsDailyCap(t *testing.T) {
	e := newBuildEnv(t)
	e.breakingReader(t, 1, subscribers.TopicFollow("sdf"))
	alerts := e.newAlerts(3)
	e.now = time.Date(2026, 11, 28, 23, 0, 0, 0, damascus)
	first := []articles.Article{e.addUrgent(t, "u1", "عاجل 1", "sdf"), e.addUrgent(t, "u2", "عاجل 2", "sdf")}
	second := []articles.Article{e.addUrgent(t, "u3", "عاجل 3", "sdf"), e.addUrgent(t, "u4", "عاجل 4", "sdf")}
	r1 := sendAlerts(t, alerts, first...)
	r2 := sendAlerts(t, alerts, second...)
	if r1.Queued+r2.Queued != 3 || r2.Capped != 1 {
		t.Errorf("four urgent articles in two polls: %+v then %+v; want 3 queued, the fourth capped", r1, r2)
	}
	got := jobsByChat(t, e)[1]
	if len(got) != 3 || !strings.Contains(got[2], "عاجل 3") {
		t.Errorf("alerts %q; want the first three", got)
	}
	// 00:30 in Damascus is 22:30 UTC the day before: a new day here.
	e.now = time.Date(2026, 11, 29, 0, 30, 0, 0, damascus)
	if res := sendAlerts(t, alerts, e.addUrgent(t, "u5", "عاجل 5", "sdf")); res.Queued != 1 {
		t.Errorf("after midnight in Damascus: %+v; want the alert", res)
	}
}

// An article that reached a reader as an alert does not come again in
// their digest; the rest of the digest does.
func TestAlertNotRepeatedInDigest(t *testing.T) {
	e := newBuildEnv(t)
	ctx := context.Background()
	e.breakingReader(t, 1, subscribers.TopicFollow("sdf"))
	e.reader(t, 2, subscribers.TopicFollow("sdf"))  // no alerts: everything in the digest
	e.add(t, "a1", "خبر صباحي عن قسد", true, "sdf") // "a morning story about the SDF"
	urgent := e.addUrgent(t, "u1", "قسد تسيطر على الشحيل", "sdf")
	sendAlerts(t, e.newAlerts(3), urgent)
	e.queued(t)

	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus)
	if res := e.run(t); res.Queued != 2 {
		t.Fatalf("at 08:00: %+v; want both digests", res)
	}
	got := jobsByChat(t, e)
	if d := strings.Join(got[1], "\n"); strings.Contains(d, "الشحيل") || !strings.Contains(d, "خبر صباحي") {
		t.Errorf("digest of the reader who had the alert:\n%s\nwant the morning story and not the alerted one", d)
	}
	if d := strings.Join(got[2], "\n"); !strings.Contains(d, "الشحيل") || !strings.Contains(d, "خبر صباحي") {
		t.Errorf("digest of the reader without alerts:\n%s\nwant both stories", d)
	}
	if r, _ := e.readers.Get(ctx, 1); r.Cursor != urgent.Seq {
		t.Errorf("cursor %d after the digest; want %d", r.Cursor, urgent.Seq)
	}
	// An alert for an article a digest already had is not sent.
	if res := sendAlerts(t, e.newAlerts(3), urgent); res.Queued != 0 {
		t.Errorf("alert after the digest: %+v; want none", res)
	}
}

// Instant readers get their digest from RunInstant; the others wait for
// their time.
func TestRunInstantOnlyInstantReaders(t *testing.T) {
	e := newBuildEnv(t)
	ctx := context.Background()
	e.reader(t, 1, subscribers.TopicFollow("sdf"))
	e.readers.SetSchedule(ctx, 1, subscribers.Instant)
	e.reader(t, 2, subscribers.TopicFollow("sdf"))
	e.readers.SetSchedule(ctx, 2, "* * * * *") // due every minute, but not instant
	e.add(t, "a1", "قسد", true, "sdf")
	res, err := e.builder.RunInstant(ctx)
	if err != nil || res.Readers != 1 || res.Queued != 1 {
		t.Fatalf("RunInstant = %+v, %v; want the instant reader's digest only", res, err)
	}
	if got := jobsByChat(t, e); len(got[1]) != 1 || len(got[2]) != 0 {
		t.Errorf("queued %v; want the instant reader's digest only", got)
	}
	if res, _ := e.builder.RunInstant(ctx); res.Due != 0 {
		t.Errorf("RunInstant again with nothing new: %+v", res)
	}
}

// Two instances sending the same alerts at once (a poll job that lost its
// lock, and the next one) queue each alert once and count it once.
func TestAlertsFromTwoInstancesOnce(t *testing.T) {
	e := newBuildEnv(t)
	const readers, urgentN, cap = 30, 4, 3
	for chat := int64(100); chat < 100+readers; chat++ {
		e.breakingReader(t, chat, subscribers.TopicFollow("sdf"))
	}
	var arts []articles.Article
	for i := range urgentN {
		arts = append(arts, e.addUrgent(t, fmt.Sprint("u", i), fmt.Sprint("عاجل ", i), "sdf"))
	}
	e.r.FlushScripts(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	queued := 0
	for range 2 {
		a := e.newAlerts(cap)
		wg.Go(func() {
			// Each instance sends the articles one poll at a time.
			for _, art := range arts {
				res, err := a.Send(context.Background(), []articles.Article{art})
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				queued += res.Queued
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	got := jobsByChat(t, e)
	if queued != readers*cap || len(got) != readers {
		t.Fatalf("queued %d alerts to %d readers; want %d to %d", queued, len(got), readers*cap, readers)
	}
	for chat, texts := range got {
		if len(texts) != cap || len(slices.Compact(slices.Sorted(slices.Values(texts)))) != cap {
			t.Errorf("reader %d got %q; want %d different alerts", chat, texts, cap)
		}
	}
}

// An alert and a digest built at the same moment for the same reader
// never both carry the article: a digest built before the alert was
// queued is refused as stale and built again without it.
func TestAlertRacingDigestComesOnce(t *testing.T) {
	e := newBuildEnv(t)
	const readers = 20
	for chat := int64(200); chat < 200+readers; chat++ {
		e.breakingReader(t, chat, subscribers.TopicFollow("sdf"))
	}
	e.now = time.Date(2026, 11, 28, 8, 0, 0, 0, damascus) // everyone's digest is due
	urgent := e.addUrgent(t, "u1", "عاجل: الشحيل", "sdf")
	e.add(t, "a1", "خبر عادي عن قسد", true, "sdf") // "an ordinary SDF story"
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := e.newAlerts(3).Send(context.Background(), []articles.Article{urgent}); err != nil {
			t.Error(err)
		}
	})
	wg.Go(func() {
		if _, err := e.newBuilder().Run(context.Background(), false); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
	// The digests refused as stale are still due: the next minute's run
	// builds them.
	e.now = e.now.Add(time.Minute)
	e.run(t)
	got := jobsByChat(t, e)
	if len(got) != readers {
		t.Errorf("%d readers got something; want all %d", len(got), readers)
	}
	for chat, texts := range got {
		for _, link := range []string{urgent.Link, "https://7al.net/a1"} {
			n := 0
			for _, text := range texts {
				n += strings.Count(text, `href="`+link+`"`)
			}
			if n != 1 {
				t.Errorf("reader %d got %s %d times:\n%s", chat, link, n, strings.Join(texts, "\n"))
			}
		}
	}
}
