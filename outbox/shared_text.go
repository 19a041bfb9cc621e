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

// shareTexts stores, once, the text and buttons of every job that has a
// Ref, and strips them from the jobs (they carry the Ref instead). They
// are content-addressed by the Ref, so storing them ahead of the queueing
// step that may be refused is harmless: they are the same either way, and
// they expire with the jobs.
func (s *Store) shareTexts(ctx context.Context, reqs []DigestRequest) error {
	var jobs []*Job
	for _, r := range reqs {
		for i := range r.Jobs {
			jobs = append(jobs, &r.Jobs[i])
		}
	}
	return s.shareJobTexts(ctx, jobs)
}

// Fields of a shared text's hash.
const (
	sharedText   = "text"
	sharedMarkup = "markup"
)

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
				key := s.ks.SharedText(j.Ref)
				p.HSet(ctx, key, sharedText, j.Text, sharedMarkup, j.Markup)
				p.Expire(ctx, key, JobTTL)
			}
			j.Text, j.Markup = "", ""
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store shared texts: %w", err)
	}
	return nil
}

// JobContent returns the text to send for job and the buttons under it:
// its own, or those shared under its Ref.
func (s *Store) JobContent(ctx context.Context, job Job) (text, markup string, err error) {
	if job.Text != "" || job.Ref == "" {
		return job.Text, job.Markup, nil
	}
	v, err := s.rdb.HMGet(ctx, s.ks.SharedText(job.Ref), sharedText, sharedMarkup).Result()
	if err != nil {
		return "", "", fmt.Errorf("text of job %s: %w", job.ID, err)
	}
	if t, ok := v[0].(string); ok {
		m, _ := v[1].(string)
		return t, m, nil
	}
	// A job queued by an earlier version: its text is in its shard, its
	// buttons in its entry.
	t, err := s.rdb.Get(ctx, s.ks.ForChat(job.ChatID).SharedText(job.Ref)).Result()
	if errors.Is(err, redis.Nil) {
		return "", "", ErrTextExpired
	}
	if err != nil {
		return "", "", fmt.Errorf("text of job %s: %w", job.ID, err)
	}
	return t, job.Markup, nil
}
