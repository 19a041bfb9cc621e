// Package subscribers owns the readers in Redis: each reader's record
// (status, language, schedule, digest cursor, signup source), what they
// follow, the topic → readers index, the daily counters of /stats, export
// and import, forgetting a reader, and moving a group to its supergroup.
//
// A reader's keys and the shard-wide sets they belong to share a hash tag
// ({rN}, N = chat ID mod Shards; the layout is keyspace's), so each
// multi-key change is one Lua script on one slot and the same code runs on
// Redis Cluster.
package subscribers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/keyspace"
)

// Shards is the number of hash tags readers are spread over.
const Shards = keyspace.Shards

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
	ks         keyspace.Space
	maxFollows int
	now        func() time.Time
}

// New returns a Store on rdb.
func New(rdb redis.UniversalClient, opt Options) *Store {
	s := &Store{rdb: rdb, ks: keyspace.New(opt.Prefix), maxFollows: opt.MaxFollows, now: opt.Now}
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
