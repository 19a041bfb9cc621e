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
		iter := node.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			if err := node.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
		}
		return iter.Err()
	}
	if cc, ok := c.(*redis.ClusterClient); ok {
		return cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error { return del(ctx, n) })
	}
	return del(ctx, c)
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
	var err error
	if cc, ok := r.Client.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error { return scan(ctx, n) })
	} else {
		err = scan(ctx, r.Client)
	}
	if err != nil {
		t.Fatalf("scan %s*: %v", r.Prefix, err)
	}
	return keys
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
