package invite

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"nashra/digest/arabic"
	"nashra/digest/topics"
)

// Mapping turns an export's groups into catalog topics: first by the
// mapping file's lines (Load), then as a reader names a topic after
// /follow (its slug, Arabic or English name, short name, alias or follow
// name: catalog.Lookup). A group neither knows is unmapped.
type Mapping struct {
	catalog *topics.Catalog
	// table holds the mapping file: group key → slugs; a group mapped to
	// "-" is present with no slug.
	table map[string][]string
}

// NewMapping maps by catalog alone until a mapping file is loaded.
func NewMapping(catalog *topics.Catalog) *Mapping {
	return &Mapping{catalog: catalog, table: map[string][]string{}}
}

// GroupKey is how groups are compared: as a topic name is, after Arabic
// normalisation (hamza forms, ta marbuta, diacritics, case), without a
// leading #.
func GroupKey(g string) string {
	g = strings.TrimPrefix(strings.TrimSpace(g), "#")
	if p, ok := arabic.NewPhrase(g); ok {
		return p.Key()
	}
	return strings.ToLower(strings.Join(strings.Fields(g), " "))
}

// Load reads a mapping file: CSV lines of "group,topic". The topic is
// named as after /follow (slug, name or alias); "-" maps the group to no
// topic, so it is not reported unmapped. A group on several lines gets
// every topic named. Lines starting with # are comments; a first line
// "group,topic" is a header. Every mistake is returned, each with its
// line.
func (m *Mapping) Load(r io.Reader) error {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var errs []error
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs = append(errs, fmt.Errorf("line %d: %v", pe.StartLine, pe.Err))
				continue
			}
			return fmt.Errorf("read: %w", err)
		}
		line, _ := cr.FieldPos(0)
		isHeader := first && len(rec) == 2 && norm(rec[0]) == "group" && norm(rec[1]) == "topic"
		first = false
		if isHeader {
			continue
		}
		if len(rec) != 2 {
			errs = append(errs, fmt.Errorf("line %d: want group,topic; got %d fields", line, len(rec)))
			continue
		}
		group, name := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		key := GroupKey(group)
		if key == "" {
			errs = append(errs, fmt.Errorf("line %d: no group named", line))
			continue
		}
		slugs := m.table[key]
		if name != "-" {
			t, ok := m.catalog.Lookup(name)
			if !ok {
				errs = append(errs, fmt.Errorf("line %d: topic %q: no topic has that slug, name or alias (nashra topics lists them; - maps a group to none)", line, name))
				continue
			}
			if !slices.Contains(slugs, t.Slug) {
				slugs = append(slugs, t.Slug)
			}
		}
		if slugs == nil {
			slugs = []string{}
		}
		m.table[key] = slugs
	}
	return errors.Join(errs...)
}

// Topics returns the slugs groups map to, each once in the order met, and
// the groups that map to nothing known.
func (m *Mapping) Topics(groups []string) (slugs, unmapped []string) {
	for _, g := range groups {
		mapped, ok := m.table[GroupKey(g)]
		if !ok {
			t, found := m.catalog.Lookup(strings.TrimPrefix(strings.TrimSpace(g), "#"))
			if !found {
				unmapped = append(unmapped, g)
				continue
			}
			mapped = []string{t.Slug}
		}
		for _, s := range mapped {
			if !slices.Contains(slugs, s) {
				slugs = append(slugs, s)
			}
		}
	}
	return slugs, unmapped
}
