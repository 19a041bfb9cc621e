package sender

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/bot/telegramtest"
)

// failFinish makes the next n writes of a final "sent:" state fail as a
// dropped connection does, as when Redis restarts between a send and its
// record.
type failFinish struct{ n atomic.Int32 }

func (f *failFinish) DialHook(next redis.DialHook) redis.DialHook { return next }
func (f *failFinish) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
func (f *failFinish) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		name := strings.ToLower(cmd.Name())
		if name == "evalsha" || name == "eval" {
			for _, a := range cmd.Args() {
				if s, ok := a.(string); ok && strings.HasPrefix(s, "sent:") && f.n.Add(-1) >= 0 {
					err := errors.New("read tcp 127.0.0.1:6379: connection reset by peer")
					cmd.SetErr(err)
					return err
				}
			}
		}
		return next(ctx, cmd)
	}
}

// A message delivered while Redis is away is recorded as sent once Redis
// answers again: not left in flight for the janitor to call unknown (and,
// with NASHRA_RESEND_UNKNOWN, to send twice).
func TestSentRecordedWhenRedisComesBack(t *testing.T) {
	t.Parallel()
	for _, resend := range []bool{false, true} {
		t.Run(map[bool]string{false: "at most once", true: "at least once"}[resend], func(t *testing.T) {
			e := newEnv(t, telegramtest.Limits{})
			jobs := e.readers(7400, 3, "digest")
			f := &failFinish{}
			f.n.Store(4)
			e.redis.Client.AddHook(f)
			s := e.sender("a", func(o *Options) {
				o.ResendUnknown = resend
				o.ReclaimEvery, o.ReclaimIdle = 200*time.Millisecond, 10*time.Second
			})
			start(t, s)
			states := e.settle(jobs)
			for _, j := range jobs {
				if st := states[j.ID]; !strings.HasPrefix(st, "sent:") {
					t.Errorf("job %s ended %q; want sent", j.ID, st)
				}
				if n := len(e.srv.SentTo(j.ChatID)); n != 1 {
					t.Errorf("chat %d got %d messages; want 1", j.ChatID, n)
				}
			}
			if st := s.Stats(); st.Unknown != 0 {
				t.Errorf("stats %+v; want nothing unknown", st)
			}
		})
	}
}
