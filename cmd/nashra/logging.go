package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"nashra/redact"
)

// newLogger writes structured logs to w, as text or as one JSON object a
// line (NASHRA_LOG_FORMAT). The bot token is part of every Bot API URL,
// so any log value that contains it is redacted.
func newLogger(w io.Writer, level, format, token string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{
		Level: lv,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if token == "" {
				return a
			}
			switch a.Value.Kind() {
			case slog.KindString:
				if s := a.Value.String(); strings.Contains(s, token) {
					a.Value = slog.StringValue(redactToken(s, token))
				}
			case slog.KindAny:
				if s := fmt.Sprint(a.Value.Any()); strings.Contains(s, token) {
					a.Value = slog.StringValue(redactToken(s, token))
				}
			}
			return a
		},
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func redactToken(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "<redacted>")
}

// redisLogger hands go-redis's own log lines (a failed dial, a connection
// dropped by the pool) to the program's logger, at warn with
// component=redis, instead of go-redis's plain stderr lines. They can
// repeat an address, so URL credentials are hidden.
type redisLogger struct {
	log *slog.Logger
}

func newRedisLogger(log *slog.Logger) redisLogger {
	return redisLogger{log: log.With("component", "redis")}
}

// Printf implements go-redis's internal.Logging.
func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, redact.Text(strings.TrimSpace(fmt.Sprintf(format, v...))))
}
