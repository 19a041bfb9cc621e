package invite

import (
	"bytes"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func readFile(t *testing.T, name string, opt Options) *Export {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := Read(f, opt)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return x
}

// brief is a subscriber as the tests compare it.
type brief struct {
	Email, Name string
	Groups      []string
	Lang        string
	Line        int
}

func briefs(x *Export) []brief {
	var out []brief
	for _, s := range x.Subscribers {
		out = append(out, brief{s.Email, s.Name, s.Groups, s.Lang, s.Line})
	}
	return out
}

func checkCounts(t *testing.T, x *Export) {
	t.Helper()
	n := len(x.Subscribers) + x.Duplicates + len(x.Malformed)
	for _, k := range x.Skipped {
		n += k
	}
	if n != x.Rows {
		t.Errorf("%d rows read; subscribers %d + duplicates %d + skipped %v + malformed %d = %d",
			x.Rows, len(x.Subscribers), x.Duplicates, x.Skipped, len(x.Malformed), n)
	}
}

// A Mailchimp audience export as it comes out of the zip: a byte-order
// mark, CRLF, quoted fields with commas and a line break, a group category
// in Arabic («اهتمامات», interests) and quoted tags.
func TestReadMailchimp(t *testing.T) {
	x := readFile(t, "mailchimp_subscribed.csv", Options{})
	if x.Format != Mailchimp {
		t.Errorf("format %s; want Mailchimp", x.Format)
	}
	if want := []string{"اهتمامات", "TAGS"}; !slices.Equal(x.GroupColumns, want) {
		t.Errorf("group columns %q; want %q (Phone Number and Language are no groups)", x.GroupColumns, want)
	}
	want := []brief{
		// Sara: Raqqa, SDF; tag "morning digest".
		{"sara@example.org", "سارة الأحمد", []string{"الرقة", "قسد", "نشرة الصباح"}, "ar", 2},
		// Omar's second row (line 6, in lower case) adds Hasakah.
		{"Omar.K@Example.com", "Omar Khalil", []string{"Raqqa", "Economy", "VIP", "donor", "الحسكة"}, "en", 3},
		// Layla: al-Hol camp and sports, split at an Arabic comma; her
		// notes run over two lines.
		{"layla@example.net", "ليلى حسن", []string{"مخيم الهول", "رياضة"}, "", 4},
		{"nour@example.org", "نور", nil, "", 9},
		{"rami@example.org", "رامي", []string{"رياضة"}, "ar", 10},
		{"huda@example.org", "هدى", []string{"داعش", "VIP"}, "", 11},
	}
	if got := briefs(x); !reflect.DeepEqual(got, want) {
		t.Errorf("subscribers:\n got %+v\nwant %+v", got, want)
	}
	if x.Duplicates != 1 || len(x.Skipped) != 0 || x.Rows != 9 {
		t.Errorf("rows %d, duplicates %d, skipped %v; want 9 rows, 1 duplicate, none skipped", x.Rows, x.Duplicates, x.Skipped)
	}
	wantErr := []RowError{
		{7, "the email column holds no valid address"},
		{8, "2 fields; the header has 23"},
	}
	if !reflect.DeepEqual(x.Malformed, wantErr) {
		t.Errorf("malformed %+v; want %+v", x.Malformed, wantErr)
	}
	checkCounts(t, x)
}

// Mailchimp puts unsubscribed and cleaned members in files of their own:
// nobody in them is invited.
func TestReadMailchimpUnsubscribedAndCleaned(t *testing.T) {
	for file, reason := range map[string]string{"mailchimp_unsubscribed.csv": "unsubscribed", "mailchimp_cleaned.csv": "cleaned"} {
		x := readFile(t, file, Options{})
		if len(x.Subscribers) != 0 || x.Skipped[reason] != x.Rows || x.Rows == 0 || len(x.Malformed) != 0 {
			t.Errorf("%s: %d subscribers, skipped %v of %d rows, malformed %v; want every row skipped as %s",
				file, len(x.Subscribers), x.Skipped, x.Rows, x.Malformed, reason)
		}
	}
}

// A listmonk export: groups in the attributes JSON, statuses per row.
func TestReadListmonk(t *testing.T) {
	x := readFile(t, "listmonk_subscribers.csv", Options{})
	if x.Format != Listmonk || !slices.Equal(x.GroupColumns, []string{"attributes"}) {
		t.Errorf("format %s, group columns %q; want listmonk, attributes", x.Format, x.GroupColumns)
	}
	want := []brief{
		// Amal: Qamishli and SDF, and Raqqa from her second row.
		{"amal@example.org", "أمل", []string{"القامشلي", "sdf", "الرقة"}, "ar", 2},
		{"john@example.com", "John Smith", []string{"Kobani", "Oil"}, "en", 3},
		{"plain@example.org", "", nil, "", 8},
	}
	if got := briefs(x); !reflect.DeepEqual(got, want) {
		t.Errorf("subscribers:\n got %+v\nwant %+v", got, want)
	}
	if want := map[string]int{"blocklisted": 1, "disabled": 1}; !maps.Equal(x.Skipped, want) {
		t.Errorf("skipped %v; want %v", x.Skipped, want)
	}
	if want := []RowError{{6, "attributes: not a JSON object"}}; !reflect.DeepEqual(x.Malformed, want) {
		t.Errorf("malformed %+v; want %+v", x.Malformed, want)
	}
	checkCounts(t, x)
}

// Any CSV with an email column: a status column, groups in a lists
// column (JSON, as a listmonk export by list may hold), and an address
// unsubscribed in one row and subscribed in another gets no link.
func TestReadPlainCSV(t *testing.T) {
	in := "Name,E-mail,Lists,Tags,Status,Lang\n" +
		`"Ali, Jr.",ali@example.org,"[{""name"": ""الرقة"", ""subscription_status"": ""confirmed""}, {""name"": ""Oil"", ""subscription_status"": ""unsubscribed""}]",#قسد,subscribed,العربية` + "\n" +
		"Mona,mona@example.org,Kobani;Raqqa,,pending,en-GB\n" +
		"Mona,MONA@example.org,Kobani,,subscribed,\n" +
		"Sam,sam@example.org,,,subscribed,en\n" +
		"Sam,sam@example.org,Oil,,subscribed,\n"
	x, err := Read(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []brief{
		{"ali@example.org", "Ali, Jr.", []string{"الرقة", "#قسد"}, "ar", 2},
		{"sam@example.org", "Sam", []string{"Oil"}, "en", 5},
	}
	if got := briefs(x); x.Format != Plain || !reflect.DeepEqual(got, want) {
		t.Errorf("%s subscribers:\n got %+v\nwant %+v", x.Format, got, want)
	}
	if want := map[string]int{"pending": 1, "also pending in another row": 1}; !maps.Equal(x.Skipped, want) || x.Duplicates != 1 {
		t.Errorf("skipped %v, duplicates %d; want %v and Sam's second row", x.Skipped, x.Duplicates, want)
	}
	checkCounts(t, x)
}

func TestReadGroupColumnsNamed(t *testing.T) {
	in := "Email Address,First Name,Region of interest,Favourite colour,MEMBER_RATING,LEID,TAGS\n" +
		"a@example.org,A,Raqqa,blue,2,1,\"\"\"VIP\"\"\"\n"
	x, err := Read(strings.NewReader(in), Options{GroupColumns: []string{"region of interest"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := briefs(x); !slices.Equal(x.GroupColumns, []string{"Region of interest"}) || len(got) != 1 || !slices.Equal(got[0].Groups, []string{"Raqqa"}) {
		t.Errorf("columns %q, subscribers %+v; want only Raqqa from the named column", x.GroupColumns, got)
	}
	if _, err := Read(strings.NewReader(in), Options{GroupColumns: []string{"Interests"}}); err == nil || !strings.Contains(err.Error(), `"Interests"`) {
		t.Errorf("a missing group column: %v; want it named", err)
	}
}

// Broken CSV: each bad row is reported with its line and the rest read;
// a file without an email column or without anything is refused whole.
func TestReadMalformed(t *testing.T) {
	in := "email,name\n" +
		"a@example.org,A\n" +
		"b@example.org,B \"quoted\" badly\n" +
		"c@example.org,C,extra\n" +
		",nobody\n" +
		"d@example.org,D\n" +
		"e@example.org,\"never closed\n" +
		"f@example.org,F\n"
	x, err := Read(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, s := range x.Subscribers {
		emails = append(emails, s.Email)
	}
	if want := []string{"a@example.org", "d@example.org"}; !slices.Equal(emails, want) {
		t.Errorf("read %q; want %q", emails, want)
	}
	var lines []int
	for _, e := range x.Malformed {
		lines = append(lines, e.Line)
		if strings.Contains(e.Reason, "@") {
			t.Errorf("the report of line %d quotes an address: %s", e.Line, e.Reason)
		}
	}
	if want := []int{3, 4, 5, 7}; !slices.Equal(lines, want) {
		t.Errorf("malformed lines %v; want %v: %+v", lines, want, x.Malformed)
	}
	checkCounts(t, x)

	for _, in := range []string{"", "\uFEFF", "name,groups\nA,Raqqa\n", "\"email\n"} {
		if _, err := Read(strings.NewReader(in), Options{}); err == nil {
			t.Errorf("Read(%q) = nil error; want the file refused", in)
		}
	}
}

// FuzzRead: whatever the file, Read does not panic, every subscriber has
// an address of valid form and a line, no address comes twice, and every
// row is accounted for.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"mailchimp_subscribed.csv", "mailchimp_unsubscribed.csv", "listmonk_subscribers.csv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("email,groups,status\r\na@b.co,\"x,y\",\r\nA@B.co,z,unsubscribed\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := Read(bytes.NewReader(b), Options{})
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range x.Subscribers {
			k := emailKey(s.Email)
			if !validEmail(s.Email) || seen[k] || s.Line < 2 {
				t.Fatalf("subscriber %+v: invalid, repeated or without a line", s)
			}
			seen[k] = true
			for _, g := range s.Groups {
				if g == "" || strings.TrimSpace(g) != g {
					t.Fatalf("group %q of %+v", g, s)
				}
			}
			if s.Lang != "" && s.Lang != "ar" && s.Lang != "en" {
				t.Fatalf("language %q", s.Lang)
			}
		}
		checkCounts(t, x)
	})
}
