package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"nashra/bot/telegramtest"
)

// startSettingsRun is `nashra run` publishing its page at its own address,
// so that /settings sends links a test can open.
func startSettingsRun(t *testing.T) *signupRun {
	t.Helper()
	addr := freeAddr(t)
	return startSignupRun(t, "NASHRA_HTTP_ADDR", addr, "NASHRA_PUBLIC_URL", "http://"+addr)
}

// say sends text as reader and returns the bot's answer.
func (s *signupRun) say(t *testing.T, reader int64, text string) telegramtest.Message {
	t.Helper()
	return s.next(t, reader, func() { s.srv.SendText(telegramtest.NewUser(reader, "ar"), text) })
}

// next runs send and returns the next message the bot sends to chat.
func (s *signupRun) next(t *testing.T, chat int64, send func()) telegramtest.Message {
	t.Helper()
	before := len(s.srv.SentTo(chat))
	send()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := s.srv.WaitMessages(ctx, chat, before+1)
	if err != nil {
		t.Fatalf("no message to %d: %v", chat, err)
	}
	return msgs[before]
}

// settingsLink sends /settings as reader and returns the link it gets.
func (s *signupRun) settingsLink(t *testing.T, reader int64) string {
	t.Helper()
	m := s.say(t, reader, "/settings")
	if m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard) == 0 {
		t.Fatalf("/settings answered %q without a button", m.Text)
	}
	link := m.ReplyMarkup.InlineKeyboard[0][0].URL
	if !strings.HasPrefix(link, s.base+"/settings?t=") {
		t.Fatalf("/settings links to %q; want %s/settings?t=…", link, s.base)
	}
	return link
}

// The preference page in the running service: /settings, the page, a
// save, the bot's confirmation, /mytopics; then /forget refuses the link.
func TestSettingsPageEndToEnd(t *testing.T) {
	s := startSettingsRun(t)
	const reader = 9101
	s.say(t, reader, "/start")
	s.say(t, reader, "/follow قسد") // SDF
	link := s.settingsLink(t, reader)

	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `value="sdf" id="t-sdf" checked`) || resp.Header.Get("Set-Cookie") != "" {
		t.Fatalf("GET the link = %d; want the page with the SDF ticked and no cookie", resp.StatusCode)
	}
	u, _ := url.Parse(link)
	tok := u.Query().Get("t")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	m := s.next(t, reader, func() {
		resp, err = noFollow.PostForm(s.base+"/settings", url.Values{"t": {tok}, "topic": {"kobani", "oil"}, "time": {"19:00"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST /settings = %d; want 303", resp.StatusCode)
		}
	})
	if v := m.Visible(); !strings.Contains(v, "كوباني") || !strings.Contains(v, "7:00 مساءً") { // Kobani, 7 pm
		t.Errorf("confirmation %q; want the new topics and time", m.Text)
	}
	s.checkReader(t, reader, []string{"kobani", "oil"}, "0 19 * * *", "direct")
	if v := s.say(t, reader, "/mytopics").Visible(); !strings.Contains(v, "كوباني") || strings.Contains(v, "قوات سوريا") {
		t.Errorf("/mytopics %q; want Kobani, not the SDF", v)
	}

	// The tokens never reach the logs.
	if logs := s.proc.logs.String(); strings.Contains(logs, tok) {
		t.Error("a settings token is in the service's log")
	}

	ask := s.say(t, reader, "/forget")
	if ask.ReplyMarkup == nil {
		t.Fatalf("/forget answered %q without its buttons", ask.Text)
	}
	yes := ask.ReplyMarkup.InlineKeyboard[0][0].CallbackData // «yes, delete»
	if _, err := s.srv.PressButton(reader, ask.MessageID, reader, yes); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 20*time.Second, func() bool {
		_, err := s.store.Get(context.Background(), reader)
		return err != nil
	})
	resp, err = http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "/settings") {
		t.Errorf("the link after /forget = %d; want 403 asking for /settings again", resp.StatusCode)
	}
}
