package main

import (
	"context"
	"strings"
	"testing"

	"nashra/digest/articles"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

func TestDigestCommand(t *testing.T) {
	r := redistest.New(t)
	ctx := context.Background()
	readers := subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix})
	queue := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	arts := articles.New(r.Client, articles.Options{Prefix: r.Prefix})
	readers.Start(ctx, 77, subscribers.Joined{})
	readers.Follow(ctx, 77, subscribers.TopicFollow("sdf"))
	readers.SetSchedule(ctx, 77, subscribers.Instant)
	arts.Ingest(ctx, articles.Article{ID: "1", Link: "https://7al.net/1", Title: "بيان من قسد", Topics: []string{"sdf"}, InScope: true}, nil) // "a statement from the SDF"
	env := map[string]string{"NASHRA_REDIS_URL": r.URL, "NASHRA_REDIS_PREFIX": r.Prefix}

	out, errs, err := runCmd(t, env, "", "digest", "--dry-run")
	if err != nil || !strings.Contains(out, "بيان من قسد") || !strings.Contains(errs, "1 due") {
		t.Fatalf("dry run = %v\nout %s\nerr %s", err, out, errs)
	}
	if rd, _ := readers.Get(ctx, 77); rd.Cursor != 0 {
		t.Errorf("the dry run moved the cursor to %d", rd.Cursor)
	}
	_, errs, err = runCmd(t, env, "", "digest")
	if err != nil || !strings.Contains(errs, "1 digests") {
		t.Fatalf("digest = %v, %s", err, errs)
	}
	if hi, _, _ := queue.QueueDepth(ctx); hi != 1 {
		t.Errorf("%d jobs queued; want the digest", hi)
	}
	_, errs, _ = runCmd(t, env, "", "digest")
	if !strings.Contains(errs, "0 due") {
		t.Errorf("a second run: %s; want nothing due", errs)
	}
}
