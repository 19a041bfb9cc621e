package main

import (
	"context"
	"flag"
	"fmt"

	"nashra/digest"
	"nashra/digest/summary"
)

// summarizeCommand is `nashra summarize [--words N] [--title TEXT | --no-title] [FILE]`.
func summarizeCommand(fs *flag.FlagSet) func(context.Context, *env) error {
	words := fs.Int("words", digest.DefaultSummaryWords, "word budget (the last sentence may cross it)")
	title := fs.String("title", "", "the article's title; the whole file is then its body")
	noTitle := fs.Bool("no-title", false, "the file has no title line: summarise all of it")
	return func(_ context.Context, e *env) error {
		if *words <= 0 {
			return fmt.Errorf("%w: --words must be positive", errUsage)
		}
		if *title != "" && *noTitle {
			return fmt.Errorf("%w: --title and --no-title do not go together", errUsage)
		}
		title, body, err := readArticle(e, titleChoice{given: *title, none: *noTitle})
		if err != nil {
			return err
		}
		for _, s := range summary.Summarize(title, body, summary.Options{Words: *words}) {
			fmt.Fprintln(e.stdout, s)
		}
		return nil
	}
}
