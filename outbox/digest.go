package outbox

import (
	"context"
	"fmt"

	"nashra/keyspace"
)

// EnqueueDigest queues a reader's digest and moves their cursor from
// expectCursor to newCursor in one step. It refuses, writing nothing and
// returning false, unless the reader exists, is active, still has
// expectCursor and no breaking news alert was queued for them meanwhile
// (none for a reader who had none): of two builders racing on the same
// reader only one queues.
// Every job goes to the high-priority stream; jobs must be for chatID. A
// job whose ID already has a state is not queued again. With no jobs it
// only moves the cursor.
func (s *Store) EnqueueDigest(ctx context.Context, chatID int64, expectCursor, newCursor int64, jobs []Job) (bool, error) {
	ok, err := s.EnqueueDigests(ctx, []DigestRequest{{ChatID: chatID, ExpectCursor: expectCursor, NewCursor: newCursor, Jobs: jobs}})
	if err != nil {
		return false, err
	}
	return ok[0], nil
}

// DigestRequest is one reader's digest for EnqueueDigests.
type DigestRequest struct {
	ChatID       int64
	ExpectCursor int64
	NewCursor    int64
	// ExpectBreaking is the reader's list of articles sent as breaking
	// news alerts, as the digest was built without them
	// (subscribers.DigestState.BreakingSent): a digest built before an
	// alert was queued is refused like one built on a moved cursor.
	ExpectBreaking string
	Jobs           []Job
}

// EnqueueDigests does what EnqueueDigest does for many readers in one
// pipelined round trip: each reader's step is still its own atomic script
// on its own slot, and a stale cursor is still refused (false at that
// index). Building digests for a large audience is bound by round trips,
// not by Redis, so this is what makes it scale.
func (s *Store) EnqueueDigests(ctx context.Context, reqs []DigestRequest) ([]bool, error) {
	// Copy the jobs: sharing texts rewrites them.
	reqs = append([]DigestRequest(nil), reqs...)
	for i := range reqs {
		reqs[i].Jobs = append([]Job(nil), reqs[i].Jobs...)
	}
	for _, r := range reqs {
		for _, j := range r.Jobs {
			if err := j.validate(); err != nil {
				return nil, fmt.Errorf("enqueue digest for %d: %w", r.ChatID, err)
			}
		}
	}
	if err := s.shareTexts(ctx, reqs); err != nil {
		return nil, err
	}
	calls := make([]keyspace.Call, len(reqs))
	for i, r := range reqs {
		k := s.ks.ForChat(r.ChatID)
		c := keyspace.Call{Keys: []string{k.Reader(r.ChatID), k.Queue(High.String())}, Args: []any{r.ExpectCursor, r.NewCursor, s.now().Unix(), ttlSeconds(), entryLen, r.ExpectBreaking}}
		for _, j := range r.Jobs {
			if j.ChatID != r.ChatID {
				return nil, fmt.Errorf("enqueue digest for %d: job %s is for chat %d", r.ChatID, j.ID, j.ChatID)
			}
			c.Keys = append(c.Keys, k.Job(j.ID))
			c.Args = append(c.Args, s.encodeJob(j)...)
		}
		calls[i] = c
	}
	cmds, err := keyspace.RunBatch(ctx, s.rdb, enqueueDigestScript, calls)
	if err != nil {
		return nil, fmt.Errorf("enqueue digests: %w", err)
	}
	out := make([]bool, len(cmds))
	for i, c := range cmds {
		n, err := c.Int()
		if err != nil {
			return nil, fmt.Errorf("enqueue digest for %d: %w", reqs[i].ChatID, err)
		}
		out[i] = n == 1
	}
	return out, nil
}
