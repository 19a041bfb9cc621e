package main

import (
	"errors"
	"image"
	_ "image/png" // image.DecodeConfig of the QR code
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nashra/bot/telegramtest"
)

func TestSignupLink(t *testing.T) {
	qr := filepath.Join(t.TempDir(), "signup.png")
	out, _, err := runCmd(t, nil, "", "signup-link", "--bot", "@nashra_bot", "--follow", "sdf", "--follow", "isis", "--qr", qr)
	if err != nil {
		t.Fatal(err)
	}
	link, snippet, _ := strings.Cut(out, "\n\n")
	const want = "https://t.me/nashra_bot?start=site-footer_follow-sdf_follow-isis"
	if link != want {
		t.Errorf("link = %q; want %q", link, want)
	}
	payload := strings.TrimPrefix(link, "https://t.me/nashra_bot?start=")
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`).MatchString(payload) {
		t.Errorf("start parameter %q is not one Telegram accepts", payload)
	}
	for _, part := range []string{
		`dir="rtl"`, `lang="ar"`, `<a href="` + want + `"`,
		"اشترك بنشرتنا على تلغرام", // subscribe to our newsletter on Telegram
		"قوات سوريا الديمقراطية",   // SDF, followed on joining
	} {
		if !strings.Contains(snippet, part) {
			t.Errorf("snippet does not contain %q:\n%s", part, snippet)
		}
	}
	f, err := os.Open(qr)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil || format != "png" || cfg.Width != qrSize || cfg.Height != qrSize {
		t.Errorf("QR code: %s %dx%d, %v; want a %dx%d PNG", format, cfg.Width, cfg.Height, err, qrSize, qrSize)
	}
}

// --follow takes a topic as a reader names it after /follow, and --bot
// the username however it was copied.
func TestSignupLinkAcceptsWhatAnOperatorTypes(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--follow", "قسد"}, "https://t.me/nashra_bot?start=site-footer_follow-sdf"}, // SDF's Arabic acronym
		{[]string{"--follow", "SDF"}, "https://t.me/nashra_bot?start=site-footer_follow-sdf"},
		{[]string{"--follow", "#قوات_سوريا_الديمقراطية"}, "https://t.me/nashra_bot?start=site-footer_follow-sdf"},                 // SDF as a hashtag
		{[]string{"--follow", "مخيم الهول", "--follow", "al-hol"}, "https://t.me/nashra_bot?start=site-footer_follow-al-hol"},     // al-Hol camp, twice
		{[]string{"--follow", "Raqqa", "--follow", "داعش"}, "https://t.me/nashra_bot?start=site-footer_follow-raqqa_follow-isis"}, // ISIS
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, _, err := runCmd(t, nil, "", append([]string{"signup-link", "--bot", "nashra_bot"}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if link, _, _ := strings.Cut(out, "\n"); link != tt.want {
				t.Errorf("link = %q; want %q", link, tt.want)
			}
		})
	}
	for _, bot := range []string{"nashra_bot", "@nashra_bot", "https://t.me/nashra_bot", "http://t.me/nashra_bot/", "t.me/nashra_bot", "T.me/@nashra_bot", "https://telegram.me/nashra_bot", " @nashra_bot "} {
		out, _, err := runCmd(t, nil, "", "signup-link", "--source", "", "--bot", bot)
		if err != nil {
			t.Errorf("--bot %q: %v", bot, err)
			continue
		}
		if link, _, _ := strings.Cut(out, "\n"); link != "https://t.me/nashra_bot" {
			t.Errorf("--bot %q: link %q; want https://t.me/nashra_bot", bot, link)
		}
	}
	if out, _, err := runCmd(t, nil, "", "signup-link", "--source", "", "--bot", "NashraNewsBot"); err != nil || !strings.HasPrefix(out, "https://t.me/NashraNewsBot\n") {
		t.Errorf("--bot NashraNewsBot: %v, %q; want the name kept as written", err, out)
	}
}

// A topic named in Latin letters keeps its order inside the Arabic
// sentence of the snippet.
func TestSignupSnippetIsolatesLatinNames(t *testing.T) {
	var b strings.Builder
	writeSnippet(&b, "https://t.me/nashra_bot", []string{"حزب الاتحاد الديمقراطي/PYD", "داعش"}) // PYD, ISIS
	if !strings.Contains(b.String(), "/\u2068PYD\u2069، داعش</p>") {
		t.Errorf("snippet does not isolate PYD:\n%s", b.String())
	}
}

func TestSignupLinkAsksTelegramForTheUsername(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	env := map[string]string{"NASHRA_TELEGRAM_TOKEN": srv.Token(), "NASHRA_TELEGRAM_API": srv.URL()}
	out, _, err := runCmd(t, env, "", "signup-link", "--source", "newsletter-page")
	if err != nil {
		t.Fatal(err)
	}
	want := "https://t.me/" + srv.BotUser().Username + "?start=newsletter-page\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("output starts %q; want %q", out[:min(len(out), 80)], want)
	}
}

func TestSignupLinkRefuses(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--follow", "sdf"}, "--bot USERNAME"}, // no --bot and no token
		{[]string{"--bot", "nashra_bot", "--source", "Site_Footer"}, "--source"},
		{[]string{"--bot", "nashra_bot", "--source", "follow-sdf"}, "follow-"},
		{[]string{"--bot", "nashra_bot", "--source", strings.Repeat("a", 41)}, "longer than 40"},
		{[]string{"--bot", "nashra_bot", "--follow", "atlantis"}, `"atlantis"`},
		{[]string{"--bot", "nashra_bot", "--follow", "sdf", "--follow", "isis", "--follow", "raqqa", "--follow", "camps", "--follow", "kobani"}, "64"},
		{[]string{"--bot", "bad name!"}, "--bot"},
		{[]string{"--bot", "nashra_news"}, "ends in bot"},
		{[]string{"--bot", "@abot"}, "5 to 32"},
		{[]string{"--bot", strings.Repeat("a", 30) + "bot"}, "5 to 32"},
		{[]string{"--bot", "1nashra_bot"}, "starting with a letter"},
		{[]string{"--bot", "https://example.com/nashra_bot"}, "https://t.me/name"},
		{[]string{"--bot", "https://t.me/nashra_bot?start=x"}, "--bot"},
		{[]string{"--bot", "nashra_bot", "--follow", "قسدد"}, `"قسدد"`}, // a typo of SDF's Arabic acronym
		{[]string{"--bot", "nashra_bot", "extra"}, "flags only"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, _, err := runCmd(t, nil, "", append([]string{"signup-link"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("signup-link %v = %v; want an error mentioning %q", tt.args, err, tt.want)
			}
			if !errors.Is(err, errUsage) {
				t.Errorf("error %v is not a usage error (exit 2)", err)
			}
			if out != "" {
				t.Errorf("printed %q on error", out)
			}
		})
	}
}

// With NASHRA_PUBLIC_URL, signup-link also prints the signup page's URL
// and the iframe of its compact box for the site's footer.
func TestSignupLinkPrintsThePageAndItsFrame(t *testing.T) {
	env := map[string]string{"NASHRA_PUBLIC_URL": "https://news.example/nashra/"}
	out, _, err := runCmd(t, env, "", "signup-link", "--bot", "nashra_bot", "--source", "site-footer")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"https://news.example/nashra/subscribe?source=site-footer\n",
		`<iframe src="https://news.example/nashra/embed?source=site-footer" title="اشترك بنشرتنا على تلغرام"`, // subscribe to our newsletter on Telegram
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, errs, err := runCmd(t, nil, "", "signup-link", "--bot", "nashra_bot")
	if err != nil || strings.Contains(out, "<iframe") || !strings.Contains(errs, "NASHRA_PUBLIC_URL") {
		t.Errorf("without NASHRA_PUBLIC_URL: %v, %q, %q; want no frame and a hint", err, out, errs)
	}
	// A source the bot would read as a signup token is refused.
	if _, _, err := runCmd(t, nil, "", "signup-link", "--bot", "nashra_bot", "--source", "tk-abc"); err == nil || !strings.Contains(err.Error(), "tk-") {
		t.Errorf("--source tk-abc = %v; want a refusal", err)
	}
}
