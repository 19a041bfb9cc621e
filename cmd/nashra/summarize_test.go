package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// The lead of the SDF report (testdata), one paragraph: «Syrian Democratic
// Forces foiled today an infiltration by ISIS cells into the eastern
// countryside of Deir ez-Zor. A source said the operation succeeded
// without losses.»
const (
	reportTitle = "«قسد» تحبط تسلل خلايا لداعش في ريف دير الزور"
	reportLead  = "أحبطت قوات سوريا الديمقراطية اليوم محاولة تسلل لخلايا من تنظيم داعش إلى ريف دير الزور الشرقي."
	reportNext  = "وقال مصدر عسكري إن العملية انتهت بنجاح ومن دون خسائر في صفوف القوات."
)

// summarizeFile writes content to a file and summarises it.
func summarizeFile(t *testing.T, content []byte, args ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "article.txt")
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, err := runCmd(t, nil, "", append(append([]string{"summarize"}, args...), path)...)
	if err != nil {
		t.Fatalf("summarize: %v\n%s", err, errs)
	}
	return out
}

// Plain articles as people have them: pasted on one line, hard-wrapped,
// with Windows line ends, in Windows-1256, with a byte order mark. Each
// gives its lead.
func TestSummarizeAnyPlainArticle(t *testing.T) {
	body := reportLead + " " + reportNext
	wrapped := "أحبطت قوات سوريا الديمقراطية اليوم محاولة تسلل لخلايا من\n" +
		"تنظيم داعش إلى ريف دير الزور الشرقي. وقال مصدر عسكري إن\n" +
		"العملية انتهت بنجاح ومن دون خسائر في صفوف القوات وأضافت\n" +
		"المصادر أن القوات عززت انتشارها على طول الطريق العام إلى\n" +
		"البلدات المجاورة بعد العملية.\n"
	cp1256, err := charmap.Windows1256.NewEncoder().String(reportTitle + "\r\n\r\n" + body + "\r\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"one paragraph on one line", []byte(body + "\n"), reportLead},
		{"a title, then the paragraph", []byte(reportTitle + "\n\n" + body + "\n"), reportLead},
		{"hard-wrapped from the first line", []byte(wrapped), reportLead},
		{"CRLF", []byte(reportTitle + "\r\n\r\n" + body + "\r\n"), reportLead},
		{"old Mac line ends", []byte(reportTitle + "\r\r" + body + "\r"), reportLead},
		{"Windows-1256", []byte(cp1256), reportLead},
		{"UTF-8 with a byte order mark", []byte("\ufeff" + reportTitle + "\n\n" + body), reportLead},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := summarizeFile(t, tc.content)
			if first, _, _ := strings.Cut(out, "\n"); first != tc.want {
				t.Errorf("summary:\n%s\nwant it to open with the lead:\n%s", out, tc.want)
			}
			if strings.Contains(out, reportTitle) {
				t.Errorf("the summary repeats the title:\n%s", out)
			}
		})
	}
}

// --title gives the title (the whole file is the body); --no-title says
// there is none.
func TestSummarizeTitleFlags(t *testing.T) {
	// A first line that looks like a title but is the lead, cut short.
	content := []byte("أحبطت قوات سوريا الديمقراطية اليوم\n\n" + reportNext + "\n")
	if out := summarizeFile(t, content); strings.Contains(out, "أحبطت قوات سوريا الديمقراطية اليوم") {
		t.Fatalf("without a flag the first line should be taken as the title:\n%s", out)
	}
	if out := summarizeFile(t, content, "--no-title"); !strings.HasPrefix(out, "أحبطت قوات سوريا الديمقراطية اليوم") {
		t.Errorf("--no-title: summary\n%s\nwant it to start with the first line", out)
	}
	// A title given: a body sentence that repeats it is left out.
	one := []byte(reportTitle + ". " + body2())
	if out := summarizeFile(t, one, "--title", reportTitle); strings.Contains(out, reportTitle) || !strings.Contains(out, reportLead) {
		t.Errorf("--title: summary\n%s\nwant the lead and not the title", out)
	}
	if _, _, err := runCmd(t, nil, "", "summarize", "--title", "x", "--no-title", seedArticle); exitCode(err) != 2 {
		t.Errorf("--title with --no-title = %v; want a usage error", err)
	}
}

func body2() string { return reportLead + " " + reportNext }
