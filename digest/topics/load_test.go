package topics

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"nashra/digest/arabic"
)

func TestLoadFileAdd(t *testing.T) {
	base := Builtin()
	c, err := LoadFile("testdata/add.json", base)
	if err != nil {
		t.Fatal(err)
	}
	ts := c.Topics()
	if got, want := len(ts), len(base.Topics())+1; got != want {
		t.Fatalf("LoadFile(add.json) has %d topics, want %d", got, want)
	}
	if last := ts[len(ts)-1]; last.Slug != "sinjar" {
		t.Errorf("new topic not appended: last is %q", last.Slug)
	}
	// The override keeps the built-in position and takes the file's fields.
	baseSlugs := slugs(base.Topics())
	if got := slugs(ts)[:len(baseSlugs)]; !slices.Equal(got, baseSlugs) {
		t.Errorf("order changed: %q, want %q first", got, baseSlugs)
	}
	sdf, _ := c.Get("sdf")
	if sdf.English != "SDF (Syrian Democratic Forces)" || !slices.Contains(sdf.Aliases, "QSD") {
		t.Errorf("sdf not overridden: %+v", sdf)
	}
	// Aliases of the override replace the built-in ones: "مظلوم عبدي" is gone.
	if tp, ok := c.Lookup("مظلوم عبدي"); ok { // Mazloum Abdi
		t.Errorf("Lookup(Mazloum Abdi) = %q after override, want none", tp.Slug)
	}
	if tp, ok := c.Lookup("شنكال"); !ok || tp.Slug != "sinjar" { // Shingal (Sinjar)
		t.Errorf("Lookup(Shingal) = %q, %v", tp.Slug, ok)
	}
	if got := c.Match(arabic.NewText("عودة النازحين إلى سنجار")); !slices.Equal(got, []string{"displaced-return", "sinjar"}) { // "the displaced return to Sinjar"
		t.Errorf("Match(Sinjar) = %q", got)
	}
	if _, ok := base.Get("sinjar"); ok {
		t.Error("LoadFile modified the base catalog")
	}
}

func TestLoadFileReplace(t *testing.T) {
	c, err := LoadFile("testdata/replace.json", Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if got := slugs(c.Topics()); !slices.Equal(got, []string{"sdf", "weather"}) {
		t.Errorf("replace: slugs %q", got)
	}
	if _, ok := c.Get("isis"); ok {
		t.Error("replace kept a built-in topic")
	}
	text := arabic.NewText("حالة الطقس في الحسكة") // "the weather in Hasakah"
	if c.InScope(text) {
		t.Error("non-scope topic made the text in scope")
	}
	if got := c.Match(text); !slices.Equal(got, []string{"weather"}) {
		t.Errorf("Match = %q", got)
	}
}

// Groups are optional: a file may add or rename them, and a topic without
// one is listed last, under the other group.
func TestLoadFileGroups(t *testing.T) {
	c, err := LoadFile("testdata/groups.json", Builtin())
	if err != nil {
		t.Fatal(err)
	}
	secs := c.Sections()
	at := map[string]Section{}
	var order []string
	for _, s := range secs {
		at[s.Group.Slug] = s
		order = append(order, s.Group.Slug)
	}
	if want := []string{"actors", "damascus", "kurdish", "camps", "towns", "neighbours", "economy", "sport", "other"}; !slices.Equal(order, want) {
		t.Errorf("sections %q, want %q", order, want)
	}
	if g := at["towns"].Group; g.Arabic != "المدن والبلدات" || g.English != "Towns and villages" { // towns and villages
		t.Errorf("towns group not renamed: %+v", g)
	}
	if ts := at["towns"].Topics; ts[len(ts)-1].Slug != "sinjar" {
		t.Errorf("sinjar not listed under towns: %q", slugs(ts))
	}
	if ts := at["other"].Topics; len(ts) != 1 || ts[0].Slug != "weather" {
		t.Errorf("other group holds %q, want the weather topic only", slugs(ts))
	}
	football := at["sport"].Topics[0]
	if football.ShortName("ar") != "الكرة" || football.ShortName("en") != "Football" { // "the ball"
		t.Errorf("football short names %q, %q", football.ShortName("ar"), football.ShortName("en"))
	}
	if tp, ok := c.Lookup("الفوتبول"); !ok || tp.Slug != "football" { // "football", as spoken
		t.Errorf("Lookup(follow name) = %q, %v", tp.Slug, ok)
	}
	if c.MatchesTopic("football", arabic.NewText("دوري كرة القدم الأمريكية")) { // "the American football league"
		t.Error("football matched inside its except phrase")
	}
	if !c.MatchesTopic("football", arabic.NewText("منتخب كرة القدم")) { // "the football team"
		t.Error("football not matched")
	}
	// With replace, the built-in groups can still be named.
	r, err := Merge(Builtin(), File{Replace: true, Topics: []Topic{{Slug: "x", Arabic: "س", English: "x", Group: "towns"}}})
	if err != nil {
		t.Fatalf("replace with a built-in group: %v", err)
	}
	if secs := r.Sections(); len(secs) != 1 || secs[0].Group.Slug != "towns" {
		t.Errorf("replace: sections %+v", secs)
	}
}

func TestLoadFileNilBase(t *testing.T) {
	c, err := LoadFile("testdata/add.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := slugs(c.Topics()); !slices.Equal(got, []string{"sinjar", "sdf"}) {
		t.Errorf("slugs %q", got)
	}
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	dupInFile := filepath.Join(dir, "dup.json")
	if err := os.WriteFile(dupInFile, []byte(`{"topics": [
		{"slug": "a", "ar": "ا", "en": "a"},
		{"slug": "a", "ar": "ب", "en": "b"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		want []string // substrings of the error
	}{
		{"testdata/missing.json", []string{"topics file", "missing.json"}},
		{"testdata/invalid.json", []string{"topics file testdata/invalid.json", "invalid JSON at line 4"}},
		{"testdata/duplicate-alias.json", []string{"duplicate-alias.json", `topic "sdf-fighters"`, `alias "#قسد"`, `topic "sdf"`}},
		{"testdata/unknown-field.json", []string{"unknown-field.json", `unknown field "alias"`}},
		{"testdata/wrong-type.json", []string{"wrong-type.json", `field "replace"`, "line 1"}},
		{"testdata/empty.json", []string{"empty.json", "no topics"}},
		{"testdata/bad-slug.json", []string{"bad-slug.json", `topic "Follow SDF"`}},
		{"testdata/unknown-group.json", []string{"unknown-group.json", `topic "sinjar": unknown group "town"`, "towns"}},
		{dupInFile, []string{"dup.json", `topic "a": duplicate slug`}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			c, err := LoadFile(tt.file, Builtin())
			if err == nil {
				t.Fatalf("LoadFile(%s) succeeded with %d topics", tt.file, len(c.Topics()))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("LoadFile(%s) error %q lacks %q", tt.file, err, w)
				}
			}
		})
	}
}

func TestParseFileTrailingData(t *testing.T) {
	_, err := parseFile([]byte(`{"topics": [{"slug": "a", "ar": "ا", "en": "a"}]} {}`))
	if err == nil || !strings.Contains(err.Error(), "after the JSON object") {
		t.Errorf("parseFile with trailing data: %v", err)
	}
	_, err = parseFile(nil)
	if err == nil || !strings.Contains(err.Error(), "empty file") {
		t.Errorf("parseFile(empty): %v", err)
	}
}

func slugs(ts []Topic) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Slug
	}
	return out
}
