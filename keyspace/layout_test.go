package keyspace_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nashra/bot/inbox"
	"nashra/broadcasts"
	"nashra/outbox"
	"nashra/signup"
	"nashra/signup/settings"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// The key layout is what deployed data is: a key renamed, a field renamed
// or a stream entry laid out differently strands what Redis already holds.
// This test drives every kind of record through its store (subscribers,
// outbox, broadcasts, bot/inbox) and compares everything written, key by
// key, with wantLayout.

// wantLayout lists every key (without the prefix), its type, whether it
// expires, and its content: hash fields sorted, stream entries in order
// with their fields in stored order (entry IDs left out), set and sorted-set
// members sorted. "<time>" stands for a value Redis's own clock chose.
// A job's entry leaves out the optional fields the job does not have;
// entries written before that carry them all, "ref= markup= att=0 nb=0"
// included, and read the same (TestEntryOfAnEarlierVersion).
const wantLayout = `
hash {r1}:bc:1 ttl enqueued=1 sent=1 skipped=0 total=1
hash {r1}:u:17 breaking=on breaking_day=2026-11-28 breaking_n=1 breaking_sent=12 chat_type=private cur=9 joined=1795852800 lang=en last_digest_at=1795852800 sched=0 7 * * * source=site-footer status=active status_reason=start updated=1795852800
hash {r1}:u:17:f k:حلب=حلب t:sdf=sdf
hash {r1}:u:17:o ttl e4adfa9e42e9=فرن
hash {r10}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r11}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r12}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r13}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r14}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r15}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r1}:stats:activated 2026-11-28=2
hash {r1}:stats:deactivated 2026-11-28=1
hash {r1}:stats:joined 2026-11-28=1
hash {r1}:stats:lost 2026-11-28=1
hash {r1}:stats:returned 2026-11-28=1
hash {r1}:stats:sent:breaking 2026-11-28=1
hash {r1}:stats:sent:digest 2026-11-28=1
hash {r1}:stats:signups site-footer=1
hash {r2}:stats:activated 2026-11-28=1
hash {r2}:stats:deactivated 2026-11-28=1
hash {r2}:stats:joined 2026-11-28=1
hash {r2}:stats:signups site-footer=1
hash {r2}:u:18 chat_type=private cur=0 joined=1795852800 lang=ar paused_until=1795939200 settings_nonce=<random> source=site-footer status=paused status_reason=pause updated=1795852800
hash {r2}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r3}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r4}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r5}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r6}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r7}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r8}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r9}:bc:1 ttl enqueued=0 skipped=0 total=0
hash {r0}:bc:1 ttl enqueued=0 skipped=0 total=0
hash bc:1 ttl by=42 created=1795852800000 started=1795852800000 status=done status_chat=42 status_msg=7 target=sdf text=<b>خبر</b> total=1 updated=1795852800000
set {r1}:f:k:حلب 17
set {r1}:f:t:sdf 17
set {r1}:status:active 17
set {r2}:status:paused 18
stream {inbox}:q [id=5 u={"update_id":5}]
stream {r1}:dlq [job=n:17:1 chat=17 kind=notice text=hello att=1 enq=1795852800000 reason=Bad Request: can't parse entities prio=lo]
stream {r1}:q:hi []
stream {r1}:q:lo [job=b:1:17 chat=17 kind=broadcast text=<b>خبر</b> enq=1795852800000]
string bc:1:edit ttl <time>
string bc:seq 1
string settings:key <random>
hash signup:t:<token> ttl used=1
hash signup:t:<token> ttl used=1
set {invite}:issued ttl dc3e2fa5a49a24f47116981871f11ef3
set {invite}:accepted ttl dc3e2fa5a49a24f47116981871f11ef3
string signup:rate:203.0.113.7 ttl 1
hash txt:breaking:12:en ttl markup= text=<b>عاجل</b>
hash txt:digest-ref:0 ttl markup= text=<b>نشرة</b>
string upd:5 ttl 1
string {inbox}:seen:5 ttl 1
string {r1}:j:b:1:17 ttl sent:12
string {r1}:j:breaking:12:17 ttl sent:13
string {r1}:j:d:17:0-9:0 ttl sent:11
string {r1}:j:n:17:1 ttl failed:dlq
zset {r1}:readers 17:1.7958528e+09
zset {r2}:readers 18:1.7958528e+09
`

func TestKeyLayout(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	now := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	s := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, Now: func() time.Time { return now }})
	q := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix, Now: func() time.Time { return now }})
	bc := broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix, Now: func() time.Time { return now }})
	in := inbox.New(r.Client, inbox.Options{Prefix: r.Prefix})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	const chat = 17 // shard 1
	// A reader: record, follows, topic index, status sets, daily counters.
	_, err := s.Start(ctx, chat, subscribers.Joined{Source: "site-footer", ChatType: "private"})
	must(err)
	_, err = s.Follow(ctx, chat, subscribers.TopicFollow("sdf"))
	must(err)
	_, err = s.Follow(ctx, chat, subscribers.KeywordFollow("حلب", "حلب")) // Aleppo
	must(err)
	must(s.SetSchedule(ctx, chat, "0 7 * * *"))
	must(s.SetLang(ctx, chat, "en"))
	_, err = s.SetStatus(ctx, chat, subscribers.Paused, "pause")
	must(err)
	_, err = s.SetStatus(ctx, chat, subscribers.Stopped, "stop")
	must(err)
	_, err = s.Start(ctx, chat, subscribers.Joined{})
	must(err)
	must(s.RecordDaily(ctx, chat, subscribers.StatSentDigest, now, 1))
	// Words that name no topic, offered as a keyword: "bakery".
	_, err = s.OfferKeyword(ctx, chat, subscribers.KeywordFollow("فرن", "فرن"))
	must(err)
	// A reader paused for a day: the end of the pause is in the record.
	const paused = 18 // shard 2
	_, err = s.Start(ctx, paused, subscribers.Joined{Source: "site-footer", ChatType: "private"})
	must(err)
	_, _, err = s.ChangeStatus(ctx, paused, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause", Until: now.Add(24 * time.Hour)})
	must(err)

	// A link to the preference page: the reader's nonce, the signing key.
	if _, _, err := settings.New(settings.Options{RDB: r.Client, Prefix: r.Prefix, Nonces: s}).Issue(ctx, paused); err != nil {
		t.Fatal(err)
	}

	// The outbox: a digest with a shared text, sent; a notice, dead-lettered.
	ok, err := q.EnqueueDigest(ctx, chat, 0, 9, []outbox.Job{{
		ID: "d:17:0-9:0", ChatID: chat, Kind: "digest", Text: "<b>نشرة</b>", Ref: "digest-ref:0", Priority: outbox.High,
	}})
	must(err)
	if !ok {
		t.Fatal("digest refused")
	}
	must(q.Enqueue(ctx, outbox.Job{ID: "n:17:1", ChatID: chat, Kind: "notice", Text: "hello", Priority: outbox.Low}))
	jobs, err := q.Read(ctx, "c1", []int{1}, 10, 0)
	must(err)
	if len(jobs) != 1 || jobs[0].ID != "d:17:0-9:0" {
		t.Fatalf("read %+v; want the digest first", jobs)
	}
	if ok, err := q.Begin(ctx, jobs[0], "c1"); err != nil || !ok {
		t.Fatalf("Begin = %v, %v", ok, err)
	}
	must(q.Finish(ctx, jobs[0], "sent:11"))
	jobs, err = q.Read(ctx, "c1", []int{1}, 10, 0)
	must(err)
	if len(jobs) != 1 {
		t.Fatalf("read %+v; want the notice", jobs)
	}
	if ok, err := q.Begin(ctx, jobs[0], "c1"); err != nil || !ok {
		t.Fatalf("Begin = %v, %v", ok, err)
	}
	must(q.DeadLetter(ctx, jobs[0], "Bad Request: can't parse entities"))

	// A breaking news alert to a reader who opted in: counted against the
	// day, recorded among their alerts, sent.
	must(s.SetBreaking(ctx, chat, true))
	outcomes, err := q.EnqueueAlerts(ctx, []outbox.AlertRequest{{Seq: 12, Day: "2026-11-28", Cap: 3, Job: outbox.Job{
		ID: "breaking:12:17", ChatID: chat, Kind: "breaking", Text: "<b>عاجل</b>", Ref: "breaking:12:en", // "urgent"
	}}})
	must(err)
	if outcomes[0] != outbox.AlertQueued {
		t.Fatalf("alert: %v; want queued", outcomes)
	}
	jobs, err = q.Read(ctx, "c1", []int{1}, 10, 0)
	must(err)
	if len(jobs) != 1 || jobs[0].ID != "breaking:12:17" {
		t.Fatalf("read %+v; want the alert", jobs)
	}
	if ok, err := q.Begin(ctx, jobs[0], "c1"); err != nil || !ok {
		t.Fatalf("Begin = %v, %v", ok, err)
	}
	must(q.Finish(ctx, jobs[0], "sent:13"))
	must(s.RecordDaily(ctx, chat, "sent:breaking", now, 1))

	// A broadcast to the followers of a topic: fed, sent, counted, done.
	b, err := bc.Create(ctx, broadcasts.Broadcast{Text: "<b>خبر</b>", By: 42, Topic: "sdf"}) // "news"
	must(err)
	must(bc.SetMessage(ctx, b.ID, 42, 7))
	_, err = bc.Start(ctx, b.ID)
	must(err)
	if n, err := bc.Feed(ctx, b.ID, 10); err != nil || n != 1 {
		t.Fatalf("Feed = %d, %v; want 1", n, err)
	}
	jobs, err = q.Read(ctx, "c1", []int{1}, 10, 0)
	must(err)
	if len(jobs) != 1 {
		t.Fatalf("read %+v; want the broadcast", jobs)
	}
	if ok, err := q.Begin(ctx, jobs[0], "c1"); err != nil || !ok {
		t.Fatalf("Begin = %v, %v", ok, err)
	}
	// The entry is kept (not finished) so that its layout shows; its state
	// is written as the sender would.
	must(r.Client.Set(ctx, r.Prefix+"{r1}:j:b:1:17", "sent:12", outbox.JobTTL).Err())
	p, err := bc.Progress(ctx, b.ID)
	must(err)
	if !p.Settled() || p.Sent != 1 {
		t.Fatalf("progress %+v; want settled, one sent", p)
	}
	if ok, err := bc.Complete(ctx, b.ID); err != nil || !ok {
		t.Fatalf("Complete = %v, %v", ok, err)
	}
	must(bc.Close(ctx, b.ID))
	_, err = bc.ClaimEdit(ctx, b.ID, time.Second)
	must(err)

	// The signup page: a token redeemed (only its use is kept), and the
	// rate counter of the address that made it.
	sg := signup.New(r.Client, signup.Options{Prefix: r.Prefix})
	if ok, err := sg.Allow(ctx, "203.0.113.7"); err != nil || !ok {
		t.Fatalf("Allow = %v, %v", ok, err)
	}
	tok, err := sg.Create(ctx, signup.Choice{Topics: []string{"sdf", "raqqa"}, Schedule: "0 7 * * *", Lang: "en"})
	must(err)
	_, err = sg.Redeem(ctx, tok)
	must(err)

	// An email list's invitation, made and accepted: of the address only a
	// keyed hash is kept, in the two invitation sets.
	inv := signup.New(r.Client, signup.Options{Prefix: r.Prefix, TTL: 60 * 24 * time.Hour})
	hash := signup.InviteHash([]byte("0123456789abcdef0123456789abcdef"), " Reader@Example.org")
	toks, _, err := inv.CreateInvites(ctx, []signup.Choice{{Topics: []string{"raqqa"}, Invite: hash}})
	must(err)
	_, err = inv.Redeem(ctx, toks[0])
	must(err)

	// Telegram updates: a claim, and one update in the inbox.
	_, err = in.Claim(ctx, 5)
	must(err)
	_, err = in.Add(ctx, []int64{5}, [][]byte{[]byte(`{"update_id":5}`)})
	must(err)

	got := layout(t, r)
	want := strings.Split(strings.TrimSpace(wantLayout), "\n")
	slices.Sort(want)
	if !slices.Equal(got, want) {
		for _, l := range got {
			if !slices.Contains(want, l) {
				t.Errorf("written, not in the layout: %s", l)
			}
		}
		for _, l := range want {
			if !slices.Contains(got, l) {
				t.Errorf("in the layout, not written:   %s", l)
			}
		}
	}
}

// signupToken is a signup token's key, random by design.
var signupToken = regexp.MustCompile(`^signup:t:[a-z2-7]{16}$`)

// layout describes every key under r's prefix, one sorted line each.
func layout(t *testing.T, r *redistest.Redis) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for _, key := range r.Keys(t) {
		typ, err := r.Client.Type(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(key, r.Prefix)
		name = signupToken.ReplaceAllString(name, "signup:t:<token>")
		line := typ + " " + name
		if ttl, err := r.Client.PTTL(ctx, key).Result(); err == nil && ttl > 0 {
			line += " ttl"
		}
		var parts []string
		switch typ {
		case "hash":
			h, err := r.Client.HGetAll(ctx, key).Result()
			if err != nil {
				t.Fatal(err)
			}
			for f, v := range h {
				if f == "settings_nonce" {
					v = "<random>"
				}
				parts = append(parts, f+"="+v)
			}
			slices.Sort(parts)
		case "set":
			m, err := r.Client.SMembers(ctx, key).Result()
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(m)
			parts = m
		case "zset":
			z, err := r.Client.ZRangeWithScores(ctx, key, 0, -1).Result()
			if err != nil {
				t.Fatal(err)
			}
			if len(z) == 0 {
				continue // miniredis keeps an empty ZINTERSTORE result; Redis holds no empty set
			}
			for _, e := range z {
				parts = append(parts, fmt.Sprintf("%v:%v", e.Member, e.Score))
			}
			slices.Sort(parts)
		case "string":
			v, err := r.Client.Get(ctx, key).Result()
			if err != nil {
				t.Fatal(err)
			}
			switch name {
			case "bc:1:edit":
				v = "<time>" // Redis's clock
			case "settings:key":
				v = "<random>"
			}
			parts = []string{v}
		case "stream":
			// Raw XRANGE keeps each entry's fields in the order stored.
			res, err := r.Client.Do(ctx, "XRANGE", key, "-", "+").Slice()
			if err != nil {
				t.Fatal(err)
			}
			var entries []string
			for _, e := range res {
				kv := e.([]any)[1].([]any)
				var fields []string
				for i := 0; i+1 < len(kv); i += 2 {
					fields = append(fields, fmt.Sprintf("%v=%v", kv[i], kv[i+1]))
				}
				entries = append(entries, "["+strings.Join(fields, " ")+"]")
			}
			if len(entries) == 0 {
				entries = []string{"[]"}
			}
			parts = entries
		}
		out = append(out, line+" "+strings.Join(parts, " "))
	}
	slices.Sort(out)
	return out
}
