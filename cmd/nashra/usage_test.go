package main

import (
	"flag"
	"strings"
	"testing"
)

// `nashra -h` and `--help` print the command list exactly as `nashra help`
// does, on stdout, and exit 0.
func TestHelpFlagsPrintTheCommandList(t *testing.T) {
	help := execNashra(t, "", nil, "help")
	if help.code != 0 || help.stderr != "" {
		t.Fatalf("nashra help: exit %d, stderr %q", help.code, help.stderr)
	}
	for _, c := range append(commands, command{name: "version"}, command{name: "help"}) {
		if !strings.Contains(help.stdout, "\n  "+c.name+" ") {
			t.Errorf("nashra help does not list %s:\n%s", c.name, help.stdout)
		}
	}
	for _, arg := range []string{"-h", "--help", "-help"} {
		r := execNashra(t, "", nil, arg)
		if r.code != 0 || r.stdout != help.stdout || r.stderr != "" {
			t.Errorf("nashra %s: exit %d, stdout %q, stderr %q; want exit 0 and the output of nashra help", arg, r.code, r.stdout, r.stderr)
		}
	}
}

// Each command's -h shows what it does, its own flags and arguments, then
// the settings; on stdout, exit 0.
func TestCommandHelp(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			r := execNashra(t, "", nil, c.name, "-h")
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("nashra %s -h: exit %d, stderr %q", c.name, r.code, r.stderr)
			}
			if want := "nashra " + c.name + ": " + c.summary + "\n"; !strings.HasPrefix(r.stdout, want) {
				t.Errorf("nashra %s -h starts %q; want the summary %q", c.name, firstLine(r.stdout), want)
			}
			if want := "usage: nashra " + c.name + " [flags] " + c.args; !strings.Contains(r.stdout, strings.TrimSpace(want)+"\n") {
				t.Errorf("nashra %s -h lacks the line %q:\n%s", c.name, want, r.stdout)
			}
			settingsAt := strings.Index(r.stdout, "\nsettings")
			if settingsAt < 0 {
				t.Fatalf("nashra %s -h has no settings section:\n%s", c.name, r.stdout)
			}
			own := flag.NewFlagSet(c.name, flag.ContinueOnError)
			c.flags(own)
			own.VisitAll(func(f *flag.Flag) {
				if i := strings.Index(r.stdout, "\n  -"+f.Name+" "); i < 0 || i > settingsAt {
					if i = strings.Index(r.stdout, "\n  -"+f.Name+"\n"); i < 0 || i > settingsAt {
						t.Errorf("nashra %s -h does not show its flag -%s before the settings:\n%s", c.name, f.Name, r.stdout)
					}
				}
			})
			for _, s := range settings {
				if i := strings.Index(r.stdout, "env "+s.env+","); i < settingsAt {
					t.Errorf("nashra %s -h does not list the setting %s after its own flags", c.name, s.env)
				}
			}
			if r2 := execNashra(t, "", nil, "help", c.name); r2.code != 0 || r2.stdout != r.stdout {
				t.Errorf("nashra help %s differs from nashra %s -h:\n%s", c.name, c.name, r2.stdout)
			}
			if r2 := execNashra(t, "", nil, c.name, "--help"); r2.code != 0 || r2.stdout != r.stdout {
				t.Errorf("nashra %s --help differs from nashra %s -h:\n%s", c.name, c.name, r2.stdout)
			}
		})
	}
}

// A wrong flag says what was wrong and where to look, and exits 2.
func TestWrongFlag(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"poll", "--bogus"}, []string{"-bogus", "nashra poll -h"}},
		{[]string{"preview", "--lang"}, []string{"-lang", "nashra preview -h"}},
		{[]string{"--bogus"}, []string{"-bogus", "nashra run -h"}},
		{[]string{"preview", "--lang", "fr"}, []string{"--lang must be ar or en", "nashra preview -h"}},
		{[]string{"outbox", "dead", "--bogus"}, []string{"-bogus", "nashra outbox dead -h"}},
		{[]string{"help", "frobnicate"}, []string{`"frobnicate"`, "nashra help"}},
		{[]string{"version", "now"}, []string{`"now"`}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := execNashra(t, "", nil, tt.args...)
			if r.code != 2 || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want exit 2 and nothing on stdout", r.code, r.stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not mention %q", r.stderr, w)
				}
			}
			if len(r.stderr) > 300 {
				t.Errorf("stderr is %d bytes; want a short error, not the whole help:\n%s", len(r.stderr), r.stderr)
			}
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
