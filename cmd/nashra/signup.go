package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/skip2/go-qrcode"

	"nashra/bidi"
	"nashra/digest/topics"
	"nashra/signup"
	"nashra/wording"
)

// Telegram's limits on a deep link: the start parameter is at most 64
// characters of A-Z a-z 0-9 _ -. The bot reads it as "_"-separated parts
// of at most 40 characters each (bot/handlers.go parsePayload).
const (
	maxPayload     = 64
	maxPayloadPart = 40
	// qrSize is the side of the QR code image in pixels: sharp in print,
	// small enough for a web page.
	qrSize = 512
)

var (
	payloadChars = regexp.MustCompile(`^[A-Za-z0-9_-]*$`)
	sourcePart   = regexp.MustCompile(`^[a-z0-9-]+$`)
	// botUsername: Telegram usernames are 5 to 32 letters, digits and
	// underscores, starting with a letter; a bot's ends in "bot".
	botUsername = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{4,31}$`)
)

// signupLinkCommand is `nashra signup-link [--source S] [--follow TOPIC]...
// [--bot USERNAME] [--qr FILE.png]`: the t.me link that replaces the site's
// email form, the HTML snippet to paste where the form was, and a QR code.
func signupLinkCommand(fs *flag.FlagSet) func(context.Context, *env) error {
	source := fs.String("source", "site-footer", "where the link is placed, counted per signup (a-z, 0-9, -)")
	var follows repeated
	fs.Var(&follows, "follow", "`TOPIC` the reader follows on joining, named as after /follow: قسد, SDF or the slug sdf (repeatable; see nashra topics)")
	username := fs.String("bot", "", "the bot's `USERNAME`: name, @name or https://t.me/name (default: asked from Telegram with NASHRA_TELEGRAM_TOKEN)")
	qr := fs.String("qr", "", "write a QR code of the link to this PNG file")
	return func(ctx context.Context, e *env) error {
		if len(e.args) > 0 {
			return fmt.Errorf("%w: signup-link takes flags only, not %q", errUsage, e.args[0])
		}
		catalog, err := loadCatalog(e.cfg)
		if err != nil {
			return err
		}
		payload, names, err := signupPayload(*source, follows, catalog)
		if err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		name, err := resolveBotUsername(ctx, e.cfg, *username)
		if err != nil {
			return err
		}
		link := "https://t.me/" + name
		if payload != "" {
			link += "?start=" + payload
		}
		fmt.Fprintf(e.stdout, "%s\n\n", link)
		writeSnippet(e.stdout, link, names)
		if e.cfg.PublicURL == "" {
			fmt.Fprintln(e.stderr, "Set NASHRA_PUBLIC_URL to the address the site publishes nashra at to get the signup page's link and the iframe of its box as well.")
		} else {
			writeFrame(e.stdout, e.cfg.PublicURL, *source)
		}
		if *qr != "" {
			if err := qrcode.WriteFile(link, qrcode.Medium, qrSize, *qr); err != nil {
				return fmt.Errorf("signup-link: write QR code: %w", err)
			}
			fmt.Fprintf(e.stderr, "QR code of %s written to %s\n", link, *qr)
		}
		return nil
	}
}

// signupPayload builds the start parameter "<source>_follow-<slug>..." and
// returns the Arabic names of the topics it follows. A topic is named as
// a reader names it after /follow (catalog.Lookup): its slug, its Arabic
// or English name or an alias.
func signupPayload(source string, follows []string, catalog *topics.Catalog) (string, []string, error) {
	var parts, names []string
	if source != "" {
		switch {
		case !sourcePart.MatchString(source):
			return "", nil, fmt.Errorf("--source %q: use lower-case letters, digits and '-'", source)
		case strings.HasPrefix(source, "follow-"):
			return "", nil, fmt.Errorf("--source %q: must not start with follow- (that names a topic)", source)
		case strings.HasPrefix(source, signup.TokenPrefix):
			return "", nil, fmt.Errorf("--source %q: must not start with %s (that marks a signup page's token)", source, signup.TokenPrefix)
		case len(source) > maxPayloadPart:
			return "", nil, fmt.Errorf("--source %q: longer than %d characters", source, maxPayloadPart)
		}
		parts = append(parts, source)
	}
	seen := make(map[string]bool)
	for _, name := range follows {
		t, ok := catalog.Lookup(name)
		if !ok {
			return "", nil, fmt.Errorf("--follow %q: no topic has that name, alias or slug (nashra topics lists them)", name)
		}
		part := "follow-" + t.Slug
		if len(part) > maxPayloadPart {
			return "", nil, fmt.Errorf("--follow %q: slug %q too long for a link (at most %d characters)", name, t.Slug, maxPayloadPart-len("follow-"))
		}
		if !seen[t.Slug] {
			seen[t.Slug] = true
			parts = append(parts, part)
			names = append(names, t.Arabic)
		}
	}
	payload := strings.Join(parts, "_")
	if len(payload) > maxPayload || !payloadChars.MatchString(payload) {
		return "", nil, fmt.Errorf("start parameter %q is %d characters; Telegram allows %d of A-Z a-z 0-9 _ - (use fewer --follow)", payload, len(payload), maxPayload)
	}
	return payload, names, nil
}

// resolveBotUsername is --bot when given, else the username Telegram
// reports for NASHRA_TELEGRAM_TOKEN.
func resolveBotUsername(ctx context.Context, cfg Config, flagValue string) (string, error) {
	if flagValue != "" {
		name, err := parseBotUsername(flagValue)
		if err != nil {
			return "", fmt.Errorf("%w: %v", errUsage, err)
		}
		return name, nil
	}
	if cfg.Token == "" {
		return "", fmt.Errorf("%w: the bot's username is needed for the link: pass --bot USERNAME, or set NASHRA_TELEGRAM_TOKEN to ask Telegram", errUsage)
	}
	opts := []tg.Option{tg.WithSkipGetMe()}
	if cfg.APIURL != "" {
		opts = append(opts, tg.WithServerURL(cfg.APIURL))
	}
	api, err := tg.New(cfg.Token, opts...)
	if err != nil {
		return "", fmt.Errorf("NASHRA_TELEGRAM_TOKEN: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	me, err := api.GetMe(ctx)
	if err != nil {
		if errors.Is(err, tg.ErrorUnauthorized) {
			return "", fmt.Errorf("NASHRA_TELEGRAM_TOKEN: Telegram rejected the token: %w", err)
		}
		return "", fmt.Errorf("signup-link: ask Telegram for the bot's username (or pass --bot): %w", err)
	}
	if me.Username == "" {
		return "", errors.New("signup-link: Telegram reported no username for the bot; pass --bot")
	}
	return me.Username, nil
}

// parseBotUsername takes the bot's username however an operator copies
// it: name, @name, t.me/name or https://t.me/name.
func parseBotUsername(s string) (string, error) {
	name := strings.TrimSpace(s)
	for _, prefix := range []string{"https://", "http://", "www.", "t.me/", "telegram.me/", "@"} {
		if len(name) >= len(prefix) && strings.EqualFold(name[:len(prefix)], prefix) {
			name = name[len(prefix):]
		}
	}
	name = strings.TrimSuffix(name, "/")
	switch {
	case !botUsername.MatchString(name):
		return "", fmt.Errorf("--bot %q: want the bot's username as name, @name or https://t.me/name (5 to 32 letters, digits and _, starting with a letter)", s)
	case !strings.HasSuffix(strings.ToLower(name), "bot"):
		return "", fmt.Errorf("--bot %q: a bot's username ends in bot (as @BotFather requires)", s)
	}
	return name, nil
}

// writeSnippet writes the HTML that takes the email form's place: Arabic,
// right to left, one button. Inline styles only, so it works in any theme
// and needs no script. A topic name in Latin letters ("PYD") is isolated
// (bidi) so it reads as written inside the Arabic sentence.
func writeSnippet(w io.Writer, link string, topicNames []string) {
	t := wording.Arabic.Signup
	follows := ""
	if len(topicNames) > 0 {
		for i, n := range topicNames {
			topicNames[i] = html.EscapeString(n)
		}
		line := bidi.Lines(bidi.RightToLeft, fmt.Sprintf(t.Follows, strings.Join(topicNames, "، ")))
		follows = fmt.Sprintf("\n  <p style=\"margin:0 0 12px;font-size:14px;color:#555\">%s</p>", line)
	}
	fmt.Fprintf(w, `<!-- nashra: the Telegram newsletter, in place of the email form -->
<div class="nashra-signup" dir="rtl" lang="ar" style="border:1px solid #d7e3ec;border-radius:12px;padding:16px 20px;max-width:440px;text-align:right">
  <p style="margin:0 0 6px;font-size:18px;font-weight:bold">%s</p>
  <p style="margin:0 0 12px;font-size:14px;color:#555">%s</p>%s
  <a href="%s" target="_blank" rel="noopener" style="display:inline-block;background:#229ed9;color:#fff;text-decoration:none;font-weight:bold;padding:10px 24px;border-radius:8px">%s</a>
</div>
`, html.EscapeString(t.Title), html.EscapeString(t.Pitch), follows, html.EscapeString(link), html.EscapeString(t.Button))
}

// writeFrame writes the signup page's URL and the iframe that shows its
// compact box (/embed) in the site's footer. The box opens Telegram in a
// new tab; only the origins of NASHRA_EMBED_ORIGINS (else of
// NASHRA_PUBLIC_URL) may frame it.
func writeFrame(w io.Writer, publicURL, source string) {
	q := ""
	if source != "" {
		q = "?source=" + url.QueryEscape(source)
	}
	fmt.Fprintf(w, "\n%s/subscribe%s\n\n", publicURL, q)
	fmt.Fprintf(w, `<!-- nashra: the signup box, framed in the site's footer -->
<iframe src="%s" title="%s" loading="lazy" style="border:0;width:100%%;max-width:720px;height:640px"></iframe>
`, html.EscapeString(publicURL+"/embed"+q), html.EscapeString(wording.Arabic.Signup.Title))
}
