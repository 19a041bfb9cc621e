package redistest

import (
	"context"
	"net"
	"strings"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// Count counts the commands sent on r's client, alone or in pipelines,
// that match reports true for, from now on: what a test asserts about the
// round trips a store makes.
func (r *Redis) Count(match func(redis.Cmder) bool) *atomic.Int64 {
	h := &counter{match: match}
	r.Client.AddHook(h)
	return &h.n
}

// NamesKey reports a command that names, among its arguments, a key
// ending in suffix (a Count matcher: the commands that touch one key).
func NamesKey(suffix string) func(redis.Cmder) bool {
	return func(c redis.Cmder) bool {
		for _, a := range c.Args() {
			if s, ok := a.(string); ok && strings.HasSuffix(s, suffix) {
				return true
			}
		}
		return false
	}
}

type counter struct {
	match func(redis.Cmder) bool
	n     atomic.Int64
}

func (c *counter) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (c *counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if c.match(cmd) {
			c.n.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (c *counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, cmd := range cmds {
			if c.match(cmd) {
				c.n.Add(1)
			}
		}
		return next(ctx, cmds)
	}
}
