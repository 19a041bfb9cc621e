package page

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"nashra/bot"
	"nashra/bot/inbox"
	"nashra/broadcasts"
	"nashra/digest/topics"
	"nashra/keyspace"
	"nashra/outbox"
	"nashra/signup"
	"nashra/signup/settings"
	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// The preference page over HTTP, on real go-redis (miniredis, or the
// server NASHRA_TEST_REDIS_URL names), with the real bot behind it saving
// through the readers' store and queueing its confirmation in the outbox.

type settingsFixture struct {
	srv   *httptest.Server
	store *subscribers.Store
	links *settings.Links
	redis *redistest.Redis
	mu    sync.Mutex
	now   time.Time
}

const publicURL = "https://news.example/nashra"

func newSettingsFixture(t *testing.T, maxFollows int) *settingsFixture {
	t.Helper()
	r := redistest.New(t)
	f := &settingsFixture{redis: r, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	f.store = subscribers.New(r.Client, subscribers.Options{Prefix: r.Prefix, MaxFollows: maxFollows})
	f.links = settings.New(settings.Options{RDB: r.Client, Prefix: r.Prefix, Nonces: f.store, Now: f.clock})
	loc, _ := time.LoadLocation("Asia/Damascus")
	b, err := bot.New(bot.Options{
		Token: "1:test", Store: f.store, Catalog: topics.Builtin(),
		Outbox:          outbox.New(r.Client, outbox.Options{Prefix: r.Prefix}),
		Broadcasts:      broadcasts.New(r.Client, broadcasts.Options{Prefix: r.Prefix}),
		Inbox:           inbox.New(r.Client, inbox.Options{Prefix: r.Prefix}),
		DefaultSchedule: "0 8 * * *", Location: loc,
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Options{
		Tokens: signup.New(r.Client, signup.Options{Prefix: r.Prefix}), Catalog: topics.Builtin(),
		Site:            Site{Name: "حال نت"}, // the site's name
		BotName:         func(context.Context) (string, error) { return "nashra_bot", nil },
		DefaultSchedule: "0 8 * * *", Location: loc,
		Links: f.links, Prefs: b, PublicURL: publicURL,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	p.Routes(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *settingsFixture) clock() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }

func (f *settingsFixture) wait(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

// reader subscribes chat in lang, following follows (slugs, or keywords
// as "k:words") at schedule, and returns a link token for it.
func (f *settingsFixture) reader(t *testing.T, chat int64, lang, schedule string, follows ...string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := f.store.Start(ctx, chat, subscribers.Joined{Source: "direct", ChatType: "private", Lang: lang}); err != nil {
		t.Fatal(err)
	}
	for _, s := range follows {
		fl := subscribers.TopicFollow(s)
		if words, ok := strings.CutPrefix(s, "k:"); ok {
			fl = subscribers.KeywordFollow(words, words)
		}
		if _, err := f.store.Follow(ctx, chat, fl); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.SetSchedule(ctx, chat, schedule); err != nil {
		t.Fatal(err)
	}
	tok, _, err := f.links.Issue(ctx, chat)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (f *settingsFixture) follows(t *testing.T, chat int64) []string {
	t.Helper()
	r, err := f.store.Get(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, fl := range r.Follows {
		keys = append(keys, fl.Key)
	}
	return keys
}

// notices are the texts queued for chat in the outbox.
func (f *settingsFixture) notices(t *testing.T, chat int64) []string {
	t.Helper()
	msgs, err := f.redis.Client.XRange(context.Background(), keyspace.New(f.redis.Prefix).ForChat(chat).Queue(keyspace.PriorityHigh), "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.Values[keyspace.JobKind] == "notice" {
			out = append(out, visible(m.Values[keyspace.JobText].(string)))
		}
	}
	return out
}

// visible drops the marks that only steer a text's direction.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\u200e' || r == '\u200f' || r == '\u061c' || (r >= '\u2066' && r <= '\u2069') {
			return -1
		}
		return r
	}, s)
}

var (
	checkedBox = regexp.MustCompile(`<input type="checkbox" name="(topic|keyword)" value="([^"]*)" id="[^"]*" checked>`)
	selected   = regexp.MustCompile(`<option value="([^"]*)" selected>([^<]*)</option>`)
)

func ticked(body string) []string {
	var out []string
	for _, m := range checkedBox.FindAllStringSubmatch(body, -1) {
		out = append(out, m[2])
	}
	slices.Sort(out)
	return out
}

func TestSettingsPageShowsTheReadersSettings(t *testing.T) {
	f := newSettingsFixture(t, 0)
	tok := f.reader(t, 7101, "ar", "30 6 * * *", "hasakah", "sdf", "k:سد تشرين") // Tishreen dam
	resp, body := get(t, f.srv.URL+"/settings?t="+url.QueryEscape(tok))
	if resp.StatusCode != 200 {
		t.Fatalf("GET /settings = %d; want 200:\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(body, `<html lang="ar" dir="rtl">`) || !strings.Contains(body, "حال نت") {
		t.Error("the page is not in Arabic, right to left, under the site's name")
	}
	if got, want := ticked(body), []string{"hasakah", "k:سد تشرين", "sdf"}; !slices.Equal(got, want) {
		t.Errorf("ticked %v; want %v", got, want)
	}
	// 6:30 is not among the page's times: it is offered as it stands.
	if m := selected.FindStringSubmatch(body); m == nil || m[1] != "current" || !strings.Contains(m[2], "6:30") {
		t.Errorf("selected time %v; want the reader's own 6:30", m)
	}
	if !strings.Contains(body, `name="t" value="`+tok+`"`) {
		t.Error("the form does not carry the token back")
	}
	h := resp.Header
	if h.Get("Referrer-Policy") != "no-referrer" || h.Get("Cache-Control") != "no-store" || h.Get("Set-Cookie") != "" ||
		!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || strings.Contains(h.Get("Content-Security-Policy"), "script-src 'nonce") {
		t.Errorf("headers %v; want no referrer, no store, no cookie, no frame, no script", h)
	}

	// In the reader's language, with times they know.
	tok = f.reader(t, 7102, "en", "", "raqqa")
	_, body = get(t, f.srv.URL+"/settings?t="+url.QueryEscape(tok))
	if !strings.Contains(body, `<html lang="en" dir="ltr">`) || !slices.Equal(ticked(body), []string{"raqqa"}) {
		t.Errorf("English reader's page: want lang=en and raqqa ticked:\n%s", body)
	}
	if m := selected.FindStringSubmatch(body); m == nil || m[1] != "" || !strings.Contains(m[2], "8:00") {
		t.Errorf("selected time %v; want the usual time, 8:00", m)
	}
	tok = f.reader(t, 7103, "ar", "instant")
	_, body = get(t, f.srv.URL+"/settings?t="+url.QueryEscape(tok))
	if m := selected.FindStringSubmatch(body); m == nil || m[1] != "instant" {
		t.Errorf("selected time %v; want instant", m)
	}
	if strings.Contains(body, `value="current"`) {
		t.Error("an instant reader is offered their time twice")
	}
}

func TestSettingsSaveAppliesExactlyWhatIsTicked(t *testing.T) {
	f := newSettingsFixture(t, 0)
	const chat = 7201
	tok := f.reader(t, chat, "ar", "0 7 * * *", "hasakah", "sdf", "k:حلب", "k:سد تشرين") // Aleppo, Tishreen dam
	resp, body := post(t, f.srv.URL+"/settings", url.Values{
		"t": {tok}, "lang": {"ar"}, "topic": {"raqqa", "sdf", "no-such-topic"}, "keyword": {"k:سد تشرين", "k:forged"}, "time": {"21:00"},
	})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /settings = %d; want 303:\n%s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "settings?") || !strings.Contains(loc, "saved=1") { // relative, for a proxy's path
		t.Errorf("redirected to %q; want back to the page, saved", loc)
	}
	if got, want := f.follows(t, chat), []string{"t:raqqa", "t:sdf", "k:سد تشرين"}; !slices.Equal(got, want) {
		t.Errorf("follows %v; want %v", got, want)
	}
	if r, _ := f.store.Get(context.Background(), chat); r.Schedule != "0 21 * * *" {
		t.Errorf("schedule %q; want 0 21 * * *", r.Schedule)
	}
	n := f.notices(t, chat)
	if len(n) != 1 || !strings.Contains(n[0], "الرقة") || !strings.Contains(n[0], "سد تشرين") || !strings.Contains(n[0], "9:00 مساءً") || strings.Contains(n[0], "حلب") {
		t.Errorf("queued %q; want one confirmation naming Raqqa, the dam and 9 pm", n)
	}
	_, body = get(t, f.srv.URL+"/"+loc)
	if !strings.Contains(body, "حُفظت تفضيلاتك") { // "your preferences are saved"
		t.Error("the page after saving does not say it saved")
	}
	if got, want := ticked(body), []string{"k:سد تشرين", "raqqa", "sdf"}; !slices.Equal(got, want) {
		t.Errorf("after saving the page ticks %v; want %v", got, want)
	}

	// "current" keeps a time the page does not offer; ticking nothing
	// follows nothing.
	if err := f.store.SetSchedule(context.Background(), chat, "45 5 * * *"); err != nil {
		t.Fatal(err)
	}
	resp, _ = post(t, f.srv.URL+"/settings", url.Values{"t": {tok}, "time": {"current"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second POST = %d", resp.StatusCode)
	}
	if r, _ := f.store.Get(context.Background(), chat); r.Schedule != "45 5 * * *" || len(r.Follows) != 0 {
		t.Errorf("after ticking nothing: %q, %v; want 45 5 * * * kept and no follows", r.Schedule, r.Follows)
	}
	if n := f.notices(t, chat); len(n) != 2 || !strings.Contains(n[1], "الأخبار كلها") { // "all the news"
		t.Errorf("second confirmation %q; want it to say every story comes", n)
	}
}

func TestSettingsFollowLimit(t *testing.T) {
	f := newSettingsFixture(t, 3)
	const chat = 7301
	tok := f.reader(t, chat, "ar", "", "sdf")
	resp, body := post(t, f.srv.URL+"/settings", url.Values{"t": {tok}, "topic": {"sdf", "raqqa", "hasakah", "kobani"}, "time": {"07:00"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "ثلاث متابعات") && !strings.Contains(body, "3 متابعات") {
		t.Errorf("over the limit: %d; want 422 naming the limit of three:\n%s", resp.StatusCode, body)
	}
	if got := ticked(body); !slices.Equal(got, []string{"hasakah", "kobani", "raqqa", "sdf"}) {
		t.Errorf("the form shown again ticks %v; want what was sent", got)
	}
	if m := selected.FindStringSubmatch(body); m == nil || m[1] != "07:00" {
		t.Errorf("the form shown again selects %v; want 07:00", m)
	}
	if got := f.follows(t, chat); !slices.Equal(got, []string{"t:sdf"}) {
		t.Errorf("follows %v; want nothing changed", got)
	}
	if r, _ := f.store.Get(context.Background(), chat); r.Schedule != "" {
		t.Errorf("schedule %q; want nothing changed", r.Schedule)
	}
	if n := f.notices(t, chat); len(n) != 0 {
		t.Errorf("queued %q; want nothing when nothing was saved", n)
	}
}

func TestSettingsLinkRefused(t *testing.T) {
	f := newSettingsFixture(t, 0)
	ctx := context.Background()
	fresh := func(chat int64) string { return f.reader(t, chat, "ar", "", "sdf") }
	tampered := []byte(fresh(7401))
	tampered[len(tampered)-2] ^= 1
	forgotten := fresh(7402)
	if err := f.store.Forget(ctx, 7402); err != nil {
		t.Fatal(err)
	}
	stopped := fresh(7403)
	if _, err := f.store.SetStatus(ctx, 7403, subscribers.Stopped, "stop"); err != nil {
		t.Fatal(err)
	}
	expired := fresh(7404)
	f.wait(time.Hour)
	for _, tt := range []struct{ name, tok string }{
		{"none", ""}, {"garbage", "<script>alert(1)</script>"}, {"tampered", string(tampered)},
		{"after /forget", forgotten}, {"after /stop", stopped}, {"expired", expired},
	} {
		for _, method := range []string{"GET", "POST"} {
			var resp *http.Response
			var body string
			if method == "GET" {
				resp, body = get(t, f.srv.URL+"/settings?t="+url.QueryEscape(tt.tok))
			} else {
				resp, body = post(t, f.srv.URL+"/settings", url.Values{"t": {tt.tok}, "topic": {"raqqa"}})
			}
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "انتهت صلاحية هذا الرابط") || // "this link no longer works"
				!strings.Contains(body, `<bdi dir="ltr">/settings</bdi>`) || strings.Contains(body, `<form`) ||
				strings.Contains(body, "<script>") || resp.Header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("%s %s: %d; want 403 asking for /settings again, no form:\n%s", method, tt.name, resp.StatusCode, body)
			}
		}
	}
	if got := f.follows(t, 7403); !slices.Equal(got, []string{"t:sdf"}) {
		t.Errorf("a stopped reader's follows %v after a refused POST; want unchanged", got)
	}
}

func TestSettingsRefusesCrossSitePosts(t *testing.T) {
	f := newSettingsFixture(t, 0)
	const chat = 7501
	tok := f.reader(t, chat, "ar", "", "sdf")
	form := url.Values{"t": {tok}, "topic": {"raqqa"}}
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Origin", "https://evil.example"},
	} {
		if resp, _ := post(t, f.srv.URL+"/settings", form, h...); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST with %s: %s = %d; want 403", h[0], h[1], resp.StatusCode)
		}
	}
	if got := f.follows(t, chat); !slices.Equal(got, []string{"t:sdf"}) {
		t.Errorf("follows %v after cross-site posts; want unchanged", got)
	}
	// The page posted from itself, as a browser behind the site's proxy does.
	for _, h := range [][]string{{"Sec-Fetch-Site", "same-origin"}, {"Origin", "https://news.example"}, {"Origin", f.srv.URL}} {
		if resp, body := post(t, f.srv.URL+"/settings", form, h...); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("POST with %s: %s = %d; want 303:\n%s", h[0], h[1], resp.StatusCode, body)
		}
	}
}

// Everything a reader stored is escaped: a keyword is whatever they typed.
func TestSettingsPageEscapes(t *testing.T) {
	f := newSettingsFixture(t, 0)
	tok := f.reader(t, 7601, "ar", "", `k:"><script>alert(1)</script>`)
	_, body := get(t, f.srv.URL+"/settings?t="+url.QueryEscape(tok))
	if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("the keyword is not escaped:\n%s", body)
	}
}
