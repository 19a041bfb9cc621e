package arabic_test

import (
	"testing"

	"nashra/digest/arabic"
)

// "N more stories", as the digest says it.
var moreStories = arabic.Forms{
	One:   "خبر آخر",       // another story
	Two:   "خبران آخران",   // two other stories (dual)
	Few:   "%d أخبار أخرى", // N other stories (plural)
	Many:  "%d خبراً آخر",  // N other stories (singular, accusative)
	Other: "%d خبر آخر",    // N other stories (singular, genitive)
}

func TestPluralEveryClass(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{1, "خبر آخر"},
		{2, "خبران آخران"},
		{3, "3 أخبار أخرى"},
		{7, "7 أخبار أخرى"},
		{10, "10 أخبار أخرى"},
		{11, "11 خبراً آخر"},
		{13, "13 خبراً آخر"},
		{99, "99 خبراً آخر"},
		{100, "100 خبر آخر"},
		{101, "101 خبر آخر"},
		{102, "102 خبر آخر"},
		{103, "103 أخبار أخرى"},
		{110, "110 أخبار أخرى"},
		{111, "111 خبراً آخر"},
		{199, "199 خبراً آخر"},
		{200, "200 خبر آخر"},
		{1000, "1000 خبر آخر"},
		{1013, "1013 خبراً آخر"},
		{0, "0 خبر آخر"},
	}
	for _, tt := range tests {
		if got := arabic.Plural(tt.n, moreStories); got != tt.want {
			t.Errorf("Plural(%d) = %q; want %q", tt.n, got, tt.want)
		}
	}
}

// A form without %d (the dual, or English "a story") is written as is.
func TestPluralFormWithoutNumber(t *testing.T) {
	f := arabic.Forms{One: "a story", Two: "%d stories", Few: "%d stories", Many: "%d stories", Other: "%d stories"}
	for n, want := range map[int]string{1: "a story", 2: "2 stories", 12: "12 stories", 100: "100 stories"} {
		if got := arabic.Plural(n, f); got != want {
			t.Errorf("Plural(%d) = %q; want %q", n, got, want)
		}
	}
}
