// Package invite reads the subscriber list a newsroom exports from its
// email service and maps the groups its subscribers chose to catalog
// topics, for `nashra invite`: each subscriber then gets a personal link to
// the bot that carries their topics (package signup).
//
// Read takes three kinds of CSV, told apart by the header:
//
//   - a Mailchimp audience export ("Email Address", "First Name", "Last
//     Name", the audience's own fields and one column per group category,
//     MEMBER_RATING … EUID, NOTES, TAGS): a category's cell holds the
//     groups the subscriber ticked, separated by commas, and TAGS holds
//     quoted tags ("VIP","donor"). Mailchimp exports unsubscribed and
//     cleaned members as files of their own (with UNSUB_TIME or
//     CLEAN_TIME): every row of those is skipped.
//   - a listmonk subscriber export (uuid, email, name, attributes, status,
//     created_at, updated_at): groups come from the attributes JSON
//     (topics, interests, groups, tags, lists, categories) and from a lists
//     or tags column when one is there; blocklisted and disabled
//     subscribers are skipped.
//   - any CSV with an email column (email, name or first/last name,
//     groups, topics, interests, lists, tags, categories, lang, status).
//
// Files are UTF-8 with or without a byte-order mark, with LF or CRLF line
// ends and quoted fields that may hold commas and line breaks. A
// malformed row is reported with its line and skipped; the rest is read.
// An address is compared trimmed and in lower case: its rows are merged,
// and an address unsubscribed in one row gets no link from another.
package invite

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
)

// Format names the kind of export read.
type Format string

// The formats Read knows.
const (
	Mailchimp Format = "Mailchimp"
	Listmonk  Format = "listmonk"
	Plain     Format = "CSV"
)

// Subscriber is one address of the list, its rows merged.
type Subscriber struct {
	Email  string   // as the export writes it, trimmed
	Name   string   // for the mail merge; may be empty
	Groups []string // group names, lists and tags, as written, each once
	Lang   string   // "ar", "en" or "" when the export says neither
	Line   int      // of its first row
	rows   int      // how many rows it was read from
}

// RowError is a malformed row: its line in the file, and what is wrong
// with it. It never quotes the row, which holds an address.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Export is what Read made of a file.
type Export struct {
	Format Format
	// GroupColumns are the columns read as groups, in file order.
	GroupColumns []string
	// Rows counts the data rows read; each is a subscriber, a duplicate,
	// skipped or malformed.
	Rows        int
	Subscribers []Subscriber
	// Skipped counts the rows left out, by reason ("unsubscribed",
	// "cleaned", "blocklisted"…).
	Skipped map[string]int
	// Duplicates counts rows merged into an earlier row of the same
	// address.
	Duplicates int
	Malformed  []RowError
}

// Options adjust Read.
type Options struct {
	// GroupColumns names the columns that hold groups (header names, any
	// case). Empty: the format's own; for Mailchimp every column before
	// MEMBER_RATING that is not a standard field, and TAGS.
	GroupColumns []string
}

// column roles, by normalised header name.
var (
	emailHeaders = []string{"email address", "email", "e-mail", "email_address", "البريد الإلكتروني"}
	nameHeaders  = []string{"name", "full name", "full_name", "الاسم"}
	firstHeaders = []string{"first name", "first_name", "fname"}
	lastHeaders  = []string{"last name", "last_name", "lname"}
	langHeaders  = []string{"language", "lang", "locale", "preferred language", "اللغة"}
	// statusHeaders say whether the row is subscribed.
	statusHeaders = []string{"status", "subscription status", "subscription_status"}
	// plainGroupHeaders hold groups in a plain CSV or a listmonk export.
	plainGroupHeaders = []string{"groups", "group", "topics", "interests", "lists", "list", "tags", "categories", "المواضيع", "الاهتمامات"}
	// mailchimpFields are the standard columns of a Mailchimp export that
	// hold no group.
	mailchimpFields = []string{
		"address", "phone number", "birthday", "company", "website", "zip", "zip code", "country", "city", "gender",
		"member_rating", "optin_time", "optin_ip", "confirm_time", "confirm_ip", "latitude", "longitude",
		"gmtoff", "dstoff", "timezone", "cc", "region", "last_changed", "leid", "euid", "notes",
	}
	// attrGroups and attrLang are the listmonk attributes read.
	attrGroups = []string{"topics", "interests", "groups", "tags", "lists", "categories"}
	attrLang   = []string{"lang", "language", "locale"}
)

// subscribedStatuses are the status values of a row to invite.
var subscribedStatuses = []string{"", "subscribed", "enabled", "active", "confirmed", "opted in", "opted-in", "opt-in"}

// header is the roles of a file's columns.
type header struct {
	format             Format
	email, first, last int // -1 when absent
	name, lang, status int
	attrs              int   // listmonk's attributes JSON
	tags               int   // Mailchimp's TAGS (quoted tags)
	groups             []int // columns of comma-separated groups
	fileStatus         string
	width              int
}

func norm(h string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(h, "\uFEFF")), " "))
}

func readHeader(names []string, opt Options) (header, error) {
	h := header{email: -1, first: -1, last: -1, name: -1, lang: -1, status: -1, attrs: -1, tags: -1, width: len(names)}
	cols := make([]string, len(names))
	for i, n := range names {
		cols[i] = norm(n)
	}
	find := func(of []string) int {
		for _, want := range of {
			if i := slices.Index(cols, want); i >= 0 {
				return i
			}
		}
		return -1
	}
	has := func(n string) bool { return slices.Contains(cols, n) }
	h.email = find(emailHeaders)
	if h.email < 0 {
		return h, errors.New("no email column: want a Mailchimp or listmonk export, or a CSV with a column named email")
	}
	h.first, h.last, h.name, h.lang, h.status = find(firstHeaders), find(lastHeaders), find(nameHeaders), find(langHeaders), find(statusHeaders)
	switch {
	case cols[h.email] == "email address" && (has("member_rating") || has("leid") || has("euid")):
		h.format = Mailchimp
		switch {
		case has("unsub_time"):
			h.fileStatus = "unsubscribed"
		case has("clean_time"):
			h.fileStatus = "cleaned"
		}
	case has("uuid") && has("attributes"):
		h.format = Listmonk
		h.attrs = slices.Index(cols, "attributes")
	default:
		h.format = Plain
	}
	if len(opt.GroupColumns) > 0 {
		for _, g := range opt.GroupColumns {
			i := slices.Index(cols, norm(g))
			if i < 0 {
				return h, fmt.Errorf("no column named %q for groups", g)
			}
			if cols[i] == "tags" && h.format == Mailchimp {
				h.tags = i
			} else if !slices.Contains(h.groups, i) {
				h.groups = append(h.groups, i)
			}
		}
		return h, nil
	}
	switch h.format {
	case Mailchimp:
		end := slices.Index(cols, "member_rating")
		if end < 0 {
			end = len(cols)
		}
		for i := range end {
			if i == h.email || i == h.first || i == h.last || i == h.name || i == h.lang || i == h.status ||
				slices.Contains(mailchimpFields, cols[i]) || cols[i] == "" {
				continue
			}
			h.groups = append(h.groups, i)
		}
		h.tags = slices.Index(cols, "tags")
	default:
		for i, c := range cols {
			if slices.Contains(plainGroupHeaders, c) {
				h.groups = append(h.groups, i)
			}
		}
	}
	return h, nil
}

// groupColumns names the columns read as groups, in file order.
func (h header) groupColumns(names []string) []string {
	idx := slices.Clone(h.groups)
	if h.tags >= 0 {
		idx = append(idx, h.tags)
	}
	if h.attrs >= 0 {
		idx = append(idx, h.attrs)
	}
	slices.Sort(idx)
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = strings.TrimSpace(strings.TrimPrefix(names[j], "\uFEFF"))
	}
	return out
}

// Read reads an export from r.
func Read(r io.Reader, opt Options) (*Export, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	names, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty")
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	h, err := readHeader(names, opt)
	if err != nil {
		return nil, err
	}
	x := &Export{Format: h.format, GroupColumns: h.groupColumns(names), Skipped: map[string]int{}}
	byKey := map[string]int{}      // address → index in x.Subscribers
	refused := map[string]string{} // address → why a row of it was skipped
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		x.Rows++
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				x.Malformed = append(x.Malformed, RowError{Line: pe.StartLine, Reason: pe.Err.Error()})
				continue
			}
			return x, fmt.Errorf("read: %w", err)
		}
		line, _ := cr.FieldPos(0)
		s, skip, rerr := h.row(rec, line)
		switch {
		case rerr != nil:
			x.Malformed = append(x.Malformed, *rerr)
			continue
		case skip != "":
			x.Skipped[skip]++
			if k := emailKey(s.Email); k != "" {
				if _, ok := refused[k]; !ok {
					refused[k] = skip
				}
			}
			continue
		}
		k := emailKey(s.Email)
		if i, ok := byKey[k]; ok {
			x.Duplicates++
			x.Subscribers[i].merge(s)
			continue
		}
		byKey[k] = len(x.Subscribers)
		x.Subscribers = append(x.Subscribers, s)
	}
	if len(refused) > 0 {
		// An address unsubscribed (cleaned, blocklisted…) in one row gets no
		// link from another: the refusal wins.
		kept := x.Subscribers[:0]
		for _, s := range x.Subscribers {
			if why, ok := refused[emailKey(s.Email)]; ok {
				x.Skipped["also "+why+" in another row"] += s.rows
				x.Duplicates -= s.rows - 1
				continue
			}
			kept = append(kept, s)
		}
		x.Subscribers = kept
	}
	return x, nil
}

// emailKey is the address as compared: trimmed, in lower case.
func emailKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (s *Subscriber) merge(o Subscriber) {
	s.rows++
	if s.Name == "" {
		s.Name = o.Name
	}
	if s.Lang == "" {
		s.Lang = o.Lang
	}
	for _, g := range o.Groups {
		if !slices.Contains(s.Groups, g) {
			s.Groups = append(s.Groups, g)
		}
	}
}

// row reads one record: a subscriber, the reason it is skipped (with the
// subscriber's address, so a refusal covers the address's other rows), or
// why it is malformed.
func (h header) row(rec []string, line int) (Subscriber, string, *RowError) {
	bad := func(format string, a ...any) (Subscriber, string, *RowError) {
		return Subscriber{}, "", &RowError{Line: line, Reason: fmt.Sprintf(format, a...)}
	}
	if len(rec) != h.width {
		return bad("%d fields; the header has %d", len(rec), h.width)
	}
	get := func(i int) string {
		if i < 0 {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	s := Subscriber{Email: get(h.email), Line: line, rows: 1}
	if s.Email == "" {
		return bad("no email address")
	}
	if !validEmail(s.Email) {
		return bad("the email column holds no valid address")
	}
	status := h.fileStatus
	if status == "" {
		status = norm(get(h.status))
	}
	if !slices.Contains(subscribedStatuses, status) {
		return s, skipReason(status), nil
	}
	s.Name = get(h.name)
	if s.Name == "" {
		s.Name = strings.TrimSpace(get(h.first) + " " + get(h.last))
	}
	s.Lang = language(get(h.lang))
	add := func(gs []string) {
		for _, g := range gs {
			g = strings.Join(strings.Fields(g), " ")
			if g != "" && !slices.Contains(s.Groups, g) {
				s.Groups = append(s.Groups, g)
			}
		}
	}
	for _, i := range h.groups {
		add(cellGroups(get(i)))
	}
	if h.tags >= 0 {
		add(splitTags(get(h.tags)))
	}
	if h.attrs >= 0 && get(h.attrs) != "" {
		groups, lang, err := attributes(get(h.attrs))
		if err != nil {
			return bad("attributes: %v", err)
		}
		add(groups)
		if s.Lang == "" {
			s.Lang = lang
		}
	}
	return s, "", nil
}

func skipReason(status string) string {
	switch status {
	case "blacklisted":
		return "blocklisted"
	case "non-subscribed", "nonsubscribed":
		return "never subscribed"
	}
	if len(status) > 30 || strings.ContainsFunc(status, unicode.IsControl) {
		return "of an unknown status"
	}
	return status
}

// validEmail checks the form of an address well enough to keep a column
// of names or dates out of the mail merge; the email service is the judge
// of the rest.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || len(s) > 254 || at > 64 {
		return false
	}
	if strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`,;<>"()[]\`, r)
	}) {
		return false
	}
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") &&
		!strings.Contains(s[:at], "@")
}

// language reads a language cell: "ar", "en" or "".
func language(v string) string {
	v = norm(v)
	switch {
	case v == "ar" || strings.HasPrefix(v, "ar-") || strings.HasPrefix(v, "ar_") || v == "ara" || v == "arabic" ||
		v == "العربية" || v == "عربي" || v == "عربية":
		return "ar"
	case v == "en" || strings.HasPrefix(v, "en-") || strings.HasPrefix(v, "en_") || v == "eng" || v == "english" ||
		v == "الإنجليزية" || v == "الانجليزية" || v == "الإنكليزية" || v == "الانكليزية" || v == "إنجليزي" || v == "انجليزي":
		return "en"
	}
	return ""
}

// splitGroups splits a cell of groups at commas, Latin or Arabic («،»),
// and semicolons.
func splitGroups(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '،' || r == ';' })
}

// cellGroups reads a cell of groups: comma-separated names, or a JSON list
// of names or of objects with a name (as a lists column may hold).
func cellGroups(v string) []string {
	if strings.HasPrefix(v, "[") {
		var list []any
		if json.Unmarshal([]byte(v), &list) == nil {
			return stringsOf(list)
		}
	}
	return splitGroups(v)
}

// splitTags reads Mailchimp's TAGS cell, quoted tags separated by commas
// ("VIP","donor"); a cell of bare words is split as groups.
func splitTags(v string) []string {
	if !strings.HasPrefix(v, `"`) {
		return splitGroups(v)
	}
	r := csv.NewReader(strings.NewReader(v))
	r.LazyQuotes = true
	r.TrimLeadingSpace = true
	tags, err := r.Read()
	if err != nil {
		return splitGroups(strings.ReplaceAll(v, `"`, ""))
	}
	return tags
}

// attributes reads listmonk's attributes: the groups under its group keys
// (a comma-separated string or a list of strings) and the language.
func attributes(v string) (groups []string, lang string, err error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return nil, "", errors.New("not a JSON object")
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same file reads the same way every time
	for _, k := range keys {
		nk := norm(k)
		switch {
		case slices.Contains(attrGroups, nk):
			groups = append(groups, stringsOf(m[k])...)
		case slices.Contains(attrLang, nk) && lang == "":
			if s, ok := m[k].(string); ok {
				lang = language(s)
			}
		}
	}
	return groups, lang, nil
}

// stringsOf is a JSON value's group names: a string split at commas, the
// strings of a list, and the names of a list of objects ({"name": …},
// leaving out those with "subscription_status": "unsubscribed").
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return splitGroups(v)
	case []any:
		var out []string
		for _, e := range v {
			switch e := e.(type) {
			case string:
				out = append(out, e)
			case map[string]any:
				// A list the subscriber left is no group of theirs.
				if st, _ := e["subscription_status"].(string); st == "unsubscribed" {
					continue
				}
				if n, ok := e["name"].(string); ok {
					out = append(out, n)
				}
			}
		}
		return out
	}
	return nil
}
