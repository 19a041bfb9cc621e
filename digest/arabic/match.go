package arabic

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Text is a document prepared for matching: its tokens and, for each token,
// the forms it may stand for once proclitics and a few suffixes are removed.
// Prepare it once per article and match any number of phrases against it.
// A Text is safe for concurrent use by several goroutines.
type Text struct {
	tokens   []string
	variants [][]string
	// at maps every variant to the token positions that have it, in order.
	at map[string][]int32
}

// NewText tokenises and prepares s for matching.
func NewText(s string) *Text {
	toks := Tokens(s)
	t := &Text{
		tokens:   toks,
		variants: make([][]string, len(toks)),
		at:       make(map[string][]int32, len(toks)*2),
	}
	// All variants share one backing array; each token's are a full slice
	// expression of it so that appending to one can never overwrite another.
	all := make([]string, 0, len(toks)*3)
	for i, tok := range toks {
		start := len(all)
		all = appendVariants(all, tok)
		t.variants[i] = all[start:len(all):len(all)]
		for _, v := range t.variants[i] {
			t.at[v] = append(t.at[v], int32(i))
		}
	}
	return t
}

// Tokens returns the normalised tokens of the text. The caller must not
// modify the slice.
func (t *Text) Tokens() []string {
	if t == nil {
		return nil
	}
	return t.tokens
}

// Contains reports whether p occurs in t: each query token matched by
// consecutive text tokens. The zero Phrase is never contained.
func (t *Text) Contains(p Phrase) bool {
	if t == nil || len(p.tokens) == 0 {
		return false
	}
	for _, pos := range t.at[p.tokens[0]] {
		if t.matchesAt(int(pos), p.tokens) {
			return true
		}
	}
	return false
}

// ContainsOutside reports whether p occurs in t other than inside an
// occurrence of one of the phrases in within: «الحكومة السورية» (the
// Syrian government) outside «الحكومة السورية المؤقتة» (the opposition's
// interim government). With no phrases in within it is Contains.
func (t *Text) ContainsOutside(p Phrase, within []Phrase) bool {
	if t == nil || len(p.tokens) == 0 {
		return false
	}
	for _, pos := range t.at[p.tokens[0]] {
		if t.matchesAt(int(pos), p.tokens) && !t.inside(int(pos), len(p.tokens), within) {
			return true
		}
	}
	return false
}

// inside reports whether the n tokens from pos lie within an occurrence of
// one of the phrases.
func (t *Text) inside(pos, n int, phrases []Phrase) bool {
	for _, w := range phrases {
		m := len(w.tokens)
		for start := max(0, pos+n-m); start <= pos; start++ {
			if slices.Contains(t.variants[start], w.tokens[0]) && t.matchesAt(start, w.tokens) {
				return true
			}
		}
	}
	return false
}

func (t *Text) matchesAt(pos int, q []string) bool {
	if pos+len(q) > len(t.tokens) {
		return false
	}
	for j := 1; j < len(q); j++ {
		if !slices.Contains(t.variants[pos+j], q[j]) {
			return false
		}
	}
	return true
}

// Phrase is a compiled query: a keyword or a multi-word name, matched as
// consecutive whole words.
type Phrase struct {
	tokens []string
	raw    string
}

// NewPhrase compiles q. It reports false when q has no word in it (empty,
// spaces, punctuation only).
func NewPhrase(q string) (Phrase, bool) {
	toks := Tokens(q)
	if len(toks) == 0 {
		return Phrase{}, false
	}
	return Phrase{tokens: toks, raw: strings.Join(strings.Fields(q), " ")}, true
}

// Key returns the canonical normalised form of the phrase: its tokens joined
// by single spaces. Phrases with the same key match the same texts, so the key
// dedupes follows ("SDF" and "sdf", "#قسد" and "قسد").
func (p Phrase) Key() string { return strings.Join(p.tokens, " ") }

// String returns the phrase as it was given, with runs of white space
// collapsed, for display.
func (p Phrase) String() string { return p.raw }

// Tokens returns the normalised query tokens. The caller must not modify the
// slice.
func (p Phrase) Tokens() []string { return p.tokens }

// Proclitics. A single-letter proclitic is removed only when at least
// minBare letters remain, and the article only when at least minAfterArticle
// remain: «وقسد» gives «قسد», «السد» gives «سد», but «كسد» (stagnation)
// never gives «سد».
const (
	minBare         = 3
	minAfterArticle = 2
	// minSuffixStem is the shortest form a suffix removal may leave. It is
	// also, in effect, the shortest query that can match through a suffix,
	// so short names like «قسد» are never matched inside longer words.
	minSuffixStem = 4
	maxVariants   = 16
)

// The proclitic layers, each with "" for "absent".
var (
	conjunctions = []string{"", "و", "ف"}
	prepositions = []string{"", "ب", "ك", "ل"}
)

const article = "ال"

// appendVariants appends tok and the forms it may stand for to dst, without
// duplicates. The forms come from removing up to three proclitic layers
// (conjunction, preposition, article, in that order, as in «وبالتحالف»);
// where an article was removed the form with the article is kept too, so
// «بالتحالف» gives both «التحالف» and «تحالف», and «للقسد» (ل + ال) gives
// «القسد» and «قسد». Each form then yields its suffix-stripped forms.
func appendVariants(dst []string, tok string) []string {
	start := len(dst)
	dst = append(dst, tok)
	if r, _ := utf8.DecodeRuneInString(tok); r < 0x0600 || r > 0x06FF {
		return dst // proclitics and suffixes are Arabic-only
	}
	add := func(v string) {
		if len(dst)-start < maxVariants && !slices.Contains(dst[start:], v) {
			dst = append(dst, v)
		}
	}
	for _, c := range conjunctions {
		rest1, ok := strings.CutPrefix(tok, c)
		if !ok {
			continue
		}
		for _, p := range prepositions {
			rest2, ok := strings.CutPrefix(rest1, p)
			if !ok {
				continue
			}
			if c != "" || p != "" {
				if runeLen(rest2) >= minBare {
					add(rest2)
				}
			}
			if stem, ok := strings.CutPrefix(rest2, article); ok && runeLen(stem) >= minAfterArticle {
				add(stem)
				add(rest2)
			}
			// ل before the article drops the alef: ل + الرقة = للرقة.
			if p == "ل" {
				if stem, ok := strings.CutPrefix(rest2, "ل"); ok && runeLen(stem) >= minAfterArticle {
					add(stem)
					add(article + stem)
					// ل + ال + a word starting with ل drops a lam too:
					// ل + اللجنة = للجنة.
					if runeLen(rest2) >= minBare {
						add(article + rest2)
					}
				}
			}
		}
	}
	for i, n := start, len(dst); i < n; i++ {
		dst = appendSuffixForms(dst, start, dst[i])
	}
	return dst
}

// suffixRules: each suffix is replaced by each of its replacements. The list
// is short on purpose: plural and nisba endings and two pronouns. The bare
// nisba ي (الدولي → الدول "the states") and the dual ان (طالبان → طالب
// "student") make too many false friends and are left out.
var suffixRules = []struct {
	suffix string
	repl   []string
}{
	{"ات", []string{"", "ه"}}, // مخيمات → مخيم, منظمات → منظمه
	{"يون", []string{"ي"}},    // العراقيون → العراقي
	{"يين", []string{"ي"}},    // المدنيين → المدني
	{"يه", []string{"ي"}},     // الدولية → الدولي
	{"ها", []string{""}},      // سجونها → سجون
	{"هم", []string{""}},      // عائلاتهم → عائلات
}

func appendSuffixForms(dst []string, start int, form string) []string {
	for depth := 0; depth < 2; depth++ {
		next := ""
		for _, r := range suffixRules {
			base, ok := strings.CutSuffix(form, r.suffix)
			if !ok {
				continue
			}
			for _, rep := range r.repl {
				v := base + rep
				if runeLen(v) < minSuffixStem || len(dst)-start >= maxVariants || slices.Contains(dst[start:], v) {
					continue
				}
				dst = append(dst, v)
				if next == "" {
					next = v
				}
			}
		}
		if next == "" {
			break
		}
		form = next // one more layer: مخيماتها → مخيمات → مخيم
	}
	return dst
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }
