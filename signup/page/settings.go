package page

// The preference page: /settings in the bot sends a reader a link here,
// <NASHRA_PUBLIC_URL>/settings?t=<token>, where they change the topics and
// keywords they follow and their digest time. The token (package
// signup/settings) names the chat; it is checked on every request, and
// the form carries it back in its body, never in a cookie. The page needs
// no script: the form POSTs, the save goes through the bot (which tells
// the chat at once through the outbox) and the browser is sent back to the
// page, which then says «حُفظت تفضيلاتك».

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"nashra/digest/arabic"
	"nashra/signup/settings"
	"nashra/subscribers"
	"nashra/wording"
)

// Links checks the tokens of the preference page's links (settings.Links).
type Links interface {
	Check(ctx context.Context, token string) (int64, error)
}

// Prefs reads and saves a chat's settings (bot.Bot).
type Prefs interface {
	Prefs(ctx context.Context, chatID int64) (settings.Prefs, error)
	SavePrefs(ctx context.Context, chatID int64, c settings.Choice) (settings.Outcome, error)
}

// keepTime is the time option that leaves a schedule the page does not
// offer as it is.
const keepTime = "current"

// settingsView is what settings.html shows.
type settingsView struct {
	view
	Prefs        wording.Prefs
	Token        string
	Keywords     []keywordBox
	KeywordsHint template.HTML
	Saved        bool
	// Refused replaces the form with why the link does not work and how
	// to get another; BotLink opens the bot.
	Refused     bool
	RefusedText template.HTML
	BotLink     string
}

type keywordBox struct {
	Key, Words, ID string
	Checked        bool
}

// settingsForm is what a request to the preference page says.
type settingsForm struct {
	token string
	lang  string // asked for with ?lang= or the form; "" for the reader's own
	saved bool
	// From a POST: what was ticked and chosen.
	topics, keywords []string
	time             string
}

func (p *Page) settingsOn() bool { return p.opt.Links != nil && p.opt.Prefs != nil }

// showSettings is GET /settings?t=…: the form as the chat's settings stand.
func (p *Page) showSettings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := settingsForm{token: q.Get("t"), lang: q.Get("lang"), saved: q.Get("saved") == "1"}
	_, prefs, ok := p.settingsOf(w, r, f)
	if !ok {
		return
	}
	p.renderSettings(w, http.StatusOK, p.settingsView(f, prefs, nil, ""))
}

// saveSettings is POST /settings: the form, with the token in its body.
func (p *Page) saveSettings(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w, "")
	w.Header().Set("Cache-Control", "no-store")
	if err := p.crossOrigin.Check(r); err != nil {
		// Another site's form: the token would be its only defence.
		p.opt.Log.Warn("preference page: cross-origin POST refused", "origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := settingsForm{token: r.PostForm.Get("t"), lang: r.PostForm.Get("lang"),
		topics: r.PostForm["topic"], keywords: r.PostForm["keyword"], time: r.PostForm.Get("time")}
	chat, prefs, ok := p.settingsOf(w, r, f)
	if !ok {
		return
	}
	c := settings.Choice{Keywords: f.keywords}
	seen := map[string]bool{}
	for _, slug := range f.topics {
		if _, ok := p.opt.Catalog.Get(slug); ok && !seen[slug] {
			seen[slug] = true
			c.Topics = append(c.Topics, slug)
		}
	}
	if spec, ok := scheduleOf(f.time); ok && f.time != keepTime {
		c.Schedule = spec
	} else {
		c.KeepSchedule = true
	}
	out, err := p.opt.Prefs.SavePrefs(r.Context(), chat, c)
	if errors.Is(err, subscribers.ErrNotFound) {
		p.refuseSettings(w, r, f, settings.ErrRevoked)
		return
	}
	if err != nil {
		p.opt.Log.Error("preference page: save", "chat_id", chat, "err", err)
		p.settingsUnavailable(w, f, prefs)
		return
	}
	if out.OverLimit {
		// Nothing saved: the form again as it was sent, and why.
		lang := pageLang(f.lang, prefs.Lang)
		msg := fmt.Sprintf(wording.For(lang).Prefs.OverLimit, arabic.Plural(out.MaxFollows, wording.For(lang).Counts.Follows))
		p.renderSettings(w, http.StatusUnprocessableEntity, p.settingsView(f, prefs, &f, msg))
		return
	}
	u := url.Values{"t": {f.token}, "saved": {"1"}}
	if f.lang == "en" || f.lang == "ar" {
		u.Set("lang", f.lang)
	}
	// Relative to the page itself, as its links are: right behind a proxy
	// that publishes it under a path of its own (http.Redirect would
	// make it absolute from the path this server sees).
	w.Header().Set("Location", "settings?"+u.Encode())
	w.WriteHeader(http.StatusSeeOther)
}

// settingsOf checks the token and reads the chat's settings; when it
// cannot, it has answered.
func (p *Page) settingsOf(w http.ResponseWriter, r *http.Request, f settingsForm) (int64, settings.Prefs, bool) {
	secureHeaders(w, "")
	w.Header().Set("Cache-Control", "no-store")
	chat, err := p.opt.Links.Check(r.Context(), f.token)
	if err != nil {
		if errors.Is(err, settings.ErrMalformed) || errors.Is(err, settings.ErrForged) ||
			errors.Is(err, settings.ErrExpired) || errors.Is(err, settings.ErrRevoked) {
			p.refuseSettings(w, r, f, err)
		} else {
			p.opt.Log.Error("preference page: check the link", "err", err)
			p.settingsUnavailable(w, f, settings.Prefs{})
		}
		return 0, settings.Prefs{}, false
	}
	prefs, err := p.opt.Prefs.Prefs(r.Context(), chat)
	if errors.Is(err, subscribers.ErrNotFound) {
		p.refuseSettings(w, r, f, settings.ErrRevoked)
		return 0, settings.Prefs{}, false
	}
	if err != nil {
		p.opt.Log.Error("preference page: read the settings", "chat_id", chat, "err", err)
		p.settingsUnavailable(w, f, settings.Prefs{})
		return 0, settings.Prefs{}, false
	}
	return chat, prefs, true
}

// refuseSettings says the link no longer works and how to get another.
// The token itself is never logged.
func (p *Page) refuseSettings(w http.ResponseWriter, r *http.Request, f settingsForm, why error) {
	p.opt.Log.Info("preference page: link refused", "why", why.Error())
	v := p.settingsView(settingsForm{lang: f.lang}, settings.Prefs{}, nil, "")
	v.Refused, v.RefusedText = true, isolateCommands(v.Prefs.RefusedText)
	if bot, err := p.opt.BotName(r.Context()); err == nil {
		v.BotLink = "https://t.me/" + url.PathEscape(bot)
	}
	p.renderSettings(w, http.StatusForbidden, v)
}

func (p *Page) settingsUnavailable(w http.ResponseWriter, f settingsForm, prefs settings.Prefs) {
	v := p.settingsView(settingsForm{lang: f.lang}, prefs, nil, "")
	v.Refused, v.RefusedText = true, template.HTML(template.HTMLEscapeString(v.Prefs.Unavailable))
	v.Prefs.Refused = ""
	w.Header().Set("Retry-After", "60")
	p.renderSettings(w, http.StatusServiceUnavailable, v)
}

// pageLang is the page's language: the one asked for, else the reader's.
func pageLang(asked, reader string) string {
	switch asked {
	case "ar", "en":
		return asked
	case "":
		return langOf(reader)
	}
	return "ar"
}

// settingsView shows prefs, or, when sent is not nil, the form as it was
// sent (after a save refused), with errText above it.
func (p *Page) settingsView(f settingsForm, prefs settings.Prefs, sent *settingsForm, errText string) settingsView {
	lang := pageLang(f.lang, prefs.Lang)
	book := wording.For(lang)
	v := settingsView{view: p.base(lang), Prefs: book.Prefs, Token: f.token, Saved: f.saved && sent == nil,
		KeywordsHint: isolateCommands(book.Prefs.KeywordsHint)}
	v.Title, v.Error, v.Self = book.Prefs.Title, errText, "settings"
	other := url.Values{"lang": {v.OtherLang}}
	if f.token != "" {
		other.Set("t", f.token)
	}
	v.Other = "settings?" + other.Encode()

	ticked := map[string]bool{}
	keep := map[string]bool{}
	if sent != nil {
		for _, s := range sent.topics {
			ticked[s] = true
		}
		for _, k := range sent.keywords {
			keep[k] = true
		}
	} else {
		for _, s := range prefs.Topics {
			ticked[s] = true
		}
		for _, k := range prefs.Keywords {
			keep[k.Key] = true
		}
	}
	for gi := range v.Groups {
		for ti := range v.Groups[gi].Topics {
			tb := &v.Groups[gi].Topics[ti]
			tb.Checked = ticked[tb.Slug]
		}
	}
	for i, k := range prefs.Keywords {
		v.Keywords = append(v.Keywords, keywordBox{Key: k.Key, Words: k.Words, ID: fmt.Sprintf("k-%d", i+1), Checked: keep[k.Key]})
	}

	chosen := timeValue(prefs.Schedule)
	if chosen == keepTime && prefs.Schedule != "" {
		// A time of day as the other options say it (the zone is said
		// under the list); anything else as the bot describes it.
		words := prefs.ScheduleWords
		if h, m, ok := dailyAt(prefs.Schedule); ok {
			words = book.Bot.Clock(h, m)
		}
		v.Times = append(v.Times, timeOption{Value: keepTime, Label: fmt.Sprintf(book.Prefs.TimeCurrent, words)})
	}
	if sent != nil {
		chosen = sent.time
	}
	for i := range v.Times {
		v.Times[i].Selected = v.Times[i].Value == chosen
	}
	return v
}

// timeValue is the time option that stands for a stored schedule, or
// keepTime for one the page does not offer.
func timeValue(spec string) string {
	if spec == "" || spec == subscribers.Instant {
		return spec
	}
	if h, m, ok := dailyAt(spec); ok && m == 0 {
		v := fmt.Sprintf("%02d:00", h)
		if s, ok := scheduleOf(v); ok && s == spec {
			return v
		}
	}
	return keepTime
}

func (p *Page) renderSettings(w http.ResponseWriter, code int, v settingsView) {
	v.Nonce = nonce()
	// No script at all; the form posts only here; nobody may frame it.
	secureHeaders(w, fmt.Sprintf("default-src 'none'; style-src 'nonce-%s'; img-src %s; "+
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'", v.Nonce, p.imgSrc))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(code)
	if err := p.settingsTmpl.Execute(w, v); err != nil {
		p.opt.Log.Error("render the preference page", "err", err)
	}
}

// trustedOrigin is the origin of a public URL, for the cross-origin check.
func trustedOrigin(public string) (string, error) {
	u, err := url.Parse(public)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("public URL %q: want http(s)://host[/path]", public)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}
