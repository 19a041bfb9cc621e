package subscribers_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

func TestImportReportsBadLinesByNumber(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	s := storeOn(r, &clock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}, 5)
	lines := []string{
		/* 1 */ `{"chat_id": 1, "follows": ["sdf"]}`,
		/* 2 */ `{"chat_id": 2, "status": "active"`,
		/* 3 */ `{"status": "active", "lang": "ar"}`,
		/* 4 */ `{"chat_id": 4, "status": "sleeping"}`,
		/* 5 */ `{"chat_id": 5, "schedule": "every morning"}`,
		/* 6 */ `{"chat_id": 6, "follows": ["sdf", "isis", "raqqa", "camps", "economy", "اقتصاد"]}`, // economy, over the cap of 5
		/* 7 */ `{"chat_id": 7, "folows": ["sdf"]}`,
		/* 8 */ ``,
		/* 9 */ `{"chat_id": 9, "lang": "fr"}`,
		/* 10 */ `{"chat_id": 10, "joined_at": "28/11/2026"}`,
		/* 11 */ `{"chat_id": 11, "cursor": -1}`,
		/* 12 */ `{"chat_id": 12, "follows": ["!!!"]}`,
		/* 13 */ `{"chat_id": 13, "status": "paused", "lang": "en", "follows": ["اقتصاد"], "schedule": "instant", "cursor": 7}`, // economy
		/* 14 */ `{"chat_id": 0}`,
		/* 15 */ `[1, 2]`,
		/* 16 */ `{"chat_id": "16"}`,
		/* 17 */ `{"chat_id": 17, "extra": {"status": "active"}}`,
		/* 18 */ `{"chat_id": 18} {"chat_id": 19}`,
		/* 19 */ `{"chat_id": 19, "schedule": "0 8 * * *", "joined_at": "2026-11-28T08:00:00+03:00"}`,
	}
	rep, err := s.Import(ctx, strings.NewReader(strings.Join(lines, "\n")), resolve)
	if err != nil {
		t.Fatal(err)
	}
	wantBad := map[int]string{
		2: "JSON", 3: "chat_id", 4: `status "sleeping"`, 5: `schedule "every morning"`, 6: "cap of 5",
		7: `unknown field "folows"`, 9: `lang "fr"`, 10: "joined_at", 11: "cursor -1", 12: `follow "!!!"`,
		14: "chat_id", 15: "JSON", 16: "JSON", 17: `"status" is not allowed`, 18: "more than one",
	}
	got := make(map[int]string)
	for _, e := range rep.Errors {
		got[e.Line] = e.Err
	}
	for line, part := range wantBad {
		if !strings.Contains(got[line], part) {
			t.Errorf("line %d (%s): error %q; want one mentioning %q", line, lines[line-1], got[line], part)
		}
	}
	for line, msg := range got {
		if _, ok := wantBad[line]; !ok {
			t.Errorf("line %d (%s) refused: %s", line, lines[line-1], msg)
		}
	}
	if rep.Lines != 18 || rep.Imported != 3 || rep.Rejected != len(wantBad) {
		t.Errorf("report: %d lines, %d imported, %d rejected; want 18, 3, %d", rep.Lines, rep.Imported, rep.Rejected, len(wantBad))
	}
	for _, chat := range []int64{2, 4, 5, 6, 7, 9, 10, 11, 12, 18} {
		if _, err := s.Get(ctx, chat); !errors.Is(err, subscribers.ErrNotFound) {
			t.Errorf("chat %d of a refused line was stored (%v)", chat, err)
		}
	}
	rd, err := s.Get(ctx, 13)
	if err != nil {
		t.Fatal(err)
	}
	if rd.Status != subscribers.Paused || rd.Lang != "en" || rd.Schedule != subscribers.Instant || rd.Cursor != 7 ||
		rd.Source != "import" || !rd.JoinedAt.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) || followKeys(rd.Follows) != "k:اقتصاد" {
		t.Errorf("line 13 imported as %+v", rd)
	}
	if rd, _ := s.Get(ctx, 19); !rd.JoinedAt.Equal(time.Date(2026, 11, 28, 5, 0, 0, 0, time.UTC)) {
		t.Errorf("line 19 joined at %v; want 05:00 UTC", rd.JoinedAt)
	}
}

func TestImportIsIdempotent(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	c := &clock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	s := storeOn(r, c, 60)
	in := strings.Join([]string{
		`{"chat_id": 1, "follows": ["sdf", "اقتصاد"]}`, // economy
		`{"chat_id": -100200, "status": "blocked", "lang": "en", "follows": ["isis"], "schedule": "0 20 * * *", "source": "site-footer", "joined_at": "2026-11-28T08:00:00Z", "cursor": 42}`,
		`{"chat_id": 3}`,
	}, "\n")
	if _, err := s.Import(ctx, strings.NewReader(in), resolve); err != nil {
		t.Fatal(err)
	}
	first := dump(t, r)
	c.t = c.t.Add(48 * time.Hour) // a later run must not move the dates of records without them
	rep, err := s.Import(ctx, strings.NewReader(in), resolve)
	if err != nil || rep.Imported != 3 {
		t.Fatalf("second import: %+v, %v", rep, err)
	}
	diffDumps(t, "after importing twice", dump(t, r), first)
}

// Importing over a reader replaces what they follow: the follows the line
// does not list are gone from the reader and from the topic index.
func TestImportReplacesExistingReader(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	c := &clock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	s := storeOn(r, c, 60)
	const chat = 77
	if _, err := s.Start(ctx, chat, subscribers.Joined{Source: "site-footer", ChatType: "private"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []subscribers.Follow{subscribers.TopicFollow("sdf"), subscribers.TopicFollow("isis"), keyword(t, "مخيم الهول")} { // al-Hol camp
		if _, err := s.Follow(ctx, chat, f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetStatus(ctx, chat, subscribers.Paused, "pause"); err != nil {
		t.Fatal(err)
	}
	joined := c.t
	c.t = c.t.Add(time.Hour)

	line := `{"chat_id": 77, "status": "active", "lang": "en", "follows": ["isis", "raqqa"]}`
	if rep, err := s.Import(ctx, strings.NewReader(line), resolve); err != nil || rep.Imported != 1 {
		t.Fatalf("Import = %+v, %v", rep, err)
	}
	rd, err := s.Get(ctx, chat)
	if err != nil {
		t.Fatal(err)
	}
	if got := followKeys(rd.Follows); got != "t:isis,t:raqqa" {
		t.Errorf("follows after import = %s; want t:isis,t:raqqa", got)
	}
	if rd.Status != subscribers.Active || rd.Lang != "en" || !rd.JoinedAt.Equal(joined) || rd.Source != "import" {
		t.Errorf("reader after import = %+v; want active, en, the join date kept", rd)
	}
	for key, want := range map[string]bool{"t:sdf": false, "k:مخيم الهول": false, "t:isis": true, "t:raqqa": true} {
		ids, err := s.Followers(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(ids, chat) != want {
			t.Errorf("index %s = %v; want reader listed: %v", key, ids, want)
		}
	}
	for st, want := range map[subscribers.Status]bool{subscribers.Active: true, subscribers.Paused: false} {
		var ids []int64
		_ = s.ChatIDs(ctx, st, func(b []int64) error { ids = append(ids, b...); return nil })
		if slices.Contains(ids, chat) != want {
			t.Errorf("%s readers = %v; want reader listed: %v", st, ids, want)
		}
	}
}

// The same chat twice in one batch: the second line wins, and its script
// finds the follows the first one wrote (undeclared) and is run again.
func TestImportSameChatTwiceInOneBatch(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	s := storeOn(r, &clock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}, 60)
	in := `{"chat_id": 5, "follows": ["sdf", "camps"]}` + "\n" + `{"chat_id": 5, "status": "stopped", "follows": ["isis"]}` + "\n"
	rep, err := s.Import(ctx, strings.NewReader(in), resolve)
	if err != nil || rep.Imported != 2 {
		t.Fatalf("Import = %+v, %v", rep, err)
	}
	rd, _ := s.Get(ctx, 5)
	if followKeys(rd.Follows) != "t:isis" || rd.Status != subscribers.Stopped {
		t.Errorf("reader = %+v; want the second line", rd)
	}
	for _, key := range []string{"t:sdf", "t:camps"} {
		if ids, _ := s.Followers(ctx, key); len(ids) != 0 {
			t.Errorf("index %s still lists %v", key, ids)
		}
	}
}

func TestImportLineTooLong(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	s := storeOn(r, &clock{t: time.Now()}, 60)
	in := `{"chat_id": 1}` + "\n" + `{"chat_id": 2, "source": "` + strings.Repeat("x", 2<<20) + `"}` + "\n" + `{"chat_id": 3}`
	rep, err := s.Import(ctx, strings.NewReader(in), resolve)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || len(rep.Errors) != 1 || rep.Errors[0].Line != 2 || !strings.Contains(rep.Errors[0].Err, "longer") {
		t.Errorf("report %+v; want line 2 refused as too long, 1 and 3 imported", rep)
	}
}

// BenchmarkImport100k measures `nashra import` of 100,000 readers. On a
// real Redis: NASHRA_TEST_REDIS_URL=redis://127.0.0.1:6379/0 go test
// -run '^$' -bench Import100k -benchtime 1x ./subscribers
func BenchmarkImport100k(b *testing.B) {
	const readers = 100_000
	var in bytes.Buffer
	topics := []string{"sdf", "isis", "raqqa", "camps", "economy"}
	for i := range readers {
		fmt.Fprintf(&in, `{"chat_id": %d, "status": "%s", "lang": "ar", "follows": ["%s", "%s", "اقتصاد %d"], "schedule": "0 8 * * *", "source": "site-footer", "joined_at": "2026-11-28T08:00:00Z", "cursor": %d}`+"\n",
			100000000+i, []string{"active", "active", "active", "paused", "blocked", "stopped"}[i%6],
			topics[i%5], topics[(i+2)%5], i%100, i)
	}
	ctx := context.Background()
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		r := redistest.New(b)
		s := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
		if redistest.Real() {
			// Registered after redistest's cleanup, so it runs first and
			// leaves it little to do: its key-by-key delete is slow at 300k keys.
			b.Cleanup(func() { unlinkPrefix(b, r) })
		}
		b.StartTimer()
		start := time.Now()
		rep, err := s.Import(ctx, bytes.NewReader(in.Bytes()), resolve)
		total += time.Since(start)
		if err != nil || rep.Imported != readers {
			b.Fatalf("Import = %d imported, %d rejected, %v", rep.Imported, rep.Rejected, err)
		}
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/import")
	b.ReportMetric(float64(readers*b.N)/total.Seconds(), "readers/s")
	where := "miniredis"
	if redistest.Real() {
		where = os.Getenv(redistest.EnvURL)
	}
	b.Logf("%d readers imported into %s in %.2fs each", readers, where, total.Seconds()/float64(b.N))
}

// unlinkPrefix deletes the benchmark's keys in pipelined batches.
func unlinkPrefix(b *testing.B, r *redistest.Redis) {
	ctx := context.Background()
	keys := r.Keys(b)
	for batch := range slices.Chunk(keys, 1000) {
		_, err := r.Client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range batch {
				p.Unlink(ctx, k)
			}
			return nil
		})
		if err != nil {
			b.Errorf("clean up: %v", err)
			return
		}
	}
}
