package summary

import (
	"strings"
	"unicode/utf8"
)

// stopWords are frequent function words of news Arabic, in normalised form
// (alef, ya and ta marbuta folded as digest/arabic folds them). They carry
// no topic, so they neither make two sentences similar nor make a sentence
// central.
var stopWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`
		في من الي علي عن مع ان او ام ثم حتي اذا اذ لكن بل قد لقد لا لم لن ما ماذا هل
		كل بعض غير بين عند عندما حيث حين منذ خلال بعد قبل فوق تحت امام وراء حول ضد نحو لدي
		هذا هذه ذلك تلك هولاء هنا هناك الذي التي الذين اللذان اللتان اللواتي اللاتي
		هو هي هم هن هما نحن انا انت انتم كان كانت كانوا يكون تكون يكونون ليس ليست
		قال قالت يقول تقول اضاف اضافت اكد اكدت اشار اشارت كما ايضا وفق وفقا اي ايه
		كذلك لذلك لان لانه انه انها انهم به بها بهم له لها لهم منه منها منهم عليه عليها
		عليهم فيه فيها فيهم اليه اليها عنه عنها تم يتم سوف كي لكي لو لولا اما الا اذن جدا
		فقط ذات ذو الا اول احد احدي اخري اخر اخرى عام عاما يوم اليوم امس غدا مثل دون
		لدي اثناء ضمن عبر لدى وذلك وهذا وهو وهي ولا ولم وقد وفي ومن وعلي وما وان وكان
		بعض جميع كافه عده عدد اكثر اقل حوالي نحو قرابه بينما كلما اما فان بان كانه
		يا ايها الى على متى كيف لماذا اين هي عليه ثمه
	`) {
		m[w] = true
	}
	return m
}()

// stem strips one layer of common proclitics and a few suffixes, keeping at
// least three letters: a light stem, enough for «المقاتلين» and «مقاتلي» to
// count as one content word when measuring how central a sentence is. It is
// never used for matching topics, where it would be too loose.
func stem(w string) string {
	// Tokens are valid UTF-8, so byte prefixes are rune prefixes; the
	// lengths that must stay are counted in runes.
	n := utf8.RuneCountInString(w)
	stripped := false
	for _, p := range stemPrefixes {
		if strings.HasPrefix(w, p.s) && n-p.runes >= 3 {
			w, n, stripped = w[len(p.s):], n-p.runes, true
			break
		}
	}
	if !stripped && n >= 5 && (strings.HasPrefix(w, "و") || strings.HasPrefix(w, "ف")) {
		w, n = w[len("و"):], n-1
	}
	for _, s := range stemSuffixes {
		if strings.HasSuffix(w, s.s) && n-s.runes >= 3 {
			w, n = w[:len(w)-len(s.s)], n-s.runes
		}
	}
	return w
}

// affix is a prefix or suffix stem strips, with its length in runes.
type affix struct {
	s     string
	runes int
}

func affixes(ss ...string) []affix {
	out := make([]affix, len(ss))
	for i, s := range ss {
		out[i] = affix{s, utf8.RuneCountInString(s)}
	}
	return out
}

var (
	stemPrefixes = affixes("وال", "بال", "كال", "فال", "لل", "ال")
	stemSuffixes = affixes("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
)
