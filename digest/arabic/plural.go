package arabic

import (
	"strconv"
	"strings"
)

// Forms are the ways a counted noun phrase is written, by Arabic's number
// agreement; %d marks where the number goes. The class is chosen by n
// and, from 100 on, by n % 100 (as in CLDR's Arabic plural rules):
// 103 takes Few, 111 takes Many, 100–102 and 200 take Other.
type Forms struct {
	One   string // n = 1, without the number: «خبر آخر»
	Two   string // n = 2, the dual, without the number: «خبران آخران»
	Few   string // n % 100 in 3–10: the plural, «%d أخبار أخرى»
	Many  string // n % 100 in 11–99: the singular in the accusative, «%d خبراً آخر»
	Other string // 0, 100–102, 200…: the singular in the genitive, «%d خبر آخر»
}

// Plural writes n with the form its number class takes. Every count shown
// to a reader goes through it.
func Plural(n int, f Forms) string {
	form := f.Other
	switch m := n % 100; {
	case n == 1:
		form = f.One
	case n == 2:
		form = f.Two
	case n > 0 && m >= 3 && m <= 10:
		form = f.Few
	case n > 0 && m >= 11:
		form = f.Many
	}
	return strings.ReplaceAll(form, "%d", strconv.Itoa(n))
}
