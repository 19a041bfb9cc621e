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
// Every job goes to the high-priority stream; jobs must be for chatID.
// The jobs have no state until a sender begins them (JobState is "" while
// they wait); a job already sent is dropped then, unsent. With no jobs it
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
// pipelined round trip: each reader's step is still atomic, and a stale
// cursor is still refused (false at that index). Readers of one shard
// share a script call: for a large audience the cost of running a script
// at all, not what it does, was most of Redis's time.
func (s *Store) EnqueueDigests(ctx context.Context, reqs []DigestRequest) ([]bool, error) {
	share := false // a job carries a text to store under its Ref
	for _, r := range reqs {
		for _, j := range r.Jobs {
			if err := j.validate(); err != nil {
				return nil, fmt.Errorf("enqueue digest for %d: %w", r.ChatID, err)
			}
			if j.ChatID != r.ChatID {
				return nil, fmt.Errorf("enqueue digest for %d: job %s is for chat %d", r.ChatID, j.ID, j.ChatID)
			}
			share = share || j.Ref != "" && j.Text != ""
		}
	}
	if share {
		// Copy the jobs: sharing texts rewrites them. (A builder
		// sends a text once a run, so most batches have none.)
		reqs = append([]DigestRequest(nil), reqs...)
		for i := range reqs {
			reqs[i].Jobs = append([]Job(nil), reqs[i].Jobs...)
		}
		if err := s.shareTexts(ctx, reqs); err != nil {
			return nil, err
		}
	}
	// One script call per shard and per enqueueBatch readers: every
	// reader's check and writes are still one atomic step, and Redis runs
	// one script for many readers instead of one each.
	var calls []keyspace.Call
	var owners [][]int       // the requests of each call, in order
	filling := map[int]int{} // shard → its call being filled
	now := s.now()
	for i, r := range reqs {
		shard := keyspace.ShardOf(r.ChatID)
		k := s.ks.Shard(shard)
		c, ok := filling[shard]
		if !ok || len(owners[c]) == enqueueBatch {
			c = len(calls)
			filling[shard] = c
			call := keyspace.Call{Keys: make([]string, 1, 1+enqueueBatch), Args: make([]any, 2, 2+enqueueBatch*perReaderArgs)}
			call.Keys[0], call.Args[0], call.Args[1] = k.Queue(High.String()), now.Unix(), now.UnixMilli()
			calls = append(calls, call)
			owners = append(owners, nil)
		}
		call := &calls[c]
		call.Keys = append(call.Keys, k.Reader(r.ChatID))
		call.Args = append(call.Args, r.ChatID, len(r.Jobs), r.ExpectCursor, r.NewCursor, r.ExpectBreaking)
		for _, j := range r.Jobs {
			if short(j) {
				call.Args = append(call.Args, 0, j.ID, j.Kind, j.Ref)
				continue
			}
			at := len(call.Args)
			call.Args = s.appendJob(append(call.Args, 0), j)
			call.Args[at] = len(call.Args) - at - 1 // the entry's length, ahead of it
		}
		owners[c] = append(owners[c], i)
	}
	cmds, err := keyspace.RunBatch(ctx, s.rdb, enqueueDigestsScript, calls)
	if err != nil {
		return nil, fmt.Errorf("enqueue digests: %w", err)
	}
	out := make([]bool, len(reqs))
	for c, cmd := range cmds {
		res, err := cmd.Int64Slice()
		if err == nil && len(res) != len(owners[c]) {
			err = fmt.Errorf("%d answers for %d readers", len(res), len(owners[c]))
		}
		if err != nil {
			return nil, fmt.Errorf("enqueue digest for %d: %w", reqs[owners[c][0]].ChatID, err)
		}
		for n, i := range owners[c] {
			out[i] = res[n] == 1
		}
	}
	return out, nil
}

// enqueueBatch is how many readers' digests one script call queues at
// most: enough to spread the call's cost, few enough that Redis, which
// does nothing else while a script runs, is held for well under a
// millisecond (a reader's step takes Redis some 8 µs; 50 readers a call
// measured no faster).
const enqueueBatch = 20

// perReaderArgs is about the arguments a reader's digest of one message
// takes in a script call: five for the reader, and four for a job whose
// text is shared.
const perReaderArgs = 9

// short reports a job the script writes from its ID, kind and ref alone:
// one whose text is shared, queued now, with nothing else to say. Its
// entry is what Entry makes of it: ID, chat, kind, ref, queued time.
func short(j Job) bool {
	return j.Ref != "" && j.Text == "" && j.Markup == "" && j.Attempt == 0 && j.NotBefore.IsZero() && j.EnqueuedAt.IsZero()
}
