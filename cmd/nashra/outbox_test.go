package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"nashra/outbox"
	"nashra/subscribers/redistest"
)

// deadLetterJobs queues jobs and dead-letters each with its reason, as
// the sender does with a message Telegram refuses.
func deadLetterJobs(t *testing.T, store *outbox.Store, reasons map[string]string, jobs ...outbox.Job) {
	t.Helper()
	ctx := context.Background()
	if err := store.Enqueue(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	shards := make([]int, outbox.Shards)
	for i := range shards {
		shards[i] = i
	}
	var read []outbox.Job
	for { // high priority first, then low
		got, err := store.Read(ctx, "test", shards, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			break
		}
		read = append(read, got...)
	}
	if len(read) != len(jobs) {
		t.Fatalf("read %d jobs; want %d", len(read), len(jobs))
	}
	for _, j := range read {
		if ok, err := store.Begin(ctx, j, "test"); !ok || err != nil {
			t.Fatalf("Begin = %v, %v", ok, err)
		}
		if err := store.DeadLetter(ctx, j, reasons[j.ID]); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOutboxDeadAndRedrive(t *testing.T) {
	ctx := context.Background()
	r := redistest.New(t)
	env := map[string]string{"NASHRA_REDIS_URL": r.URL, "NASHRA_REDIS_PREFIX": r.Prefix}
	store := outbox.New(r.Client, outbox.Options{Prefix: r.Prefix})
	jobs := []outbox.Job{
		{ID: "b:9:501", ChatID: 501, Kind: "broadcast", Text: "<b>عاجل</b>"}, // "breaking"
		{ID: "b:9:502", ChatID: 502, Kind: "broadcast", Text: "<b>عاجل</b>"},
		{ID: "d:503:1-4:1", ChatID: 503, Kind: "digest", Text: "<b>نشرة</b>", Priority: outbox.High}, // "newsletter"
	}
	deadLetterJobs(t, store, map[string]string{
		"b:9:501":     "Bad Request: message is too long",
		"b:9:502":     "Bad Request: TOPIC_CLOSED (still failing 24h0m0s after it was queued)",
		"d:503:1-4:1": "Bad Request: can't parse entities",
	}, jobs...)

	out, errs, err := runCmd(t, env, "", "outbox", "dead")
	if err != nil {
		t.Fatalf("outbox dead: %v\n%s", err, errs)
	}
	for _, want := range []string{"b:9:501  chat 501  broadcast", "attempts 1  Bad Request: message is too long", "d:503:1-4:1  chat 503  digest", "TOPIC_CLOSED"} {
		if !strings.Contains(out, want) {
			t.Errorf("outbox dead lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Count(out, "\n"); lines != 3 || !strings.Contains(errs, "3 dead letters shown, newest first") {
		t.Errorf("outbox dead printed %d lines, stderr %q; want 3, newest first", lines, errs)
	}
	out, _, err = runCmd(t, env, "", "outbox", "dead", "--json", "--limit", "2")
	if err != nil {
		t.Fatal(err)
	}
	var first deadLetterJSON
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &first) != nil || first.Job == "" || first.Attempts != 1 || first.Reason == "" || first.DeadAt.IsZero() {
		t.Errorf("outbox dead --json --limit 2 = %q; want 2 JSON lines with job, attempts, reason, time", out)
	}

	// No filter is a mistake, not "everything".
	if _, _, err := runCmd(t, env, "", "outbox", "redrive"); !errors.Is(err, errUsage) {
		t.Errorf("outbox redrive without a filter: %v; want a usage error", err)
	}
	out, _, err = runCmd(t, env, "", "outbox", "redrive", "--kind", "broadcast", "--dry-run")
	if err != nil || strings.Count(out, "would redrive") != 2 {
		t.Errorf("redrive --dry-run = %q, %v; want the two broadcasts listed", out, err)
	}
	if hi, lo, _ := store.QueueDepth(ctx); hi+lo != 0 {
		t.Errorf("--dry-run queued %d jobs; want none", hi+lo)
	}

	for i := range 2 { // twice: the second finds nothing to do
		out, errs, err = runCmd(t, env, "", "outbox", "redrive", "--reason", "too long")
		want := 1 - i
		if err != nil || strings.Count(out, "redriven b:9:501") != want {
			t.Errorf("redrive #%d --reason = %q, %q, %v; want b:9:501 redriven %d times", i+1, out, errs, err, want)
		}
	}
	if hi, lo, _ := store.QueueDepth(ctx); hi != 0 || lo != 1 {
		t.Errorf("after redrive: %d high, %d low jobs queued; want the broadcast once, in the low stream", hi, lo)
	}
	if st, _ := store.JobState(ctx, jobs[0]); st != outbox.StateQueued {
		t.Errorf("redriven job state = %q; want queued", st)
	}

	// The digest went out after all (a state that says sent): not redriven.
	dls, err := store.DeadLetters(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dls {
		if d.Job.ID == "d:503:1-4:1" {
			d.Job.StreamID = "0-1" // no entry in its stream to ack
			if err := store.Finish(ctx, d.Job, "sent:9"); err != nil {
				t.Fatal(err)
			}
		}
	}
	out, errs, err = runCmd(t, env, "", "outbox", "redrive", "--all")
	if err != nil || !strings.Contains(out, "redriven b:9:502") || !strings.Contains(out, "not redriven d:503:1-4:1: it was sent") || !strings.Contains(errs, "1 redriven, 1 already sent") {
		t.Errorf("redrive --all = %q, %q, %v; want the broadcast redriven, the sent digest left", out, errs, err)
	}
	if hi, lo, _ := store.QueueDepth(ctx); hi != 0 || lo != 2 {
		t.Errorf("after redrive --all: %d high, %d low queued; want 0 and 2", hi, lo)
	}
	dls, _ = store.DeadLetters(ctx, 10)
	if len(dls) != 1 || dls[0].Job.ID != "d:503:1-4:1" {
		t.Errorf("dead letters left = %+v; want only the sent digest", dls)
	}
}
