package topics

import (
	"slices"
	"strings"
	"unicode/utf8"

	"nashra/digest/arabic"
)

// Nearness: what a reader typed that names no topic («أخبار الرقة», «قصد»
// for «قسد», «منبج اليوم», "kobane") is compared with every name the topic
// catalog resolves, after Arabic normalisation, word by word. Two words are
// near when they are the same once a proclitic and the article are set
// aside («بالرقة», «الرقة»), when one begins the other («داع», «داعش»), or
// when they are a typo apart (one letter changed, missing, added or two
// swapped; two in a long word). Small words that only carry the sentence
// («أخبار», «في», "news") do not count, nor words that only say what kind
// of thing a name is («مخيم», «قوات»), unless they are all there is.

// nearEnough is the least score a topic needs to be offered.
const nearEnough = 0.5

// Nearest returns up to n topics whose names are nearest to s, the nearest
// first (catalog order among equals); none when nothing is near. A topic
// whose name or alias s mentions («ماذا يجري في الرقة») is near.
func (c *Catalog) Nearest(s string, n int) []Topic {
	if n <= 0 || utf8.RuneCountInString(s) > maxNearestRunes {
		return nil
	}
	query := meaningful(arabic.Tokens(s))
	if len(query) == 0 {
		return nil
	}
	scores := make([]float64, len(c.topics))
	text := arabic.NewText(s)
	for i := range c.topics {
		if c.matches(i, text) {
			scores[i] = 0.9
		}
	}
	for key, i := range c.byKey {
		name := meaningful(strings.Fields(key))
		scores[i] = max(scores[i], nameScore(query, name))
	}
	var order []int
	for i, sc := range scores {
		if sc >= nearEnough {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return a - b
	})
	out := make([]Topic, 0, min(n, len(order)))
	for _, i := range order[:min(n, len(order))] {
		out = append(out, c.topic(i))
	}
	return out
}

// maxNearestRunes bounds the text compared: longer than a topic may be
// (the bot refuses it first), it is a sentence, not a name.
const maxNearestRunes = 256

// nameScore is how near the words of a query are to the words of a name:
// twice the sum of each query word's nearness to its nearest name word,
// over the words of both (1 for the same words).
func nameScore(query, name []string) float64 {
	if len(name) == 0 {
		return 0
	}
	sum := 0.0
	for _, q := range query {
		best := 0.0
		for _, w := range name {
			best = max(best, wordNearness(q, w))
		}
		sum += best
	}
	return 2 * sum / float64(len(query)+len(name))
}

// wordNearness is how near two normalised words are, from 0 to 1.
func wordNearness(a, b string) float64 {
	a, b = bare(a), bare(b)
	if a == b {
		return 1
	}
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	short := min(la, lb)
	if short < 3 {
		return 0
	}
	if (strings.HasPrefix(b, a) || strings.HasPrefix(a, b)) && max(la, lb)-short <= 3 {
		return 0.75
	}
	switch d := editDistance(a, b, 2); {
	case d == 1:
		return 0.7
	case d == 2 && short >= 6:
		return 0.55
	}
	return 0
}

// bare is a normalised word without the proclitics and article that do not
// change what it names: «بالرقه», «والرقه», «للرقه» and «الرقه» are «رقه».
// At least two letters remain.
func bare(w string) string {
	for _, p := range []string{"وال", "بال", "فال", "كال", "لل", "ال"} {
		if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= 2 {
			return rest
		}
	}
	return w
}

// editDistance is the number of letters inserted, deleted, replaced or
// swapped with their neighbour that turn a into b (optimal string
// alignment), counted up to limit+1: any distance above limit is limit+1.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	// Three rows: two back for a swap.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		least := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			least = min(least, cur[j])
		}
		if least > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit+1)
}

// meaningful drops from normalised words those that carry no name: the
// sentence's small words always, the words of kind unless nothing else
// remains.
func meaningful(words []string) []string {
	var out, kinds []string
	for _, w := range words {
		switch {
		case smallWords[w]:
		case kindWords[w]:
			kinds = append(kinds, w)
		default:
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return kinds
	}
	return out
}

// smallWords, normalised, carry a sentence rather than a name: a reader
// writes «أخبار الرقة» or "news about Raqqa" and means Raqqa.
var smallWords = map[string]bool{
	"في": true, "من": true, "على": true, "علي": true, "عن": true, "الى": true, "الي": true, "مع": true,
	"و": true, "او": true, "ثم": true, "هل": true, "ما": true, "ماذا": true, "متي": true, "كيف": true,
	"اين": true, "لماذا": true, "هذا": true, "هذه": true, "ذلك": true, "تلك": true, "التي": true,
	"الذي": true, "كل": true, "عند": true, "بين": true, "حول": true, "يا": true, "لا": true,
	"اخبار": true, "الاخبار": true, "خبر": true, "جديد": true, "اخر": true, "اليوم": true, "الان": true,
	"اريد": true, "بدي": true, "ابي": true, "ارجو": true, "تابع": true, "متابعه": true, "موضوع": true,
	"the": true, "a": true, "an": true, "of": true, "in": true, "on": true, "at": true, "to": true,
	"and": true, "or": true, "for": true, "about": true, "news": true, "latest": true, "what": true,
	"is": true, "follow": true,
}
