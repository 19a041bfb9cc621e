package digest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"nashra/digest/articles"
)

// The digests of one run share their laid-out parts (pieceCache); each
// must read exactly as it would rendered alone, whatever was rendered
// before it: other followings, other languages, long titles cut to fit,
// digests split in several messages.
func TestSharedPiecesRenderTheSame(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 9))
	day := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	var pool []articles.Article
	for i := range 120 {
		title := "«قسد» تعلن حظر تجوال في دير الزور " + strings.Repeat("والحسكة ", rng.IntN(3)*60) + fmt.Sprint(i)
		pool = append(pool, articles.Article{
			Seq: int64(i + 1), ID: fmt.Sprint("a", i), Link: fmt.Sprint("https://7al.net/a", i), Title: title,
			Published: day.Add(-time.Duration(rng.IntN(600)) * time.Minute),
			Summary:   []string{"قال المرصد إن القوات انتشرت في المدينة.", strings.Repeat("وأكد مصدر محلي الخبر. ", 1+rng.IntN(8))},
		})
	}
	whys := [][]string{nil, {"قسد"}, {"دير الزور", "قسد"}, {"SDF"}}
	var shared pieceCache
	for round := range 300 {
		n := 1 + rng.IntN(60)
		picked := make([]Entry, 0, n)
		for _, i := range rng.Perm(len(pool))[:n] {
			picked = append(picked, Entry{Article: pool[i], Why: whys[rng.IntN(len(whys))]})
		}
		opt := RenderOptions{Lang: []string{"ar", "en"}[rng.IntN(2)], SiteURL: "https://7al.net/", Date: day, Full: 1 + rng.IntN(12), Limit: []int{0, 1500, 700}[rng.IntN(3)]}
		alone := Render(picked, opt)
		opt.pieces = &shared
		if got := Render(picked, opt); !slices.Equal(got, alone) {
			t.Fatalf("round %d (%d stories, %+v): with shared pieces\n%q\nalone\n%q", round, n, opt, got, alone)
		}
	}
	if len(shared.parts.m) == 0 || len(shared.rooms.m) == 0 {
		t.Fatalf("nothing was shared: %d parts, %d rooms", len(shared.parts.m), len(shared.rooms.m))
	}
}
