package main

import (
	"bufio"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The files an operator copies must follow the code: .env.example names
// every setting config.go reads, once, with its default, and nothing else.

var (
	// assignment is a setting's line in .env.example, active or commented out.
	assignment = regexp.MustCompile(`^(#\s*)?(NASHRA_[A-Z0-9_]+)=(.*)$`)
	// settingName is any mention of a setting, comments included.
	settingName = regexp.MustCompile(`NASHRA_[A-Z0-9_]+`)
)

type envExampleLine struct {
	line      int
	value     string
	commented bool
	comment   string // the line above
}

func readEnvExample(t *testing.T) ([]string, map[string][]envExampleLine) {
	t.Helper()
	f, err := os.Open("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	found := make(map[string][]envExampleLine)
	for i, l := range lines {
		m := assignment.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		v := m[3]
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1] // compose, systemd and sh all drop these quotes
		}
		e := envExampleLine{line: i + 1, value: v, commented: m[1] != ""}
		if i > 0 {
			e.comment = lines[i-1]
		}
		found[m[2]] = append(found[m[2]], e)
	}
	return lines, found
}

func TestEnvExampleListsEverySetting(t *testing.T) {
	lines, found := readEnvExample(t)
	known := make(map[string]setting, len(settings))
	for _, s := range settings {
		known[s.env] = s
		got := found[s.env]
		switch {
		case len(got) == 0:
			t.Errorf(".env.example lacks %s; add a one-line comment and the line\n# %s=%s", s.env, s.env, s.def)
			continue
		case len(got) > 1:
			t.Errorf(".env.example sets %s %d times (lines %d and %d)", s.env, len(got), got[0].line, got[1].line)
		}
		e := got[0]
		if e.value != s.def {
			t.Errorf(".env.example:%d: %s=%q, want its default %q (the operator changes it in .env)", e.line, s.env, e.value, s.def)
		}
		if !strings.HasPrefix(e.comment, "# ") || assignment.MatchString(e.comment) {
			t.Errorf(".env.example:%d: %s has no comment line above it saying what it is", e.line, s.env)
		}
	}
	for i, l := range lines {
		for _, name := range settingName.FindAllString(l, -1) {
			if _, ok := known[name]; !ok {
				t.Errorf(".env.example:%d names %s, which nashra does not read", i+1, name)
			}
		}
	}
}

// An operator who uncomments every line and fills in a token gets a
// configuration that starts.
func TestEnvExampleValuesAreValid(t *testing.T) {
	_, found := readEnvExample(t)
	env := map[string]string{"NASHRA_TELEGRAM_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
	for name, lines := range found {
		if name != "NASHRA_TELEGRAM_TOKEN" && len(lines) > 0 {
			env[name] = lines[0].value
		}
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	vals := bindSettings(fs)
	if _, err := resolveConfig(fs, vals, func(k string) string { return env[k] }); err != nil {
		t.Errorf(".env.example with every line uncommented: %v", err)
	}
}

// composeService returns the lines of one service of compose.yaml, with
// their indentation.
func composeService(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile("../../compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	for l := range strings.SplitSeq(string(b), "\n") {
		trimmed := strings.TrimSpace(l)
		indent := len(l) - len(strings.TrimLeft(l, " "))
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		case indent == 2 && trimmed == name+":":
			in = true
			continue
		case indent <= 2:
			in = false
		}
		if in {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		t.Fatalf("compose.yaml has no service %q", name)
	}
	return out
}

// yamlList gives the items of key's block list (or its inline value) in
// lines.
func yamlList(lines []string, key string) []string {
	var items []string
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		if !strings.HasPrefix(trimmed, key+":") {
			continue
		}
		if v := strings.TrimSpace(strings.TrimPrefix(trimmed, key+":")); v != "" {
			return []string{strings.Trim(v, `"'`)}
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		for _, next := range lines[i+1:] {
			nt := strings.TrimSpace(next)
			if len(next)-len(strings.TrimLeft(next, " ")) <= indent || !strings.HasPrefix(nt, "- ") {
				break
			}
			items = append(items, strings.Trim(strings.TrimSpace(strings.TrimPrefix(nt, "- ")), `"'`))
		}
	}
	return items
}

func TestComposeReadsEnvAndStaysLocal(t *testing.T) {
	svc := composeService(t, "nashra")
	if got := yamlList(svc, "env_file"); len(got) != 1 || got[0] != ".env" {
		t.Errorf("nashra's env_file = %q, want .env (the settings the operator copied from .env.example)", got)
	}
	for _, name := range []string{"nashra", "redis"} {
		for _, p := range yamlList(composeService(t, name), "ports") {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("%s publishes %q: /metrics and /healthz must stay on 127.0.0.1 (a reverse proxy exposes the webhook)", name, p)
			}
		}
	}
	grace := yamlList(svc, "stop_grace_period")
	if len(grace) != 1 {
		t.Fatalf("nashra has no stop_grace_period: compose's default of 10 s kills it in the middle of its drain")
	}
	d, err := time.ParseDuration(grace[0])
	if err != nil {
		t.Fatalf("stop_grace_period %q: %v", grace[0], err)
	}
	// At the least, the drain (10 s) and then the HTTP server's shutdown.
	if least := shutdownTimeout + 10*time.Second; d <= least {
		t.Errorf("stop_grace_period = %v, want more than %v so a stop is never cut short", d, least)
	}
}
