package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// version and commit name a release build. They are set by the linker:
//
//	go build -ldflags "-X main.version=v1.4.0 -X main.commit=$(git rev-parse --short HEAD)" ./cmd/nashra
//
// When they are not, the module version and VCS revision Go records in
// the binary stand in for them (see buildFrom).
var version, commit string

// build is what `nashra version`, the start log line and the
// nashra_build_info metric say about this binary.
type build struct {
	Version, Commit, GoVersion string
}

// currentBuild is this binary's build, read once.
var currentBuild = sync.OnceValue(func() build {
	bi, _ := debug.ReadBuildInfo() // nil when the binary carries none
	return buildFrom(version, commit, bi)
})

// buildFrom prefers what the linker set; otherwise it takes the main
// module's version and the VCS revision go build recorded (with "-dirty"
// when the tree had uncommitted changes), else "dev" and "unknown".
func buildFrom(ldVersion, ldCommit string, bi *debug.BuildInfo) build {
	b := build{Version: ldVersion, Commit: ldCommit, GoVersion: runtime.Version()}
	if bi != nil {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		if b.Commit == "" {
			var rev string
			dirty := false
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					dirty = s.Value == "true"
				}
			}
			if rev != "" && dirty {
				rev += "-dirty"
			}
			b.Commit = rev
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	return b
}

func (b build) String() string {
	return fmt.Sprintf("nashra %s (commit %s, %s)", b.Version, b.Commit, b.GoVersion)
}

// runVersion is `nashra version` and `nashra --version`. It reads no
// settings, so it works whatever the environment holds.
func runVersion(w io.Writer, args []string) error {
	if len(args) > 0 {
		if isHelpFlag(args[0]) {
			fmt.Fprintln(w, "nashra version: "+versionSummary+"\n\nusage: nashra version (or nashra --version)")
			return nil
		}
		return fmt.Errorf("%w: version takes no arguments, not %q", errUsage, args[0])
	}
	fmt.Fprintln(w, currentBuild())
	return nil
}

const versionSummary = "print the version, the commit and the Go version of this binary"

// buildInfoGauge is nashra_build_info{version,commit,goversion} 1, so a
// dashboard can tell which build each instance runs.
func buildInfoGauge(b build) prometheus.Collector {
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "nashra_build_info",
		Help:        "Always 1; the labels say which build of nashra this instance runs.",
		ConstLabels: prometheus.Labels{"version": b.Version, "commit": b.Commit, "goversion": b.GoVersion},
	})
	g.Set(1)
	return g
}
