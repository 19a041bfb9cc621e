// Package subscribers owns the readers' state in Redis: each reader's record
// (status, language, schedule, digest cursor, signup source), what they
// follow, and the topic → readers index.
//
// Every key lives under one prefix. A reader's keys and the shard-wide sets
// they belong to share a hash tag ({rN}, N = chat ID mod Shards), so each
// multi-key change is one Lua script on one slot and the same code runs on
// Redis Cluster.
package subscribers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Shards is the number of hash tags readers are spread over. It is fixed:
// changing it would need a migration of every reader's keys.
const Shards = 16

// DefaultMaxFollows caps how many topics and keywords one reader may follow.
const DefaultMaxFollows = 60

// ErrNotFound is returned for a chat that never sent /start.
var ErrNotFound = errors.New("reader not found")

// Options configures a Store. The zero value is usable except for Prefix,
// which defaults to "nashra:".
type Options struct {
	Prefix     string
	MaxFollows int
	Now        func() time.Time
}

// Store reads and writes readers. It is safe for concurrent use.
type Store struct {
	rdb        redis.UniversalClient
	prefix     string
	maxFollows int
	now        func() time.Time
}

// New returns a Store on rdb.
func New(rdb redis.UniversalClient, opt Options) *Store {
	s := &Store{rdb: rdb, prefix: opt.Prefix, maxFollows: opt.MaxFollows, now: opt.Now}
	if s.prefix == "" {
		s.prefix = "nashra:"
	}
	if s.maxFollows <= 0 {
		s.maxFollows = DefaultMaxFollows
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// MaxFollows is the cap on follows per reader.
func (s *Store) MaxFollows() int { return s.maxFollows }

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}

func shard(chatID int64) int {
	if chatID < 0 {
		chatID = -chatID
	}
	return int(chatID % Shards)
}

// keys names the keys of one shard.
type keys struct {
	tag string // "<prefix>{rN}:"
}

func (s *Store) shardKeys(n int) keys {
	return keys{tag: s.prefix + "{r" + strconv.Itoa(n) + "}:"}
}

func (s *Store) keysFor(chatID int64) keys { return s.shardKeys(shard(chatID)) }

func (k keys) reader(chatID int64) string  { return k.tag + "u:" + strconv.FormatInt(chatID, 10) }
func (k keys) follows(chatID int64) string { return k.reader(chatID) + ":f" }
func (k keys) index(followKey string) string {
	return k.tag + "f:" + followKey
}
func (k keys) all() string { return k.tag + "readers" }
func (k keys) status(st Status) string {
	return k.tag + "status:" + string(st)
}

// statusKeys lists the per-status sets in the order the scripts expect.
func (k keys) statusKeys() []string {
	out := make([]string, len(statuses))
	for i, st := range statuses {
		out[i] = k.status(st)
	}
	return out
}
