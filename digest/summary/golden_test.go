package summary

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nashra/digest/feed"
	"nashra/digest/rouge"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/summaries.golden from the current code")

// goldenFile holds a digest of every summary of the seed, of each story of
// testdata/site.rss and of each EASC article, under the hand weights and
// the learned scorer, at the digest's limits and at the evaluation's
// budgets. The summaries themselves are not stored: EASC is research data
// that is not copied into the repository.
const goldenFile = "testdata/summaries.golden"

// goldenArticle is one article the golden summaries are taken of.
type goldenArticle struct {
	name, title, body string
	budgets           []int // the evaluation's budgets; the digest's limits are always tried
}

func goldenArticles(t *testing.T) (arts []goldenArticle, easc bool) {
	t.Helper()
	title, body := seed(t)
	arts = append(arts, goldenArticle{"seed", title, body, []int{20, 40, 60, 120}})
	data, err := os.ReadFile("../../testdata/site.rss")
	if err != nil {
		t.Fatal(err)
	}
	res, err := feed.Parse(data, "https://7al.net/feed/", "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range res.Items {
		arts = append(arts, goldenArticle{fmt.Sprintf("site.rss/%d", i), it.Title, it.Text, []int{40, 60}})
	}
	dir := filepath.Join("..", "..", "..", "shared", "eval", "easc")
	if _, err := os.Stat(dir); err != nil {
		dir = filepath.Join("..", "..", "..", "..", "shared", "eval", "easc")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*", "article.txt"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		third := max(1, len(rouge.Tokens(text))/3)
		arts = append(arts, goldenArticle{"easc/" + filepath.Base(filepath.Dir(p)), "", text, []int{third, 60}})
	}
	return arts, len(paths) > 0
}

// goldenLines are the golden file's lines for the current code: name,
// ranker, options, and the SHA-256 of the summary's sentences.
func goldenLines(arts []goldenArticle) []string {
	var out []string
	for _, a := range arts {
		opts := []Options{digestOpt, {Words: 60, MaxSentences: 3}}
		for _, w := range a.budgets {
			opts = append(opts, Options{Words: w})
		}
		for _, r := range []struct {
			name string
			p    Params
		}{{"hand", Defaults}, {"learned", Learned}} {
			for _, o := range opts {
				sum := sha256.Sum256([]byte(strings.Join(SummarizeWith(a.title, a.body, o, r.p), "\x00")))
				out = append(out, fmt.Sprintf("%s\t%s\twords=%d,sentences=%d,max=%d\t%s",
					a.name, r.name, o.Words, o.MaxSentences, o.MaxWords, hex.EncodeToString(sum[:12])))
			}
		}
	}
	return out
}

// Changes that are meant to make the summariser faster must not change a
// single summary: every summary of the seed, testdata/site.rss and EASC,
// by both rankers, is the one recorded in the golden file. A change that
// is meant to change summaries rewrites it (go test -run Golden -update)
// in the same commit.
func TestSummariesMatchGolden(t *testing.T) {
	arts, easc := goldenArticles(t)
	got := goldenLines(arts)
	if *updateGolden {
		if !easc {
			t.Fatal("the golden file needs the EASC folder (../shared/eval/easc)")
		}
		if err := os.WriteFile(goldenFile, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		i := strings.LastIndexByte(sc.Text(), '\t')
		want[sc.Text()[:i+1]] = sc.Text()[i+1:]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	checked, diffs := 0, 0
	for _, line := range got {
		i := strings.LastIndexByte(line, '\t')
		w, ok := want[line[:i+1]]
		if !ok {
			t.Errorf("%s: not in %s", line[:i], goldenFile)
			continue
		}
		checked++
		if w != line[i+1:] {
			diffs++
			if diffs <= 20 {
				t.Errorf("%s: summary changed", line[:i])
			}
		}
	}
	if diffs > 20 {
		t.Errorf("… %d summaries changed in all", diffs)
	}
	if !easc {
		t.Logf("EASC absent: checked %d of %d summaries", checked, len(want))
	} else if checked != len(want) {
		t.Errorf("checked %d summaries, the golden file has %d", checked, len(want))
	}
}
