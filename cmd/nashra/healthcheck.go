package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthcheckCommand asks the local /livez (or with --ready /healthz), for
// container health checks in an image that has no shell or curl. /livez is
// the default: a container restarted because a feed or Redis is down would
// come back to the same feed or Redis.
func healthcheckCommand(fs *flag.FlagSet) func(context.Context, *env) error {
	ready := fs.Bool("ready", false, "ask /healthz (Redis, Telegram, feeds) instead of /livez (the process works)")
	return func(ctx context.Context, e *env) error {
		path := "/livez"
		if *ready {
			path = "/healthz"
		}
		host, port, _ := net.SplitHostPort(e.cfg.HTTPAddr)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "127.0.0.1"
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+path, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return fmt.Errorf("healthcheck: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("healthcheck: %s answered %s", path, resp.Status)
		}
		fmt.Fprintln(e.stdout, "ok")
		return nil
	}
}
