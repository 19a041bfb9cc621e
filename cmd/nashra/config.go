package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"

	"nashra/digest"
	"nashra/redact"
)

// Config is every setting, read once at start and validated.
type Config struct {
	Token          string
	APIURL         string
	RedisURL       string
	RedisPrefix    string
	Feeds          []string
	Admins         []int64
	PollSchedule   string
	DigestSchedule string
	Location       *time.Location
	HTTPAddr       string
	InstanceID     string
	WebhookURL     string
	WebhookSecret  string
	SendRate       float64
	TopicsFile     string
	LogLevel       string
	LogFormat      string
	ResendUnknown  bool

	// BreakingMarkers mark an item as breaking news; BreakingCap is how
	// many alerts a reader gets a day at most (0: none).
	BreakingMarkers digest.Markers
	BreakingCap     int
}

// setting is one NASHRA_* variable and the flag that mirrors it.
type setting struct {
	env, flag, def, help string
}

var settings = []setting{
	{"NASHRA_TELEGRAM_TOKEN", "telegram-token", "", "bot token (required by run)"},
	{"NASHRA_TELEGRAM_API", "telegram-api", "https://api.telegram.org", "Bot API base URL"},
	{"NASHRA_REDIS_URL", "redis-url", "redis://127.0.0.1:6379/0", "Redis URL (redis://, rediss://, redis+cluster:// for Redis Cluster) or 'memory' for an in-process store that is lost on exit"},
	{"NASHRA_REDIS_PREFIX", "redis-prefix", "nashra:", "prefix of every Redis key"},
	{"NASHRA_FEEDS", "feeds", "https://7al.net/feed/", "comma-separated RSS/Atom feed URLs"},
	{"NASHRA_ADMINS", "admins", "", "comma-separated Telegram user IDs allowed to broadcast"},
	{"NASHRA_POLL_SCHEDULE", "poll-schedule", "@every 5m", "cron spec for polling feeds"},
	{"NASHRA_DIGEST_SCHEDULE", "digest-schedule", "0 8 * * *", "default digest time (cron spec)"},
	{"NASHRA_BREAKING_MARKERS", "breaking-markers", digest.DefaultMarkers, "comma-separated words that mark an item as breaking news: a title that starts with one, or a category named by one"},
	{"NASHRA_BREAKING_DAILY_CAP", "breaking-daily-cap", strconv.Itoa(digest.DefaultAlertCap), "breaking news alerts a reader gets a day at most (the day of NASHRA_TIMEZONE); 0 sends none"},
	{"NASHRA_TIMEZONE", "timezone", "Asia/Damascus", "time zone of schedules"},
	{"NASHRA_HTTP_ADDR", "http-addr", ":8080", "address for /healthz, /metrics and the webhook"},
	{"NASHRA_INSTANCE_ID", "instance-id", "", "this instance's name to the polling lease, the same across restarts (default: hostname and HTTP address)"},
	{"NASHRA_WEBHOOK_URL", "webhook-url", "", "public HTTPS URL for webhook mode (long polling when empty)"},
	{"NASHRA_WEBHOOK_SECRET", "webhook-secret", "", "secret Telegram sends in X-Telegram-Bot-Api-Secret-Token"},
	{"NASHRA_SEND_RATE", "send-rate", "25", "messages per second across all instances"},
	{"NASHRA_TOPICS_FILE", "topics-file", "", "JSON file of extra or replacement topics"},
	{"NASHRA_LOG_LEVEL", "log-level", "info", "debug, info, warn or error"},
	{"NASHRA_LOG_FORMAT", "log-format", "text", "text, or json for one JSON object per log line"},
	{"NASHRA_RESEND_UNKNOWN", "resend-unknown", "false", "resend a message whose request left but whose answer was lost (at least once instead of at most once)"},
}

// bindSettings adds the settings' flags to fs; resolve reads them back.
func bindSettings(fs *flag.FlagSet) map[string]*string {
	vals := make(map[string]*string, len(settings))
	for _, s := range settings {
		vals[s.env] = fs.String(s.flag, "", fmt.Sprintf("%s (env %s, default %q)", s.help, s.env, s.def))
	}
	return vals
}

// resolveConfig merges flags over the environment over defaults and
// validates the result. Every error names the variable.
func resolveConfig(fs *flag.FlagSet, vals map[string]*string, getenv func(string) string) (Config, error) {
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	get := make(map[string]string, len(settings))
	for _, s := range settings {
		v, ok := getenv(s.env), getenv(s.env) != ""
		if set[s.flag] {
			v, ok = *vals[s.env], true
		}
		if !ok {
			v = s.def
		}
		get[s.env] = strings.TrimSpace(v)
	}

	var errs []error
	bad := func(env, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", env, fmt.Sprintf(format, args...)))
	}
	c := Config{
		Token:          get["NASHRA_TELEGRAM_TOKEN"],
		APIURL:         strings.TrimRight(get["NASHRA_TELEGRAM_API"], "/"),
		RedisURL:       get["NASHRA_REDIS_URL"],
		RedisPrefix:    get["NASHRA_REDIS_PREFIX"],
		PollSchedule:   get["NASHRA_POLL_SCHEDULE"],
		DigestSchedule: get["NASHRA_DIGEST_SCHEDULE"],
		HTTPAddr:       get["NASHRA_HTTP_ADDR"],
		InstanceID:     get["NASHRA_INSTANCE_ID"],
		WebhookURL:     get["NASHRA_WEBHOOK_URL"],
		WebhookSecret:  get["NASHRA_WEBHOOK_SECRET"],
		TopicsFile:     get["NASHRA_TOPICS_FILE"],
		LogLevel:       strings.ToLower(get["NASHRA_LOG_LEVEL"]),
		LogFormat:      strings.ToLower(get["NASHRA_LOG_FORMAT"]),
	}

	if c.Token != "" && !tokenPattern.MatchString(c.Token) {
		// Never echo the token: it is a secret even when malformed.
		bad("NASHRA_TELEGRAM_TOKEN", "not a bot token (expected <digits>:<secret>, as given by @BotFather)")
	}
	if err := checkHTTPURL(c.APIURL); err != nil {
		bad("NASHRA_TELEGRAM_API", "%v", err)
	}
	if c.RedisURL != "memory" {
		u, err := url.Parse(c.RedisURL)
		switch {
		case err != nil || u.Host == "":
			bad("NASHRA_REDIS_URL", "want redis://host:port/db, rediss://…, redis+cluster://host:port or memory")
		case u.Scheme == "redis" || u.Scheme == "rediss":
			if _, err := redis.ParseURL(c.RedisURL); err != nil {
				bad("NASHRA_REDIS_URL", "%s", redact.Text(err.Error()))
			}
		case u.Scheme == "redis+cluster" || u.Scheme == "rediss+cluster":
			if _, err := redis.ParseClusterURL(strings.Replace(c.RedisURL, "+cluster", "", 1)); err != nil {
				bad("NASHRA_REDIS_URL", "%s", redact.Text(err.Error()))
			}
		default:
			bad("NASHRA_REDIS_URL", "want redis://host:port/db, rediss://…, redis+cluster://host:port or memory")
		}
	}
	if c.RedisPrefix == "" || strings.ContainsAny(c.RedisPrefix, "{} \t\n") {
		bad("NASHRA_REDIS_PREFIX", "must be non-empty, without braces or spaces (braces are hash tags on Redis Cluster)")
	}
	for f := range strings.SplitSeq(get["NASHRA_FEEDS"], ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if err := checkHTTPURL(f); err != nil {
			bad("NASHRA_FEEDS", "%q: %v", redact.URL(f), err)
			continue
		}
		c.Feeds = append(c.Feeds, f)
	}
	if len(c.Feeds) == 0 {
		bad("NASHRA_FEEDS", "at least one feed URL is needed")
	}
	for a := range strings.SplitSeq(get["NASHRA_ADMINS"], ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			bad("NASHRA_ADMINS", "%q is not a Telegram user ID (a positive number)", a)
			continue
		}
		c.Admins = append(c.Admins, id)
	}
	if _, err := cron.ParseStandard(c.PollSchedule); err != nil {
		bad("NASHRA_POLL_SCHEDULE", "%q: %v", c.PollSchedule, err)
	}
	if _, err := cron.ParseStandard(c.DigestSchedule); err != nil {
		bad("NASHRA_DIGEST_SCHEDULE", "%q: %v", c.DigestSchedule, err)
	}
	markers, err := digest.ParseMarkers(get["NASHRA_BREAKING_MARKERS"])
	if err != nil {
		bad("NASHRA_BREAKING_MARKERS", "%v", err)
	}
	c.BreakingMarkers = markers
	alertCap, err := strconv.Atoi(get["NASHRA_BREAKING_DAILY_CAP"])
	if err != nil || alertCap < 0 || alertCap > 100 {
		bad("NASHRA_BREAKING_DAILY_CAP", "%q: want a whole number from 0 (no alerts) to 100", get["NASHRA_BREAKING_DAILY_CAP"])
	}
	c.BreakingCap = alertCap
	loc, err := time.LoadLocation(get["NASHRA_TIMEZONE"])
	if err != nil || get["NASHRA_TIMEZONE"] == "" {
		bad("NASHRA_TIMEZONE", "%q is not a time zone name (e.g. Asia/Damascus)", get["NASHRA_TIMEZONE"])
	}
	c.Location = loc
	if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil || port == "" {
		bad("NASHRA_HTTP_ADDR", "%q: want host:port or :port", c.HTTPAddr)
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			bad("NASHRA_WEBHOOK_URL", "Telegram only calls https:// URLs")
		}
		if !secretPattern.MatchString(c.WebhookSecret) {
			bad("NASHRA_WEBHOOK_SECRET", "required in webhook mode: 1-256 characters of A-Z, a-z, 0-9, _ and -")
		}
	} else if c.WebhookSecret != "" && !secretPattern.MatchString(c.WebhookSecret) {
		bad("NASHRA_WEBHOOK_SECRET", "1-256 characters of A-Z, a-z, 0-9, _ and -")
	}
	rate, err := strconv.ParseFloat(get["NASHRA_SEND_RATE"], 64)
	if err != nil || rate <= 0 || rate > 1000 {
		bad("NASHRA_SEND_RATE", "%q: want messages per second between 0 and 1000 (Telegram allows about 30)", get["NASHRA_SEND_RATE"])
	}
	c.SendRate = rate
	if c.TopicsFile != "" {
		if _, err := os.Stat(c.TopicsFile); err != nil {
			bad("NASHRA_TOPICS_FILE", "%v", err)
		}
	}
	switch strings.ToLower(get["NASHRA_RESEND_UNKNOWN"]) {
	case "true", "1", "yes":
		c.ResendUnknown = true
	case "false", "0", "no", "":
	default:
		bad("NASHRA_RESEND_UNKNOWN", "%q: want true or false", get["NASHRA_RESEND_UNKNOWN"])
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("NASHRA_LOG_LEVEL", "%q: want debug, info, warn or error", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("NASHRA_LOG_FORMAT", "%q: want text or json", c.LogFormat)
	}
	return c, errors.Join(errs...)
}

var (
	tokenPattern  = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{10,200}$`)
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

func checkHTTPURL(s string) error {
	// White space or one of redact.NotInURL would end the URL early where
	// an error repeats it, and redact.Text could not hide its credentials.
	if strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(redact.NotInURL, r)
	}) >= 0 {
		return errors.New("contains spaces, quotes or angle brackets; percent-encode them (%20, %22, %3C, %3E, %60)")
	}
	u, err := url.Parse(s)
	if err != nil {
		return errors.New(redact.Text(err.Error()))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an http(s) URL, got %q", redact.URL(s))
	}
	return nil
}
