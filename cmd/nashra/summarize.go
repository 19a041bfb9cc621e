package main

import (
	"context"
	"flag"
	"fmt"

	"nashra/digest"
	"nashra/digest/summary"
)

// summarizeCommand is `nashra summarize [--words N] [FILE]`.
func summarizeCommand(fs *flag.FlagSet) func(context.Context, *env) error {
	words := fs.Int("words", digest.DefaultSummaryWords, "word budget (the last sentence may cross it)")
	return func(_ context.Context, e *env) error {
		if *words <= 0 {
			return fmt.Errorf("%w: --words must be positive", errUsage)
		}
		title, body, err := readArticle(e)
		if err != nil {
			return err
		}
		for _, s := range summary.Summarize(title, body, summary.Options{Words: *words}) {
			fmt.Fprintln(e.stdout, s)
		}
		return nil
	}
}
