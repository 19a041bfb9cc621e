package page

import (
	"context"
	"embed"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"time"

	"nashra/subscribers"
	"nashra/wording"
)

//go:embed page.html settings.html parts.html page.css page.js
var assets embed.FS

var (
	pageCSS = mustRead("page.css")
	pageJS  = mustRead("page.js")
)

func mustRead(name string) string {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// view is what page.html shows.
type view struct {
	Lang, Dir string
	Title     string
	Text      wording.Page
	Signup    wording.Signup
	Site      Site
	// Colors is the CSS custom properties of the site's accent.
	Colors template.CSS
	CSS    template.CSS
	JS     template.JS
	Nonce  string
	// Self is the page's own URL, relative; Other the page in the other
	// language; Link the script's endpoint.
	Self, Other, LinkURL string
	OtherLang            string
	Source               string
	Groups               []group
	Times                []timeOption
	TimeZone             string
	// Start is the link for the form as shown (nothing ticked), and QR a
	// data: URI of it; empty when the bot's name is not known yet.
	Start string
	QR    template.URL
	// Error replaces the form with a message and a way back.
	Error string
	// Privacy is the privacy note with its commands isolated.
	Privacy template.HTML
	// Embed is the compact page for a frame (/embed); Target is where
	// its form opens ("_blank" in a frame).
	Embed  bool
	Target string
}

// command is a bot command in a text.
var command = regexp.MustCompile(`/[a-z_]+`)

// isolateCommands escapes s and isolates each command in it left to
// right, so that an Arabic line shows "/mydata", not "mydata/".
func isolateCommands(s string) template.HTML {
	return template.HTML(command.ReplaceAllString(html.EscapeString(s), `<bdi dir="ltr">$0</bdi>`))
}

type group struct {
	Name   string
	ID     string
	Topics []topicBox
}

type topicBox struct {
	Slug, Name, ID string
	Checked        bool
}

type timeOption struct {
	Value, Label string
	Selected     bool
}

func (p *Page) view(ctx context.Context, lang, source, errText string) view {
	book := wording.For(lang)
	v := p.base(lang)
	v.Title, v.Signup, v.Error = book.Signup.Title, book.Signup, errText
	v.Self, v.LinkURL, v.Source = relative(lang, source), "subscribe/link", source
	v.JS, v.Privacy = template.JS(pageJS), isolateCommands(book.Page.PrivacyText)
	v.Other = relative(v.OtherLang, source)
	if errText == "" {
		if bot, err := p.opt.BotName(ctx); err == nil {
			v.Start = tmeLink(bot, source)
			v.QR = template.URL(qrDataURI(v.Start)) // made here: a PNG in base64
		} else {
			p.opt.Log.Warn("signup page without its link: bot username unknown", "err", err)
		}
	}
	return v
}

// base is what both pages show in lang: the site, the topics grouped as in
// the bot (none ticked), the digest times (none chosen).
func (p *Page) base(lang string) view {
	book := wording.For(lang)
	v := view{
		Lang: lang, Dir: "rtl", Text: book.Page, Site: p.opt.Site,
		Colors: p.colors.css(), CSS: template.CSS(pageCSS), OtherLang: "en",
	}
	if lang == "en" {
		v.Dir, v.OtherLang = "ltr", "ar"
	}
	for _, s := range p.opt.Catalog.Sections() {
		g := group{Name: s.Group.Name(lang), ID: "g-" + s.Group.Slug}
		for _, t := range s.Topics {
			g.Topics = append(g.Topics, topicBox{Slug: t.Slug, Name: t.Name(lang), ID: "t-" + t.Slug})
		}
		v.Groups = append(v.Groups, g)
	}
	v.Times, v.TimeZone = p.times(&book.Bot, &book.Page)
	return v
}

// dailyTimes are the times of day the page offers, besides the default and
// instant: mornings, noon, afternoon and evenings.
var dailyTimes = []int{6, 7, 8, 9, 12, 14, 17, 19, 20, 21, 22}

// times lists the digest times: the default first, then as soon as
// published, then the times of day; and the zone they are in.
func (p *Page) times(bot *wording.Bot, t *wording.Page) ([]timeOption, string) {
	def := t.TimeDefaultPlain
	if h, m, ok := dailyAt(p.opt.DefaultSchedule); ok {
		def = fmt.Sprintf(t.TimeDefault, bot.Clock(h, m))
	}
	opts := []timeOption{{Value: "", Label: def}, {Value: subscribers.Instant, Label: bot.TimeInstant}}
	for _, h := range dailyTimes {
		opts = append(opts, timeOption{Value: fmt.Sprintf("%02d:00", h), Label: bot.Clock(h, 0)})
	}
	return opts, fmt.Sprintf(t.TimeZone, bot.Zone(p.opt.Location, time.Now()))
}

// scheduleOf turns a time the page offers into the schedule stored:
// "" (the default), instant, or a daily cron spec. Anything else is the
// default.
func scheduleOf(v string) (string, bool) {
	if v == "" || v == subscribers.Instant {
		return v, true
	}
	for _, h := range dailyTimes {
		if v == fmt.Sprintf("%02d:00", h) {
			return fmt.Sprintf("0 %d * * *", h), true
		}
	}
	return "", false
}

// dailyAt reads a cron spec that fires once a day ("0 8 * * *").
func dailyAt(spec string) (h, m int, ok bool) {
	if n, _ := fmt.Sscanf(spec, "%d %d * * *", &m, &h); n != 2 || h < 0 || h > 23 || m < 0 || m > 59 ||
		spec != fmt.Sprintf("%d %d * * *", m, h) {
		return 0, 0, false
	}
	return h, m, true
}
