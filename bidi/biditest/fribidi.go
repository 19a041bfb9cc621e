package biditest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Laid is a line as GNU FriBidi lays it out.
type Laid struct {
	RTL bool
	// Visual is the line in display order, left to right, without the
	// format characters, Arabic letters in their plain (not shaped) forms.
	Visual string
}

// NeedFriBidi skips the test when the fribidi command is not installed,
// except in CI (CI set), which must have it (.ci/run installs
// libfribidi-bin).
func NeedFriBidi(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("fribidi"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("fribidi is not installed (apt-get install libfribidi-bin): %v", err)
		}
		t.Skip("fribidi is not installed (apt-get install libfribidi-bin); the golang.org/x/text layout checks ran without it")
	}
}

// FriBidi lays out each line (none may hold a line break) with the
// fribidi command, as a paragraph of its own.
func FriBidi(lines []string) ([]Laid, error) {
	var in bytes.Buffer
	for _, l := range lines {
		if strings.ContainsAny(l, "\n\r") {
			return nil, fmt.Errorf("fribidi: line %q holds a line break", l)
		}
		in.WriteString(l + "\n")
	}
	cmd := exec.Command("fribidi", "--nopad", "--nobreak", "--basedir", "--clean")
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("fribidi: %w: %s", err, stderr.String())
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != 2*len(lines) {
		return nil, fmt.Errorf("fribidi: %d lines in, %d out", len(lines), len(got))
	}
	laid := make([]Laid, len(lines))
	for i := range lines {
		dir := got[2*i+1]
		if !strings.HasPrefix(dir, "Base direction: ") {
			return nil, fmt.Errorf("fribidi: unexpected output %q", dir)
		}
		// fribidi shapes Arabic into presentation forms; NFKC gives the
		// plain letters back, in the same (display) order.
		laid[i] = Laid{RTL: strings.HasSuffix(dir, "R"), Visual: norm.NFKC.String(got[2*i])}
	}
	return laid, nil
}
