package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nashra/bot/telegramtest"
	"nashra/subscribers"
)

// The preference page in a real browser: a reader follows topics and a
// keyword in the bot, sends /settings and opens the link on a phone or a
// desktop, with script and without; they untick and tick topics, drop
// the keyword, pick a time and save. The page must then say it saved,
// Redis must hold exactly what was ticked, and the bot must have told the
// reader. Screenshots go where the signup page's do.
func TestSettingsPageInBrowser(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startSettingsRun(t)
	tests := []struct {
		name          string
		width, height int64
		script, dark  bool
		lang          string
		reader        int64
		untick, tick  []string
		time          string
		schedule      string
		want          []string // follow keys after the save
	}{
		{"phone", 390, 844, true, false, "ar", 9201, []string{"sdf"}, []string{"raqqa", "camps"}, "07:00", "0 7 * * *", []string{"t:camps", "t:raqqa"}},
		{"phone-noscript", 390, 844, false, false, "ar", 9202, nil, []string{"kobani"}, "instant", "instant", []string{"t:kobani", "t:sdf"}},
		{"desktop", 1280, 900, true, false, "ar", 9203, []string{"sdf"}, []string{"oil", "turkey"}, "21:00", "0 21 * * *", []string{"t:oil", "t:turkey"}},
		{"desktop-noscript-en", 1280, 900, false, false, "en", 9204, nil, []string{"hasakah"}, "", "", []string{"t:hasakah", "t:sdf"}},
		{"phone-dark", 390, 844, true, true, "ar", 9205, []string{"sdf"}, []string{"manbij"}, "current", "30 6 * * *", []string{"t:manbij"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := telegramtest.NewUser(tt.reader, tt.lang)
			s.next(t, tt.reader, func() { s.srv.SendText(u, "/start") })
			if tt.lang == "en" {
				s.next(t, tt.reader, func() { s.srv.SendText(u, "/lang en") })
			}
			s.next(t, tt.reader, func() { s.srv.SendText(u, "/follow قسد") }) // SDF
			s.next(t, tt.reader, func() { s.srv.SendText(u, "/follow حلب") }) // Aleppo: a keyword
			s.next(t, tt.reader, func() { s.srv.SendText(u, "/time 6:30") })
			link := s.settingsLink(t, tt.reader)

			tb := newTab(t, browser, tt.width, tt.height, tt.script, tt.dark)
			tb.do(t, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#settings")))
			if got := eval[string](t, tb, `document.documentElement.lang + " " + document.documentElement.dir`); got != map[string]string{"ar": "ar rtl", "en": "en ltr"}[tt.lang] {
				t.Errorf("the page is %q; want the reader's language", got)
			}
			ticked := eval[[]string](t, tb, `[...document.querySelectorAll("#settings input[type=checkbox]:checked")].map(e => e.value).sort()`)
			if want := []string{"k:حلب", "sdf"}; !slices.Equal(ticked, want) {
				t.Errorf("the page ticks %v; want what the reader follows, %v", ticked, want)
			}
			if got := eval[string](t, tb, `document.getElementById("time").value`); got != "current" {
				t.Errorf("the time shown is %q; want the reader's own 6:30", got)
			}
			if tt.script {
				checkSettingsAccessible(t, tb)
			}
			tb.screenshot(t, "settings-"+tt.name+"-open", tt.width < 600)
			for _, slug := range append(append([]string{}, tt.untick...), tt.tick...) {
				tb.do(t, "click "+slug, chromedp.Click(chromedp.CSS(`label[for="t-`+slug+`"]`)))
			}
			// The keyword is dropped from the keyboard.
			tb.do(t, "untick the keyword", chromedp.Focus(chromedp.CSS("#k-1")), chromedp.KeyEvent(" "))
			// "" is the usual time, the first option.
			tb.do(t, "pick the time", chromedp.SetValue(chromedp.CSS("#time"), tt.time))
			before := len(s.srv.SentTo(tt.reader))
			tb.do(t, "save", chromedp.Click(chromedp.CSS(`#settings button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS("#saved")))
			if got := eval[string](t, tb, `document.getElementById("saved").textContent`); !strings.Contains(got, map[string]string{"ar": "حُفظت تفضيلاتك", "en": "saved"}[tt.lang]) {
				t.Errorf("after saving the page says %q", got)
			}
			if url := eval[string](t, tb, `location.href`); !strings.Contains(url, "saved=1") {
				t.Errorf("after saving the browser is at %q", url)
			}
			tb.screenshot(t, "settings-"+tt.name+"-saved", tt.width < 600)

			r, err := s.store.Get(context.Background(), tt.reader)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range r.Follows {
				got = append(got, f.Key)
			}
			slices.Sort(got)
			schedule := tt.schedule
			if tt.time == "current" {
				schedule = "30 6 * * *"
			}
			if !slices.Equal(got, tt.want) || r.Schedule != schedule || r.Status != subscribers.Active {
				t.Errorf("reader follows %v at %q; want %v at %q", got, r.Schedule, tt.want, schedule)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			msgs, err := s.srv.WaitMessages(ctx, tt.reader, before+1)
			if err != nil {
				t.Fatalf("no confirmation in the bot: %v", err)
			}
			conf := msgs[before].Visible()
			if !strings.Contains(conf, map[string]string{"ar": "حفظنا", "en": "saved"}[tt.lang]) || strings.Contains(conf, "حلب") {
				t.Errorf("confirmation %q; want it to say it saved, without the dropped keyword", conf)
			}
			t.Logf("the bot said: %s", conf)

			// A link tampered with gets a page of its own that says what to do.
			if tt.name == "desktop" || tt.name == "phone-noscript" {
				tb.do(t, "open a tampered link", chromedp.Navigate(link+"x"), chromedp.WaitVisible(chromedp.CSS(".error")))
				if got := eval[string](t, tb, `document.querySelector("main").innerText`); !strings.Contains(got, "/settings") || eval[int](t, tb, `document.forms.length`) != 0 {
					t.Errorf("a tampered link shows %q; want a page asking for /settings again, no form", got)
				}
				tb.shoot(t, "settings-"+tt.name+"-refused", "view")
				if tt.name == "phone-noscript" { // Arabic: the command reads "/settings", not "settings/"
					ltr := eval[bool](t, tb, `(() => {
						const t = document.querySelector(".error bdi").firstChild, r = document.createRange();
						r.setStart(t, 0); r.setEnd(t, 1); const slash = r.getBoundingClientRect().left;
						r.setStart(t, 1); r.setEnd(t, 2); return slash < r.getBoundingClientRect().left;
					})()`)
					if !ltr {
						t.Error("on the refused page /settings is drawn backwards")
					}
				}
			}
		})
	}
}

// checkSettingsAccessible checks what checkAccessible does on the signup
// page: labels, a visible focus in reading order, the button's contrast.
func checkSettingsAccessible(t *testing.T, tb *tab) {
	t.Helper()
	checkFormBasics(t, tb, "#settings")
	// A keyword reads in its own direction within the label.
	if n := eval[int](t, tb, `document.querySelectorAll(".keywords label bdi").length`); n == 0 {
		t.Error("keywords are not isolated")
	}
	// A command in an Arabic hint reads "/follow", not "follow/".
	checkCommandReads(t, tb, "#keywords-hint bdi", "keywords hint")
	tb.do(t, "back to the top", chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`))
}
