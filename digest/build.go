package digest

import (
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"golang.org/x/sync/errgroup"

	"nashra/digest/arabic"
	"nashra/digest/articles"
	"nashra/digest/topics"
	"nashra/outbox"
	"nashra/subscribers"
)

// DefaultFirstDigest is how many articles a new reader's first digest holds
// at most: the latest ones, not the archive.
const DefaultFirstDigest = 5

// ReaderSource is what the builder reads about readers (a
// *subscribers.Store).
type ReaderSource interface {
	ChatIDs(ctx context.Context, st subscribers.Status, fn func(ids []int64) error) error
	ShardChatIDs(ctx context.Context, st subscribers.Status, shard int, fn func(ids []int64) error) error
	DigestStates(ctx context.Context, ids []int64) ([]subscribers.DigestState, error)
	EndedPauses(ctx context.Context, ids []int64, now time.Time) ([]subscribers.EndedPause, error)
}

// DigestQueue takes the digests built (an *outbox.Store): queueing each
// moves its reader's cursor in the same atomic step, and refuses one built
// on a cursor that has moved since (false at its index). EndPauses makes
// readers whose pause ended active and queues the notice that tells each,
// in one step per reader.
type DigestQueue interface {
	EnqueueDigests(ctx context.Context, reqs []outbox.DigestRequest) ([]bool, error)
	EndPauses(ctx context.Context, ends []outbox.PauseEnd) ([]bool, error)
}

// Builder builds the digests that are due and queues them, moving each
// reader's cursor in the same atomic step.
type Builder struct {
	Readers  ReaderSource
	Outbox   DigestQueue
	Articles *articles.Store
	// DefaultSchedule applies to readers who have not chosen a time.
	DefaultSchedule string
	Location        *time.Location
	SiteURL         string
	// Topics names, under each title, the followed topics an article
	// matched; without it only followed keywords are named.
	Topics      *topics.Catalog
	Log         *slog.Logger
	Now         func() time.Time
	FirstDigest int // DefaultFirstDigest when zero

	mu        sync.Mutex
	schedules map[string]cron.Schedule
	cache     []*cached // in-scope articles in seq order; they never change
	loaded    int64     // highest seq in cache
}

type cached struct {
	a    articles.Article
	text *arabic.Text // built on first need (keyword follows)
}

// Digest is one reader's digest.
type Digest struct {
	ChatID   int64
	Lang     string
	From, To int64 // the cursor before and after
	Articles []articles.Article
	Messages []string
	Markup   string // buttons under the last message (JSON)
	Queued   bool
	ref      string // names the rendering, shared by readers with the same selection
	alerted  string // the reader's breaking news alerts it was built without, as stored
}

// request is d for the outbox: queued only if the reader's cursor and
// alerts are still those it was built on.
func (d *Digest) request() outbox.DigestRequest {
	return outbox.DigestRequest{ChatID: d.ChatID, ExpectCursor: d.From, NewCursor: d.To, ExpectBreaking: d.alerted, Jobs: d.jobs()}
}

// BuildResult counts what a run did.
type BuildResult struct {
	Resumed int // readers whose pause ended, made active and told
	Readers int // active readers looked at
	Due     int
	Queued  int // digests queued
	Empty   int // due, but nothing they follow was new (cursor moved, nothing sent)
	Stale   int // another instance got there first
	Digests []Digest
}

// Run builds and queues every digest due now. With dryRun nothing is
// written and the digests are returned; otherwise only counts are (a run
// may cover a very large audience).
func (b *Builder) Run(ctx context.Context, dryRun bool) (BuildResult, error) {
	return b.run(ctx, dryRun, nil, nil)
}

// Claim gives part of a run's work to the instance that asks first: it
// reports true to that one and false to every other (schedule.Claim).
type Claim func(ctx context.Context, shard int) (bool, error)

// RunShared is Run in one of several instances building the same minute
// at once: each builds the shards of readers claim gives it, in a random
// order, so that two instances finish the minute in about half the time.
// A shard claimed by an instance that then fails is built at the next
// minute: its readers are still due then.
func (b *Builder) RunShared(ctx context.Context, claim Claim) (BuildResult, error) {
	return b.run(ctx, false, nil, claim)
}

// RunInstant builds and queues the digests of the readers who chose
// instant delivery (subscribers.Instant) and have something new. The poll
// job calls it as soon as a poll stores articles, so that those readers
// have them within seconds rather than at the next minute's Run. Racing
// Run, or another instance's RunInstant, queues each digest once: the
// cursor's compare-and-set refuses the second.
func (b *Builder) RunInstant(ctx context.Context) (BuildResult, error) {
	return b.run(ctx, false, func(st subscribers.DigestState) bool { return st.Schedule == subscribers.Instant }, nil)
}

// run builds the digests due now of the active readers that only accepts
// (all of them when only is nil), in the shards claim gives it (all of
// them when claim is nil).
func (b *Builder) run(ctx context.Context, dryRun bool, only func(subscribers.DigestState) bool, claim Claim) (BuildResult, error) {
	var res BuildResult
	now := b.now()
	last, err := b.refresh(ctx)
	if err != nil {
		return res, err
	}
	renders := newRenderCache()
	var mu sync.Mutex // guards res
	// Batches are built and queued by a few workers at once, while the
	// next batch is read: building is CPU here and queueing is Redis's,
	// and one after the other each would wait on the other.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(buildWorkers)
	batch := func(ids []int64) error {
		if err := gctx.Err(); err != nil {
			return err // a worker failed: stop reading
		}
		g.Go(func() error {
			part, err := b.buildBatch(gctx, ids, last, now, dryRun, only, renders)
			mu.Lock()
			res.add(part)
			mu.Unlock()
			return err
		})
		return nil
	}
	for _, shard := range rand.Perm(subscribers.Shards) {
		if claim != nil {
			mine, cerr := claim(gctx, shard)
			if cerr != nil {
				err = cerr
				break
			}
			if !mine {
				continue
			}
		}
		// Pauses that ended first: a digest their schedule brought
		// during the pause comes in the same run, after the notice.
		if !dryRun {
			n, perr := b.endPauses(gctx, now, shard)
			mu.Lock()
			res.Resumed += n
			mu.Unlock()
			if perr != nil {
				err = perr
				break
			}
		}
		if err = b.Readers.ShardChatIDs(gctx, subscribers.Active, shard, batch); err != nil {
			break
		}
	}
	if werr := g.Wait(); werr != nil && (err == nil || errors.Is(err, context.Canceled)) {
		err = werr
	}
	// Workers finish in any order; a dry run's digests are listed by chat.
	slices.SortFunc(res.Digests, func(x, y Digest) int { return cmp.Compare(x.ChatID, y.ChatID) })
	return res, err
}

// buildWorkers is how many batches of readers are built and queued at
// once.
const buildWorkers = 2

// add counts what a batch did into r.
func (r *BuildResult) add(o BuildResult) {
	r.Readers += o.Readers
	r.Due += o.Due
	r.Queued += o.Queued
	r.Empty += o.Empty
	r.Stale += o.Stale
	r.Digests = append(r.Digests, o.Digests...)
}

// buildBatch builds and queues the due digests of the readers ids.
func (b *Builder) buildBatch(ctx context.Context, ids []int64, last int64, now time.Time, dryRun bool,
	only func(subscribers.DigestState) bool, renders *renderCache) (BuildResult, error) {
	var res BuildResult
	states, err := b.Readers.DigestStates(ctx, ids)
	if err != nil {
		return res, err
	}
	var digests []*Digest
	var reqs []outbox.DigestRequest
	for _, st := range states {
		if st.Status != subscribers.Active || only != nil && !only(st) {
			continue
		}
		res.Readers++
		if !b.due(st, last, now, renders) {
			continue
		}
		res.Due++
		d := b.prepare(st, last, now, b.firstDigest(), renders)
		if dryRun {
			if len(d.Articles) > 0 {
				res.Digests = append(res.Digests, *d)
			}
			continue
		}
		digests = append(digests, d)
		req := d.request()
		if stored, _ := renders.texts.lookup(d.ref); stored {
			// Stored by an earlier batch of this run: the jobs carry
			// only its name.
			for i := range req.Jobs {
				req.Jobs[i].Text, req.Jobs[i].Markup = "", ""
			}
		}
		reqs = append(reqs, req)
	}
	if len(reqs) == 0 {
		return res, nil
	}
	ok, err := b.Outbox.EnqueueDigests(ctx, reqs)
	if err != nil {
		return res, err
	}
	for _, d := range digests {
		if d.ref != "" {
			renders.texts.keep(d.ref, true)
		}
	}
	for i, d := range digests {
		switch {
		case !ok[i]:
			res.Stale++
		case len(d.Articles) == 0:
			res.Empty++
		default:
			res.Queued++
		}
	}
	return res, nil
}

// renderCache keeps what one run's digests share: the renderings by
// renderKey (readers with the same selection share one), the digests
// made by selectionKey (readers who follow the same things from the same
// cursor share one), the articles laid out, when schedules fire next, and
// which shared texts are stored. Safe for concurrent use.
type renderCache struct {
	renderings memo[string, []string]
	selections memo[string, *Digest]
	pieces     pieceCache
	nexts      memo[fireKey, time.Time]
	// texts are the renderings this run has stored in the outbox (by
	// ref): the readers after the first carry only the name. Within one
	// run a stored text is certainly still there (it lives JobTTL).
	texts memo[string, bool]
}

// maxSelections bounds the digests a run keeps for other readers, and the
// schedule times: past it (as many distinct followings as that) the rest
// are made each time, and the run's memory stays bounded however many
// readers there are.
const maxSelections = 20_000

// memo is a map filled on first use, safe for concurrent use; with max
// set, it keeps no more than max values (the rest are made each time).
type memo[K comparable, V any] struct {
	mu  sync.Mutex
	m   map[K]V
	max int
}

// lookup returns the value under k, if kept.
func (c *memo[K, V]) lookup(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

// keep stores v under k, unless the memo is full.
func (c *memo[K, V]) keep(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[K]V{}
	}
	if c.max == 0 || len(c.m) < c.max {
		c.m[k] = v
	}
}

// get returns the value under k, made by make the first time (two callers
// at once may both make it; either result is the same).
func (c *memo[K, V]) get(k K, make func() V) V {
	if v, ok := c.lookup(k); ok {
		return v
	}
	v := make()
	c.keep(k, v)
	return v
}

// newRenderCache is the cache of one run.
func newRenderCache() *renderCache {
	return &renderCache{selections: memo[string, *Digest]{max: maxSelections}, nexts: memo[fireKey, time.Time]{max: maxSelections}}
}

// fireKey is a schedule and a time it is asked about.
type fireKey struct {
	spec  string
	since int64
}

// endPauses makes the readers of shard whose pause for a while has ended
// active again, each told in a short notice, before the shard's active
// readers are looked at: a digest their schedule brought during the pause comes in the same
// run, right after the notice. Doing it here rather than in a job of its
// own keeps one place that decides who gets what when, and a reader's end
// is noticed within the minute the builder runs in.
func (b *Builder) endPauses(ctx context.Context, now time.Time, shard int) (int, error) {
	resumed := 0
	err := b.Readers.ShardChatIDs(ctx, subscribers.Paused, shard, func(ids []int64) error {
		ended, err := b.Readers.EndedPauses(ctx, ids, now)
		if err != nil || len(ended) == 0 {
			return err
		}
		ends := make([]outbox.PauseEnd, len(ended))
		for i, p := range ended {
			ends[i] = outbox.PauseEnd{ChatID: p.ChatID, Until: p.Until, Notice: outbox.Job{
				// One notice per pause, however often the run is repeated.
				ID:     fmt.Sprintf("pe:%d:%d", p.ChatID, p.Until),
				ChatID: p.ChatID,
				Kind:   "notice",
				Text:   PauseEnded(p.Lang),
			}}
		}
		ok, err := b.Outbox.EndPauses(ctx, ends)
		if err != nil {
			return err
		}
		for _, done := range ok {
			if done {
				resumed++
			}
		}
		return nil
	})
	return resumed, err
}

// ForReader builds one reader's digest at once, whatever their schedule
// (the /digest command), and queues it. It returns nil when there is
// nothing new for them.
func (b *Builder) ForReader(ctx context.Context, chatID int64) (*Digest, error) {
	return b.forReader(ctx, chatID, b.firstDigest(), false)
}

// ForNewReader gives a reader who never had a digest the latest n in-scope
// stories in what they follow, at once (the bot calls it when a reader
// sends /start), and moves their cursor past everything stored so far:
// those stories do not come again, and the older ones never come. It
// returns nil, queueing nothing and leaving the cursor where it is, when
// the reader has had a digest (their cursor has moved) or nothing matches;
// then their first scheduled digest is as it would have been. Two calls at
// once queue it once: the second finds the cursor moved.
func (b *Builder) ForNewReader(ctx context.Context, chatID int64, n int) (*Digest, error) {
	return b.forReader(ctx, chatID, n, true)
}

// forReader builds and queues chatID's digest now; a reader who never had
// one gets at most the latest first stories. With onlyNew, only a reader
// who never had one gets anything.
func (b *Builder) forReader(ctx context.Context, chatID int64, first int, onlyNew bool) (*Digest, error) {
	last, err := b.refresh(ctx)
	if err != nil {
		return nil, err
	}
	states, err := b.Readers.DigestStates(ctx, []int64{chatID})
	if err != nil || len(states) == 0 || states[0].Status != subscribers.Active {
		return nil, err
	}
	if onlyNew && states[0].Cursor != 0 {
		return nil, nil
	}
	d := b.prepare(states[0], last, b.now(), first, newRenderCache())
	if len(d.Articles) == 0 {
		return nil, nil
	}
	ok, err := b.Outbox.EnqueueDigests(ctx, []outbox.DigestRequest{d.request()})
	if err != nil || !ok[0] {
		return nil, err
	}
	d.Queued = true
	return d, nil
}

func (b *Builder) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

// due reports whether st's schedule has fired since their last digest.
// The readers of a run mostly share a schedule and the time of their last
// digest: the next time it fires is worked out once for them all (in
// renders, when given).
func (b *Builder) due(st subscribers.DigestState, last int64, now time.Time, renders *renderCache) bool {
	if st.Cursor >= last && st.Schedule == subscribers.Instant {
		return false
	}
	if st.Schedule == subscribers.Instant {
		return true
	}
	spec := st.Schedule
	if spec == "" {
		spec = b.DefaultSchedule
	}
	sched, err := b.schedule(spec)
	if err != nil {
		b.log().Warn("reader schedule invalid; using the default", "chat_id", st.ChatID, "schedule", spec, "err", err)
		if sched, err = b.schedule(b.DefaultSchedule); err != nil {
			return false
		}
	}
	since := st.LastDigestAt
	if since == 0 {
		since = st.JoinedAt
	}
	next := func() time.Time { return sched.Next(time.Unix(since, 0).In(b.loc())) }
	if renders != nil {
		return !renders.nexts.get(fireKey{spec, since}, next).After(now)
	}
	return !next().After(now)
}

func (b *Builder) loc() *time.Location {
	if b.Location != nil {
		return b.Location
	}
	return time.UTC
}

func (b *Builder) schedule(spec string) (cron.Schedule, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s, ok := b.schedules[spec]; ok {
		return s, nil
	}
	s, err := cron.ParseStandard("CRON_TZ=" + b.loc().String() + " " + spec)
	if err != nil {
		return nil, err
	}
	if b.schedules == nil {
		b.schedules = map[string]cron.Schedule{}
	}
	b.schedules[spec] = s
	return s, nil
}

func (b *Builder) log() *slog.Logger {
	if b.Log != nil {
		return b.Log
	}
	return slog.New(slog.DiscardHandler)
}

// refresh loads the in-scope articles stored since the last run into the
// cache, drops those too old to be in anyone's window, and returns the
// newest article number.
func (b *Builder) refresh(ctx context.Context) (int64, error) {
	last, err := b.Articles.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	b.mu.Lock()
	from := b.loaded
	b.mu.Unlock()
	if last <= from {
		return last, nil
	}
	fresh, err := b.Articles.After(ctx, from, 0)
	if err != nil {
		return 0, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, a := range fresh {
		// A concurrent refresh may have loaded the same range already.
		if n := len(b.cache); n == 0 || a.Seq > b.cache[n-1].a.Seq {
			b.cache = append(b.cache, &cached{a: a})
		}
	}
	b.loaded = max(b.loaded, last)
	cutoff := b.now().Add(-articles.DefaultTTL)
	kept := make([]*cached, 0, len(b.cache))
	for _, c := range b.cache {
		if !c.a.SeenAt.Before(cutoff) {
			kept = append(kept, c)
		}
	}
	b.cache = kept
	return last, nil
}

// window returns the cached articles numbered in (from, to], oldest first.
func (b *Builder) window(from, to int64) []*cached {
	b.mu.Lock()
	defer b.mu.Unlock()
	lo := sort.Search(len(b.cache), func(i int) bool { return b.cache[i].a.Seq > from })
	hi := sort.Search(len(b.cache), func(i int) bool { return b.cache[i].a.Seq > to })
	// No copy: refresh only appends past the end or makes a new slice, so
	// the elements of this one never change (capped, so nobody appends to it).
	return b.cache[lo:hi:hi]
}

func (b *Builder) textOf(c *cached) *arabic.Text {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c.text == nil {
		c.text = arabic.NewText(c.a.Title + "\n" + c.a.Text)
	}
	return c.text
}

// firstDigest is how many stories a reader's first digest holds at most.
func (b *Builder) firstDigest() int {
	if b.FirstDigest > 0 {
		return b.FirstDigest
	}
	return DefaultFirstDigest
}

// prepare makes st's digest of the articles after their cursor up to
// last, dated now in the builder's zone, leaving out those that
// reached them as breaking news alerts. A reader who never had a digest
// gets the latest first of them, not the archive.
func (b *Builder) prepare(st subscribers.DigestState, last int64, now time.Time, first int, renders *renderCache) *Digest {
	lang := st.Lang
	if lang != "en" {
		lang = "ar"
	}
	// Readers who follow the same things from the same cursor get the
	// same digest: it is made once per run, not once per reader.
	sig := selectionKey(lang, st, last, first)
	if sel, ok := renders.selections.lookup(sig); ok {
		return &Digest{ChatID: st.ChatID, Lang: lang, From: st.Cursor, To: last, alerted: st.BreakingSent,
			Articles: sel.Articles, Messages: sel.Messages, Markup: sel.Markup, ref: sel.ref}
	}
	d := b.choose(st, lang, last, now, first, renders)
	renders.selections.keep(sig, d)
	return d
}

// selectionKey names what prepare's result depends on besides the chat:
// the language, the window of articles, the alerts already sent, the
// first-digest cut and the follows as typed (a keyword's words are shown).
func selectionKey(lang string, st subscribers.DigestState, last int64, first int) string {
	var sb strings.Builder
	sb.WriteString(lang)
	for _, n := range []int64{st.Cursor, last, int64(first)} {
		sb.WriteByte(0)
		sb.WriteString(strconv.FormatInt(n, 10))
	}
	sb.WriteByte(0)
	sb.WriteString(st.BreakingSent)
	keys := make([]string, len(st.Follows))
	for i, f := range st.Follows {
		keys[i] = f.Topic + "\x01" + f.Keyword
	}
	slices.Sort(keys)
	for _, k := range keys {
		sb.WriteByte(0)
		sb.WriteString(k)
	}
	return sb.String()
}

// choose makes st's digest (see prepare).
func (b *Builder) choose(st subscribers.DigestState, lang string, last int64, now time.Time, first int, renders *renderCache) *Digest {
	interest := InterestOf(st.Follows)
	type match struct {
		c    *cached
		text *arabic.Text
	}
	var matched []match
	for _, c := range b.window(st.Cursor, last) {
		if st.SentAsBreaking(c.a.Seq) {
			continue
		}
		var text *arabic.Text
		if interest.Keywords() {
			text = b.textOf(c)
		}
		if interest.Matches(c.a, text) {
			matched = append(matched, match{c, text})
		}
	}
	if st.Cursor == 0 && len(matched) > first {
		matched = matched[len(matched)-first:]
	}
	d := &Digest{ChatID: st.ChatID, Lang: lang, From: st.Cursor, To: last, alerted: st.BreakingSent}
	picked := make([]Entry, len(matched))
	for i, m := range matched {
		picked[i] = Entry{Article: m.c.a, Why: interest.Why(b.Topics, lang, m.c.a, m.text)}
		d.Articles = append(d.Articles, m.c.a)
	}
	if len(picked) > 0 {
		day := now.In(b.loc())
		key := renderKey(lang, day, picked)
		d.ref = key
		d.Messages = renders.renderings.get(key, func() []string {
			return Render(picked, RenderOptions{Lang: lang, SiteURL: b.SiteURL, Date: day, pieces: &renders.pieces})
		})
		d.Markup = Buttons(lang)
	}
	return d
}

// jobs are the outbox jobs of d: one per message, the buttons under the
// last. Their IDs name the reader and the cursor window, so the same
// digest is never queued twice.
func (d *Digest) jobs() []outbox.Job {
	jobs := make([]outbox.Job, len(d.Messages))
	for i, m := range d.Messages {
		jobs[i] = outbox.Job{
			ID:       fmt.Sprintf("d:%d:%d-%d:%d", d.ChatID, d.From, d.To, i),
			ChatID:   d.ChatID,
			Kind:     "digest",
			Text:     m,
			Ref:      fmt.Sprintf("%s:%d", d.ref, i),
			Priority: outbox.High,
		}
		if i == len(d.Messages)-1 {
			jobs[i].Markup = d.Markup
		}
	}
	return jobs
}

// renderKey identifies a rendering, and names its text shared in the
// outbox: readers with the same language, day, picked articles and
// reasons for them share it.
func renderKey(lang string, day time.Time, picked []Entry) string {
	h := sha1.New()
	h.Write([]byte(lang + day.Format(time.DateOnly)))
	for _, e := range picked {
		fmt.Fprintf(h, ",%d", e.Article.Seq)
		for _, w := range e.Why {
			fmt.Fprintf(h, ":%d:%s", len(w), w) // length-prefixed: names cannot run into each other
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The callback data of the buttons under a digest, handled by the bot
// (bot/callbacks.go routes every ButtonKind button to them).
const (
	ButtonKind   = "do"
	ButtonTopics = ButtonKind + ":topics"
	ButtonPause  = ButtonKind + ":pause"
	ButtonStop   = ButtonKind + ":stop"
)

// PauseEnded is the notice a reader gets when the pause they chose for a
// day or a week is over.
func PauseEnded(lang string) string { return digestTextsFor(lang).PauseEnded }

// Buttons is the keyboard under every digest, as JSON reply markup.
func Buttons(lang string) string {
	t := digestTextsFor(lang)
	labels := [3]string{t.ButtonTopics, t.ButtonPause, t.ButtonStop}
	type button struct {
		Text string `json:"text"`
		Data string `json:"callback_data"`
	}
	kb := struct {
		Rows [][]button `json:"inline_keyboard"`
	}{Rows: [][]button{
		{{labels[0], ButtonTopics}},
		{{labels[1], ButtonPause}, {labels[2], ButtonStop}},
	}}
	out, _ := json.Marshal(kb)
	return string(out)
}
