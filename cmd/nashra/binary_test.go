package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// result is what a run of the nashra binary left: its output and exit code.
type result struct {
	stdout, stderr string
	code           int
}

// execNashra runs the program as an operator would, with only the given
// NASHRA_* variables: the test binary itself when bin is "" (TestMain
// turns it into nashra), else the binary at bin.
func execNashra(t *testing.T, bin string, env map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = cleanEnv(env)
	if bin == "" {
		cmd.Env = append(cmd.Env, "NASHRA_TEST_AS_MAIN=1")
	} else {
		cmd.Path, cmd.Args[0] = bin, bin
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("nashra %s: %v", strings.Join(args, " "), err)
	}
	return result{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
}

// cleanEnv is this process's environment without any NASHRA_* setting,
// plus env: the program must not pick up the settings of whoever runs
// the tests.
func cleanEnv(env map[string]string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NASHRA_") {
			out = append(out, kv)
		}
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	if os.Getenv("GORACE") == "" {
		// A race-enabled binary otherwise waits a second before it exits.
		out = append(out, "GORACE=atexit_sleep_ms=0")
	}
	return out
}

// buildNashra builds the nashra binary with go build and the given extra
// flags, as a release would be built, into a folder of the test's own.
// It builds with -race when the tests do, so the compiled packages are
// shared with the test build.
func buildNashra(t *testing.T, flags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nashra")
	args := append([]string{"build", "-o", bin}, flags...)
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" && s.Value == "true" {
				args = append(args, "-race")
			}
		}
	}
	cmd := exec.Command("go", append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return bin
}
