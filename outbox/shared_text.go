package outbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// ErrTextExpired is returned for a job whose shared text is gone (the job
// outlived JobTTL).
var ErrTextExpired = errors.New("the job's shared text has expired")

// shareTexts stores, once, the text of every job that has a Ref, and
// strips it from the jobs (they carry the Ref instead). The text is
// content-addressed by its Ref, so storing it ahead of the queueing step
// that may be refused is harmless: it is the same text either way, and it
// expires with the jobs.
func (s *Store) shareTexts(ctx context.Context, reqs []DigestRequest) error {
	var jobs []*Job
	for _, r := range reqs {
		for i := range r.Jobs {
			jobs = append(jobs, &r.Jobs[i])
		}
	}
	return s.shareJobTexts(ctx, jobs)
}

// shareJobTexts is shareTexts for any jobs.
func (s *Store) shareJobTexts(ctx context.Context, jobs []*Job) error {
	seen := map[string]bool{}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, j := range jobs {
			if j.Ref == "" || j.Text == "" {
				continue
			}
			if !seen[j.Ref] {
				seen[j.Ref] = true
				p.SetNX(ctx, s.ks.SharedText(j.Ref), j.Text, JobTTL)
			}
			j.Text = ""
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store shared texts: %w", err)
	}
	return nil
}

// JobText returns the text to send for job: its own, or the shared text
// its Ref names.
func (s *Store) JobText(ctx context.Context, job Job) (string, error) {
	if job.Text != "" || job.Ref == "" {
		return job.Text, nil
	}
	t, err := s.rdb.Get(ctx, s.ks.SharedText(job.Ref)).Result()
	if errors.Is(err, redis.Nil) {
		// A job queued by an earlier version: its text is in its shard.
		t, err = s.rdb.Get(ctx, s.ks.ForChat(job.ChatID).SharedText(job.Ref)).Result()
	}
	if errors.Is(err, redis.Nil) {
		return "", ErrTextExpired
	}
	if err != nil {
		return "", fmt.Errorf("text of job %s: %w", job.ID, err)
	}
	return t, nil
}
