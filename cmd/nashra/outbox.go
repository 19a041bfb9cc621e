package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"nashra/outbox"
)

// maxDeadLetters bounds what one command reads: each shard's dead-letter
// stream keeps about 10,000.
const maxDeadLetters = 1 << 20

// outboxCommand is `nashra outbox dead|redrive`: list the dead letters,
// or put chosen ones back in their stream to be sent.
func outboxCommand(*flag.FlagSet) func(context.Context, *env) error {
	return func(ctx context.Context, e *env) error {
		if len(e.args) == 0 {
			return fmt.Errorf("%w: outbox needs a subcommand: dead or redrive", errUsage)
		}
		sub, args := e.args[0], e.args[1:]
		fs := flag.NewFlagSet("nashra outbox "+sub, flag.ContinueOnError)
		fs.SetOutput(io.Discard) // help and errors are printed below
		fs.Usage = func() {}
		var do func(context.Context, *outbox.Store) error
		switch sub {
		case "dead":
			do = outboxDead(fs, e)
		case "redrive":
			do = outboxRedrive(fs, e)
		default:
			return fmt.Errorf("%w: unknown outbox subcommand %q (dead or redrive)", errUsage, sub)
		}
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				fmt.Fprintf(e.stdout, "usage: nashra outbox %s [flags]\n\nflags of outbox %s:\n", sub, sub)
				fs.SetOutput(e.stdout)
				fs.PrintDefaults()
				fmt.Fprintln(e.stdout, "\nnashra outbox -h lists the settings.")
				return nil
			}
			return fmt.Errorf("%w: %v (nashra outbox %s -h lists its flags)", errUsage, err, sub)
		}
		if fs.NArg() > 0 {
			return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
		}
		rdb, closeRedis, err := openRedis(ctx, e)
		if err != nil {
			return err
		}
		defer closeRedis()
		return do(ctx, outbox.New(rdb, outbox.Options{Prefix: e.cfg.RedisPrefix}))
	}
}

// deadLetterJSON is one line of `outbox dead --json`.
type deadLetterJSON struct {
	Job        string    `json:"job"`
	ChatID     int64     `json:"chat_id"`
	Kind       string    `json:"kind"`
	Priority   string    `json:"priority"`
	EnqueuedAt time.Time `json:"enqueued_at"`
	DeadAt     time.Time `json:"dead_at"`
	Attempts   int       `json:"attempts"`
	Reason     string    `json:"reason"`
}

func outboxDead(fs *flag.FlagSet, e *env) func(context.Context, *outbox.Store) error {
	limit := fs.Int("limit", 50, "show at most N dead letters, newest first")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	return func(ctx context.Context, store *outbox.Store) error {
		if *limit <= 0 {
			return fmt.Errorf("%w: --limit must be positive", errUsage)
		}
		dls, err := store.DeadLetters(ctx, int64(*limit))
		if err != nil {
			return err
		}
		now := time.Now()
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, d := range dls {
			if *asJSON {
				if err := enc.Encode(deadLetterJSON{
					Job: d.Job.ID, ChatID: d.Job.ChatID, Kind: d.Job.Kind, Priority: d.Job.Priority.String(),
					EnqueuedAt: d.Job.EnqueuedAt.UTC(), DeadAt: d.At.UTC(), Attempts: d.Job.Attempt, Reason: d.Reason,
				}); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(e.stdout, "%s  %s  chat %d  %s  age %s  attempts %d  %s\n",
				d.At.UTC().Format(time.RFC3339), d.Job.ID, d.Job.ChatID, d.Job.Kind,
				now.Sub(d.Job.EnqueuedAt).Round(time.Second), d.Job.Attempt, d.Reason)
		}
		fmt.Fprintf(e.stderr, "%d dead letters shown, newest first (at most %d)\n", len(dls), *limit)
		return nil
	}
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func outboxRedrive(fs *flag.FlagSet, e *env) func(context.Context, *outbox.Store) error {
	all := fs.Bool("all", false, "redrive every dead letter")
	var jobs multiFlag
	fs.Var(&jobs, "job", "redrive the dead letter of this job ID (repeatable)")
	kind := fs.String("kind", "", "redrive the dead letters of this kind (digest, broadcast, notice)")
	reason := fs.String("reason", "", "redrive the dead letters whose reason contains this text")
	dry := fs.Bool("dry-run", false, "print what would be redriven and change nothing")
	return func(ctx context.Context, store *outbox.Store) error {
		if !*all && len(jobs) == 0 && *kind == "" && *reason == "" {
			return fmt.Errorf("%w: say which dead letters: --all, --job ID, --kind K or --reason TEXT", errUsage)
		}
		dls, err := store.DeadLetters(ctx, maxDeadLetters)
		if err != nil {
			return err
		}
		counts := map[string]int{}
		for _, d := range dls {
			switch {
			case len(jobs) > 0 && !slices.Contains(jobs, d.Job.ID),
				*kind != "" && d.Job.Kind != *kind,
				*reason != "" && !strings.Contains(d.Reason, *reason):
				continue
			}
			if *dry {
				counts["would be redriven"]++
				fmt.Fprintf(e.stdout, "would redrive %s (chat %d, %s)\n", d.Job.ID, d.Job.ChatID, d.Job.Kind)
				continue
			}
			res, err := store.Redrive(ctx, d)
			if err != nil {
				return err
			}
			switch res {
			case outbox.RedriveQueued:
				counts["redriven"]++
				fmt.Fprintf(e.stdout, "redriven %s (chat %d, %s)\n", d.Job.ID, d.Job.ChatID, d.Job.Kind)
			case outbox.RedriveSent:
				counts["already sent"]++
				fmt.Fprintf(e.stdout, "not redriven %s: it was sent\n", d.Job.ID)
			case outbox.RedriveBusy:
				counts["already queued"]++
				fmt.Fprintf(e.stdout, "not redriven %s: it is queued or being sent\n", d.Job.ID)
			case outbox.RedriveGone:
				counts["redriven meanwhile"]++
			}
		}
		var parts []string
		for _, k := range []string{"would be redriven", "redriven", "already sent", "already queued", "redriven meanwhile"} {
			if counts[k] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
			}
		}
		if len(parts) == 0 {
			parts = []string{"no dead letter matched"}
		}
		fmt.Fprintln(e.stderr, strings.Join(parts, ", "))
		return nil
	}
}
