package main

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	signuppage "nashra/signup/page"
)

// The signup page in a real browser (Debian's chromium, headless): a reader
// ticks topics, picks a time and presses the button, on a phone and on a
// desktop, with script and without; the link the browser is sent to goes
// to the fake Bot API as /start, and the reader must then follow exactly
// what they ticked at the time they picked. Screenshots of each go to
// NASHRA_SCREENSHOTS (default: nashra-signup-screenshots in the temp dir).

// chromium finds the browser. Outside CI a machine without it skips these
// tests; in CI (CI=true) that is a failure, as .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the browser tests run in the long pass")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is not installed, and CI must run the browser tests (.ci/run installs Debian's chromium): %v", err)
		}
		t.Skipf("chromium is not installed (apt-get install chromium): %v", err)
	}
	return path
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NASHRA_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "nashra-signup-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// newBrowser starts one headless Chromium for a test; each subtest opens
// its own tab in it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, // CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("lang", "ar"),
		// Frames in the page's own process, so that the frame tree shows
		// what a frame of another origin holds.
		chromedp.Flag("disable-site-isolation-trials", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	// The first Run starts the browser; it lives as long as bctx.
	if err := chromedp.Do(bctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	return bctx
}

// tab is one page of the browser, with what it was sent to on t.me.
type tab struct {
	ctx   context.Context
	mu    sync.Mutex
	tme   []string
	tmeCh chan string
}

// newTab opens a tab at width×height CSS pixels (mobile emulation for a
// phone), with or without script, that records and stops every request to
// t.me instead of leaving the machine.
func newTab(t *testing.T, browser context.Context, width, height int64, script, dark bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx, tmeCh: make(chan string, 4)}
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	viewport := []chromedp.EmulateViewportOption{}
	if width < 600 {
		viewport = append(viewport, chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, height, viewport...),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			}); err != nil {
				return err
			}
			if !script {
				if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					return err
				}
			}
			_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "https://t.me/*"}}})
			return err
		}),
	)
	if err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.tme = append(tb.tme, ev.Request.URL)
			tb.mu.Unlock()
			select {
			case tb.tmeCh <- ev.Request.URL:
			default:
			}
			_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		}
	}()
	return tb
}

// sentTo waits for the browser to go to t.me and returns the URL.
func (tb *tab) sentTo(t *testing.T) string {
	t.Helper()
	select {
	case u := <-tb.tmeCh:
		return u
	case <-time.After(20 * time.Second):
		t.Fatal("the browser was not sent to t.me within 20 s")
		return ""
	}
}

func (tb *tab) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](t *testing.T, tb *tab, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// screenshot saves the page as a PNG: all of it on a desktop; on a phone
// its first screen and the screen that ends the form (the time, the
// button), as a reader sees them.
func (tb *tab) screenshot(t *testing.T, name string, phone bool) {
	tb.shoot(t, name, map[bool]string{true: "phone", false: "all"}[phone])
}

// shoot saves a screenshot of the page: "all" of it, "view" (the screen as
// it is), or on a "phone" the first screen and the one ending the form.
func (tb *tab) shoot(t *testing.T, name, how string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	shoot := func(file string, region string) {
		png, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
			m, err := chromedp.Call(ctx, page.GetLayoutMetrics, cdp.Empty{})
			if err != nil {
				return nil, err
			}
			clip := &page.Viewport{Width: m.CSSContentSize.Width, Height: math.Min(m.CSSContentSize.Height, 4000), Scale: 1}
			switch region {
			case "view":
				clip = nil
			case "top":
				clip.Height = float64(m.CSSLayoutViewport.ClientHeight)
			case "end":
				// Scrolled there, as a reader would: the button sticks to
				// the bottom of the screen only while the form goes on.
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.querySelector(".when").getBoundingClientRect().top + window.scrollY - 16)`)); err != nil {
					return nil, err
				}
				clip = nil
			}
			r, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
				Format: page.CaptureScreenshotFormatPng, CaptureBeyondViewport: ptrTo(clip != nil), FromSurface: ptrTo(true), Clip: clip,
			})
			if err != nil {
				return nil, err
			}
			return r.Data, nil
		})
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		path := filepath.Join(screenshotDir(t), file+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
	switch how {
	case "phone":
		shoot(name+"-top", "top")
		shoot(name+"-end", "end")
	default:
		shoot(name, how)
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestSignupPageInBrowser(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startSignupRun(t)
	tests := []struct {
		name          string
		width, height int64
		script, dark  bool
		lang          string
		reader        int64
		tick          []string // by clicking their labels
		key           string   // ticked from the keyboard
		time          string
		schedule      string
	}{
		{"phone", 390, 844, true, false, "ar", 6101, []string{"hasakah", "al-hol"}, "sdf", "07:00", "0 7 * * *"},
		{"phone-noscript", 390, 844, false, false, "ar", 6102, []string{"raqqa", "camps"}, "isis", "instant", "instant"},
		{"desktop", 1280, 900, true, false, "ar", 6103, []string{"kobani", "turkey", "oil"}, "", "21:00", "0 21 * * *"},
		{"desktop-noscript", 1280, 900, false, false, "ar", 6104, []string{"deir-ez-zor"}, "sdf", "", ""},
		{"desktop-dark-en", 1280, 900, true, true, "en", 6105, []string{"qamishli", "sdf"}, "", "19:00", "0 19 * * *"},
		{"phone-dark-noscript", 390, 844, false, true, "ar", 6106, []string{"manbij"}, "", "06:00", "0 6 * * *"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t, browser, tt.width, tt.height, tt.script, tt.dark)
			u := s.base + "/subscribe?source=site-footer"
			if tt.lang == "en" {
				u += "&lang=en"
			}
			tb.do(t, "open the page", chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS("#signup")))
			if tt.script {
				checkAccessible(t, tb)
			}
			for _, slug := range tt.tick {
				tb.do(t, "tick "+slug, chromedp.Click(chromedp.CSS(`label[for="t-`+slug+`"]`)))
			}
			if tt.key != "" {
				tb.do(t, "tick "+tt.key+" from the keyboard", chromedp.Focus(chromedp.CSS("#t-"+tt.key)), chromedp.KeyEvent(" "))
			}
			if tt.time != "" { // "": the usual time, as the page offers it
				tb.do(t, "pick the time", chromedp.SetValue(chromedp.CSS("#time"), tt.time))
			}
			want := append(append([]string{}, tt.tick...), tt.key)
			if tt.key == "" {
				want = tt.tick
			}
			var shown string
			if tt.script {
				// The script follows the form: the link under the QR code
				// carries a token once it has answered.
				eval[chromedp.Void](t, tb, `document.getElementById("time").dispatchEvent(new Event("change", {bubbles: true}))`)
				tb.do(t, "wait for the link", chromedp.WaitReady(chromedp.CSS(`#signup[data-state="ready"] #tg-link[href*="_tk-"]`)))
				shown = eval[string](t, tb, `document.getElementById("tg-link").href`)
				visible := eval[bool](t, tb, `getComputedStyle(document.querySelector(".qr")).display !== "none"`)
				if visible != (tt.width >= 768) {
					t.Errorf("QR code shown = %v at %d px; want it beside the button on wide screens only", visible, tt.width)
				}
			}
			tb.screenshot(t, "signup-"+tt.name, tt.width < 600)
			tb.do(t, "press the button", chromedp.Click(chromedp.CSS(`#signup button[type="submit"]`)))
			link := tb.sentTo(t)
			if tt.script && link != shown {
				t.Errorf("the button opened %q; the page showed %q", link, shown)
			}
			if !regexp.MustCompile(`start=site-footer_tk-[a-z2-7]{16}$`).MatchString(link) {
				t.Errorf("link %q: want the source and a token", link)
			}
			m := s.start(t, tt.reader, link)
			if strings.Contains(m.Visible(), "⚠️") {
				t.Errorf("the bot warned: %q", m.Text)
			}
			s.checkReader(t, tt.reader, want, tt.schedule, "site-footer")
		})
	}
}

// checkAccessible checks the basics a screen reader and a keyboard need:
// every control labelled, the language and direction declared, a visible
// focus, the controls reachable by Tab in reading order, and the button's
// text contrasting with it.
func checkAccessible(t *testing.T, tb *tab) {
	t.Helper()
	checkFormBasics(t, tb, "#signup")
	images := eval[[]string](t, tb, `[...document.images].filter(i => !i.hasAttribute("alt")).map(i => i.outerHTML.slice(0, 80))`)
	if len(images) > 0 {
		t.Errorf("images without alt: %v", images)
	}
	// A command in the Arabic privacy note reads "/mydata", not "mydata/".
	checkCommandReads(t, tb, ".privacy bdi", "privacy note")
	tb.do(t, "back to the top", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`))
}

// checkFormBasics checks what every page with a form needs: every control
// labelled; Tab from the top reaching the language link, then the first
// topic, with a visible focus ring; Tab after the time reaching the
// button; the button's text contrasting with it.
func checkFormBasics(t *testing.T, tb *tab, form string) {
	t.Helper()
	unlabelled := eval[[]string](t, tb, `[...document.querySelectorAll("input:not([type=hidden]), select, button")]
		.filter(e => !(e.labels && e.labels.length && e.labels[0].textContent.trim()) && !e.textContent.trim())
		.map(e => e.outerHTML)`)
	if len(unlabelled) > 0 {
		t.Errorf("controls without a label: %v", unlabelled)
	}
	tb.do(t, "tab", chromedp.KeyEvent("\t"), chromedp.KeyEvent("\t"))
	focused := eval[string](t, tb, `document.activeElement.id + "|" + getComputedStyle(document.activeElement).outlineStyle + "|" + getComputedStyle(document.activeElement).outlineWidth`)
	parts := strings.Split(focused, "|")
	first := eval[string](t, tb, `document.querySelector("input[type=checkbox]").id`)
	if parts[0] != first || parts[1] == "none" || parts[2] == "0px" {
		t.Errorf("after two Tabs the focus is %q; want the first topic %q with a visible outline", focused, first)
	}
	tb.do(t, "tab to the button", chromedp.Focus(chromedp.CSS("#time")), chromedp.KeyEvent("\t"))
	if tag := eval[string](t, tb, `document.activeElement.tagName`); tag != "BUTTON" {
		t.Errorf("Tab after the time reaches %s; want the button", tag)
	}
	colors := eval[[]string](t, tb, `(() => { const b = getComputedStyle(document.querySelector("`+form+` button")); return [b.color, b.backgroundColor] })()`)
	if c := contrastRGB(colors[0], colors[1]); c < 4.5 {
		t.Errorf("button text %s on %s contrasts %.2f; want 4.5", colors[0], colors[1], c)
	}
}

// checkCommandReads checks, on an Arabic page, that the command isolated
// in the first bdi element sel matches reads as written: its slash is
// drawn left of its first letter ("/mydata", not "mydata/").
func checkCommandReads(t *testing.T, tb *tab, sel, where string) {
	t.Helper()
	if eval[string](t, tb, `document.documentElement.dir`) != "rtl" {
		return
	}
	order := eval[string](t, tb, `(() => {
		const t = document.querySelector("`+sel+`").firstChild, r = document.createRange();
		r.setStart(t, 0); r.setEnd(t, 1); const slash = r.getBoundingClientRect().left;
		r.setStart(t, 1); r.setEnd(t, 2); const letter = r.getBoundingClientRect().left;
		return t.textContent + (slash < letter ? " reads left to right" : " is drawn backwards");
	})()`)
	if !strings.HasSuffix(order, "reads left to right") {
		t.Errorf("in the Arabic %s %s", where, order)
	}
}

// contrastRGB is WCAG's contrast of two CSS rgb() colours.
func contrastRGB(a, b string) float64 {
	hex := func(s string) string {
		var r, g, bl int
		if _, err := fmt.Sscanf(strings.ReplaceAll(s, " ", ""), "rgb(%d,%d,%d)", &r, &g, &bl); err != nil {
			return "#000000"
		}
		return fmt.Sprintf("#%02x%02x%02x", r, g, bl)
	}
	return signuppage.Contrast(hex(a), hex(b))
}

// The compact box in the site's footer: a page of the site's origin frames
// /embed; a page of any other origin cannot.
func TestSignupEmbedInBrowser(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html lang="ar" dir="rtl"><body style="margin:0;font-family:sans-serif">
<article style="padding:1rem;height:120px">مقال من الموقع</article>
<footer style="background:#eef1f4;padding:1rem"><iframe id="box" src="%s" title="box" style="border:0;width:100%%;max-width:720px;height:640px"></iframe></footer>
</body></html>`, r.URL.Query().Get("frame"))
	}))
	defer site.Close()
	allowed := strings.Replace(site.URL, "127.0.0.1", "localhost", 1) // another origin than the nashra's
	s := startSignupRun(t, "NASHRA_EMBED_ORIGINS", allowed)
	box := s.base + "/embed?source=site-footer"
	for _, tt := range []struct {
		name, host string
		shown      bool
	}{
		{"the site", allowed, true},
		{"another site", site.URL, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tb := newTab(t, browser, 1280, 800, true, false)
			tb.do(t, "open the site", chromedp.Navigate(tt.host+"/?frame="+url.QueryEscape(box)), chromedp.WaitReady(chromedp.CSS("#box")))
			var frameURL string
			waitUntil(t, 10*time.Second, func() bool {
				tree, err := chromedp.Run(tb.ctx, func(ctx context.Context, tg *chromedp.Target) (*page.FrameTree, error) {
					r, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
					return r.FrameTree, err
				})
				if err != nil || len(tree.ChildFrames) == 0 {
					return false
				}
				frameURL = tree.ChildFrames[0].Frame.URL
				return frameURL != "" && frameURL != "about:blank"
			})
			if shown := frameURL == box; shown != tt.shown {
				t.Errorf("framed by %s: the frame shows %q; want the box shown = %v", tt.host, frameURL, tt.shown)
			}
			if tt.shown {
				tb.shoot(t, "signup-embed", "view")
			}
		})
	}
}
