package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"nashra/bot"
	"nashra/digest/arabic"
	"nashra/digest/topics"
	"nashra/subscribers"
)

// exportCommand is `nashra export`: every reader, one JSON object per line,
// to stdout.
func exportCommand(*flag.FlagSet) func(context.Context, *env) error {
	return func(ctx context.Context, e *env) error {
		if len(e.args) > 0 {
			return fmt.Errorf("%w: export takes no arguments (it writes to stdout)", errUsage)
		}
		rdb, closeRedis, err := openRedis(ctx, e)
		if err != nil {
			return err
		}
		defer closeRedis()
		store := subscribers.New(rdb, subscribers.Options{Prefix: e.cfg.RedisPrefix})
		n, err := store.Export(ctx, e.stdout)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "exported %d readers\n", n)
		return nil
	}
}

// importCommand is `nashra import [FILE]`: readers from FILE, or stdin
// when there is none or it is "-". Bad lines are listed by number and the
// command fails after importing the good ones.
func importCommand(*flag.FlagSet) func(context.Context, *env) error {
	return func(ctx context.Context, e *env) error {
		var in io.Reader = e.stdin
		name := "stdin"
		switch len(e.args) {
		case 0:
		case 1:
			if e.args[0] != "-" {
				f, err := os.Open(e.args[0])
				if err != nil {
					return fmt.Errorf("import: %w", err)
				}
				defer f.Close()
				in, name = f, e.args[0]
			}
		default:
			return fmt.Errorf("%w: import takes at most one FILE", errUsage)
		}
		catalog, err := loadCatalog(e.cfg)
		if err != nil {
			return err
		}
		rdb, closeRedis, err := openRedis(ctx, e)
		if err != nil {
			return err
		}
		defer closeRedis()
		store := subscribers.New(rdb, subscribers.Options{Prefix: e.cfg.RedisPrefix})
		rep, err := store.Import(ctx, in, followResolver(catalog))
		for _, le := range rep.Errors {
			fmt.Fprintf(e.stderr, "%s: %s\n", name, le)
		}
		if rep.Rejected > len(rep.Errors) {
			fmt.Fprintf(e.stderr, "%s: … and %d more bad lines\n", name, rep.Rejected-len(rep.Errors))
		}
		fmt.Fprintf(e.stderr, "imported %d readers from %d lines; %d lines rejected\n", rep.Imported, rep.Lines, rep.Rejected)
		if err != nil {
			return err
		}
		if rep.Rejected > 0 {
			return fmt.Errorf("import: %d of %d lines rejected (the others were imported; fix those lines and import them again)", rep.Rejected, rep.Lines)
		}
		return nil
	}
}

// followResolver reads a follow of an import line: a slug of the catalog
// is that topic; anything else is a keyword, normalised as /follow does.
func followResolver(c *topics.Catalog) func(string) (subscribers.Follow, bool) {
	return func(s string) (subscribers.Follow, bool) {
		if t, ok := c.Get(s); ok {
			return subscribers.TopicFollow(t.Slug), true
		}
		words := strings.Join(strings.Fields(s), " ")
		if utf8.RuneCountInString(words) > bot.MaxTopicRunes {
			return subscribers.Follow{}, false
		}
		p, ok := arabic.NewPhrase(words)
		if !ok {
			return subscribers.Follow{}, false
		}
		return subscribers.KeywordFollow(words, p.Key()), true
	}
}
