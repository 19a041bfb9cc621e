package subscribers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"nashra/digest/arabic"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// testSlugs stands in for the topic catalog.
var testSlugs = map[string]bool{"sdf": true, "isis": true, "raqqa": true, "camps": true, "economy": true}

// resolve is what `nashra import` does with the catalog: a known slug is a
// topic, anything else a keyword.
func resolve(s string) (subscribers.Follow, bool) {
	if testSlugs[s] {
		return subscribers.TopicFollow(s), true
	}
	words := strings.Join(strings.Fields(s), " ")
	p, ok := arabic.NewPhrase(words)
	if !ok {
		return subscribers.Follow{}, false
	}
	return subscribers.KeywordFollow(words, p.Key()), true
}

func keyword(t testing.TB, words string) subscribers.Follow {
	t.Helper()
	f, ok := resolve(words)
	if !ok || f.Topic != "" {
		t.Fatalf("%q is not a keyword", words)
	}
	return f
}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func storeOn(r *redistest.Redis, c *clock, maxFollows int) *subscribers.Store {
	return subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, MaxFollows: maxFollows, Now: c.now})
}

// dump returns every key under the test's prefix, without the prefix, with
// its type and value in a canonical form. The one exception is the stats
// counters (stats.go): they count events (signups per day and source), not
// readers, so a backup of the readers neither carries nor changes them.
func dump(t testing.TB, r *redistest.Redis) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := make(map[string]string)
	for _, key := range r.Keys(t) {
		if rest := strings.TrimPrefix(key, r.Prefix); strings.HasPrefix(rest, "stats:") || strings.Contains(rest, "}:stats:") {
			continue
		}
		typ, err := r.Client.Type(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		var val string
		switch typ {
		case "hash":
			h, err := r.Client.HGetAll(ctx, key).Result()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range slices.Sorted(maps.Keys(h)) {
				val += fmt.Sprintf("%q=%q ", f, h[f])
			}
		case "set":
			m, err := r.Client.SMembers(ctx, key).Result()
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(m)
			val = strings.Join(m, " ")
		case "zset":
			z, err := r.Client.ZRangeWithScores(ctx, key, 0, -1).Result()
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range z {
				val += fmt.Sprintf("%v:%v ", e.Member, e.Score)
			}
		case "string":
			val, err = r.Client.Get(ctx, key).Result()
			if err != nil {
				t.Fatal(err)
			}
		default:
			val = "<" + typ + ">"
		}
		out[typ+" "+strings.TrimPrefix(key, r.Prefix)] = val
	}
	return out
}

func diffDumps(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[k]; !ok {
			t.Errorf("%s: key %s missing (want %s)", what, k, want[k])
		} else if g != want[k] {
			t.Errorf("%s: key %s = %s; want %s", what, k, g, want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected key %s = %s", what, k, got[k])
		}
	}
}

// populate gives s readers in every state the bot can leave them in.
func populate(t *testing.T, r *redistest.Redis, s *subscribers.Store, c *clock) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	topicsCycle := []string{"sdf", "isis", "raqqa", "camps", "economy"}
	words := []string{"اقتصاد", "دير الزور", "تهديّدات", "Deir ez-Zor", "مخيم الهول"} // economy, Deir ez-Zor, threats (with a shadda), -, al-Hol camp
	for i := range 60 {
		chat := int64(1000 + i*7)
		if i%5 == 0 {
			chat = -1001000000000 - int64(i) // supergroups
		}
		c.t = c.t.Add(time.Hour)
		typ := "private"
		if chat < 0 {
			typ = "supergroup"
		}
		_, err := s.Start(ctx, chat, subscribers.Joined{Source: []string{"site-footer", "direct", "follow"}[i%3], ChatType: typ, Lang: []string{"ar", "en"}[i%2]})
		must(err)
		for j := range i % 4 {
			_, err := s.Follow(ctx, chat, subscribers.TopicFollow(topicsCycle[(i+j)%len(topicsCycle)]))
			must(err)
		}
		if i%3 == 1 {
			_, err := s.Follow(ctx, chat, keyword(t, words[i%len(words)]))
			must(err)
		}
		c.t = c.t.Add(time.Minute)
		switch i % 6 {
		case 1:
			var until time.Time // every other pause has an end
			if i%12 == 1 {
				until = c.t.Add(24 * time.Hour)
			}
			_, _, err = s.ChangeStatus(ctx, chat, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause", Until: until})
		case 2:
			_, err = s.SetStatus(ctx, chat, subscribers.Blocked, "403 Forbidden: bot was blocked by the user")
		case 3:
			_, err = s.SetStatus(ctx, chat, subscribers.Stopped, "stop")
		}
		must(err)
		switch i % 4 {
		case 1:
			must(s.SetSchedule(ctx, chat, "30 7 * * *"))
		case 2:
			must(s.SetSchedule(ctx, chat, subscribers.Instant))
		case 3:
			must(s.SetSchedule(ctx, chat, "")) // back to the default: the field stays, empty
		}
		switch i % 5 {
		case 3:
			must(s.SetBreaking(ctx, chat, true))
			// What a queued breaking news alert leaves on the record.
			must(r.Client.HSet(ctx, readerKey(r.Prefix, chat), "breaking_day", "2026-11-28", "breaking_n", 2, "breaking_sent", "41,43").Err())
		case 4:
			must(s.SetBreaking(ctx, chat, false))
		}
		if i%2 == 0 {
			// What a queued digest leaves on the record.
			must(r.Client.HSet(ctx, readerKey(r.Prefix, chat), "cur", 40+i, "last_digest_at", c.t.Unix()).Err())
		}
	}
	// A group that became a supergroup: migrated_to / migrated_from.
	_, err := s.Start(ctx, -555, subscribers.Joined{Source: "site-footer", ChatType: "group"})
	must(err)
	_, err = s.Follow(ctx, -555, subscribers.TopicFollow("sdf"))
	must(err)
	must(s.MoveReader(ctx, -555, -1000000000555))
}

func readerKey(prefix string, chat int64) string {
	n := chat
	if n < 0 {
		n = -n
	}
	return fmt.Sprintf("%s{r%d}:u:%d", prefix, n%subscribers.Shards, chat)
}

func TestExportImportReproducesStateExactly(t *testing.T) {
	ctx := context.Background()
	src, dst := redistest.New(t), redistest.New(t)
	c := &clock{t: time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)}
	from := storeOn(src, c, 60)
	populate(t, src, from, c)

	var backup bytes.Buffer
	n, err := from.Export(ctx, &backup)
	if err != nil {
		t.Fatal(err)
	}
	if n != 62 {
		t.Errorf("exported %d readers; want 62", n)
	}
	// A later clock: nothing in the restored state may depend on it.
	c2 := &clock{t: c.t.Add(30 * 24 * time.Hour)}
	to := storeOn(dst, c2, 60)
	rep, err := to.Import(ctx, bytes.NewReader(backup.Bytes()), resolve)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != n || rep.Rejected != 0 || rep.Lines != n {
		t.Fatalf("import report %+v; want %d lines imported, none rejected", rep, n)
	}
	want, got := dump(t, src), dump(t, dst)
	if len(want) < 62*2 {
		t.Fatalf("source has only %d keys; the fixture is too thin", len(want))
	}
	diffDumps(t, "restored keyspace", got, want)

	var again bytes.Buffer
	if _, err := to.Export(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if again.String() != backup.String() {
		t.Errorf("export of the restored state differs from the backup:\n%s\nwant:\n%s", again.String(), backup.String())
	}
}

func TestExportFormat(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	s := storeOn(r, &clock{t: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}, 60)
	// The line of the issue, as a site would write it by hand.
	line := `{"chat_id": 123, "status": "active", "lang": "ar", "follows": ["sdf", "اقتصاد"], "schedule": "0 8 * * *", "source": "site-footer", "joined_at": "2026-11-28T08:00:00Z", "cursor": 42}`
	rep, err := s.Import(ctx, strings.NewReader(line), resolve)
	if err != nil || rep.Imported != 1 {
		t.Fatalf("Import = %+v, %v; want one reader", rep, err)
	}
	rd, err := s.Get(ctx, 123)
	if err != nil {
		t.Fatal(err)
	}
	joined := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	if rd.Status != subscribers.Active || rd.Lang != "ar" || rd.Schedule != "0 8 * * *" || rd.Source != "site-footer" ||
		!rd.JoinedAt.Equal(joined) || rd.Cursor != 42 || followKeys(rd.Follows) != "t:sdf,k:اقتصاد" {
		t.Errorf("imported reader = %+v", rd)
	}
	var out bytes.Buffer
	if _, err := s.Export(ctx, &out); err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("export %q: %v", out.String(), err)
	}
	_ = json.Unmarshal([]byte(line), &want)
	for k, v := range want {
		if fmt.Sprint(got[k]) != fmt.Sprint(v) {
			t.Errorf("exported %s = %v; want %v (line %s)", k, got[k], v, out.String())
		}
	}
}

func followKeys(fs []subscribers.Follow) string {
	var keys []string
	for _, f := range fs {
		keys = append(keys, f.Key)
	}
	return strings.Join(keys, ",")
}
