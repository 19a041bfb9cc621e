package keyspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"nashra/subscribers/redistest"
)

// countScript counts its runs in KEYS[1] and returns the count; with ARGV[1]
// "fail" it refuses after counting, so a call run twice shows either way.
var countScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if ARGV[1] == 'fail' then return redis.error_reply('refused call ' .. ARGV[2]) end
return n
`)

// countCalls makes n calls of countScript, each on its own key; the calls
// at the indexes in failing refuse.
func countCalls(r *redistest.Redis, n int, failing ...int) []Call {
	calls := make([]Call, n)
	for i := range calls {
		mode := "ok"
		for _, f := range failing {
			if f == i {
				mode = "fail"
			}
		}
		calls[i] = Call{Keys: []string{fmt.Sprintf("%scount:%d", r.Prefix, i)}, Args: []any{mode, i}}
	}
	return calls
}

// checkRanOnce asserts that every call ran exactly once (its key counts 1)
// and answered 1, or its own refusal when it is one of failing.
func checkRanOnce(t *testing.T, r *redistest.Redis, calls []Call, cmds []*redis.Cmd, failing ...int) {
	t.Helper()
	if len(cmds) != len(calls) {
		t.Fatalf("%d commands for %d calls", len(cmds), len(calls))
	}
	for i, c := range calls {
		runs, err := r.Client.Get(context.Background(), c.Keys[0]).Int()
		if err != nil || runs != 1 {
			t.Errorf("call %d ran %d times (%v); want once", i, runs, err)
		}
		n, err := cmds[i].Int()
		wantErr := ""
		for _, f := range failing {
			if f == i {
				wantErr = fmt.Sprintf("refused call %d", i)
			}
		}
		switch {
		case wantErr == "" && (err != nil || n != 1):
			t.Errorf("call %d = %d, %v; want 1", i, n, err)
		case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr) || !isRedisReply(err)):
			t.Errorf("call %d = %d, %v; want its own error %q", i, n, err, wantErr)
		}
	}
}

func TestRunBatchNoScriptEverywhere(t *testing.T) {
	r := redistest.New(t)
	r.FlushScripts(t)
	calls := countCalls(r, 20)
	cmds, err := RunBatch(context.Background(), r.Client, countScript, calls)
	if err != nil {
		t.Fatalf("batch after SCRIPT FLUSH: %v", err)
	}
	checkRanOnce(t, r, calls, cmds)
}

func TestRunBatchFlushedHalfWay(t *testing.T) {
	r := redistest.New(t)
	ctx := context.Background()
	if err := countScript.Load(ctx, r.Client).Err(); err != nil {
		t.Fatal(err)
	}
	fired := r.FlushScriptsMidPipeline(t, 8)
	calls := countCalls(r, 20)
	cmds, err := RunBatch(ctx, r.Client, countScript, calls)
	if err != nil {
		t.Fatalf("batch flushed half-way: %v", err)
	}
	if !fired() {
		t.Fatal("the script cache was not flushed during the batch")
	}
	checkRanOnce(t, r, calls, cmds)
}

func TestRunBatchOneCallFails(t *testing.T) {
	for _, flush := range []bool{false, true} {
		t.Run(fmt.Sprintf("flushed half-way %v", flush), func(t *testing.T) {
			r := redistest.New(t)
			ctx := context.Background()
			if err := countScript.Load(ctx, r.Client).Err(); err != nil {
				t.Fatal(err)
			}
			if flush {
				r.FlushScriptsMidPipeline(t, 8)
			}
			// Call 3 runs before the flush, call 15 after it (by EVAL).
			calls := countCalls(r, 20, 3, 15)
			cmds, err := RunBatch(ctx, r.Client, countScript, calls)
			if err != nil {
				t.Fatalf("a batch where two scripts refuse = %v; want their errors per call only", err)
			}
			checkRanOnce(t, r, calls, cmds, 3, 15)
		})
	}
}

func TestRunBatchFailedRoundTrip(t *testing.T) {
	r := redistest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := countCalls(r, 5)
	_, err := RunBatch(ctx, r.Client, countScript, calls)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("batch on a cancelled context = %v; want context.Canceled", err)
	}
	if keys := r.Keys(t); len(keys) != 0 {
		t.Errorf("a batch that never reached Redis wrote %v", keys)
	}
	if cmds, err := RunBatch(context.Background(), r.Client, countScript, nil); err != nil || len(cmds) != 0 {
		t.Errorf("empty batch = %v, %v; want nothing", cmds, err)
	}
}
