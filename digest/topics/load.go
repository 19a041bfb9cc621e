package topics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// File is the operator's topics file (NASHRA_TOPICS_FILE):
//
//	{"replace": false,
//	 "groups": [{"slug": "sport", "ar": "الرياضة", "en": "Sport"}],
//	 "topics": [{"slug": "sinjar", "ar": "سنجار", "en": "Sinjar", "group": "towns",
//	             "aliases": ["شنكال"], "scope": true}]}
//
// "groups" is optional, and so is a topic's "group": a topic without one
// is listed under OtherGroup.
type File struct {
	// Replace drops the base catalog's topics; otherwise the file's topics
	// are added to them, and a topic whose slug is already there overrides
	// it in place.
	Replace bool `json:"replace"`
	// Groups are added to the base catalog's groups (kept even with
	// Replace: a group without topics is not shown); one whose slug is
	// already there renames it in place.
	Groups []Group `json:"groups,omitempty"`
	Topics []Topic `json:"topics"`
}

// LoadFile reads the topics file at path and combines it with base (which
// may be nil). Errors name the file and, for invalid topics, the topic.
func LoadFile(path string, base *Catalog) (*Catalog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("topics file: %w", err)
	}
	f, err := parseFile(data)
	if err != nil {
		return nil, fmt.Errorf("topics file %s: %w", path, err)
	}
	c, err := Merge(base, f)
	if err != nil {
		return nil, fmt.Errorf("topics file %s: %w", path, err)
	}
	return c, nil
}

func parseFile(data []byte) (File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return File{}, fmt.Errorf("invalid JSON at %s: %w", position(data, syn.Offset), err)
		case errors.As(err, &typ):
			return File{}, fmt.Errorf("field %q at %s: %w", typ.Field, position(data, typ.Offset), err)
		case errors.Is(err, io.EOF):
			return File{}, errors.New(`empty file; want {"replace": false, "topics": [...]}`)
		}
		return File{}, err
	}
	if dec.More() {
		return File{}, errors.New("unexpected data after the JSON object")
	}
	if len(f.Topics) == 0 {
		return File{}, errors.New(`no topics in "topics"`)
	}
	return f, nil
}

// position turns a byte offset into "line L, column C" (columns count bytes).
func position(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// Merge combines base (which may be nil) with f as LoadFile does.
func Merge(base *Catalog, f File) (*Catalog, error) {
	var groups []Group
	if base != nil {
		groups = base.Groups()
	}
	groups = mergeGroups(groups, f.Groups)
	var all []Topic
	if base != nil && !f.Replace {
		all = base.Topics()
	}
	at := make(map[string]int, len(all))
	for i, t := range all {
		at[t.Slug] = i
	}
	seen := make(map[string]bool, len(f.Topics))
	for _, t := range f.Topics {
		if seen[t.Slug] {
			// Let New report it, with the topic named.
			all = append(all, t)
			continue
		}
		seen[t.Slug] = true
		if i, ok := at[t.Slug]; ok {
			all[i] = t
			continue
		}
		all = append(all, t)
	}
	return New(groups, all)
}

// mergeGroups overrides groups of base by slug, in place, and appends the
// others; a slug given twice in the file is left for New to report.
func mergeGroups(base, file []Group) []Group {
	out := slices.Clone(base)
	seen := make(map[string]bool, len(file))
	for _, g := range file {
		i := slices.IndexFunc(out, func(b Group) bool { return b.Slug == g.Slug })
		if i >= 0 && !seen[g.Slug] {
			out[i] = g
		} else {
			out = append(out, g)
		}
		seen[g.Slug] = true
	}
	return out
}
