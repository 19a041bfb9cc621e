package main

import (
	"bytes"
	"context"
	"flag"
	"strings"
	"testing"
)

func resolve(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	vals := bindSettings(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return resolveConfig(fs, vals, func(k string) string { return env[k] })
}

func TestConfigDefaults(t *testing.T) {
	c, err := resolve(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.APIURL != "https://api.telegram.org" || c.RedisURL != "redis://127.0.0.1:6379/0" ||
		c.Location.String() != "Asia/Damascus" || c.SendRate != 25 || len(c.Feeds) != 1 ||
		c.PollSchedule != "@every 5m" || c.DigestSchedule != "0 8 * * *" || c.HTTPAddr != ":8080" || c.BreakingCap != 3 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestConfigFlagOverridesEnv(t *testing.T) {
	env := map[string]string{"NASHRA_SEND_RATE": "10", "NASHRA_ADMINS": "1,2"}
	c, err := resolve(t, env, "-send-rate", "5", "-telegram-api", "http://127.0.0.1:9/")
	if err != nil {
		t.Fatal(err)
	}
	if c.SendRate != 5 || c.APIURL != "http://127.0.0.1:9" || len(c.Admins) != 2 {
		t.Errorf("got rate %v, api %q, admins %v; want the flags to win and the env to fill the rest", c.SendRate, c.APIURL, c.Admins)
	}
}

// Every invalid setting is reported, and each error names its variable.
func TestConfigErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		env  string
		val  string
		want string
	}{
		{"NASHRA_TELEGRAM_TOKEN", "not-a-token", "NASHRA_TELEGRAM_TOKEN"},
		{"NASHRA_TELEGRAM_API", "ftp://x", "NASHRA_TELEGRAM_API"},
		{"NASHRA_REDIS_URL", "mysql://x", "NASHRA_REDIS_URL"},
		{"NASHRA_REDIS_PREFIX", "a{b}", "NASHRA_REDIS_PREFIX"},
		{"NASHRA_FEEDS", "https://ok.example/feed, not a url", "NASHRA_FEEDS"},
		{"NASHRA_ADMINS", "12,abc", "NASHRA_ADMINS"},
		{"NASHRA_ADMINS", "-5", "NASHRA_ADMINS"},
		{"NASHRA_POLL_SCHEDULE", "every five minutes", "NASHRA_POLL_SCHEDULE"},
		{"NASHRA_DIGEST_SCHEDULE", "61 8 * * *", "NASHRA_DIGEST_SCHEDULE"},
		{"NASHRA_BREAKING_MARKERS", "عاجل, !!!", "NASHRA_BREAKING_MARKERS"},
		{"NASHRA_BREAKING_DAILY_CAP", "-1", "NASHRA_BREAKING_DAILY_CAP"},
		{"NASHRA_BREAKING_DAILY_CAP", "three", "NASHRA_BREAKING_DAILY_CAP"},
		{"NASHRA_TIMEZONE", "Mars/Olympus", "NASHRA_TIMEZONE"},
		{"NASHRA_HTTP_ADDR", "8080", "NASHRA_HTTP_ADDR"},
		{"NASHRA_WEBHOOK_URL", "http://insecure.example/hook", "NASHRA_WEBHOOK_URL"},
		{"NASHRA_SEND_RATE", "0", "NASHRA_SEND_RATE"},
		{"NASHRA_SEND_RATE", "fast", "NASHRA_SEND_RATE"},
		{"NASHRA_PAID_RATE", "1001", "NASHRA_PAID_RATE"},
		{"NASHRA_PAID_RATE", "-1", "NASHRA_PAID_RATE"},
		{"NASHRA_PAID_RATE", "20", "NASHRA_PAID_RATE"}, // not above the send rate of 25
		{"NASHRA_PAID_RATE", "500", "NASHRA_PAID_STARS_PER_DAY"},
		{"NASHRA_PAID_STARS_PER_DAY", "2.5", "NASHRA_PAID_STARS_PER_DAY"},
		{"NASHRA_PAID_STARS_PER_DAY", "-3", "NASHRA_PAID_STARS_PER_DAY"},
		{"NASHRA_TOPICS_FILE", "/nonexistent/topics.json", "NASHRA_TOPICS_FILE"},
		{"NASHRA_LOG_LEVEL", "loud", "NASHRA_LOG_LEVEL"},
		{"NASHRA_LOG_FORMAT", "xml", "NASHRA_LOG_FORMAT"},
		{"NASHRA_RESEND_UNKNOWN", "maybe", "NASHRA_RESEND_UNKNOWN"},
		{"NASHRA_PUBLIC_URL", "news.example/nashra", "NASHRA_PUBLIC_URL"},
		{"NASHRA_PUBLIC_URL", "https://news.example/nashra?x=1", "NASHRA_PUBLIC_URL"},
		{"NASHRA_SITE_LOGO", "javascript:alert(1)", "NASHRA_SITE_LOGO"},
		{"NASHRA_SITE_COLOR", "blue", "NASHRA_SITE_COLOR"},
		{"NASHRA_SITE_COLOR", "#12345", "NASHRA_SITE_COLOR"},
		{"NASHRA_SITE_NAME", strings.Repeat("x", 101), "NASHRA_SITE_NAME"},
		{"NASHRA_SIGNUP_RATE", "0", "NASHRA_SIGNUP_RATE"},
		{"NASHRA_SIGNUP_RATE", "many", "NASHRA_SIGNUP_RATE"},
		{"NASHRA_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local", "NASHRA_TRUSTED_PROXIES"},
		{"NASHRA_EMBED_ORIGINS", "https://news.example, news.example", "NASHRA_EMBED_ORIGINS"},
		{"NASHRA_EMBED_ORIGINS", "https://news.example/footer", "NASHRA_EMBED_ORIGINS"},
	}
	for _, tt := range tests {
		t.Run(tt.env+"="+tt.val, func(t *testing.T) {
			_, err := resolve(t, map[string]string{tt.env: tt.val})
			if err == nil || !strings.Contains(err.Error(), tt.want+":") {
				t.Errorf("%s=%q gave %v; want an error naming %s", tt.env, tt.val, err, tt.want)
			}
		})
	}
}

func TestConfigWebhookNeedsSecret(t *testing.T) {
	_, err := resolve(t, map[string]string{"NASHRA_WEBHOOK_URL": "https://bot.example/hook"})
	if err == nil || !strings.Contains(err.Error(), "NASHRA_WEBHOOK_SECRET") {
		t.Errorf("webhook without secret gave %v; want an error naming NASHRA_WEBHOOK_SECRET", err)
	}
}

// A malformed token is a secret all the same: it must not be echoed.
func TestConfigNeverEchoesToken(t *testing.T) {
	const bad = "12345:short"
	_, err := resolve(t, map[string]string{"NASHRA_TELEGRAM_TOKEN": bad})
	if err == nil || strings.Contains(err.Error(), bad) {
		t.Errorf("error %v; want a rejection that does not contain the token", err)
	}
}

func TestRunNeedsToken(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"run", "-redis-url", "memory"}, func(string) string { return "" }, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "NASHRA_TELEGRAM_TOKEN") {
		t.Errorf("run without a token = %v; want an error naming NASHRA_TELEGRAM_TOKEN", err)
	}
}

func TestUnknownCommand(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, nil, &out, &errb)
	if exitCode(err) != 2 || !strings.Contains(errb.String(), "usage: nashra") {
		t.Errorf("unknown command gave %v (exit %d), stderr %q; want usage and exit 2", err, exitCode(err), errb.String())
	}
}

func TestLoggerRedactsToken(t *testing.T) {
	const token = "123456:AAsecretsecretsecret"
	var buf bytes.Buffer
	log := newLogger(&buf, "info", "text", token)
	log.Info("request to https://api.telegram.org/bot"+token+"/getMe failed", "url", "https://x/bot"+token+"/sendMessage", "err", errString("Post https://x/bot"+token+"/getUpdates: EOF"))
	if strings.Contains(buf.String(), "AAsecret") {
		t.Errorf("log line leaks the token: %s", buf.String())
	}
	if !strings.Contains(buf.String(), "<redacted>") {
		t.Errorf("log line %s; want the token replaced by <redacted>", buf.String())
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestTopicsCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"topics"}, func(string) string { return "" }, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	// The catalog names SDF in Arabic (قسد) among its aliases, under its
	// group («الأطراف», "Forces"), and the coalition's follow name «التحالف».
	for _, want := range []string{"sdf", "قسد", "# الأطراف · Forces (actors)", "/follow: التحالف"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("nashra topics printed:\n%s\nwant %q", out.String(), want)
		}
	}
}

// A refused feed URL is named without its credentials, and a URL with a
// space is refused: an error repeating it could not be redacted.
func TestConfigFeedErrorsHideCredentials(t *testing.T) {
	for _, feed := range []string{
		"ftp://reader:pw-S3CRET-1@example.org/feed/?token=tok-S3CRET-2",
		"https://reader:pw-S3CRET-1@example.org:port/feed/",
		"https://example.org/feed/?cat=5 6&token=tok-S3CRET-2",
		`https://example.org/feed/?token="tok-S3CRET-2"`,
	} {
		_, err := resolve(t, map[string]string{"NASHRA_FEEDS": feed})
		if err == nil || !strings.Contains(err.Error(), "NASHRA_FEEDS:") || strings.Contains(err.Error(), "S3CRET") {
			t.Errorf("NASHRA_FEEDS=%q gave %v; want it refused without its secrets", feed, err)
		}
	}
}

// The signup page's settings: the public URL without its trailing slash,
// the proxies as prefixes (a bare address is one host).
func TestConfigSignupPage(t *testing.T) {
	c, err := resolve(t, map[string]string{
		"NASHRA_PUBLIC_URL": "https://news.example/nashra/", "NASHRA_SITE_NAME": " حال نت ",
		"NASHRA_SITE_LOGO": "https://news.example/logo.svg", "NASHRA_SITE_COLOR": "#C0392B",
		"NASHRA_SIGNUP_RATE": "12", "NASHRA_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7,::1",
		"NASHRA_EMBED_ORIGINS": "https://news.example/, https://www.news.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	var proxies []string
	for _, p := range c.TrustedProxies {
		proxies = append(proxies, p.String())
	}
	if c.PublicURL != "https://news.example/nashra" || c.SiteName != "حال نت" || c.SiteLogo != "https://news.example/logo.svg" ||
		c.SiteColor != "#c0392b" || c.SignupRate != 12 || strings.Join(proxies, ",") != "10.0.0.0/8,192.0.2.7/32,::1/128" {
		t.Errorf("got %q %q %q %q %d %v", c.PublicURL, c.SiteName, c.SiteLogo, c.SiteColor, c.SignupRate, proxies)
	}
	d, err := resolve(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.EmbedOrigins, " "); got != "https://news.example https://www.news.example" {
		t.Errorf("embed origins %q; want both, without the trailing slash", got)
	}
	// Without NASHRA_EMBED_ORIGINS the public URL's origin may frame /embed.
	if got := strings.Join(c.embedOrigins(), " "); got != "https://news.example https://www.news.example" {
		t.Errorf("embedOrigins() = %q", got)
	}
	e, err := resolve(t, map[string]string{"NASHRA_PUBLIC_URL": "https://news.example:8443/nashra"})
	if err != nil || strings.Join(e.embedOrigins(), " ") != "https://news.example:8443" {
		t.Errorf("embedOrigins() from the public URL = %v, %v; want https://news.example:8443", e.embedOrigins(), err)
	}
	if d.PublicURL != "" || d.SiteColor != "#1b6fa8" || d.SignupRate != 30 || len(d.TrustedProxies) != 6 {
		t.Errorf("defaults: %q %q %d %v", d.PublicURL, d.SiteColor, d.SignupRate, d.TrustedProxies)
	}
}
