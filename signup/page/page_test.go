package page

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nashra/digest/topics"
	"nashra/signup"
	"nashra/subscribers/redistest"
)

type fixture struct {
	srv    *httptest.Server
	tokens *signup.Store
	redis  *redistest.Redis
}

func newFixture(t *testing.T, opt signup.Options, site Site) *fixture {
	t.Helper()
	r := redistest.New(t)
	opt.Prefix = r.Prefix
	tokens := signup.New(r.Client, opt)
	loc, _ := time.LoadLocation("Asia/Damascus")
	p, err := New(Options{
		Tokens: tokens, Catalog: topics.Builtin(), Site: site,
		BotName:         func(context.Context) (string, error) { return "nashra_bot", nil },
		DefaultSchedule: "0 8 * * *", Location: loc,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	p.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, tokens: tokens, redis: r}
}

// noRedirect reads a redirect instead of following it to t.me.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func post(t *testing.T, u string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestPageOffersEveryTopicLabelled(t *testing.T) {
	f := newFixture(t, signup.Options{}, Site{Name: "حال نت"}) // the site's name
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			u := f.srv.URL + "/subscribe?source=site-footer"
			if lang == "en" {
				u += "&lang=en"
			}
			resp, body := get(t, u)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("GET %s = %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			dir := map[string]string{"ar": "rtl", "en": "ltr"}[lang]
			for _, want := range []string{
				`<html lang="` + lang + `" dir="` + dir + `">`,
				`<input type="hidden" name="source" value="site-footer">`,
				`<select id="time" name="time"`, `<option value="instant">`, `<option value="07:00">`,
				`<bdi dir="ltr">/mydata</bdi>`, `<bdi dir="ltr">/forget</bdi>`, "حال نت",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			cat := topics.Builtin()
			for _, s := range cat.Sections() {
				if !strings.Contains(body, "<legend>"+html.EscapeString(s.Group.Name(lang))+"</legend>") {
					t.Errorf("no group %q", s.Group.Name(lang))
				}
				for _, tp := range s.Topics {
					box := `<input type="checkbox" name="topic" value="` + tp.Slug + `" id="t-` + tp.Slug + `">`
					label := `<label for="t-` + tp.Slug + `">` + html.EscapeString(tp.Name(lang)) + `</label>`
					if !strings.Contains(body, box+label) {
						t.Errorf("topic %s: no checkbox with its label %q", tp.Slug, tp.Name(lang))
					}
				}
			}
			if n := strings.Count(body, `type="checkbox"`); n != len(cat.Topics()) {
				t.Errorf("%d checkboxes for %d topics", n, len(cat.Topics()))
			}
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self' https://t.me"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
				t.Errorf("the page sets cookies: %v", c)
			}
			// Self-contained: nothing is loaded from anywhere else.
			if m := regexp.MustCompile(`src="(https?:)?//|<link `).FindString(body); m != "" {
				t.Errorf("the page loads from another origin: %s", m)
			}
		})
	}
}

// Whatever is ticked, the start parameter fits Telegram's 64 characters
// and the token under it holds the choice.
func TestSubmitRedirectsToTheBot(t *testing.T) {
	f := newFixture(t, signup.Options{}, Site{})
	var all []string
	for _, tp := range topics.Builtin().Topics() {
		all = append(all, tp.Slug)
	}
	form := url.Values{"topic": all, "time": {"07:00"}, "lang": {"en"}, "source": {strings.Repeat("s", 40)}}
	resp, _ := post(t, f.srv.URL+"/subscribe", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST = %d; want 303", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	payload, ok := strings.CutPrefix(loc, "https://t.me/nashra_bot?start=")
	if !ok || !regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`).MatchString(payload) {
		t.Fatalf("Location %q: want the bot's link with a start parameter Telegram takes", loc)
	}
	tok, ok := signup.TokenOf(payload)
	if !ok || !strings.HasPrefix(payload, strings.Repeat("s", 40)+"_") {
		t.Fatalf("payload %q: want the source, then a token", payload)
	}
	got, err := f.tokens.Redeem(context.Background(), tok)
	if err != nil || !slices.Equal(got.Topics, all) || got.Schedule != "0 7 * * *" || got.Lang != "en" {
		t.Errorf("token holds %+v, %v; want every topic, 07:00, English", got, err)
	}
}

// Nothing ticked, the usual time: the plain link, and nothing stored.
func TestSubmitNothingNeedsNoToken(t *testing.T) {
	f := newFixture(t, signup.Options{}, Site{})
	resp, _ := post(t, f.srv.URL+"/subscribe?source=site-footer", url.Values{"time": {""}, "topic": {"no-such-topic"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "https://t.me/nashra_bot?start=site-footer" {
		t.Errorf("POST = %d %q; want 303 to the plain link from the page URL's source", resp.StatusCode, loc)
	}
	resp, _ = post(t, f.srv.URL+"/subscribe", url.Values{"source": {"site-footer"}})
	if loc := resp.Header.Get("Location"); loc != "https://t.me/nashra_bot?start=site-footer" {
		t.Errorf("Location = %q; want the plain link from site-footer", loc)
	}
	if keys := f.redis.Keys(t); len(keys) != 0 {
		t.Errorf("an empty choice stored %v", keys)
	}
}

// What a request says is escaped or refused, never echoed as markup.
func TestRequestStringsAreEscaped(t *testing.T) {
	f := newFixture(t, signup.Options{}, Site{Name: `<b>"Site"</b>`})
	evil := `"><script>alert(1)</script>`
	_, body := get(t, f.srv.URL+"/subscribe?source="+url.QueryEscape(evil)+"&lang="+url.QueryEscape(evil))
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>\"Site\"") {
		t.Errorf("the page echoes markup from the request or the settings")
	}
	if !strings.Contains(body, `name="source" value="web"`) || !strings.Contains(body, `lang="ar"`) {
		t.Errorf("a bad source or language is not replaced by the defaults")
	}
	resp, _ := post(t, f.srv.URL+"/subscribe", url.Values{"source": {evil}, "topic": {"sdf"}})
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "https://t.me/nashra_bot?start=web_tk-") {
		t.Errorf("Location = %q; want the default source", loc)
	}
}

func TestTokensAreRateLimitedPerClient(t *testing.T) {
	f := newFixture(t, signup.Options{Rate: 2, Window: time.Minute}, Site{})
	form := url.Values{"topic": {"sdf"}}
	from := func(ip string) (*http.Response, string) {
		return post(t, f.srv.URL+"/subscribe", form, "X-Forwarded-For", ip)
	}
	for i := range 2 {
		if resp, _ := from("203.0.113.9"); resp.StatusCode != 303 {
			t.Fatalf("link %d of 2: %d; want 303", i+1, resp.StatusCode)
		}
	}
	resp, body := from("203.0.113.9")
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "حاول مجدداً بعد قليل") { // "try again shortly"
		t.Errorf("a third link: %d; want 429 saying to try again", resp.StatusCode)
	}
	if resp, _ := from("203.0.113.10"); resp.StatusCode != 303 {
		t.Errorf("another reader behind the proxy: %d; want 303", resp.StatusCode)
	}
	// The script's updates of a token it holds are not new tokens.
	var first linkReply
	_, b := post(t, f.srv.URL+"/subscribe/link", url.Values{"topic": {"sdf"}}, "X-Forwarded-For", "203.0.113.11")
	if err := json.Unmarshal([]byte(b), &first); err != nil || first.Token == "" {
		t.Fatalf("/subscribe/link = %s; want a token", b)
	}
	for i := range 5 {
		var r linkReply
		_, b := post(t, f.srv.URL+"/subscribe/link", url.Values{"topic": {"sdf", "isis"}, "token": {first.Token}}, "X-Forwarded-For", "203.0.113.11")
		if err := json.Unmarshal([]byte(b), &r); err != nil || r.Token != first.Token {
			t.Fatalf("update %d = %s; want the same token %s", i+1, b, first.Token)
		}
	}
}

func TestLinkForTheScript(t *testing.T) {
	f := newFixture(t, signup.Options{}, Site{})
	var r linkReply
	_, b := post(t, f.srv.URL+"/subscribe/link", url.Values{"topic": {"raqqa"}, "time": {"instant"}, "source": {"site-footer"}})
	if err := json.Unmarshal([]byte(b), &r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Link, "https://t.me/nashra_bot?start=site-footer_tk-"+r.Token) || !strings.HasPrefix(r.QR, "data:image/png;base64,") {
		t.Errorf("reply %+v; want the link with its token and a PNG QR code", r)
	}
	var again linkReply
	_, b = post(t, f.srv.URL+"/subscribe/link", url.Values{"topic": {"sdf"}, "token": {r.Token}, "source": {"site-footer"}})
	_ = json.Unmarshal([]byte(b), &again)
	if again.Link != r.Link {
		t.Errorf("an update gave %q; want the same link %q", again.Link, r.Link)
	}
	got, err := f.tokens.Redeem(context.Background(), r.Token)
	if err != nil || !slices.Equal(got.Topics, []string{"sdf"}) || got.Schedule != "" {
		t.Errorf("token holds %+v, %v; want sdf at the usual time", got, err)
	}
	// Redeemed: the next change gets a new token.
	_, b = post(t, f.srv.URL+"/subscribe/link", url.Values{"topic": {"isis"}, "token": {r.Token}})
	var fresh linkReply
	_ = json.Unmarshal([]byte(b), &fresh)
	if fresh.Token == "" || fresh.Token == r.Token {
		t.Errorf("after the token was used the script got %+v; want a new token", fresh)
	}
}

func TestClientAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		remote, xff, want string
	}{
		{"203.0.113.1:5000", "198.51.100.1", "203.0.113.1"},         // not a proxy: its header is ignored
		{"10.0.0.2:5000", "198.51.100.1", "198.51.100.1"},           // the proxy names the client
		{"10.0.0.2:5000", "6.6.6.6, 198.51.100.1", "198.51.100.1"},  // what the client wrote itself is ignored
		{"10.0.0.2:5000", "198.51.100.1, 10.0.0.3", "198.51.100.1"}, // two proxies
		{"10.0.0.2:5000", "", "10.0.0.2"},                           // the proxy's own request
		{"10.0.0.2:5000", "junk, 198.51.100.1", "198.51.100.1"},     // junk left of the client
		{"10.0.0.2:5000", "198.51.100.1, junk", "10.0.0.2"},         // junk from a proxy: count the proxy
		{"[::1]:5000", "2001:db8::1", "2001:db8::1"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/subscribe", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := clientAddr(r, trusted); got != tt.want {
			t.Errorf("clientAddr(%s, XFF %q) = %s; want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}

// The text on the page contrasts with its background as WCAG AA asks
// (4.5:1), in light and dark, and so does the button's.
func TestContrast(t *testing.T) {
	css, err := os.ReadFile("page.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := regexp.MustCompile(`--(bg|fg|muted|card):(#[0-9a-f]{6})`).FindAllStringSubmatch(string(css), -1)
	schemes := []map[string]string{{}, {}}
	for i, m := range vars {
		schemes[i/4][m[1]] = m[2]
	}
	for i, s := range schemes {
		for _, pair := range [][2]string{{"fg", "bg"}, {"muted", "bg"}, {"fg", "card"}, {"muted", "card"}} {
			if c := Contrast(s[pair[0]], s[pair[1]]); c < 4.5 {
				t.Errorf("scheme %d: %s on %s contrasts %.2f; want 4.5", i, pair[0], pair[1], c)
			}
		}
	}
	for _, accent := range []string{DefaultColor, "#229ed9", "#ffcc00", "#000000", "#ffffff", "#c0392b"} {
		c, err := paletteFor(accent)
		if err != nil {
			t.Fatal(err)
		}
		if r := Contrast(c.accent, c.onAccent); r < 4.5 && accent != "#229ed9" {
			t.Errorf("button text %s on %s contrasts %.2f; want 4.5", c.onAccent, accent, r)
		}
	}
	if r := Contrast(DefaultColor, "#ffffff"); r < 4.5 {
		t.Errorf("white on the default accent contrasts %.2f; want 4.5", r)
	}
}

// /embed: the compact page for the site's footer, framed only by the
// site's origins, opening Telegram in a new tab (t.me refuses frames).
func TestEmbed(t *testing.T) {
	r := redistest.New(t)
	p, err := New(Options{
		Tokens: signup.New(r.Client, signup.Options{Prefix: r.Prefix}), Catalog: topics.Builtin(),
		BotName:      func(context.Context) (string, error) { return "nashra_bot", nil },
		EmbedOrigins: []string{"https://news.example", "https://www.news.example"},
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	p.Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, body := get(t, srv.URL+"/embed?source=site-footer")
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != 200 || !strings.Contains(csp, "frame-ancestors https://news.example https://www.news.example") {
		t.Errorf("GET /embed = %d, CSP %q; want 200 framed by the site's origins only", resp.StatusCode, csp)
	}
	if resp.Header.Get("X-Frame-Options") != "" || len(resp.Header.Values("Set-Cookie")) > 0 {
		t.Errorf("/embed sends X-Frame-Options or cookies: %v", resp.Header)
	}
	for _, want := range []string{
		`<body class="embed">`, `target="_blank"`, `action="subscribe?source=site-footer"`,
		`<details class="fold"><summary>الأطراف</summary>`, // the forces' group, folded
		`<input type="checkbox" name="topic" value="sdf" id="t-sdf"><label for="t-sdf">قوات سوريا الديمقراطية</label>`,
		`<details class="privacy">`, `<bdi dir="ltr">/forget</bdi>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/embed lacks %q", want)
		}
	}
	if strings.Contains(body, `<header class="site">`) {
		t.Errorf("/embed carries the page's header")
	}
	resp, _ = get(t, srv.URL+"/subscribe")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("/subscribe CSP %q; want it never framed", csp)
	}
	for _, bad := range []string{"news.example", "https://news.example/path", "https://a.example; script-src *", "javascript:x"} {
		if _, err := New(Options{Catalog: topics.Builtin(), EmbedOrigins: []string{bad}}); err == nil {
			t.Errorf("origin %q accepted", bad)
		}
	}
}
