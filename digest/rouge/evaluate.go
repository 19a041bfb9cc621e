package rouge

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Summarizer returns the summary of article in about words words, one
// sentence per element.
type Summarizer func(article string, words int) []string

// Report is the result of Evaluate: mean scores over the articles.
type Report struct {
	Budget   Budget
	Articles int
	System   Scores
	Lead     Scores
	// Mean summary lengths in protocol tokens, and mean length / budget.
	SystemWords, LeadWords float64
	SystemRatio, LeadRatio float64
	PerArticle             []Article
}

// Article is the evaluation of one article.
type Article struct {
	ID                     string
	Budget                 int
	System, Lead           Scores
	SystemWords, LeadWords int
}

// Evaluate scores summarize and the Lead baseline on dir, a folder with one
// subfolder per article holding article.txt and ref*.txt references.
// Subfolders without article.txt are skipped, as the reference script does.
func Evaluate(dir string, budget Budget, summarize Summarizer) (Report, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Report{}, fmt.Errorf("evaluate %s: %w", dir, err)
	}
	rep := Report{Budget: budget}
	for _, e := range entries { // ReadDir sorts by name
		a, ok, err := evaluateArticle(filepath.Join(dir, e.Name()), budget, summarize)
		if err != nil {
			return Report{}, fmt.Errorf("evaluate %s: %w", dir, err)
		}
		if ok {
			a.ID = e.Name()
			rep.PerArticle = append(rep.PerArticle, a)
		}
	}
	n := float64(len(rep.PerArticle))
	if n == 0 {
		return Report{}, fmt.Errorf("evaluate %s: no article folders", dir)
	}
	rep.Articles = len(rep.PerArticle)
	for _, a := range rep.PerArticle {
		rep.System = add(rep.System, a.System, n)
		rep.Lead = add(rep.Lead, a.Lead, n)
		rep.SystemWords += float64(a.SystemWords) / n
		rep.LeadWords += float64(a.LeadWords) / n
		rep.SystemRatio += float64(a.SystemWords) / float64(a.Budget) / n
		rep.LeadRatio += float64(a.LeadWords) / float64(a.Budget) / n
	}
	return rep, nil
}

func add(sum, s Scores, n float64) Scores {
	return Scores{R1: sum.R1 + s.R1/n, R2: sum.R2 + s.R2/n, RL: sum.RL + s.RL/n}
}

func evaluateArticle(dir string, budget Budget, summarize Summarizer) (Article, bool, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return Article{}, false, nil // manifests and notes beside the article folders
	}
	art, texts, err := ReadArticle(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Article{}, false, nil
		}
		return Article{}, false, err
	}
	refs := make([][]string, len(texts))
	for i, r := range texts {
		refs[i] = Tokens(r)
	}
	words := budget.For(len(Tokens(art)))
	sys := Tokens(strings.Join(summarize(art, words), "\n"))
	lead := Tokens(strings.Join(Lead(art, words), "\n"))
	return Article{
		Budget:      words,
		System:      ScoreTokens(sys, refs),
		Lead:        ScoreTokens(lead, refs),
		SystemWords: len(sys),
		LeadWords:   len(lead),
	}, true, nil
}

// ReadArticle reads an article folder laid out as EASC is: article.txt
// and the references, the files whose names start with "ref". An error
// wrapping fs.ErrNotExist means the folder holds no article.txt.
func ReadArticle(dir string) (article string, refs []string, err error) {
	if article, err = readText(filepath.Join(dir, "article.txt")); err != nil {
		return "", nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", nil, err
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "ref") {
			continue
		}
		r, err := readText(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", nil, err
		}
		refs = append(refs, r)
	}
	return article, refs, nil
}

// readText reads a file as the reference script's text mode does: \r\n and
// \r become \n.
func readText(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n"), nil
}

// String formats the report as a table of percentages.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "budget %s, %d articles\n", r.Budget, r.Articles)
	fmt.Fprintf(&b, "%-8s %6s %6s %6s %8s %8s\n", "", "R1", "R2", "RL", "words", "/budget")
	row := func(name string, s Scores, w, ratio float64) {
		fmt.Fprintf(&b, "%-8s %6.2f %6.2f %6.2f %8.1f %8.3f\n", name, 100*s.R1, 100*s.R2, 100*s.RL, w, ratio)
	}
	row("system", r.System, r.SystemWords, r.SystemRatio)
	row("lead", r.Lead, r.LeadWords, r.LeadRatio)
	return b.String()
}
