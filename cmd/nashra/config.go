package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"

	"nashra/digest"
	"nashra/redact"
	"nashra/signup"
	"nashra/signup/page"
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
	// PaidRate is messages a second in all for bulk sends with paid
	// broadcasts (0: off); PaidStarsPerDay the Stars they may spend a UTC
	// day across every instance.
	PaidRate        float64
	PaidStarsPerDay int64
	TopicsFile      string
	LogLevel        string
	LogFormat       string
	ResendUnknown   bool

	// The signup page (/subscribe): where it is published, how it shows
	// the site, how many links one client address may make an hour, and
	// whose X-Forwarded-For names the client.
	PublicURL      string
	SiteName       string
	SiteLogo       string
	SiteColor      string
	SignupRate     int
	TrustedProxies []netip.Prefix
	EmbedOrigins   []string

	// InviteKey keys the hash by which `nashra invite` counts email
	// invitations without the addresses. Never logged nor echoed.
	InviteKey string

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
	{"NASHRA_HTTP_ADDR", "http-addr", ":8080", "address for /healthz, /metrics, the webhook and the signup page"},
	{"NASHRA_PUBLIC_URL", "public-url", "", "public URL at which the site's reverse proxy publishes NASHRA_HTTP_ADDR (the signup page is its /subscribe)"},
	{"NASHRA_SITE_NAME", "site-name", "", "the site's name at the top of the signup page"},
	{"NASHRA_SITE_LOGO", "site-logo", "", "URL of the site's logo for the signup page (http or https)"},
	{"NASHRA_SITE_COLOR", "site-color", page.DefaultColor, "the signup page's accent colour, #rrggbb (its button's text turns dark on a light colour)"},
	{"NASHRA_SIGNUP_RATE", "signup-rate", strconv.Itoa(signup.DefaultRate), "signup links with chosen topics one client address may make an hour"},
	{"NASHRA_EMBED_ORIGINS", "embed-origins", "", "comma-separated origins (https://example.com) whose pages may show /embed in a frame (default: NASHRA_PUBLIC_URL's)"},
	{"NASHRA_TRUSTED_PROXIES", "trusted-proxies", defaultTrustedProxies, "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client"},
	{"NASHRA_INVITE_KEY", "invite-key", "", "secret key of the hash by which nashra invite counts invitations without storing addresses (required by invite; at least 32 characters: openssl rand -hex 32)"},
	{"NASHRA_INSTANCE_ID", "instance-id", "", "this instance's name to the polling lease, the same across restarts (default: hostname and HTTP address)"},
	{"NASHRA_WEBHOOK_URL", "webhook-url", "", "public HTTPS URL for webhook mode (long polling when empty)"},
	{"NASHRA_WEBHOOK_SECRET", "webhook-secret", "", "secret Telegram sends in X-Telegram-Bot-Api-Secret-Token"},
	{"NASHRA_SEND_RATE", "send-rate", "25", "messages per second across all instances"},
	{"NASHRA_PAID_RATE", "paid-rate", "0", "messages per second in all for digests, broadcasts and alerts with Telegram's paid broadcasts (0.1 Star per message above NASHRA_SEND_RATE); 0 is off, at most 1000"},
	{"NASHRA_PAID_STARS_PER_DAY", "paid-stars-per-day", "0", "Telegram Stars paid broadcasts may spend a UTC day across all instances (10 messages a Star); required with NASHRA_PAID_RATE"},
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
	paidRate, err := strconv.ParseFloat(get["NASHRA_PAID_RATE"], 64)
	switch {
	case err != nil || paidRate < 0 || paidRate > 1000:
		bad("NASHRA_PAID_RATE", "%q: want messages per second up to 1000 (Telegram's paid limit), or 0 for none", get["NASHRA_PAID_RATE"])
	case paidRate > 0 && paidRate <= rate:
		bad("NASHRA_PAID_RATE", "%v: want more than NASHRA_SEND_RATE (%v), or 0 for none", paidRate, rate)
	}
	c.PaidRate = paidRate
	stars, err := strconv.ParseInt(get["NASHRA_PAID_STARS_PER_DAY"], 10, 64)
	switch {
	case err != nil || stars < 0 || stars > 10_000_000:
		bad("NASHRA_PAID_STARS_PER_DAY", "%q: want a whole number of Stars from 0 to 10000000", get["NASHRA_PAID_STARS_PER_DAY"])
	case paidRate > 0 && stars == 0:
		bad("NASHRA_PAID_STARS_PER_DAY", "required with NASHRA_PAID_RATE: the most Stars paid broadcasts may spend a day")
	}
	c.PaidStarsPerDay = stars
	if c.PublicURL = strings.TrimRight(get["NASHRA_PUBLIC_URL"], "/"); c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		switch {
		case checkHTTPURL(c.PublicURL) != nil:
			bad("NASHRA_PUBLIC_URL", "%v", checkHTTPURL(c.PublicURL))
		case err == nil && (u.RawQuery != "" || u.Fragment != "" || u.User != nil):
			bad("NASHRA_PUBLIC_URL", "%q: want a base URL without query, fragment or credentials", c.PublicURL)
		}
	}
	if c.SiteName = get["NASHRA_SITE_NAME"]; utf8.RuneCountInString(c.SiteName) > 100 {
		bad("NASHRA_SITE_NAME", "longer than 100 characters")
	}
	if c.SiteLogo = get["NASHRA_SITE_LOGO"]; c.SiteLogo != "" {
		if err := checkHTTPURL(c.SiteLogo); err != nil {
			bad("NASHRA_SITE_LOGO", "%v", err)
		}
	}
	c.SiteColor = strings.ToLower(get["NASHRA_SITE_COLOR"])
	if err := page.CheckColor(c.SiteColor); err != nil {
		bad("NASHRA_SITE_COLOR", "%v", err)
	}
	signupRate, err := strconv.Atoi(get["NASHRA_SIGNUP_RATE"])
	if err != nil || signupRate < 1 || signupRate > 100000 {
		bad("NASHRA_SIGNUP_RATE", "%q: want a whole number of links an hour, at least 1", get["NASHRA_SIGNUP_RATE"])
	}
	c.SignupRate = signupRate
	for p := range strings.SplitSeq(get["NASHRA_TRUSTED_PROXIES"], ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			a, aerr := netip.ParseAddr(p)
			if aerr != nil {
				bad("NASHRA_TRUSTED_PROXIES", "%q is neither an address nor a CIDR range", p)
				continue
			}
			prefix = netip.PrefixFrom(a, a.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked())
	}
	for o := range strings.SplitSeq(get["NASHRA_EMBED_ORIGINS"], ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o == "" {
			continue
		}
		if err := page.CheckOrigin(o); err != nil {
			bad("NASHRA_EMBED_ORIGINS", "%v", err)
			continue
		}
		c.EmbedOrigins = append(c.EmbedOrigins, o)
	}
	if c.InviteKey = get["NASHRA_INVITE_KEY"]; c.InviteKey != "" {
		// Never echoed: the key is a secret even when it is refused.
		switch {
		case len(c.InviteKey) < signup.InviteKeyMin:
			bad("NASHRA_INVITE_KEY", "%d characters; want at least %d (openssl rand -hex 32 gives 64)", len(c.InviteKey), signup.InviteKeyMin)
		case strings.IndexFunc(c.InviteKey, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0:
			bad("NASHRA_INVITE_KEY", "want printable ASCII without spaces (openssl rand -hex 32)")
		}
	}
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

// defaultTrustedProxies are the loopback and private ranges: a reverse
// proxy on the same host or network. Nobody outside can connect from them.
const defaultTrustedProxies = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"

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

// embedOrigins may frame /embed: NASHRA_EMBED_ORIGINS, else the origin of
// NASHRA_PUBLIC_URL, else none but the page's own.
func (c Config) embedOrigins() []string {
	if len(c.EmbedOrigins) > 0 || c.PublicURL == "" {
		return c.EmbedOrigins
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil {
		return nil
	}
	return []string{u.Scheme + "://" + u.Host}
}
