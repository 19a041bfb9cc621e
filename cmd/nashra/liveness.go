package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"
)

// liveness is /livez: whether the process works, for an orchestrator
// deciding to restart it. It answers 200 while the HTTP server serves (or
// nothing would answer) and none of the main loops (scheduler, sender,
// broadcasts, bot) has ended, and 503 once one has: the process is going
// down. It asks nothing of Redis, Telegram or the feeds; that is /healthz,
// the readiness check, so that a feed or Redis being down never gets a
// working bot restarted.
type liveness struct {
	mu      sync.Mutex
	running []string
	gone    []string
}

// livenessReport is the JSON body of /livez.
type livenessReport struct {
	Status  string   `json:"status"` // ok or down
	Running []string `json:"running"`
	Ended   []string `json:"ended,omitempty"`
}

func (l *liveness) started(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running = append(l.running, name)
}

func (l *liveness) ended(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i := slices.Index(l.running, name); i >= 0 {
		l.running = slices.Delete(l.running, i, i+1)
	}
	l.gone = append(l.gone, name)
}

func (l *liveness) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	l.mu.Lock()
	rep := livenessReport{Status: "ok", Running: slices.Clone(l.running), Ended: slices.Clone(l.gone)}
	l.mu.Unlock()
	if rep.Running == nil {
		rep.Running = []string{}
	}
	code := http.StatusOK
	if len(rep.Ended) > 0 || len(rep.Running) == 0 {
		rep.Status, code = "down", http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(rep)
}
