// Package redistest gives each test a Redis of its own: the real server named
// by NASHRA_TEST_REDIS_URL when it is set, an in-process miniredis otherwise.
//
// On a shared server a test only ever touches keys under the random prefix it
// was handed, and those keys are deleted when the test ends.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// EnvURL names the variable that points the tests at a real Redis.
const EnvURL = "NASHRA_TEST_REDIS_URL"

// Redis is one test's slice of a Redis server.
type Redis struct {
	Client redis.UniversalClient
	// Prefix is unique to the test; every key the code under test writes
	// must start with it.
	Prefix string
	// URL reaches the same server (for code that dials by itself, such as
	// the nashra binary under test). Empty for miniredis until Addr is set.
	URL string
	// Mini is the in-process server, or nil when a real one is used.
	Mini *miniredis.Miniredis
}

// New returns a client and a fresh key prefix, and registers cleanup.
func New(t testing.TB) *Redis {
	t.Helper()
	prefix := "nashratest:" + randomHex(6) + ":"
	if url := os.Getenv(EnvURL); url != "" {
		return real(t, url, prefix)
	}
	m := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { _ = c.Close() })
	return &Redis{Client: c, Prefix: prefix, URL: "redis://" + m.Addr() + "/0", Mini: m}
}

// Real reports whether the tests run against a real server.
func Real() bool { return os.Getenv(EnvURL) != "" }

func real(t testing.TB, url, prefix string) *Redis {
	t.Helper()
	var c redis.UniversalClient
	if strings.HasPrefix(url, "redis+cluster://") || strings.HasPrefix(url, "rediss+cluster://") {
		opt, err := redis.ParseClusterURL(strings.Replace(url, "+cluster", "", 1))
		if err != nil {
			t.Fatalf("%s: %v", EnvURL, err)
		}
		c = redis.NewClusterClient(opt)
	} else {
		opt, err := redis.ParseURL(url)
		if err != nil {
			t.Fatalf("%s: %v", EnvURL, err)
		}
		c = redis.NewClient(opt)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("%s=%s does not answer: %v", EnvURL, url, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := DeletePrefix(ctx, c, prefix); err != nil {
			t.Errorf("clean up keys %s*: %v", prefix, err)
		}
		_ = c.Close()
	})
	return &Redis{Client: c, Prefix: prefix, URL: url}
}

// DeletePrefix removes every key under prefix, on every primary of a cluster.
func DeletePrefix(ctx context.Context, c redis.UniversalClient, prefix string) error {
	del := func(ctx context.Context, node redis.UniversalClient) error {
		// One pipeline of UNLINKs per page of the scan: a benchmark leaves
		// hundreds of thousands of keys, too many for a round trip each.
		var cursor uint64
		for {
			keys, next, err := node.Scan(ctx, cursor, prefix+"*", 1000).Result()
			if err != nil {
				return err
			}
			if len(keys) > 0 {
				if _, err := node.Pipelined(ctx, func(p redis.Pipeliner) error {
					for _, k := range keys {
						p.Unlink(ctx, k)
					}
					return nil
				}); err != nil {
					return err
				}
			}
			if cursor = next; cursor == 0 {
				return nil
			}
		}
	}
	return forEachPrimary(ctx, c, del)
}

// forEachPrimary runs f on every primary of a cluster (at once), or on c.
func forEachPrimary(ctx context.Context, c redis.UniversalClient, f func(context.Context, redis.UniversalClient) error) error {
	if cc, ok := c.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error { return f(ctx, n) })
	}
	return f(ctx, c)
}

// Keys lists the keys under the test's prefix (for assertions on what is stored).
func (r *Redis) Keys(t testing.TB) []string {
	t.Helper()
	ctx := context.Background()
	var (
		mu   sync.Mutex
		keys []string
	)
	scan := func(ctx context.Context, n redis.UniversalClient) error {
		iter := n.Scan(ctx, 0, r.Prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	if err := forEachPrimary(ctx, r.Client, scan); err != nil {
		t.Fatalf("scan %s*: %v", r.Prefix, err)
	}
	return keys
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// FlushScripts empties the script cache of the server (every primary of a
// cluster), as a restart or a failover to a fresh replica would: the next
// EVALSHA of any script is answered NOSCRIPT. On a shared server other
// tests' scripts are flushed too; code that runs scripts must cope anyway.
func (r *Redis) FlushScripts(t testing.TB) {
	t.Helper()
	if err := flushScripts(context.Background(), r.Client); err != nil {
		t.Fatalf("script flush: %v", err)
	}
}

// flushScripts flushes every node: a cluster client's SCRIPT FLUSH goes to
// each shard.
func flushScripts(ctx context.Context, c redis.UniversalClient) error {
	return c.ScriptFlush(ctx).Err()
}

// FlushScriptsMidPipeline makes the next pipeline of r.Client that starts
// with EVALSHA and holds more than after commands lose the script cache
// half-way: its first after commands are sent, then the cache is flushed,
// then the rest are sent. The caller sees one pipeline whose first calls
// ran and whose later ones were answered NOSCRIPT. It fires once; fired
// reports whether it has.
func (r *Redis) FlushScriptsMidPipeline(t testing.TB, after int) (fired func() bool) {
	t.Helper()
	h := &midPipelineFlush{client: r.Client, after: after}
	h.armed.Store(true)
	r.Client.AddHook(h)
	return func() bool { return !h.armed.Load() }
}

type midPipelineFlush struct {
	client redis.UniversalClient
	after  int
	armed  atomic.Bool
}

func (h *midPipelineFlush) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (h *midPipelineFlush) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }

func (h *midPipelineFlush) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) <= h.after || cmds[0].Name() != "evalsha" || !h.armed.CompareAndSwap(true, false) {
			return next(ctx, cmds)
		}
		first := next(ctx, cmds[:h.after])
		if err := flushScripts(ctx, h.client); err != nil {
			for _, c := range cmds[h.after:] {
				c.SetErr(err)
			}
			return err
		}
		rest := next(ctx, cmds[h.after:])
		if first != nil {
			return first // as a pipeline does: its first failed command's error
		}
		return rest
	}
}

// FlushRound is one batch of a test of code that runs scripts while the
// server loses its script cache (a restart, a failover, SCRIPT FLUSH).
type FlushRound struct {
	Name string
	// Flush arranges the loss before the batch runs; fired reports, after
	// the batch, whether the loss happened.
	Flush func(t testing.TB, r *Redis) (fired func() bool)
}

// FlushChats are n chat IDs for a script-flush test, spread over every
// shard so that a batch touches each of them.
func FlushChats(n int) []int64 {
	chats := make([]int64, n)
	for i := range chats {
		chats[i] = int64(500 + i)
	}
	return chats
}

// FlushRounds are the batches such a test runs, in order: after a flush,
// with the scripts cached, with the cache flushed after halfWay calls of
// the batch (its first calls ran, the others are answered NOSCRIPT), and
// after a flush again.
func FlushRounds(halfWay int) []FlushRound {
	always := func() bool { return true }
	return []FlushRound{
		{"flushed before the batch", func(t testing.TB, r *Redis) func() bool { r.FlushScripts(t); return always }},
		{"script cached", func(testing.TB, *Redis) func() bool { return always }},
		{"flushed half-way through the batch", func(t testing.TB, r *Redis) func() bool {
			return r.FlushScriptsMidPipeline(t, halfWay)
		}},
		{"flushed before the batch again", func(t testing.TB, r *Redis) func() bool { r.FlushScripts(t); return always }},
	}
}
