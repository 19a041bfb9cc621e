package bot

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bidi"
	"nashra/bot/ratelimit"
	"nashra/bot/sender"
	"nashra/digest/arabic"
	"nashra/digest/articles"
	"nashra/redact"
	"nashra/signup"
	"nashra/subscribers"
)

// StatsConfig holds what /stats needs besides the reader store. Every
// field may be left zero; what it feeds is then left out.
type StatsConfig struct {
	// Articles and Feeds give the feed health.
	Articles *articles.Store
	Feeds    []string
	// Delivery returns this instance's sender counters (sender.Sender.Stats).
	Delivery func() sender.Stats
	// Paid reads paid broadcasts' state and the Stars spent over the last
	// days (sender.Sender.PaidStatus).
	Paid func(ctx context.Context, days int) (ratelimit.PaidStatus, error)
	// Days is how many days the text lists (7 when zero); ChartDays how
	// many the chart draws (30 when zero).
	Days      int
	ChartDays int
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Invites counts the email list's invitations
	// (signup.Store.InviteCounts); nil leaves them out.
	Invites func(context.Context) (signup.InviteCounts, error)
}

// topTopics is how many topics /stats lists and charts.
const topTopics = 10

// statsReport is what /stats gathers before it is written out.
type statsReport struct {
	counts   map[subscribers.Status]int64
	days     []subscribers.ReaderDay // the chart's span; the text shows the tail
	topics   []chartBar
	signups  map[string]int64
	digests  int64 // delivered in the text's span
	bcasts   int64
	hi, lo   int64
	delivery *sender.Stats
	paid     *ratelimit.PaidStatus // the text's span
	feeds    []articles.FeedState
	invites  signup.InviteCounts
}

func (b *Bot) stats(ctx context.Context, c chatCtx, _ string, _ *models.Message) error {
	cfg := b.opt.Stats
	days, chartDays := cmp.Or(cfg.Days, 7), cmp.Or(cfg.ChartDays, 30)
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	r, err := b.gatherStats(ctx, cfg, c.lang, max(days, chartDays), days, now())
	if err != nil {
		return err
	}
	t := statsTextsFor(c.lang)
	b.send(ctx, c.id, statsText(r, t, days, now()), nil)

	png, err := renderChart(statsChart(r, t, c.lang, chartDays))
	if err != nil {
		b.log.Error("stats chart", "err", err)
		b.send(ctx, c.id, t.ChartFailed, nil)
		return nil
	}
	caption := t.CaptionNo
	if !r.nobody() {
		var joined, lost int64
		for _, d := range r.days[len(r.days)-days:] {
			joined += d.Joined
			lost += d.Lost
		}
		caption = fmt.Sprintf(t.Caption, r.counts[subscribers.Active], t.Span(days), joined, lost)
	}
	b.call(ctx, c.id, "sendPhoto", func() error {
		// A fresh reader per attempt: a retry after a 429 uploads again.
		_, err := b.api.SendPhoto(ctx, &tg.SendPhotoParams{
			ChatID:  c.id,
			Photo:   &models.InputFileUpload{Filename: "nashra-stats.png", Data: bytes.NewReader(png)},
			Caption: bidi.Plain(caption),
		})
		return err
	})
	return nil
}

// statsChart is what the chart shows of r, in lang.
func statsChart(r statsReport, t *statsTexts, lang string, days int) chartData {
	d := chartData{
		RTL:          lang != "en",
		ReadersTitle: fmt.Sprintf(t.ChartReaders, t.Span(days)),
		DayAxis:      t.ChartDayAxis,
		CountAxis:    t.ChartCountAxis,
		NoReaders:    t.ChartNoReaders,
		TopicsTitle:  t.ChartTopics,
		NoTopics:     t.ChartNoTopics,
		Topics:       r.topics,
	}
	if r.nobody() {
		return d
	}
	shown := sinceFirst(r.days[len(r.days)-days:])
	for _, day := range shown {
		d.Readers = append(d.Readers, chartPoint{Day: t.Date(day.Day), N: day.Active})
	}
	// The title names the days the bars stand for.
	d.ReadersTitle = fmt.Sprintf(t.ChartReaders, t.Span(len(shown)))
	return d
}

func (b *Bot) gatherStats(ctx context.Context, cfg StatsConfig, lang string, spanDays, textDays int, now time.Time) (statsReport, error) {
	var r statsReport
	var err error
	if r.counts, err = b.store.Counts(ctx); err != nil {
		return r, err
	}
	if r.days, err = b.store.ReadersOverTime(ctx, spanDays); err != nil {
		return r, err
	}
	slugs := make([]string, 0)
	for _, tp := range b.catalog.Topics() {
		slugs = append(slugs, tp.Slug)
	}
	follows, err := b.store.TopicFollowers(ctx, slugs)
	if err != nil {
		return r, err
	}
	if r.signups, err = b.store.SignupsBySource(ctx); err != nil {
		return r, err
	}
	from := now.AddDate(0, 0, -(textDays - 1))
	for _, m := range []struct {
		metric string
		into   *int64
	}{{subscribers.StatSentDigest, &r.digests}, {subscribers.StatSentBroadcast, &r.bcasts}} {
		ds, err := b.store.Daily(ctx, m.metric, from, now)
		if err != nil {
			return r, err
		}
		for _, d := range ds {
			*m.into += d.Count
		}
	}
	if r.hi, r.lo, err = b.outbox.QueueDepth(ctx); err != nil {
		return r, err
	}
	if cfg.Invites != nil {
		if r.invites, err = cfg.Invites(ctx); err != nil {
			return r, err
		}
	}
	if cfg.Delivery != nil {
		st := cfg.Delivery()
		r.delivery = &st
	}
	if cfg.Paid != nil {
		st, err := cfg.Paid(ctx, textDays)
		if err != nil {
			return r, err
		}
		r.paid = &st
	}
	if cfg.Articles != nil && len(cfg.Feeds) > 0 {
		if r.feeds, err = cfg.Articles.FeedStates(ctx, cfg.Feeds); err != nil {
			return r, err
		}
	}
	r.topics = rankTopics(follows, topTopics)
	for i := range r.topics {
		r.topics[i].Label = b.topicName(r.topics[i].Label, lang)
	}
	return r, nil
}

// rankTopics returns the n most followed topics with followers, most
// followed first (ties by slug), labelled by slug; the caller names them.
func rankTopics(follows map[string]int64, n int) []chartBar {
	var out []chartBar
	for slug, k := range follows {
		if k > 0 {
			out = append(out, chartBar{Label: slug, N: k})
		}
	}
	slices.SortFunc(out, func(a, b chartBar) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Label, b.Label))
	})
	return out[:min(n, len(out))]
}

// topicName is the topic's name in lang, the slug for an unknown one.
func (b *Bot) topicName(slug, lang string) string {
	tp, ok := b.catalog.Get(slug)
	switch {
	case !ok:
		return slug
	case lang == "en" && tp.English != "":
		return tp.English
	}
	return tp.Arabic
}

func statsText(r statsReport, t *statsTexts, days int, now time.Time) string {
	var sb strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...); sb.WriteByte('\n') }
	esc := html.EscapeString

	line("%s\n", t.Title)
	line("%s", t.Readers)
	if r.nobody() {
		line("%s", t.NoReaders)
	} else {
		for _, st := range []subscribers.Status{subscribers.Active, subscribers.Paused, subscribers.Stopped, subscribers.Blocked} {
			line("• %s: %s", esc(t.Statuses[string(st)]), t.ReaderCount.Of(r.counts[st]))
		}
		sb.WriteByte('\n')
		line(t.Days, t.Span(days))
		recent := sinceFirst(r.days[len(r.days)-days:])
		if !slices.ContainsFunc(recent, moved) {
			line(t.NoMoves, t.Span(days))
			recent = nil
		}
		for _, d := range recent {
			if moved(d) {
				line(t.DayLine, t.Date(d.Day), d.Joined, d.Returned, d.Lost, d.Readers, d.Active)
			} else {
				line(t.DayQuiet, t.Date(d.Day), d.Readers, d.Active)
			}
		}
	}

	sb.WriteByte('\n')
	line("%s", t.TopTopics)
	if len(r.topics) == 0 {
		line("%s", t.NoFollows)
	}
	for i, tp := range r.topics {
		line("%d. %s: %s", i+1, esc(tp.Label), arabic.Plural(int(tp.N), t.Followers))
	}
	line("<i>%s</i>", t.KeywordsNotice)

	sb.WriteByte('\n')
	line("%s", t.Sources)
	if len(r.signups) == 0 {
		line("%s", t.NoSignups)
	}
	sources := slices.SortedFunc(maps.Keys(r.signups), func(a, b string) int {
		return cmp.Or(cmp.Compare(r.signups[b], r.signups[a]), cmp.Compare(a, b))
	})
	for i, src := range sources {
		if i == topTopics {
			break
		}
		name, ok := t.SourceNames[src]
		if !ok {
			name = fmt.Sprintf(t.SourceLink, src)
		}
		line("• %s: %s", esc(name), t.ReaderCount.Of(r.signups[src]))
	}
	if inv := r.invites; inv.Issued > 0 {
		sb.WriteByte('\n')
		line("%s", t.Invites)
		line(t.InvitesIssued, t.Invited.Of(inv.Issued))
		line(t.InvitesAccepted, t.Invited.Of(inv.Accepted), min(100, int(math.Round(float64(inv.Accepted)*100/float64(inv.Issued)))))
	}

	sb.WriteByte('\n')
	line("%s", t.Delivery)
	line(t.DeliveredDays, t.Span(days))
	line(t.DigestLine, t.Messages.Of(r.digests))
	line(t.BroadcastLine, t.Messages.Of(r.bcasts))
	if d := r.delivery; d != nil {
		line("%s", t.ThisInstance)
		line(t.SentLine, t.Messages.Of(d.Sent))
		line(t.FailedLine, t.Messages.Of(d.Failed))
		line(t.BlockedLine, t.ReaderCount.Of(d.Blocked))
		line(t.UnknownLine, t.Messages.Of(d.Unknown))
		line(t.RetriedLine, t.Messages.Of(d.Retried))
		line(t.ThrottledLine, t.Times.Of(d.Throttled429))
	} else {
		line("%s", t.NoSender)
	}
	if r.hi == 0 && r.lo == 0 {
		line("%s", t.QueueEmpty)
	} else {
		line("%s", t.Queue)
		line(t.QueueDigests, t.Messages.Of(r.hi))
		line(t.QueueBcasts, t.Messages.Of(r.lo))
	}
	if p := r.paid; p != nil {
		var spent int64 // paid messages: tenths of a Star
		for _, d := range p.Days {
			spent += d.Messages
		}
		// Off and never used: one line says so.
		line("%s", t.PaidStates[string(p.State)])
		if p.State != ratelimit.PaidOff {
			line(t.PaidToday, t.StarsOf(p.Today().Messages), t.StarsOf(p.PerDay))
		}
		if p.State != ratelimit.PaidOff || spent > 0 {
			line(t.PaidDays, t.Span(days), t.StarsOf(spent))
		}
	}

	sb.WriteByte('\n')
	line("%s", t.Feeds)
	if len(r.feeds) == 0 {
		line("%s", t.NoFeeds)
	}
	for _, f := range r.feeds {
		mark := "✅"
		if f.Failures > 0 || f.LastOK.IsZero() {
			mark = "⚠️"
		}
		parts := []string{t.FeedNever}
		if !f.LastOK.IsZero() {
			parts[0] = fmt.Sprintf(t.FeedOK, t.Age(now.Sub(f.LastOK)))
		}
		if f.Failures > 0 {
			parts = append(parts, arabic.Plural(f.Failures, t.FeedFailures))
		}
		if f.LastError != "" && f.Failures > 0 {
			parts = append(parts, fmt.Sprintf(t.FeedError, esc(truncateRunes(redact.Text(f.LastError), 120))))
		}
		line("%s %s: %s", mark, "<code>"+esc(redact.URL(f.URL))+"</code>", strings.Join(parts, t.Sep))
	}
	return strings.TrimSpace(sb.String())
}

// nobody reports that no reader ever subscribed.
func (r statsReport) nobody() bool {
	for _, n := range r.counts {
		if n > 0 {
			return false
		}
	}
	return true
}

// sinceFirst drops the days before the first reader subscribed: rows
// and bars of nobody say nothing.
func sinceFirst(days []subscribers.ReaderDay) []subscribers.ReaderDay {
	i := slices.IndexFunc(days, func(d subscribers.ReaderDay) bool { return d.Readers > 0 || moved(d) })
	if i < 0 {
		return days
	}
	return days[i:]
}

// moved reports a day on which someone joined, came back or left.
func moved(d subscribers.ReaderDay) bool { return d.Joined+d.Returned+d.Lost > 0 }

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
