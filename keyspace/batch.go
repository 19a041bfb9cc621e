package keyspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Call is one run of a script: the keys it declares and its arguments.
type Call struct {
	Keys []string
	Args []any
}

// RunBatch runs sc once for each call in one pipelined round trip (on a
// cluster go-redis sends each call to the node of its keys' slot) and
// returns each call's own command, in the order of calls. Every batch of
// scripts (digests, outbox jobs, imports) goes through it.
//
// Calls go by EVALSHA. A node that has not cached the script (first use, a
// restart, SCRIPT FLUSH, a failover) answers NOSCRIPT without running it,
// so exactly the calls answered NOSCRIPT run again by EVAL, which also
// caches the script on the node that runs it. The batch as a whole is never
// run again: its other calls have already run, and running them twice would
// turn their answers into "stale".
//
// Every other answer, a script's own error included, belongs to its call
// and is returned untouched. The error is only for a failed round trip (a
// broken connection, a timeout, a cancelled context): then some calls may
// have run and others not, and each command says which.
func RunBatch(ctx context.Context, rdb redis.Cmdable, sc *redis.Script, calls []Call) ([]*redis.Cmd, error) {
	cmds := make([]*redis.Cmd, len(calls))
	all := make([]int, len(calls))
	for i := range all {
		all[i] = i
	}
	bySHA := func(p redis.Pipeliner, c Call) *redis.Cmd { return sc.EvalSha(ctx, p, c.Keys, c.Args...) }
	if err := pipelineScripts(ctx, rdb, calls, all, cmds, bySHA); err != nil {
		return cmds, err
	}
	var again []int
	for i, c := range cmds {
		if redis.HasErrorPrefix(c.Err(), "NOSCRIPT") {
			again = append(again, i)
		}
	}
	if len(again) == 0 {
		return cmds, nil
	}
	byText := func(p redis.Pipeliner, c Call) *redis.Cmd { return sc.Eval(ctx, p, c.Keys, c.Args...) }
	return cmds, pipelineScripts(ctx, rdb, calls, again, cmds, byText)
}

// pipelineScripts sends calls[i] for each i in which in one pipeline and
// stores its command in out[i].
func pipelineScripts(ctx context.Context, rdb redis.Cmdable, calls []Call, which []int, out []*redis.Cmd,
	run func(redis.Pipeliner, Call) *redis.Cmd) error {
	_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, i := range which {
			out[i] = run(p, calls[i])
		}
		return nil
	})
	// Pipelined returns the first failed command's error, which is usually
	// one script's own answer (or NOSCRIPT). The round trip failed only
	// where a command holds an error that Redis did not send; on a cluster
	// that may be a later command than the first failed one.
	for _, i := range which {
		if e := out[i].Err(); e != nil && !isRedisReply(e) {
			return fmt.Errorf("run script: %w", e)
		}
	}
	if err != nil && !isRedisReply(err) {
		return fmt.Errorf("run script: %w", err)
	}
	return nil
}

// isRedisReply reports whether err is an answer from Redis (redis.Nil, a
// script's error, NOSCRIPT, OOM...) rather than a failure to get one.
func isRedisReply(err error) bool {
	var re redis.Error
	return errors.As(err, &re)
}
