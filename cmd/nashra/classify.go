package main

import (
	"context"
	"encoding/json"
	"flag"
	"strings"

	"nashra/digest"
	"nashra/digest/articles"
)

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// classifyCommand is `nashra classify [--follow TOPIC]... [FILE]`: one JSON
// object saying whether the article is in the site's scope, its topics,
// which follows match it, and its summary.
func classifyCommand(fs *flag.FlagSet) func(context.Context, *env) error {
	var follows repeated
	fs.Var(&follows, "follow", "a topic or keyword, as after /follow (repeatable)")
	return func(_ context.Context, e *env) error {
		catalog, err := loadCatalog(e.cfg)
		if err != nil {
			return err
		}
		title, body, err := readArticle(e, titleChoice{})
		if err != nil {
			return err
		}
		cl := (&digest.Classifier{Catalog: catalog}).Classify(title, nil, body)
		a := articles.Article{Topics: cl.Topics, InScope: cl.InScope}
		out := struct {
			InScope bool            `json:"in_scope"`
			Topics  []string        `json:"topics"`
			Follows map[string]bool `json:"follows"`
			Summary string          `json:"summary"`
		}{InScope: cl.InScope, Topics: cl.Topics, Follows: map[string]bool{}, Summary: strings.Join(cl.Summary, " ")}
		if out.Topics == nil {
			out.Topics = []string{}
		}
		for _, f := range follows {
			// A follow matches what the article is about, whether or not
			// the article is in the site's scope.
			a.InScope = true
			out.Follows[f] = digest.ParseInterest(catalog, []string{f}).Matches(a, cl.Text)
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
}
