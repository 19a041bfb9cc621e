package subscribers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// Daily counters for /stats and the chart: one hash per metric and shard,
//
//	<prefix>{rN}:stats:<metric>   field YYYY-MM-DD (UTC day) → count
//	<prefix>{rN}:stats:signups    field source → readers who joined through it
//
// A count goes to the shard of the chat it is about, like every other key
// of the store, and is one HINCRBY on one key, so it is cluster-safe;
// readers sum the shards. Counts are made right after the state change
// they describe has succeeded: a counter is not state, and a crash between
// the two loses one count, never a reader.
const (
	// StatJoined counts readers created by /start.
	StatJoined = "joined"
	// StatReturned counts readers back from stopped or blocked.
	StatReturned = "returned"
	// StatLost counts readers who went from active or paused to stopped or
	// blocked.
	StatLost = "lost"
	// StatActivated counts readers who became active: new, back from
	// stopped or blocked, or out of a pause. StatDeactivated counts those
	// who left active: paused, stopped, blocked or forgotten. A group
	// moved to its supergroup is neither.
	StatActivated   = keyspace.StatActivated
	StatDeactivated = keyspace.StatDeactivated
	// StatSentDigest and StatSentBroadcast count delivered messages by job
	// kind ("sent:" + Job.Kind), for the sender to record.
	StatSentDigest    = "sent:digest"
	StatSentBroadcast = "sent:broadcast"
)

// DirectSource names the signups that came without a source in the link.
const DirectSource = "direct"

// dayLayout is the field format of the daily hashes (keyspace.StatDay).
const dayLayout = time.DateOnly

// Day returns the counter field of t: its date in UTC.
func Day(t time.Time) string { return keyspace.StatDay(t) }

// RecordDaily adds n to metric on the UTC day of day, in the shard of
// the chat the count is about.
func (s *Store) RecordDaily(ctx context.Context, chatID int64, metric string, day time.Time, n int64) error {
	if err := s.rdb.HIncrBy(ctx, s.ks.ForChat(chatID).Stats(metric), Day(day), n).Err(); err != nil {
		return fmt.Errorf("count %s: %w", metric, err)
	}
	return nil
}

// DayCount is one day's value of a series.
type DayCount struct {
	Day   time.Time // midnight UTC
	Count int64
}

// Daily returns metric for the days from the UTC day of from to that of
// to, inclusive and in order; days without a count are 0.
func (s *Store) Daily(ctx context.Context, metric string, from, to time.Time) ([]DayCount, error) {
	days := daysBetween(from, to)
	if len(days) == 0 {
		return nil, nil
	}
	fields := make([]string, len(days))
	for i, d := range days {
		fields[i] = Day(d)
	}
	cmds := make([]*redis.SliceCmd, 0, Shards)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range Shards {
			cmds = append(cmds, p.HMGet(ctx, s.ks.Shard(n).Stats(metric), fields...))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("daily %s: %w", metric, err)
	}
	out := make([]DayCount, len(days))
	for i, d := range days {
		out[i].Day = d
		for _, c := range cmds {
			out[i].Count += toInt(c.Val()[i])
		}
	}
	return out, nil
}

func daysBetween(from, to time.Time) []time.Time {
	start := truncateDay(from)
	end := truncateDay(to)
	var out []time.Time
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

func truncateDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func toInt(v any) int64 {
	s, ok := v.(string)
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// ReaderDay is one day of the audience.
type ReaderDay struct {
	Day      time.Time // midnight UTC
	Joined   int64     // new readers
	Returned int64     // back from stopped or blocked
	Lost     int64     // stopped or blocked
	// Readers is how many were subscribed (active or paused) at the end of
	// the day.
	Readers int64
	// Active is how many of them were active (not paused) at the end of
	// the day: those whom the day's digest reached.
	Active int64
}

// ReadersOverTime returns the last days days up to and including today
// (s's clock, UTC). The audience at the end of each day, and its active
// part, are reconstructed backwards from today's counts with the daily
// counters; before the counters existed they are flat.
func (s *Store) ReadersOverTime(ctx context.Context, days int) ([]ReaderDay, error) {
	if days <= 0 {
		return nil, nil
	}
	to := s.now()
	from := to.AddDate(0, 0, -(days - 1))
	counts, err := s.Counts(ctx)
	if err != nil {
		return nil, err
	}
	var series [5][]DayCount
	for i, m := range []string{StatJoined, StatReturned, StatLost, StatActivated, StatDeactivated} {
		if series[i], err = s.Daily(ctx, m, from, to); err != nil {
			return nil, err
		}
	}
	out := make([]ReaderDay, len(series[0]))
	now, active := counts[Active]+counts[Paused], counts[Active]
	for i := len(out) - 1; i >= 0; i-- {
		d := ReaderDay{
			Day: series[0][i].Day, Joined: series[0][i].Count,
			Returned: series[1][i].Count, Lost: series[2][i].Count,
			Readers: now, Active: active,
		}
		out[i] = d
		now = max(0, now-(d.Joined+d.Returned-d.Lost))
		active = max(0, active-(series[3][i].Count-series[4][i].Count))
	}
	return out, nil
}

// SignupsBySource returns how many readers joined through each signup
// source; those who came without one are under DirectSource.
func (s *Store) SignupsBySource(ctx context.Context) (map[string]int64, error) {
	cmds := make([]*redis.MapStringStringCmd, 0, Shards)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range Shards {
			cmds = append(cmds, p.HGetAll(ctx, s.ks.Shard(n).Stats("signups")))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("signups by source: %w", err)
	}
	out := make(map[string]int64)
	for _, c := range cmds {
		for src, v := range c.Val() {
			n, _ := strconv.ParseInt(v, 10, 64)
			out[src] += n
		}
	}
	return out, nil
}

// TopicFollowers returns how many readers follow each catalog topic in
// slugs (the size of its index, summed over the shards), whatever their
// status.
func (s *Store) TopicFollowers(ctx context.Context, slugs []string) (map[string]int64, error) {
	cmds := make(map[string][]*redis.IntCmd, len(slugs))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, slug := range slugs {
			f := TopicFollow(slug)
			for n := range Shards {
				cmds[slug] = append(cmds[slug], p.SCard(ctx, s.ks.Shard(n).Index(f.Key)))
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("topic followers: %w", err)
	}
	out := make(map[string]int64, len(slugs))
	for slug, cs := range cmds {
		for _, c := range cs {
			out[slug] += c.Val()
		}
	}
	return out, nil
}

// countStart records chat's /start: a new reader (and their source), or
// one back from stopped or blocked; either, or one out of a pause, is
// active again.
func (s *Store) countStart(ctx context.Context, chatID int64, res StartResult, source string) {
	day := Day(s.now())
	k := s.ks.ForChat(chatID)
	_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		switch {
		case res.Created:
			if source == "" {
				source = DirectSource
			}
			p.HIncrBy(ctx, k.Stats(StatJoined), day, 1)
			p.HIncrBy(ctx, k.Stats("signups"), source, 1)
		case res.Previous == Stopped || res.Previous == Blocked:
			p.HIncrBy(ctx, k.Stats(StatReturned), day, 1)
		}
		if res.Previous != Active {
			p.HIncrBy(ctx, k.Stats(StatActivated), day, 1)
		}
		return nil
	})
}

// countStatus records a change of status that changes the audience or
// its active part. A group moved to its supergroup is neither lost nor
// made inactive: MoveReader carries it over.
func (s *Store) countStatus(ctx context.Context, chatID int64, prev, st Status, reason string) {
	if isMigration(reason) {
		return
	}
	day := Day(s.now())
	k := s.ks.ForChat(chatID)
	subscribed := func(x Status) bool { return x == Active || x == Paused }
	_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		switch {
		case subscribed(prev) && !subscribed(st):
			p.HIncrBy(ctx, k.Stats(StatLost), day, 1)
		case !subscribed(prev) && subscribed(st):
			p.HIncrBy(ctx, k.Stats(StatReturned), day, 1)
		}
		switch {
		case prev == Active && st != Active:
			p.HIncrBy(ctx, k.Stats(StatDeactivated), day, 1)
		case prev != Active && st == Active:
			p.HIncrBy(ctx, k.Stats(StatActivated), day, 1)
		}
		return nil
	})
}

func isMigration(reason string) bool {
	const p = "migrated to "
	return len(reason) > len(p) && reason[:len(p)] == p
}
