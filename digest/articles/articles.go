// Package articles stores the articles digests are made of, in Redis: each
// article once (whatever feed or link it arrives by), numbered by a global
// sequence, indexed by topic and by site scope, kept for 30 days; and each
// feed's polling state.
//
// All keys share the {ingest} hash tag: ingestion is a few hundred
// articles a day, so one slot is plenty, and it lets one Lua script dedup,
// number and index an article atomically, also on Redis Cluster.
package articles

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultTTL is how long an article is kept.
const DefaultTTL = 30 * 24 * time.Hour

// seenTTL is how long an article's identities are remembered after it
// expires, so that a feed still listing an old item does not bring it back.
const seenTTL = 90 * 24 * time.Hour

// Article is one stored article.
type Article struct {
	Seq       int64
	ID        string // identity: the GUID, or the canonical link
	Link      string
	Title     string
	Summary   []string // sentences
	Text      string   // plain full text, for keyword follows
	Topics    []string // catalog slugs
	InScope   bool
	Published time.Time // the feed's date, or when first seen if it had none
	SeenAt    time.Time
	Feed      string
	Author    string
	// Urgent: the site marked the article as breaking news (its title,
	// stored without the marker, or a category; see digest.Markers).
	Urgent bool
}

// Options configures a Store.
type Options struct {
	Prefix string // "nashra:" when empty
	TTL    time.Duration
	Now    func() time.Time
}

// Store keeps articles and feed state. Safe for concurrent use.
type Store struct {
	rdb    redis.UniversalClient
	tag    string // "<prefix>{ingest}:"
	prefix string
	ttl    time.Duration
	now    func() time.Time
}

// New returns a Store on rdb.
func New(rdb redis.UniversalClient, opt Options) *Store {
	if opt.Prefix == "" {
		opt.Prefix = "nashra:"
	}
	if opt.TTL <= 0 {
		opt.TTL = DefaultTTL
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Store{rdb: rdb, prefix: opt.Prefix, tag: opt.Prefix + "{ingest}:", ttl: opt.TTL, now: opt.Now}
}

func (s *Store) seqKey() string               { return s.tag + "seq" }
func (s *Store) seenKey() string              { return s.tag + "seen" }
func (s *Store) logKey() string               { return s.tag + "log" }
func (s *Store) scopeKey() string             { return s.tag + "scope" }
func (s *Store) timesKey() string             { return s.tag + "times" }
func (s *Store) articleKey(ref string) string { return s.tag + "a:" + ref }
func (s *Store) topicKey(slug string) string  { return s.tag + "topic:" + slug }
func (s *Store) feedKey(url string) string    { return s.tag + "feed:" + ref(url) }

// ref is the short, fixed-size name an article is stored under.
func ref(id string) string {
	sum := sha1.Sum([]byte(id))
	return hex.EncodeToString(sum[:10])
}

// Ingest stores a new article and returns its sequence number. When any
// of identities (the article's ID and other keys it is known by, such as
// its canonical link) was seen before, nothing is written and the earlier
// article's number is returned with added false: an edited article, or one
// listed in several category feeds, is one article.
func (s *Store) Ingest(ctx context.Context, a Article, identities []string) (seq int64, added bool, err error) {
	if a.ID == "" || a.Title == "" || a.Link == "" {
		return 0, false, fmt.Errorf("ingest %q: an article needs an ID, a title and a link", a.ID)
	}
	ids := append([]string{a.ID}, identities...)
	member := ref(a.ID)
	now := s.now()
	if a.SeenAt.IsZero() {
		a.SeenAt = now
	}
	keys := []string{s.seqKey(), s.seenKey(), s.logKey(), s.scopeKey(), s.timesKey(), s.articleKey(member)}
	for _, t := range a.Topics {
		keys = append(keys, s.topicKey(t))
	}
	scope := "0"
	if a.InScope {
		scope = "1"
	}
	args := []any{len(ids)}
	for _, id := range ids {
		args = append(args, id)
	}
	args = append(args, member, a.SeenAt.Unix(), int64(s.ttl/time.Second), scope,
		"id", a.ID, "link", a.Link, "title", a.Title,
		"summary", strings.Join(a.Summary, "\n"), "text", a.Text,
		"topics", strings.Join(a.Topics, ","), "scope", scope,
		"pub", a.Published.Unix(), "seen", a.SeenAt.Unix(), "feed", a.Feed, "author", a.Author)
	if a.Urgent {
		args = append(args, "urgent", "1")
	}
	res, err := ingestScript.Run(ctx, s.rdb, keys, args...).Int64Slice()
	if err != nil {
		return 0, false, fmt.Errorf("ingest %s: %w", a.ID, err)
	}
	return res[1], res[0] == 1, nil
}

// ingestScript: KEYS seq, seen, log, scope, times, article, topic indexes...
// ARGV n, n identities, member, seen-at, ttl, scope, then field/value pairs.
// Returns {1, seq} for a new article, {0, seq} for one seen before.
var ingestScript = redis.NewScript(`
local n = tonumber(ARGV[1])
for i = 2, n + 1 do
  local s = redis.call('ZSCORE', KEYS[2], ARGV[i])
  if s then return {0, tonumber(s)} end
end
local member, seen, ttl, scope = ARGV[n + 2], ARGV[n + 3], tonumber(ARGV[n + 4]), ARGV[n + 5]
local first = n + 6
if (#ARGV - first + 1) % 2 ~= 0 then return redis.error_reply('odd number of article fields') end
local seq = redis.call('INCR', KEYS[1])
local fields = {'seq', seq}
for i = first, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[6], unpack(fields))
redis.call('EXPIRE', KEYS[6], ttl)
for i = 2, n + 1 do redis.call('ZADD', KEYS[2], seq, ARGV[i]) end
redis.call('ZADD', KEYS[3], seq, member)
redis.call('ZADD', KEYS[5], seen, member)
if scope == '1' then redis.call('ZADD', KEYS[4], seq, member) end
for i = 7, #KEYS do redis.call('ZADD', KEYS[i], seq, member) end
return {1, seq}
`)

// Seen reports whether any of identities belongs to a stored article.
func (s *Store) Seen(ctx context.Context, identities ...string) (bool, error) {
	if len(identities) == 0 {
		return false, nil
	}
	scores, err := s.rdb.ZMScore(ctx, s.seenKey(), identities...).Result()
	if err != nil {
		return false, fmt.Errorf("seen: %w", err)
	}
	for _, sc := range scores {
		if sc != 0 {
			return true, nil
		}
	}
	return false, nil
}

// LastSeq is the sequence number of the newest article (0 when none).
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	n, err := s.rdb.Get(ctx, s.seqKey()).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("last article number: %w", err)
	}
	return n, nil
}

// After returns the in-scope articles numbered above cursor, oldest first,
// at most limit of them (all when limit <= 0). Articles that expired are
// left out.
func (s *Store) After(ctx context.Context, cursor int64, limit int) ([]Article, error) {
	by := &redis.ZRangeBy{Min: "(" + strconv.FormatInt(cursor, 10), Max: "+inf"}
	if limit > 0 {
		by.Count = int64(limit)
	}
	members, err := s.rdb.ZRangeByScore(ctx, s.scopeKey(), by).Result()
	if err != nil {
		return nil, fmt.Errorf("articles after %d: %w", cursor, err)
	}
	return s.load(ctx, members)
}

// Latest returns the newest n in-scope articles, oldest first.
func (s *Store) Latest(ctx context.Context, n int) ([]Article, error) {
	members, err := s.rdb.ZRevRange(ctx, s.scopeKey(), 0, int64(n-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("latest articles: %w", err)
	}
	for i, j := 0, len(members)-1; i < j; i, j = i+1, j-1 {
		members[i], members[j] = members[j], members[i]
	}
	return s.load(ctx, members)
}

// ByID returns the article stored under identity id.
func (s *Store) ByID(ctx context.Context, id string) (Article, bool, error) {
	as, err := s.load(ctx, []string{ref(id)})
	if err != nil || len(as) == 0 {
		return Article{}, false, err
	}
	return as[0], true, nil
}

func (s *Store) load(ctx context.Context, members []string) ([]Article, error) {
	if len(members) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(members))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, m := range members {
			cmds[i] = p.HGetAll(ctx, s.articleKey(m))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load articles: %w", err)
	}
	out := make([]Article, 0, len(members))
	for _, c := range cmds {
		if h := c.Val(); len(h) > 0 {
			out = append(out, decode(h))
		}
	}
	return out, nil
}

func decode(h map[string]string) Article {
	a := Article{
		ID:      h["id"],
		Link:    h["link"],
		Title:   h["title"],
		Text:    h["text"],
		InScope: h["scope"] == "1",
		Feed:    h["feed"],
		Author:  h["author"],
		Urgent:  h["urgent"] == "1",
	}
	a.Seq, _ = strconv.ParseInt(h["seq"], 10, 64)
	if h["summary"] != "" {
		a.Summary = strings.Split(h["summary"], "\n")
	}
	if h["topics"] != "" {
		a.Topics = strings.Split(h["topics"], ",")
	}
	a.Published = unix(h["pub"])
	a.SeenAt = unix(h["seen"])
	return a
}

func unix(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// Trim drops the index entries of articles older than the TTL (their
// hashes expire on their own), and forgets the identities of articles
// older than 90 days.
func (s *Store) Trim(ctx context.Context, topicSlugs []string) error {
	now := s.now()
	forget := now.Add(-max(seenTTL, s.ttl))
	b30, err := s.boundary(ctx, now.Add(-s.ttl))
	if err != nil {
		return fmt.Errorf("trim articles: %w", err)
	}
	b90, err := s.boundary(ctx, forget)
	if err != nil {
		return fmt.Errorf("trim articles: %w", err)
	}
	if b30 == 0 && b90 == 0 {
		return nil
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if b30 > 0 {
			upto := strconv.FormatInt(b30, 10)
			p.ZRemRangeByScore(ctx, s.scopeKey(), "-inf", upto)
			for _, slug := range topicSlugs {
				p.ZRemRangeByScore(ctx, s.topicKey(slug), "-inf", upto)
			}
		}
		if b90 > 0 {
			upto := strconv.FormatInt(b90, 10)
			p.ZRemRangeByScore(ctx, s.seenKey(), "-inf", upto)
			p.ZRemRangeByScore(ctx, s.logKey(), "-inf", upto)
			p.ZRemRangeByScore(ctx, s.timesKey(), "-inf", strconv.FormatInt(forget.Unix(), 10))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("trim articles: %w", err)
	}
	return nil
}

// boundary is the highest sequence number of the articles first seen
// before t (0 when none).
func (s *Store) boundary(ctx context.Context, t time.Time) (int64, error) {
	members, err := s.rdb.ZRangeByScore(ctx, s.timesKey(), &redis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(t.Unix(), 10)}).Result()
	if err != nil || len(members) == 0 {
		return 0, err
	}
	seqs, err := s.rdb.ZMScore(ctx, s.logKey(), members...).Result()
	if err != nil {
		return 0, err
	}
	var b float64
	for _, q := range seqs {
		b = max(b, q)
	}
	return int64(b), nil
}
