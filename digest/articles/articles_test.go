package articles_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/digest/articles"
	"nashra/subscribers/redistest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newStore(t *testing.T) (*articles.Store, *clock, *redistest.Redis) {
	t.Helper()
	r := redistest.New(t)
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	return articles.New(r.Client, articles.Options{Prefix: r.Prefix, Now: c.Now}), c, r
}

func article(id string, scope bool, topics ...string) articles.Article {
	return articles.Article{
		ID: id, Link: "https://7al.net/" + id, Title: "عنوان " + id, // "title"
		Summary: []string{"الجملة الأولى.", "الجملة الثانية."}, // first and second sentence
		Text:    "نص " + id, Topics: topics, InScope: scope,
		Published: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
	}
}

func TestIngestNumbersAndDedups(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newStore(t)
	seq, added, err := s.Ingest(ctx, article("https://7al.net/?p=1", true, "sdf", "isis"), []string{"https://7al.net/a"})
	if err != nil || !added || seq != 1 {
		t.Fatalf("first ingest = %d, %v, %v; want 1, added", seq, added, err)
	}
	// The same article from another category feed, known by its link only.
	other := article("https://7al.net/a", true, "sdf")
	seq, added, err = s.Ingest(ctx, other, nil)
	if err != nil || added || seq != 1 {
		t.Errorf("the same article again = %d, %v, %v; want 1, not added", seq, added, err)
	}
	// An edited article (same GUID, new title) is not a new article.
	edited := article("https://7al.net/?p=1", true, "sdf")
	edited.Title = "عنوان معدّل" // "edited title"
	if _, added, _ := s.Ingest(ctx, edited, nil); added {
		t.Error("an edited article was stored again")
	}
	seq, added, _ = s.Ingest(ctx, article("https://7al.net/?p=2", false), nil)
	if !added || seq != 2 {
		t.Errorf("second article = %d, %v; want 2, added", seq, added)
	}
	if last, _ := s.LastSeq(ctx); last != 2 {
		t.Errorf("LastSeq = %d; want 2", last)
	}
	got, err := s.After(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Seq != 1 || got[0].Title != "عنوان https://7al.net/?p=1" ||
		strings.Join(got[0].Topics, ",") != "sdf,isis" || len(got[0].Summary) != 2 || !got[0].InScope {
		t.Errorf("After(0) = %+v; want only the in-scope article 1, as stored first", got)
	}
	if seen, _ := s.Seen(ctx, "https://7al.net/a"); !seen {
		t.Error("the link identity was not remembered")
	}
}

func TestIngestRejectsIncomplete(t *testing.T) {
	s, _, r := newStore(t)
	for _, a := range []articles.Article{{ID: "x", Link: "l"}, {Title: "t", Link: "l"}, {ID: "x", Title: "t"}} {
		if _, _, err := s.Ingest(context.Background(), a, nil); err == nil {
			t.Errorf("Ingest(%+v) succeeded; want an error", a)
		}
	}
	if keys := r.Keys(t); len(keys) != 0 {
		t.Errorf("incomplete articles left keys: %v", keys)
	}
}

// Many pollers racing on the same items store each once, numbered 1..n.
func TestConcurrentIngest(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newStore(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				if _, _, err := s.Ingest(ctx, article(fmt.Sprint("id-", i), true), nil); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	got, _ := s.After(ctx, 0, 0)
	if len(got) != 25 || got[24].Seq != 25 {
		t.Errorf("%d articles, last seq %d; want 25 numbered 1..25", len(got), got[len(got)-1].Seq)
	}
}

func TestAfterLimitAndLatest(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newStore(t)
	for i := range 10 {
		s.Ingest(ctx, article(fmt.Sprint("id-", i), true), nil)
	}
	got, _ := s.After(ctx, 3, 4)
	if len(got) != 4 || got[0].Seq != 4 || got[3].Seq != 7 {
		t.Errorf("After(3, 4) gave %d articles from %d; want 4..7", len(got), got[0].Seq)
	}
	latest, _ := s.Latest(ctx, 3)
	if len(latest) != 3 || latest[0].Seq != 8 || latest[2].Seq != 10 {
		t.Errorf("Latest(3) = seqs %d..%d; want 8..10 oldest first", latest[0].Seq, latest[len(latest)-1].Seq)
	}
}

func TestTrim(t *testing.T) {
	ctx := context.Background()
	s, c, r := newStore(t)
	s.Ingest(ctx, article("old", true, "sdf"), nil)
	c.Add(31 * 24 * time.Hour)
	if r.Mini != nil {
		r.Mini.FastForward(31 * 24 * time.Hour)
	}
	s.Ingest(ctx, article("new", true, "sdf"), nil)
	if err := s.Trim(ctx, []string{"sdf"}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.After(ctx, 0, 0)
	if len(got) != 1 || got[0].ID != "new" {
		t.Errorf("after trim %d articles; want only the new one", len(got))
	}
	// Still remembered: an old item reappearing in a feed is not news.
	if seen, _ := s.Seen(ctx, "old"); !seen {
		t.Error("the old article's identity was forgotten after 30 days")
	}
	c.Add(60 * 24 * time.Hour)
	if err := s.Trim(ctx, []string{"sdf"}); err != nil {
		t.Fatal(err)
	}
	if seen, _ := s.Seen(ctx, "old"); seen {
		t.Error("the old article's identity was kept past 90 days")
	}
	if seen, _ := s.Seen(ctx, "new"); !seen {
		t.Error("the new article's identity was forgotten")
	}
}

func TestArticleKeysShareOneSlot(t *testing.T) {
	s, _, r := newStore(t)
	s.Ingest(context.Background(), article("x", true, "sdf"), nil)
	for _, k := range r.Keys(t) {
		if !strings.HasPrefix(k, r.Prefix+"{ingest}:") {
			t.Errorf("key %q is outside the {ingest} slot", k)
		}
	}
}
