package wording

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"nashra/digest/arabic"
)

// text is one sentence of a book, named by where it lives (Bot.Welcome,
// Data.Statuses[active], Digest.More.Few).
type text struct {
	name, s string
	forms   *arabic.Forms
}

// texts walks a book and returns every string in it.
func texts(b *Book) []text {
	var out []text
	var walk func(name string, v reflect.Value)
	walk = func(name string, v reflect.Value) {
		if f, ok := v.Interface().(arabic.Forms); ok {
			out = append(out, text{name: name, forms: &f})
			return
		}
		switch v.Kind() {
		case reflect.String:
			out = append(out, text{name: name, s: v.String()})
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(name+"."+v.Type().Field(i).Name, v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(name+"["+strconv.Itoa(i)+"]", v.Index(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(name+"["+k.String()+"]", v.MapIndex(k))
			}
		}
	}
	walk("", reflect.ValueOf(*b))
	return out
}

// words splits s into words without diacritics or tatweel.
func words(s string) []string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) || r == 'ـ' {
			return -1
		}
		return r
	}, s)
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// TestArabicSaysOneThingOneWay holds the Arabic book to the newsroom's
// usage: the digest is النشرة (never الخلاصة), تلغرام is spelled one way,
// a followed word is a كلمة مفتاحية (not the calque كلمة حرّة), topics are
// المواضيع.
func TestArabicSaysOneThingOneWay(t *testing.T) {
	banned := []struct{ re, why string }{
		{`خلاص(ة|ت)`, "the digest is النشرة, not الخلاصة"},
		{`^(تيليغرام|تليغرام|تيليجرام|تليجرام|بتيليغرام)$`, "spelled تلغرام"},
		{`^حر(ة|ه)$`, "a followed word is a كلمة مفتاحية"},
		{`^(ال)?موضوعات$`, "topics are المواضيع, as /topics says"},
	}
	for _, tx := range texts(&Arabic) {
		for _, s := range tx.strings() {
			for _, w := range words(s) {
				for _, b := range banned {
					if regexp.MustCompile(b.re).MatchString(w) {
						t.Errorf("%s says %q: %s\n\t%s", tx.name, w, b.why, s)
					}
				}
			}
		}
	}
}

// TestArabicSpeaksAsWe: the service speaks as نحن, never as a singular
// «I»: «لا نعرف الأمر», not «لا أعرف الأمر». Nor does it open with the
// calque «تم» ("it was done").
func TestArabicSpeaksAsWe(t *testing.T) {
	singular := map[string]bool{
		"أستطيع": true, "أعرف": true, "أفهم": true, "أضف": true, "أجد": true,
		"أرسلها": true, "لإضافتي": true, "سأراسلك": true, "أراسلك": true, "سأرسل": true,
	}
	for _, tx := range texts(&Arabic) {
		if strings.Contains(tx.name, ".Button") {
			continue // «تم» on a button is the word for Done
		}
		for _, s := range tx.strings() {
			for i, w := range words(s) {
				if singular[w] {
					t.Errorf("%s speaks as «I» (%s), not «we»:\n\t%s", tx.name, w, s)
				}
				if w == "تم" && i < 2 {
					t.Errorf("%s opens with «تم»: say who did what:\n\t%s", tx.name, s)
				}
			}
		}
	}
}

var (
	tags     = regexp.MustCompile(`<[^>]*>`)
	commands = regexp.MustCompile(`/[a-z_]+(@%s)?( (en|ar))?`)
	verbs    = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	latin    = regexp.MustCompile(`[A-Za-z]+`)
)

// TestArabicShowsNoLatinCodes: an Arabic reader sees no code or status in
// Latin letters. Commands are what they type, and the way to English
// says "English" in English.
func TestArabicShowsNoLatinCodes(t *testing.T) {
	allowed := map[string]bool{"English": true, "For": true}
	for _, tx := range texts(&Arabic) {
		if strings.HasPrefix(tx.name, ".Menu[") && strings.HasSuffix(tx.name, ".Name") {
			continue // the command itself
		}
		for _, s := range tx.strings() {
			rest := commands.ReplaceAllString(verbs.ReplaceAllString(tags.ReplaceAllString(s, ""), ""), "")
			for _, w := range latin.FindAllString(rest, -1) {
				if !allowed[w] {
					t.Errorf("%s shows %q to an Arabic reader:\n\t%s", tx.name, w, s)
				}
			}
		}
	}
}

// countedNoun is a number written before an Arabic noun in a plain
// string: such a count must go through arabic.Forms, since the noun's
// form depends on the number («3 أخبار», «11 خبراً», «100 خبر»). «من»
// after a number («الصفحة 2 من 5») counts nothing.
// A number after «رقم» names a thing («الرسالة رقم 7»); it counts nothing
// either.
var countedNoun = regexp.MustCompile(`(\p{Arabic}+\s+)?%d\s+(\p{Arabic}+)`)

// TestArabicCountsAgree: every count in Arabic is written with Forms, and
// each Forms reads right for every class of number.
func TestArabicCountsAgree(t *testing.T) {
	for _, tx := range texts(&Arabic) {
		if tx.forms == nil {
			for _, m := range countedNoun.FindAllStringSubmatch(tx.s, -1) {
				if m[2] != "من" && strings.TrimSpace(m[1]) != "رقم" {
					t.Errorf("%s counts %q with a bare number; use arabic.Forms:\n\t%s", tx.name, m[2], tx.s)
				}
			}
			continue
		}
		f := *tx.forms
		for _, n := range []int{1, 2} {
			if got := arabic.Plural(n, f); strings.ContainsAny(got, "0123456789") || got == "" {
				t.Errorf("%s for %d = %q: one and two are said in words (the singular, the dual)", tx.name, n, got)
			}
		}
		for _, n := range []int{3, 10, 11, 99, 100, 101, 103, 111, 1000} {
			if got := arabic.Plural(n, f); !strings.Contains(got, strconv.Itoa(n)) {
				t.Errorf("%s for %d = %q: the number is missing", tx.name, n, got)
			}
		}
		// Many (11–99, accusative) and Other (100…, genitive) are written
		// alike for a feminine noun without its vowel marks («11 رسالة»,
		// «100 رسالة»); every other pair differs.
		seen := map[string]string{}
		for _, c := range []struct{ class, form string }{{"One", f.One}, {"Two", f.Two}, {"Few", f.Few}, {"Many", f.Many}} {
			if other, dup := seen[c.form]; dup {
				t.Errorf("%s: %s and %s are both %q; Arabic has a form for each", tx.name, c.class, other, c.form)
			}
			seen[c.form] = c.class
		}
		if class, dup := seen[f.Other]; dup && class != "Many" {
			t.Errorf("%s: Other and %s are both %q", tx.name, class, f.Other)
		}
	}
}

// TestBooksMatch: both languages say the same things with the same
// arguments, so no text is missing in one or fills its verbs wrongly.
func TestBooksMatch(t *testing.T) {
	ar, en := map[string]text{}, map[string]text{}
	for _, tx := range texts(&Arabic) {
		ar[tx.name] = tx
	}
	for _, tx := range texts(&English) {
		en[tx.name] = tx
	}
	for name, a := range ar {
		e, ok := en[name]
		switch {
		case !ok:
			if !strings.HasPrefix(name, ".Bot.ZoneCities[") {
				t.Errorf("%s is in Arabic only", name)
			}
			continue
		case (a.forms == nil) != (e.forms == nil):
			t.Errorf("%s: counted in one language only", name)
			continue
		case a.forms != nil:
			continue
		}
		// Arabic writes a day as day/month, with no short month names.
		if strings.TrimSpace(a.s) == "" && strings.TrimSpace(e.s) != "" && !strings.HasPrefix(name, ".Stats.ShortMonths[") {
			t.Errorf("%s is empty in Arabic", name)
		}
		if got, want := verbList(a.s), verbList(e.s); got != want {
			t.Errorf("%s: Arabic fills %s, English %s", name, got, want)
		}
	}
	for name := range en {
		if _, ok := ar[name]; !ok && !strings.HasPrefix(name, ".Bot.ZoneCities[") {
			t.Errorf("%s is in English only", name)
		}
	}
}

// verbList lists the fmt verbs of s in the order they are filled.
func verbList(s string) string {
	var vs []string
	for _, v := range verbs.FindAllString(s, -1) {
		if v != "%%" {
			vs = append(vs, v[len(v)-1:])
		}
	}
	if strings.Contains(s, "%[") {
		return "indexed"
	}
	return fmt.Sprint(vs)
}

// strings is what a reader can be shown of a text: the string, or each
// form of a count.
func (tx text) strings() []string {
	if tx.forms == nil {
		return []string{tx.s}
	}
	f := tx.forms
	return []string{f.One, f.Two, f.Few, f.Many, f.Other}
}
