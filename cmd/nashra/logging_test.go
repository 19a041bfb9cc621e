package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
)

func TestConfigLogFormat(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, nil, "text"},
		{map[string]string{"NASHRA_LOG_FORMAT": "JSON"}, nil, "json"},
		{map[string]string{"NASHRA_LOG_FORMAT": "text"}, []string{"-log-format", "json"}, "json"},
	} {
		c, err := resolve(t, tt.env, tt.args...)
		if err != nil || c.LogFormat != tt.want {
			t.Errorf("env %v, flags %v: log format %q, %v; want %q", tt.env, tt.args, c.LogFormat, err, tt.want)
		}
	}
}

// go-redis's own lines reach the program's logger: JSON like every other
// line, at warn, marked component=redis, and without the credentials of
// the Redis URL.
func TestRedisLogLinesGoThroughTheLogger(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing answers there now
	r := execNashra(t, "", map[string]string{
		"NASHRA_LOG_FORMAT": "json",
		"NASHRA_REDIS_URL":  "redis://reader:pw-S3CRET@" + closed + "/0",
	}, "poll")
	if r.code != 1 {
		t.Errorf("poll with Redis away: exit %d; want 1", r.code)
	}
	if strings.Contains(r.stderr, "S3CRET") {
		t.Errorf("stderr shows the Redis password:\n%s", r.stderr)
	}
	fromRedis := 0
	for line := range strings.Lines(r.stderr) {
		if strings.HasPrefix(line, "nashra: ") { // the error main prints last
			continue
		}
		var l map[string]any
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		if l["component"] == "redis" {
			fromRedis++
			if l["level"] != "WARN" || !strings.Contains(l["msg"].(string), "dial") {
				t.Errorf("go-redis line %s; want level WARN and the failed dial", line)
			}
		}
	}
	if fromRedis == 0 {
		t.Errorf("no go-redis line with component=redis in:\n%s", r.stderr)
	}
}

// Whatever go-redis prints, a URL's credentials and the bot token are
// hidden, in either format.
func TestRedisLoggerRedacts(t *testing.T) {
	const token = "123456:AAsecretsecretsecret"
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		l := newRedisLogger(newLogger(&buf, "info", format, token))
		l.Printf(context.Background(), "redis: sentinel: dial %s failed: %v\n", "redis://admin:pw-S3CRET@10.0.0.5:26379", "https://x/bot"+token+"/getMe")
		out := buf.String()
		if strings.Contains(out, "S3CRET") || strings.Contains(out, "AAsecret") {
			t.Errorf("%s: the line leaks a secret: %s", format, out)
		}
		if !strings.Contains(out, "redis://***@10.0.0.5:26379") || !strings.Contains(out, "component=redis") && !strings.Contains(out, `"component":"redis"`) {
			t.Errorf("%s: line %s; want the address kept, the credentials masked, component=redis", format, out)
		}
		if strings.Count(out, "\n") != 1 {
			t.Errorf("%s: %q; want one line", format, out)
		}
	}
}
