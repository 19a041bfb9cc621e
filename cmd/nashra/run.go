package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
	_ "time/tzdata" // time zones must load in a minimal image

	"github.com/redis/go-redis/v9"

	"nashra/digest/topics"
)

// errUsage marks a mistake on the command line (exit code 2).
var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// command is one subcommand: its own flags are added to the settings'.
type command struct {
	name    string
	args    string // its positional arguments, for its help
	summary string
	flags   func(fs *flag.FlagSet) func(ctx context.Context, e *env) error
}

// env is what a subcommand runs with.
type env struct {
	cfg    Config
	log    *slog.Logger
	args   []string // positional arguments after the flags
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

var commands = []command{
	{"run", "", "bot, scheduler and HTTP server (the default)", func(*flag.FlagSet) func(context.Context, *env) error { return runServe }},
	{"poll", "", "poll every feed once now, store new articles, print what was added", pollCommand},
	{"digest", "", "build the digests due now and queue them (--dry-run: print them)", digestCommand},
	{"preview", "", "print the digest a reader following --follow topics would get from --feed feeds (no Redis, no Telegram)", previewCommand},
	{"summarize", "[FILE]", "print the summary of a plain-text article (FILE or stdin; a short first line without a full stop is its title)", summarizeCommand},
	{"classify", "[FILE]", "print JSON: the article's topics, whether it is in scope, which --follow match", classifyCommand},
	{"eval", "", "ROUGE of the summariser and of Lead on a folder of articles with reference summaries (--dir, --words N | --third)", evalCommand},
	{"export", "", "write every reader as one JSON object per line to stdout (backup)", exportCommand},
	{"import", "[FILE]", "read readers (one JSON object per line) from FILE or stdin; idempotent", importCommand},
	{"outbox", "dead|redrive [flags]", "dead [--limit N] [--json]: list the dead letters, newest first; redrive [--all | --job ID | --kind K | --reason TEXT] [--dry-run]: send them again", outboxCommand},
	{"signup-link", "", "print the t.me signup link, the HTML snippet for the site and a QR code", signupLinkCommand},
	{"invite", "", "--csv EXPORT: one personal bot link per email subscriber, carrying the topics of their groups, as CSV for the last email campaign (--dry-run: the summary only)", inviteCommand},
	{"topics", "", "print the topic catalog", func(*flag.FlagSet) func(context.Context, *env) error { return runTopics }},
	{"healthcheck", "", "exit 0 when the local /livez answers 200 (--ready: /healthz), for container health checks", healthcheckCommand},
}

// run parses the command line and runs one subcommand.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	name := "run"
	if len(args) > 0 {
		switch {
		case isHelpFlag(args[0]):
			usage(stdout)
			return nil
		case args[0] == "--version" || args[0] == "-version":
			return runVersion(stdout, args[1:])
		case !strings.HasPrefix(args[0], "-"):
			name, args = args[0], args[1:]
		}
	}
	switch name {
	case "help":
		return runHelp(stdout, args)
	case "version":
		return runVersion(stdout, args)
	}
	cmd := findCommand(name)
	if cmd == nil {
		fmt.Fprintf(stderr, "nashra: unknown command %q\n\n", name)
		usage(stderr)
		return fmt.Errorf("%w: unknown command %q", errUsage, name)
	}
	fs, do, vals := cmd.flagSet()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			cmd.help(stdout)
			return nil
		}
		return fmt.Errorf("%w: %v\n%s", errUsage, err, cmd.hint())
	}
	cfg, err := resolveConfig(fs, vals, getenv)
	if err != nil {
		return fmt.Errorf("invalid settings:\n%w", err)
	}
	log := newLogger(stderr, cfg.LogLevel, cfg.LogFormat, cfg.Token)
	redis.SetLogger(newRedisLogger(log))
	// A test runs many commands in one process: later go-redis lines must
	// not land in the output of a command that has returned.
	defer redis.SetLogger(newRedisLogger(slog.Default()))
	e := &env{cfg: cfg, log: log, args: fs.Args(), stdin: stdin, stdout: stdout, stderr: stderr}
	if err := do(ctx, e); err != nil {
		msg := redactToken(err.Error(), cfg.Token)
		if errors.Is(err, errUsage) && !strings.Contains(msg, " -h") {
			msg += "\n" + cmd.hint()
		}
		return redactedError{msg: msg, err: err}
	}
	return nil
}

// redactedError prints without the token and still matches errors.Is.
type redactedError struct {
	msg string
	err error
}

func (r redactedError) Error() string { return r.msg }
func (r redactedError) Unwrap() error { return r.err }

// loadCatalog is the built-in topic catalog, extended or replaced by
// NASHRA_TOPICS_FILE.
func loadCatalog(cfg Config) (*topics.Catalog, error) {
	if cfg.TopicsFile == "" {
		return topics.Builtin(), nil
	}
	c, err := topics.LoadFile(cfg.TopicsFile, topics.Builtin())
	if err != nil {
		return nil, fmt.Errorf("NASHRA_TOPICS_FILE: %w", err)
	}
	return c, nil
}

func runTopics(_ context.Context, e *env) error {
	c, err := loadCatalog(e.cfg)
	if err != nil {
		return err
	}
	for _, s := range c.Sections() {
		fmt.Fprintf(e.stdout, "# %s · %s (%s)\n", s.Group.Arabic, s.Group.English, s.Group.Slug)
		for _, t := range s.Topics {
			scope := ""
			if t.Scope {
				scope = " [scope]"
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s%s\n\t%s\n", t.Slug, t.Arabic, t.English, scope, strings.Join(t.Aliases, "، "))
			if len(t.FollowNames) > 0 {
				fmt.Fprintf(e.stdout, "\t/follow: %s\n", strings.Join(t.FollowNames, "، "))
			}
		}
	}
	return nil
}

// shutdownTimeout bounds the orderly stop after SIGTERM.
const shutdownTimeout = 15 * time.Second
