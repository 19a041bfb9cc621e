package outbox

import (
	"context"
	"fmt"
	"strconv"

	"nashra/keyspace"
)

// AlertRequest is one breaking news alert to one reader, for EnqueueAlerts.
type AlertRequest struct {
	Seq int64  // the article's sequence number
	Day string // the day it counts against: YYYY-MM-DD in the newsroom's zone
	Cap int    // how many alerts a reader may have that day
	Job Job    // one message, its ID unique per article and reader
}

// AlertOutcome is what EnqueueAlerts did with one request.
type AlertOutcome int

const (
	// AlertQueued: the alert is queued and counted against the day.
	AlertQueued AlertOutcome = iota
	// AlertDuplicate: the same job was queued before; nothing changed.
	AlertDuplicate
	// AlertCapped: the reader had the day's cap of alerts.
	AlertCapped
	// AlertInDigest: the reader's cursor passed the article, so it is in
	// a digest queued for them already.
	AlertInDigest
	// AlertNotWanted: the reader is gone, not active, or did not opt in
	// (or opted out since they were read).
	AlertNotWanted
)

// The answers of enqueueAlertScript.
const (
	alertQueued    = 1
	alertDuplicate = 0
	alertNoReader  = -1
	alertInactive  = -2
	alertNotWanted = -3
	alertInDigest  = -4
	alertCapped    = -5
)

var alertWords = keyspace.Words{
	"AlertQueued": alertQueued, "AlertDuplicate": alertDuplicate, "AlertNoReader": alertNoReader,
	"AlertInactive": alertInactive, "AlertNotWanted": alertNotWanted, "AlertInDigest": alertInDigest,
	"AlertCapped": alertCapped,
}

// EnqueueAlerts queues breaking news alerts, each in one atomic step on
// its reader's shard that checks the reader still wants it (active,
// opted in, the article not yet in a digest of theirs), that the job was
// not queued before, and the daily cap, then queues the job at high
// priority, counts it against the day and records the article among the
// reader's alerts so that their next digest leaves it out. Requests run
// in one pipelined round trip; feeding the same requests again, from any
// instance, queues and counts nothing twice.
func (s *Store) EnqueueAlerts(ctx context.Context, reqs []AlertRequest) ([]AlertOutcome, error) {
	// Copies of the jobs: sharing texts rewrites them.
	jobs := make([]*Job, len(reqs))
	for i := range reqs {
		j := reqs[i].Job
		if err := j.validate(); err != nil {
			return nil, fmt.Errorf("enqueue alert: %w", err)
		}
		if reqs[i].Day == "" || reqs[i].Seq <= 0 {
			return nil, fmt.Errorf("enqueue alert %s: an article number and a day are required", j.ID)
		}
		jobs[i] = &j
	}
	if err := s.shareJobTexts(ctx, jobs); err != nil {
		return nil, err
	}
	calls := make([]keyspace.Call, len(reqs))
	for i, r := range reqs {
		j := *jobs[i]
		j.Priority = High
		k := s.ks.ForChat(j.ChatID)
		calls[i] = keyspace.Call{
			Keys: []string{k.Reader(j.ChatID), k.Queue(High.String()), k.Job(j.ID)},
			Args: append([]any{r.Seq, r.Day, r.Cap, ttlSeconds()}, s.encodeJob(j)...),
		}
	}
	cmds, err := keyspace.RunBatch(ctx, s.rdb, enqueueAlertScript, calls)
	if err != nil {
		return nil, fmt.Errorf("enqueue alerts: %w", err)
	}
	out := make([]AlertOutcome, len(cmds))
	for i, c := range cmds {
		n, err := c.Int()
		if err != nil {
			return nil, fmt.Errorf("enqueue alert %s: %w", reqs[i].Job.ID, err)
		}
		switch n {
		case alertQueued:
			out[i] = AlertQueued
		case alertDuplicate:
			out[i] = AlertDuplicate
		case alertCapped:
			out[i] = AlertCapped
		case alertInDigest:
			out[i] = AlertInDigest
		case alertNoReader, alertInactive, alertNotWanted:
			out[i] = AlertNotWanted
		default:
			return nil, fmt.Errorf("enqueue alert %s: unexpected answer %s", reqs[i].Job.ID, strconv.Itoa(n))
		}
	}
	return out, nil
}
