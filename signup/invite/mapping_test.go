package invite

import (
	"os"
	"slices"
	"strings"
	"testing"

	"nashra/digest/topics"
)

// Without a mapping file a group maps when it names a topic as a reader
// would after /follow: in Arabic or English, by alias, hashtag or slug.
func TestMappingByCatalog(t *testing.T) {
	m := NewMapping(topics.Builtin())
	for _, c := range []struct {
		groups         []string
		slugs, unknown []string
	}{
		{[]string{"الرقة", "قسد"}, []string{"raqqa", "sdf"}, nil}, // Raqqa, SDF (alias)
		{[]string{"Raqqa", "raqqa", "#الرقه"}, []string{"raqqa"}, nil},
		{[]string{"مخيم الهول", "رياضة"}, []string{"al-hol"}, []string{"رياضة"}}, // al-Hol camp; sports
		{[]string{"Kobani", "Oil", "sdf"}, []string{"kobani", "oil", "sdf"}, nil},
		{nil, nil, nil},
	} {
		slugs, unknown := m.Topics(c.groups)
		if !slices.Equal(slugs, c.slugs) || !slices.Equal(unknown, c.unknown) {
			t.Errorf("Topics(%q) = %q, unmapped %q; want %q, unmapped %q", c.groups, slugs, unknown, c.slugs, c.unknown)
		}
	}
}

// A mapping file comes first: one group to several topics, a group to
// none ("-"), and the catalog for the rest.
func TestMappingFile(t *testing.T) {
	m := NewMapping(topics.Builtin())
	f, err := os.Open("testdata/groups.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := m.Load(f); err != nil {
		t.Fatal(err)
	}
	slugs, unknown := m.Topics([]string{"Raqqa", "economy", "VIP", "donor", "الحسكة", "رياضه", "Weather"})
	if want := []string{"raqqa", "syria-economy", "oil", "hasakah"}; !slices.Equal(slugs, want) {
		t.Errorf("topics %q; want %q", slugs, want)
	}
	if want := []string{"Weather"}; !slices.Equal(unknown, want) {
		t.Errorf("unmapped %q; want %q (VIP, donor and sports are mapped to none)", unknown, want)
	}
}

func TestMappingFileMistakes(t *testing.T) {
	in := "\uFEFFgroup,topic\r\n" +
		"Economy,syria-economy\r\n" +
		"Sports,football\r\n" + // no such topic
		"Weather\r\n" + // no topic
		",raqqa\r\n" + // no group
		"\"Raqqa, city\",raqqa\r\n" + // a quoted group with a comma is fine
		"Kobani,كوباني\r\n"
	err := NewMapping(topics.Builtin()).Load(strings.NewReader(in))
	if err == nil {
		t.Fatal("Load = nil; want the mistakes")
	}
	for _, want := range []string{`line 3: topic "football"`, "line 4: want group,topic", "line 5: no group"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "line 6") || strings.Contains(err.Error(), "line 7") || strings.Contains(err.Error(), "line 1:") {
		t.Errorf("error %q reports a good line", err)
	}
}

// FuzzMappingLoad: whatever the file, Load does not panic, and what it
// loads maps only to topics of the catalog.
func FuzzMappingLoad(f *testing.F) {
	b, err := os.ReadFile("testdata/groups.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b, "Economy")
	f.Add([]byte("group,topic\n\"a,b\",raqqa\nx,-\n"), "a,b")
	catalog := topics.Builtin()
	f.Fuzz(func(t *testing.T, b []byte, group string) {
		m := NewMapping(catalog)
		_ = m.Load(strings.NewReader(string(b)))
		slugs, unmapped := m.Topics([]string{group})
		for _, s := range slugs {
			if _, ok := catalog.Get(s); !ok {
				t.Fatalf("group %q maps to %q, not in the catalog", group, s)
			}
		}
		if len(slugs) > 0 && len(unmapped) > 0 {
			t.Fatalf("group %q both mapped %q and unmapped", group, slugs)
		}
	})
}
