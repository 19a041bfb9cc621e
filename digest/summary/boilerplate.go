package summary

import (
	"slices"

	"nashra/digest/arabic"
)

type boilerplateKind int

const (
	content boilerplateKind = iota
	promo                   // a line of site furniture: drop it
	footer                  // the start of the closing furniture: drop it and the rest
)

func phrases(ss ...string) [][]string {
	out := make([][]string, len(ss))
	for i, s := range ss {
		out[i] = arabic.Tokens(s) // normalised exactly as sentences are
	}
	return out
}

var (
	// footerPhrases open the newsletter box and the like at the end of an
	// article; nothing after them is article text.
	footerPhrases = phrases(
		"هل أعجبك المحتوى",               // "did you like the content"
		"اشترك بنشرتنا البريدية",         // "subscribe to our newsletter"
		"اشترك في نشرتنا البريدية",       // same, with a preposition
		"يصل إلى صندوق بريدك الإلكتروني", // "reaches your e-mail inbox"
	)
	// promoPhrases mark a line that is furniture wherever it appears.
	promoPhrases = phrases(
		"نشرتنا البريدية", // "our newsletter"
		"انضم إلى قائمة",  // "join the list"
		"شارك هذا المقال", // "share this article"
		"شارك المقال",     // "share the article"
		"تابعونا على",     // "follow us on"
		"تابعنا على",      // "follow us on" (singular)
		"اضغط هنا",        // "click here"
		"انقر هنا",        // "click here"
		"حمل تطبيق",       // "download the app"
	)
	// promoOpenings mark a line that is furniture when it starts with them.
	promoOpenings = phrases(
		"اقرأ أيضاً",        // "read also"
		"اقرأ المزيد",       // "read more"
		"طالع أيضاً",        // "see also"
		"شاهد أيضاً",        // "watch also"
		"للمزيد من الأخبار", // "for more news"
		"مواضيع ذات صلة",    // "related topics"
		"المصدر",            // "source:" credit lines
		"الصورة",            // "photo:" captions credits
	)
)

// boilerplate classifies a sentence by its normalised tokens.
func boilerplate(toks []string) boilerplateKind {
	for _, p := range footerPhrases {
		if containsRun(toks, p) {
			return footer
		}
	}
	for _, p := range promoPhrases {
		if containsRun(toks, p) {
			return promo
		}
	}
	for _, p := range promoOpenings {
		// A credit line is short; a sentence that merely opens with
		// "the source" is article text.
		if len(toks) >= len(p) && slices.Equal(toks[:len(p)], p) && (len(p) > 1 || len(toks) <= 8) {
			return promo
		}
	}
	return content
}

// containsRun reports whether p occurs as a contiguous run in toks.
func containsRun(toks, p []string) bool {
	if len(p) == 0 {
		return false
	}
	for i := 0; i+len(p) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(p)], p) {
			return true
		}
	}
	return false
}
