package main

import (
	"debug/buildinfo"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"nashra/bot/telegramtest"
)

func TestBuildFrom(t *testing.T) {
	vcs := func(rev, modified string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "nashra", Version: "v0.0.0-20261130193556-f1feda0e8262+dirty"}}
		bi.Settings = []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
		return bi
	}
	tests := []struct {
		name            string
		ldVersion       string
		ldCommit        string
		bi              *debug.BuildInfo
		version, commit string
	}{
		{"linker flags win", "v1.4.0", "abc1234", vcs("f1feda0e", "true"), "v1.4.0", "abc1234"},
		{"version only from the linker", "v1.4.0", "", vcs("f1feda0e", "false"), "v1.4.0", "f1feda0e"},
		{"module version and revision", "", "", vcs("f1feda0e", "false"), "v0.0.0-20261130193556-f1feda0e8262+dirty", "f1feda0e"},
		{"uncommitted changes", "", "", vcs("f1feda0e", "true"), "v0.0.0-20261130193556-f1feda0e8262+dirty", "f1feda0e-dirty"},
		{"devel without vcs", "", "", &debug.BuildInfo{Main: debug.Module{Path: "nashra", Version: "(devel)"}}, "dev", "unknown"},
		{"no build info", "", "", nil, "dev", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := buildFrom(tt.ldVersion, tt.ldCommit, tt.bi)
			if b.Version != tt.version || b.Commit != tt.commit || b.GoVersion != runtime.Version() {
				t.Errorf("buildFrom(%q, %q, …) = %+v; want version %q, commit %q, go %s", tt.ldVersion, tt.ldCommit, b, tt.version, tt.commit, runtime.Version())
			}
		})
	}
}

// A release built with -ldflags "-X main.version=… -X main.commit=…" says
// so in `nashra version`, `--version`, the start log line and /metrics.
func TestVersionOfReleaseBuild(t *testing.T) {
	bin := buildNashra(t, "-ldflags", "-X main.version=v1.4.0-test -X main.commit=c0ffee1")
	want := "nashra v1.4.0-test (commit c0ffee1, " + runtime.Version() + ")\n"
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		r := execNashra(t, bin, nil, args...)
		if r.code != 0 || r.stdout != want {
			t.Errorf("nashra %s: exit %d, stdout %q, stderr %q; want exit 0 and %q", args[0], r.code, r.stdout, r.stderr, want)
		}
	}
	// The version needs no settings: a broken environment does not stop it.
	if r := execNashra(t, bin, map[string]string{"NASHRA_REDIS_URL": "mysql://x"}, "version"); r.code != 0 || r.stdout != want {
		t.Errorf("nashra version with a bad NASHRA_REDIS_URL: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}

	srv := telegramtest.New(t, telegramtest.Options{})
	cmd := exec.Command(bin, "run")
	cmd.Env = cleanEnv(map[string]string{
		"NASHRA_TELEGRAM_TOKEN": srv.Token(),
		"NASHRA_TELEGRAM_API":   srv.URL(),
		"NASHRA_REDIS_URL":      "memory",
		"NASHRA_HTTP_ADDR":      "127.0.0.1:0",
		"NASHRA_LOG_FORMAT":     "json",
	})
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	// The start line names the build and the address /metrics is on.
	var addr string
	waitUntil(t, 30*time.Second, func() bool {
		for line := range strings.Lines(logs.String()) {
			var l map[string]any
			if json.Unmarshal([]byte(line), &l) == nil && l["msg"] == "nashra started" {
				if l["version"] != "v1.4.0-test" || l["commit"] != "c0ffee1" {
					t.Errorf("start line %s; want version v1.4.0-test and commit c0ffee1", line)
				}
				addr, _ = l["http"].(string)
				return true
			}
		}
		return false
	})

	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	wantMetric := `nashra_build_info{commit="c0ffee1",goversion="` + runtime.Version() + `",version="v1.4.0-test"} 1`
	if !strings.Contains(string(body), wantMetric) {
		t.Errorf("/metrics lacks %s:\n%s", wantMetric, grepLines(string(body), "nashra_build_info"))
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("nashra run after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("nashra run did not stop within 30 s of SIGTERM")
	}
	// NASHRA_LOG_FORMAT=json: every line, to the last, is one JSON object.
	for line := range strings.Lines(logs.String()) {
		var l map[string]any
		if err := json.Unmarshal([]byte(line), &l); err != nil || l["level"] == nil || l["msg"] == nil {
			t.Errorf("log line is not a JSON record: %q", line)
		}
	}
}

// Without linker flags the binary reports what go build recorded in it:
// the module version and the VCS revision when the build had them
// (a clone, -buildvcs), else "dev".
func TestVersionWithoutLinkerFlags(t *testing.T) {
	bin := buildNashra(t, "-buildvcs=auto")
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	version, commit := bi.Main.Version, "unknown"
	if version == "" || version == "(devel)" {
		version = "dev"
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" {
			commit = s.Value
		}
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.modified" && s.Value == "true" {
			commit += "-dirty"
		}
	}
	want := "nashra " + version + " (commit " + commit + ", " + runtime.Version() + ")\n"
	if r := execNashra(t, bin, nil, "version"); r.code != 0 || r.stdout != want {
		t.Errorf("nashra version: exit %d, %q (stderr %q); want %q", r.code, r.stdout, r.stderr, want)
	}
}

func grepLines(s, substr string) string {
	var out []string
	for line := range strings.Lines(s) {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}
