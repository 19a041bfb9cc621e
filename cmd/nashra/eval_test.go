package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runEval runs `nashra eval` with args, without going through the command
// table, and returns what it printed.
func runEval(t *testing.T, args ...string) (string, error) {
	t.Helper()
	fs := flag.NewFlagSet("nashra eval", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	do := evalCommand(fs)
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	var out bytes.Buffer
	e := &env{log: slog.New(slog.DiscardHandler), args: fs.Args(), stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard}
	err := do(context.Background(), e)
	return out.String(), err
}

// evalFolder writes a tiny corpus in the layout of ../shared/eval/easc:
// two articles with two reference summaries each.
func evalFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		// "Coalition aircraft struck ISIS positions in rural Deir ez-Zor. The SDF said the operation
		// targeted a cell. The coalition will continue its operations. Residents reported explosions."
		"a1/article.txt": "قصفت طائرات التحالف مواقع لتنظيم داعش في ريف دير الزور الشرقي.\n" +
			"وقالت قسد إن العملية استهدفت خلية تابعة لتنظيم داعش في المنطقة.\n" +
			"وأضافت المصادر أن التحالف سيواصل عملياته ضد داعش في المنطقة.\n" +
			"وأفاد سكان بسماع دوي انفجارات في محيط القرى.",
		"a1/ref1.txt": "قصفت طائرات التحالف مواقع لتنظيم داعش في ريف دير الزور الشرقي.",
		"a1/ref2.txt": "قصفت طائرات التحالف مواقع لتنظيم داعش في ريف دير الزور الشرقي. وقالت قسد إن العملية استهدفت خلية تابعة لتنظيم داعش في المنطقة.",
		// "The foreign ministers met in Rome. They confirmed their resolve to fight the organisation.
		// They called for the repatriation of the detainees."
		"a2/article.txt": "اجتمع وزراء خارجية التحالف الدولي في العاصمة الإيطالية روما.\n" +
			"وأكد الوزراء عزمهم المشترك على مواصلة القتال ضد التنظيم.\n" +
			"ودعا البيان الدول إلى استعادة مواطنيها المحتجزين في المخيمات.",
		"a2/ref1.txt":  "اجتمع وزراء خارجية التحالف الدولي في العاصمة الإيطالية روما.",
		"a2/ref2.txt":  "وأكد الوزراء عزمهم المشترك على مواصلة القتال ضد التنظيم.",
		"manifest.tsv": "id\ttopic\n", // files beside the article folders are skipped
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestEvalCommand(t *testing.T) {
	dir := evalFolder(t)
	tests := []struct {
		name    string
		args    []string
		budgets []string
	}{
		{"default prints both budgets", []string{"--dir", dir}, []string{"budget one third, 2 articles", "budget 60 words, 2 articles"}},
		{"third", []string{"--dir", dir, "--third"}, []string{"budget one third, 2 articles"}},
		{"words", []string{"--dir", dir, "--words", "12"}, []string{"budget 12 words, 2 articles"}},
		{"both flags", []string{"--dir", dir, "--third", "--words", "12"}, []string{"budget one third, 2 articles", "budget 12 words, 2 articles"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runEval(t, tt.args...)
			if err != nil {
				t.Fatalf("nashra eval %q: %v", tt.args, err)
			}
			if got := strings.Count(out, "budget "); got != len(tt.budgets) {
				t.Errorf("nashra eval %q printed %d tables, want %d:\n%s", tt.args, got, len(tt.budgets), out)
			}
			for _, b := range tt.budgets {
				if !strings.Contains(out, b) {
					t.Errorf("nashra eval %q printed:\n%s\nwant a table for %q", tt.args, out, b)
				}
			}
			// Each table has the summariser's row and Lead's, with R1 R2 RL and the length.
			if got, want := strings.Count(out, "\nsystem "), len(tt.budgets); got != want {
				t.Errorf("nashra eval %q: %d system rows, want %d:\n%s", tt.args, got, want, out)
			}
			if got, want := strings.Count(out, "\nlead "), len(tt.budgets); got != want {
				t.Errorf("nashra eval %q: %d lead rows, want %d:\n%s", tt.args, got, want, out)
			}
			if !strings.Contains(out, "R1") || !strings.Contains(out, "words") {
				t.Errorf("nashra eval %q printed:\n%s\nwant R1/R2/RL and words columns", tt.args, out)
			}
		})
	}
}

func TestEvalCommandErrors(t *testing.T) {
	dir := evalFolder(t)
	tests := []struct {
		name  string
		args  []string
		usage bool
	}{
		{"no dir", nil, true},
		{"negative words", []string{"--dir", dir, "--words", "-5"}, true},
		{"missing dir", []string{"--dir", filepath.Join(dir, "absent")}, false},
		{"no article folders", []string{"--dir", t.TempDir()}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runEval(t, tt.args...)
			if err == nil {
				t.Fatalf("nashra eval %q succeeded; want an error", tt.args)
			}
			if errors.Is(err, errUsage) != tt.usage {
				t.Errorf("nashra eval %q = %v; usage error %v, want %v", tt.args, err, errors.Is(err, errUsage), tt.usage)
			}
		})
	}
}
