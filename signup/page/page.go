// Package page serves the signup page that takes the email form's place on
// the site: GET /subscribe shows the topics grouped as the bot's /topics
// does, the digest time and a privacy note; the form POSTs (no script
// needed) and is redirected to the bot's t.me link, whose start parameter
// carries the source and a token under which package signup keeps what was
// ticked. With JavaScript the link and a QR code of it follow the form as
// it changes (POST /subscribe/link).
//
// The page is self-contained: its CSS and script are inline, allowed by a
// per-response nonce in the Content-Security-Policy; nothing comes from
// another origin except the site's own logo; no cookie is set.
package page

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"nashra/digest/topics"
	"nashra/signup"
	"nashra/wording"
)

// DefaultSource names signups from a page URL without ?source=.
const DefaultSource = "web"

// DefaultColor is the accent when the site sets none: a blue on which
// white text passes WCAG AA (contrast 4.9:1).
const DefaultColor = "#1b6fa8"

// Tokens keeps the choices behind the links (signup.Store).
type Tokens interface {
	Create(ctx context.Context, c signup.Choice) (string, error)
	Update(ctx context.Context, tok string, c signup.Choice) (bool, error)
	Allow(ctx context.Context, client string) (bool, error)
}

// Site is how the page presents the newsroom.
type Site struct {
	Name    string // shown in the header; none when empty
	LogoURL string // an http(s) image URL; none when empty
	Color   string // the accent, #rrggbb; DefaultColor when empty
}

// Options configure the page.
type Options struct {
	Tokens  Tokens
	Catalog *topics.Catalog
	// BotName returns the bot's username for the t.me link.
	BotName func(ctx context.Context) (string, error)
	Site    Site
	// DefaultSchedule (a cron spec) and Location describe the digest times.
	DefaultSchedule string
	Location        *time.Location
	// TrustedProxies are the addresses whose X-Forwarded-For names the
	// client (the site's reverse proxy); others are the client themselves.
	TrustedProxies []netip.Prefix
	// EmbedOrigins may show /embed in a frame (its CSP frame-ancestors):
	// the site's origins, such as https://example.com. None: only the
	// page's own origin may.
	EmbedOrigins []string
	Log          *slog.Logger
	// Links and Prefs serve the preference page, /settings, that the
	// bot's /settings links to; without both it is not served. PublicURL
	// (NASHRA_PUBLIC_URL) is where browsers reach the page, whose origin
	// may post its form besides the request's own host.
	Links     Links
	Prefs     Prefs
	PublicURL string
}

// Page serves /subscribe.
type Page struct {
	opt          Options
	tmpl         *template.Template
	settingsTmpl *template.Template
	colors       colors
	// imgSrc is the CSP img-src: the page's own QR codes and the logo.
	imgSrc string
	// crossOrigin refuses the preference page's form posted from another
	// site (Sec-Fetch-Site, else Origin against the host).
	crossOrigin *http.CrossOriginProtection
}

// New returns the page; it fails on a colour or logo URL it cannot use.
func New(opt Options) (*Page, error) {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Site.Color == "" {
		opt.Site.Color = DefaultColor
	}
	c, err := paletteFor(opt.Site.Color)
	if err != nil {
		return nil, err
	}
	for _, o := range opt.EmbedOrigins {
		if err := CheckOrigin(o); err != nil {
			return nil, err
		}
	}
	p := &Page{opt: opt, colors: c, imgSrc: "data:", crossOrigin: http.NewCrossOriginProtection()}
	if opt.PublicURL != "" {
		o, err := trustedOrigin(opt.PublicURL)
		if err != nil {
			return nil, err
		}
		if err := p.crossOrigin.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	if opt.Site.LogoURL != "" {
		u, err := url.Parse(opt.Site.LogoURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("logo URL %q: want an http(s) URL", opt.Site.LogoURL)
		}
		p.imgSrc += " " + u.Scheme + "://" + u.Host
	}
	if p.tmpl, err = template.ParseFS(assets, "page.html", "parts.html"); err != nil {
		return nil, err
	}
	if p.settingsTmpl, err = template.ParseFS(assets, "settings.html", "parts.html"); err != nil {
		return nil, err
	}
	return p, nil
}

// Routes registers the page's handlers on mux.
func (p *Page) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /subscribe", p.show)
	mux.HandleFunc("GET /embed", p.embed)
	mux.HandleFunc("POST /subscribe", p.submit)
	mux.HandleFunc("POST /subscribe/link", p.link)
	if p.settingsOn() {
		mux.HandleFunc("GET /settings", p.showSettings)
		mux.HandleFunc("POST /settings", p.saveSettings)
	}
}

// request is what a request to the page says: its language, the signup
// source, and (from a form) the choice.
type request struct {
	lang   string
	source string
	choice signup.Choice
	token  string // the token the page's script holds, to update
}

// maxForm bounds a form: every topic of a large catalog ticked.
const maxForm = 64 << 10

func (p *Page) read(w http.ResponseWriter, r *http.Request) (request, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return request{}, err
	}
	q := request{lang: langOf(r.Form.Get("lang")), source: sourceOf(r.Form.Get("source"))}
	seen := map[string]bool{}
	for _, slug := range r.PostForm["topic"] {
		if _, ok := p.opt.Catalog.Get(slug); ok && !seen[slug] && len(q.choice.Topics) < signup.MaxTopics {
			seen[slug] = true
			q.choice.Topics = append(q.choice.Topics, slug)
		}
	}
	q.choice.Schedule, _ = scheduleOf(r.PostForm.Get("time"))
	q.choice.Lang = q.lang
	q.token = r.PostForm.Get("token")
	return q, nil
}

// langOf is "en" for English, "ar" for anything else.
func langOf(s string) string {
	if s == "en" {
		return "en"
	}
	return "ar"
}

// sourceOf keeps a source the bot can read back and count, else
// DefaultSource.
func sourceOf(s string) string {
	if signup.CheckSource(s) != nil {
		return DefaultSource
	}
	return s
}

// empty reports a choice that needs no token: no topic, the default time.
// The reader then gets a plain subscription, as the link without a token
// gives.
func empty(c signup.Choice) bool { return len(c.Topics) == 0 && c.Schedule == "" }

// errTooMany is a client over its rate of new tokens.
var errTooMany = errors.New("too many signup links from one address")

// linkFor returns the t.me link for q, with a token when the choice needs
// one: q.token updated in place when it is still open, else a new one.
func (p *Page) linkFor(ctx context.Context, r *http.Request, q request) (link, token string, err error) {
	bot, err := p.opt.BotName(ctx)
	if err != nil {
		return "", "", fmt.Errorf("bot username: %w", err)
	}
	if empty(q.choice) {
		return tmeLink(bot, signup.Payload(q.source, "")), "", nil
	}
	if q.token != "" {
		ok, err := p.opt.Tokens.Update(ctx, q.token, q.choice)
		if err != nil {
			return "", "", err
		}
		if ok {
			return tmeLink(bot, signup.Payload(q.source, q.token)), q.token, nil
		}
	}
	client := clientAddr(r, p.opt.TrustedProxies)
	ok, err := p.opt.Tokens.Allow(ctx, client)
	if err != nil {
		return "", "", err
	}
	if !ok {
		p.opt.Log.Warn("signup links refused: over the rate", "client", signup.ClientKey(client))
		return "", "", errTooMany
	}
	tok, err := p.opt.Tokens.Create(ctx, q.choice)
	if err != nil {
		return "", "", err
	}
	return tmeLink(bot, signup.Payload(q.source, tok)), tok, nil
}

func tmeLink(bot, payload string) string {
	return "https://t.me/" + url.PathEscape(bot) + "?start=" + url.QueryEscape(payload)
}

// submit is the form without script: 303 to the t.me link.
func (p *Page) submit(w http.ResponseWriter, r *http.Request) {
	q, err := p.read(w, r)
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	link, _, err := p.linkFor(r.Context(), r, q)
	if err != nil {
		p.fail(w, r, q, err)
		return
	}
	secureHeaders(w, "")
	http.Redirect(w, r, link, http.StatusSeeOther)
}

// linkReply is POST /subscribe/link's answer to the page's script.
type linkReply struct {
	Link  string `json:"link,omitempty"`
	Token string `json:"token,omitempty"`
	QR    string `json:"qr,omitempty"` // a data: URI of a PNG
	Error string `json:"error,omitempty"`
}

// link answers the page's script: the link for the form as it stands.
func (p *Page) link(w http.ResponseWriter, r *http.Request) {
	q, err := p.read(w, r)
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	secureHeaders(w, "")
	link, tok, err := p.linkFor(r.Context(), r, q)
	if err != nil {
		code, msg := p.failure(r, q, err)
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(linkReply{Error: msg})
		return
	}
	_ = json.NewEncoder(w).Encode(linkReply{Link: link, Token: tok, QR: qrDataURI(link)})
}

// failure logs err and says it to the reader: the status and the text.
func (p *Page) failure(r *http.Request, q request, err error) (int, string) {
	t := wording.For(q.lang).Page
	if errors.Is(err, errTooMany) {
		return http.StatusTooManyRequests, t.TooMany
	}
	p.opt.Log.Error("signup link", "err", err)
	return http.StatusServiceUnavailable, t.Unavailable
}

func (p *Page) fail(w http.ResponseWriter, r *http.Request, q request, err error) {
	code, msg := p.failure(r, q, err)
	if code == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "600")
	}
	p.render(w, r, code, p.view(r.Context(), q.lang, q.source, msg))
}

// qrSize is the QR code's side in pixels: sharp on a high-density screen
// at the 160 CSS pixels the page shows it at.
const qrSize = 320

func qrDataURI(link string) string {
	png, err := qrcode.Encode(link, qrcode.Medium, qrSize)
	if err != nil {
		return ""
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
}

// show is GET /subscribe.
func (p *Page) show(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.render(w, r, http.StatusOK, p.view(r.Context(), langOf(q.Get("lang")), sourceOf(q.Get("source")), ""))
}

// embed is GET /embed: the page made compact for a frame in the site's
// footer. Only the site's origins may frame it; its form and button open
// Telegram in a new tab, as t.me refuses to be framed.
func (p *Page) embed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := p.view(r.Context(), langOf(q.Get("lang")), sourceOf(q.Get("source")), "")
	v.Embed, v.Target = true, "_blank"
	p.render(w, r, http.StatusOK, v)
}

func (p *Page) render(w http.ResponseWriter, r *http.Request, code int, v view) {
	v.Nonce = nonce()
	ancestors := "'none'"
	if v.Embed {
		ancestors = "'self'"
		if len(p.opt.EmbedOrigins) > 0 {
			ancestors = strings.Join(p.opt.EmbedOrigins, " ")
		}
	}
	secureHeaders(w, fmt.Sprintf("default-src 'none'; style-src 'nonce-%[1]s'; script-src 'nonce-%[1]s'; img-src %[2]s; "+
		"connect-src 'self'; form-action 'self' https://t.me; base-uri 'none'; frame-ancestors %[3]s", v.Nonce, p.imgSrc, ancestors))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	if err := p.tmpl.Execute(w, v); err != nil {
		p.opt.Log.Error("render the signup page", "err", err)
	}
}

// secureHeaders are on every answer: no sniffing, no referrer sent on to
// Telegram, and the page's own policy when csp is set.
func secureHeaders(w http.ResponseWriter, csp string) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if csp != "" {
		h.Set("Content-Security-Policy", csp)
	}
}

func nonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// queryOf is the page's own query for a language and source, for its form
// and its language link.
func queryOf(lang, source string) string {
	v := url.Values{}
	if lang == "en" {
		v.Set("lang", "en")
	}
	if source != DefaultSource {
		v.Set("source", source)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// relative is the page's URL relative to itself ("subscribe?lang=en"):
// right behind a proxy that serves it under a path of its own.
func relative(lang, source string) string {
	return "subscribe" + queryOf(lang, source)
}

// CheckOrigin reports whether s is an origin a frame may come from:
// http(s)://host[:port], nothing after.
func CheckOrigin(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, " ;,'\"") {
		return fmt.Errorf("origin %q: want scheme://host[:port], such as https://example.com", s)
	}
	return nil
}
