package main

import (
	"context"
	"flag"
	"fmt"

	"nashra/digest/rouge"
	"nashra/digest/summary"
)

// evalCommand is `nashra eval`: ROUGE of the summariser against the human
// summaries of a folder laid out like ../shared/eval/easc (one folder per
// article with article.txt and ref1.txt..refN.txt), beside the Lead
// baseline at the same budget. The protocol is eval/README.md's.
func evalCommand(fs *flag.FlagSet) func(ctx context.Context, e *env) error {
	dir := fs.String("dir", "", "folder of articles with reference summaries (required)")
	words := fs.Int("words", 0, "budget of `N` words per summary")
	third := fs.Bool("third", false, "budget of one third of each article's words; with neither --words nor --third, both one third and 60 words")
	cv := fs.Int("cv", 0, "cross-validate the summariser's weights over `K` folds by topic (manifest.tsv) at both budgets")
	return func(ctx context.Context, e *env) error {
		if *dir == "" {
			return fmt.Errorf("%w: eval needs --dir", errUsage)
		}
		if *cv != 0 {
			if *words != 0 || *third {
				return fmt.Errorf("%w: --cv scores both budgets; leave out --words and --third", errUsage)
			}
			return crossValidate(ctx, e.stdout, *dir, *cv)
		}
		if *words < 0 {
			return fmt.Errorf("%w: eval --words must be positive, not %d", errUsage, *words)
		}
		var budgets []rouge.Budget
		if *third || *words == 0 {
			budgets = append(budgets, rouge.Third)
		}
		switch {
		case *words > 0:
			budgets = append(budgets, rouge.Budget{Words: *words})
		case !*third:
			budgets = append(budgets, rouge.Budget{Words: digestWords})
		}
		for i, b := range budgets {
			if err := ctx.Err(); err != nil {
				return err
			}
			rep, err := rouge.Evaluate(*dir, b, summarizeArticle)
			if err != nil {
				return err
			}
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			fmt.Fprint(e.stdout, rep)
		}
		return nil
	}
}

// digestWords is the budget of a digest entry, the second budget that
// eval reports by default.
const digestWords = 60

// summarizeArticle summarises a plain-text article with no separate title,
// as `nashra eval` and `nashra summarize` read them: Summarize at a word
// budget, with no cap on the number of sentences.
func summarizeArticle(article string, words int) []string {
	return summary.Summarize("", article, summary.Options{Words: words})
}
