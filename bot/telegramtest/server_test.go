package telegramtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/telegramtest"
)

// wait bounds every wait in these tests; generous for a busy machine.
const wait = 20 * time.Second

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	t.Cleanup(cancel)
	return ctx
}

func client(t *testing.T, srv *telegramtest.Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	b, err := srv.Client(append([]bot.Option{bot.WithSkipGetMe()}, opts...)...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// fakeClock is an injected clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock { return &fakeClock{now: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type apiAnswer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
}

// answerOf decodes an HTTP answer: answerOf(t)(http.Get(u)).
func answerOf(t *testing.T) func(*http.Response, error) (int, apiAnswer) {
	return func(resp *http.Response, err error) (int, apiAnswer) {
		t.Helper()
		if err != nil {
			t.Fatalf("request: %v", err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var a apiAnswer
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatalf("answer %q is not JSON: %v", body, err)
		}
		return resp.StatusCode, a
	}
}

func TestGetMeThroughClient(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{BotUsername: "nashra_test_bot"})
	b, err := srv.Client() // runs getMe
	if err != nil {
		t.Fatalf("bot.New with getMe: %v", err)
	}
	me, err := b.GetMe(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != srv.BotID() || !me.IsBot || me.Username != "nashra_test_bot" {
		t.Errorf("getMe = %+v, want bot %d nashra_test_bot", me, srv.BotID())
	}
	if b.ID() != srv.BotID() {
		t.Errorf("token prefix gives bot id %d, want %d", b.ID(), srv.BotID())
	}
	if n := len(srv.Calls("getMe")); n != 2 {
		t.Errorf("getMe calls = %d, want 2", n)
	}
}

func TestWrongTokenAndUnknownMethod(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	status, a := answerOf(t)(http.Post(srv.URL()+"/bot123:wrong/getMe", "application/json", nil))
	if status != 401 || a.OK || a.ErrorCode != 401 || a.Description != "Unauthorized" {
		t.Errorf("wrong token: %d %+v, want 401 Unauthorized", status, a)
	}
	status, a = answerOf(t)(http.Post(srv.URL()+"/bot"+srv.Token()+"/sendCarrierPigeon", "application/json", nil))
	if status != 404 || a.ErrorCode != 404 || a.Description != "Not Found" {
		t.Errorf("unknown method: %d %+v, want 404 Not Found", status, a)
	}

	b, err := bot.New("123:wrong", bot.WithServerURL(srv.URL()), bot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.SendMessage(testContext(t), &bot.SendMessageParams{ChatID: 1, Text: "x"})
	if !errors.Is(err, bot.ErrorUnauthorized) {
		t.Errorf("client with wrong token: err = %v, want ErrorUnauthorized", err)
	}
	if len(srv.Sent()) != 0 {
		t.Errorf("a request with a wrong token was delivered")
	}
}

// TestBodyEncodings sends the same message as multipart (what go-telegram
// sends), JSON, urlencoded form and GET query, and expects the same record.
func TestBodyEncodings(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	ctx := testContext(t)
	markup := `{"inline_keyboard":[[{"text":"إلغاء","callback_data":"unf:قسد"}]]}` // "unfollow", topic SDF
	endpoint := srv.URL() + "/bot" + srv.Token() + "/sendMessage"

	b := client(t, srv)
	_, err := b.SendMessage(ctx, &bot.SendMessageParams{
		ChatID: 42, Text: "<b>عاجل</b> &amp; خبر", ParseMode: models.ParseModeHTML, // "urgent & news"
		ReplyMarkup:        models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "إلغاء", CallbackData: "unf:قسد"}}}},
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: bot.True()},
	})
	if err != nil {
		t.Fatalf("multipart: %v", err)
	}

	body, _ := json.Marshal(map[string]any{
		"chat_id": 42, "text": "<b>عاجل</b> &amp; خبر", "parse_mode": "HTML",
		"reply_markup": json.RawMessage(markup), "link_preview_options": map[string]bool{"is_disabled": true},
	})
	status, a := answerOf(t)(http.Post(endpoint, "application/json", bytes.NewReader(body)))
	if status != 200 || !a.OK {
		t.Fatalf("json: %d %+v", status, a)
	}

	form := url.Values{"chat_id": {"42"}, "text": {"<b>عاجل</b> &amp; خبر"}, "parse_mode": {"HTML"},
		"reply_markup": {markup}, "link_preview_options": {`{"is_disabled":true}`}}
	status, a = answerOf(t)(http.PostForm(endpoint, form))
	if status != 200 || !a.OK {
		t.Fatalf("form: %d %+v", status, a)
	}
	status, a = answerOf(t)(http.Get(endpoint + "?" + form.Encode()))
	if status != 200 || !a.OK {
		t.Fatalf("get: %d %+v", status, a)
	}

	msgs := srv.SentTo(42)
	if len(msgs) != 4 {
		t.Fatalf("got %d messages, want 4", len(msgs))
	}
	for i, m := range msgs {
		if m.MessageID != i+1 {
			t.Errorf("message %d has id %d, want %d", i, m.MessageID, i+1)
		}
		if m.Text != "عاجل & خبر" || m.Raw != "<b>عاجل</b> &amp; خبر" || m.ParseMode != "HTML" {
			t.Errorf("message %d: text %q raw %q mode %q", i, m.Text, m.Raw, m.ParseMode)
		}
		if got := m.Buttons(); len(got) != 1 || got[0] != "إلغاء|unf:قسد" {
			t.Errorf("message %d buttons = %v", i, got)
		}
		if m.LinkPreview == nil || m.LinkPreview.IsDisabled == nil || !*m.LinkPreview.IsDisabled {
			t.Errorf("message %d link preview = %+v, want disabled", i, m.LinkPreview)
		}
		if len(m.Entities) != 1 || m.Entities[0].Type != models.MessageEntityTypeBold || m.Entities[0].Length != 4 {
			t.Errorf("message %d entities = %+v, want one bold of 4", i, m.Entities)
		}
	}
	for _, c := range srv.Calls("sendMessage") {
		if c.Params["chat_id"] != "42" || c.Params["parse_mode"] != "HTML" {
			t.Errorf("params = %v", c.Params)
		}
	}
}

func TestSendMessageResult(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	for i, chat := range []int64{42, 42, -100200300400, 42} {
		m, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: chat, Text: "مرحبا"}) // "hello"
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]int{0: 1, 1: 2, 2: 1, 3: 3}[i]
		if m.ID != want || m.Chat.ID != chat || m.From == nil || m.From.ID != srv.BotID() || m.Date == 0 || m.Text != "مرحبا" {
			t.Errorf("send %d to %d: %+v, want message id %d from the bot", i, chat, m, want)
		}
	}
	if m := srv.SentTo(-100200300400); len(m) != 1 {
		t.Errorf("supergroup got %d messages", len(m))
	}
}

func TestTextValidation(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	tests := []struct {
		name, text string
		mode       models.ParseMode
		wantErr    string // "" for success
	}{
		{"plain", "a < b & c", "", ""},
		{"html ok", `<b>x</b> <i>y</i> <a href="https://example.org/?a=1&amp;b=2">z</a> <span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler> <pre><code class="language-go">x</code></pre> <blockquote expandable>q</blockquote> &lt;&gt;&quot;&#39;&#x41;`, models.ParseModeHTML, ""},
		{"upper case tags", "<B>x</B>", models.ParseModeHTML, ""},
		{"unclosed", "<b>x", models.ParseModeHTML, `can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{"unknown tag", "<div>x</div>", models.ParseModeHTML, `Unsupported start tag "div" at byte offset 0`},
		{"br", "a<br>b", models.ParseModeHTML, `Unsupported start tag "br"`},
		{"bare lt", "a < b", models.ParseModeHTML, `Unsupported start tag "" at byte offset 2`},
		{"bare amp", "Q&A", models.ParseModeHTML, "Character '&' at byte offset 1"},
		{"unknown entity", "a&nbsp;b", models.ParseModeHTML, "Character '&'"},
		{"mismatched", "<b><i>x</b></i>", models.ParseModeHTML, `expected "</i>", found "</b>"`},
		{"stray end", "x</b>", models.ParseModeHTML, "Unexpected end tag at byte offset 1"},
		{"span without class", "<span>x</span>", models.ParseModeHTML, `Tag "span" must have class "tg-spoiler"`},
		{"empty", " ", "", "Bad Request: message text is empty"},
		{"empty after markup", "<b></b>", models.ParseModeHTML, "message text is empty"},
		{"4096 ascii", strings.Repeat("a", 4096), "", ""},
		{"4097 ascii", strings.Repeat("a", 4097), "", "Bad Request: message is too long"},
		{"4096 after markup", "<b>" + strings.Repeat("ب", 4096) + "</b>", models.ParseModeHTML, ""},
		{"entities count once", strings.Repeat("&lt;", 4096), models.ParseModeHTML, ""},
		// 2048 emoji are 4096 UTF-16 units; one more is over the fake's limit.
		{"2048 emoji", strings.Repeat("😀", 2048), "", ""},
		{"2049 emoji", strings.Repeat("😀", 2049), "", "message is too long"},
		{"markdown escapes", strings.Repeat(`\.`, 4096), models.ParseModeMarkdown, ""},
		{"bad parse mode", "x", "XML", "unsupported parse_mode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 7, Text: tt.text, ParseMode: tt.mode})
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("send %.40q: %v", tt.text, err)
				}
				return
			}
			if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("send %.40q: err = %v, want bad request containing %q", tt.text, err, tt.wantErr)
			}
		})
	}
}

func TestHTMLEntitiesOffsets(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	// "🔥 <b>عاجل</b>": the emoji is 2 UTF-16 units, so bold starts at 3.
	m, err := b.SendMessage(testContext(t), &bot.SendMessageParams{ChatID: 1, Text: "🔥 <b>عاجل</b> <a href=\"https://e.org\">x</a>", ParseMode: models.ParseModeHTML})
	if err != nil {
		t.Fatal(err)
	}
	want := []models.MessageEntity{
		{Type: models.MessageEntityTypeBold, Offset: 3, Length: 4},
		{Type: models.MessageEntityTypeTextLink, Offset: 8, Length: 1, URL: "https://e.org"},
	}
	if len(m.Entities) != len(want) {
		t.Fatalf("entities = %+v, want %+v", m.Entities, want)
	}
	for i := range want {
		if m.Entities[i] != want[i] {
			t.Errorf("entity %d = %+v, want %+v", i, m.Entities[i], want[i])
		}
	}
}

func TestReplyMarkupValidation(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	kb := func(btn models.InlineKeyboardButton) models.ReplyMarkup {
		return models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{btn}}}
	}
	tests := []struct {
		name    string
		btn     models.InlineKeyboardButton
		wantErr string
	}{
		{"ok", models.InlineKeyboardButton{Text: "x", CallbackData: "unf:go"}, ""},
		// 28 Arabic letters are 56 bytes: with the 9-byte prefix 65, over 64.
		{"long data", models.InlineKeyboardButton{Text: "x", CallbackData: "unfollow:" + strings.Repeat("ق", 28)}, "BUTTON_DATA_INVALID"},
		{"no action", models.InlineKeyboardButton{Text: "x"}, "text buttons are unallowed"},
		{"bad url", models.InlineKeyboardButton{Text: "x", URL: "example.org"}, "is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SendMessage(testContext(t), &bot.SendMessageParams{ChatID: 1, Text: "x", ReplyMarkup: kb(tt.btn)})
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("button %+v: err = %v, want %q", tt.btn, err, tt.wantErr)
			}
		})
	}
}

func TestEditsAndDelete(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	row := func(data ...string) *models.InlineKeyboardMarkup {
		var r []models.InlineKeyboardButton
		for _, d := range data {
			r = append(r, models.InlineKeyboardButton{Text: d, CallbackData: d})
		}
		return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{r}}
	}
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 5, Text: "progress 0%", ReplyMarkup: row("cancel")})
	if err != nil {
		t.Fatal(err)
	}

	got, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 5, MessageID: sent.ID, ReplyMarkup: row("yes", "no")})
	if err != nil {
		t.Fatalf("editMessageReplyMarkup: %v", err)
	}
	if got.ReplyMarkup == nil || len(got.ReplyMarkup.InlineKeyboard[0]) != 2 || got.EditDate == 0 {
		t.Errorf("edit result = %+v", got)
	}
	m := srv.SentTo(5)[0]
	if want := []string{"yes|yes", "no|no"}; strings.Join(m.Buttons(), ",") != strings.Join(want, ",") || m.Edits != 1 {
		t.Errorf("stored message buttons %v edits %d, want %v and 1 edit", m.Buttons(), m.Edits, want)
	}

	_, err = b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 5, MessageID: sent.ID, ReplyMarkup: row("yes", "no")})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("same markup again: err = %v, want not modified", err)
	}

	// An edit of the text without reply_markup drops the keyboard.
	if _, err := b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 5, MessageID: sent.ID, Text: "progress 50%"}); err != nil {
		t.Fatalf("editMessageText: %v", err)
	}
	m = srv.SentTo(5)[0]
	if m.Text != "progress 50%" || m.ReplyMarkup != nil || m.Edits != 2 {
		t.Errorf("after text edit: %+v", m)
	}

	_, err = b.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: 5, MessageID: 99, Text: "x"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "message to edit not found") {
		t.Errorf("edit of a missing message: %v", err)
	}

	if ok, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: 5, MessageID: sent.ID}); !ok || err != nil {
		t.Fatalf("deleteMessage = %v, %v", ok, err)
	}
	if m := srv.SentTo(5)[0]; !m.Deleted {
		t.Errorf("message not marked deleted")
	}
	if _, err := b.DeleteMessage(ctx, &bot.DeleteMessageParams{ChatID: 5, MessageID: sent.ID}); err == nil || !strings.Contains(err.Error(), "message to delete not found") {
		t.Errorf("second delete: %v", err)
	}
}

func TestSendPhoto(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	img := []byte("\x89PNG\r\n\x1a\nfake image bytes")
	m, err := b.SendPhoto(ctx, &bot.SendPhotoParams{
		ChatID: 9, Photo: &models.InputFileUpload{Filename: "card.png", Data: bytes.NewReader(img)},
		Caption: "<b>ملخص</b>", ParseMode: models.ParseModeHTML, // "summary"
	})
	if err != nil {
		t.Fatalf("sendPhoto: %v", err)
	}
	if len(m.Photo) == 0 || m.Caption != "ملخص" {
		t.Errorf("result = %+v", m)
	}
	got := srv.SentTo(9)[0]
	if !bytes.Equal(got.Photo, img) || got.PhotoName != "card.png" || got.Text != "ملخص" || got.Method != "sendPhoto" {
		t.Errorf("recorded %q %q %q %q", got.Photo, got.PhotoName, got.Text, got.Method)
	}

	_, err = b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: 9, Photo: &models.InputFileString{Data: "https://e.org/a.jpg"}, Caption: strings.Repeat("x", 1025)})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "caption is too long") {
		t.Errorf("long caption: %v", err)
	}
	if _, err := b.SendPhoto(ctx, &bot.SendPhotoParams{ChatID: 9, Photo: &models.InputFileString{Data: "AgACAgQ"}}); err != nil {
		t.Errorf("photo by file id: %v", err)
	}
	if got := srv.SentTo(9); len(got) != 2 || got[1].PhotoRef != "AgACAgQ" {
		t.Errorf("photo by file id recorded as %+v", got)
	}
}

func TestCommandsPerScopeAndLanguage(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	ar := []models.BotCommand{{Command: "follow", Description: "متابعة موضوع"}} // "follow a topic"
	en := []models.BotCommand{{Command: "follow", Description: "Follow a topic"}}
	admin := []models.BotCommand{{Command: "broadcast", Description: "Broadcast"}}
	for _, p := range []*bot.SetMyCommandsParams{
		{Commands: ar, LanguageCode: "ar"},
		{Commands: en},
		{Commands: admin, Scope: &models.BotCommandScopeChat{ChatID: 77}},
	} {
		if _, err := b.SetMyCommands(ctx, p); err != nil {
			t.Fatalf("setMyCommands %+v: %v", p, err)
		}
	}
	got, err := b.GetMyCommands(ctx, &bot.GetMyCommandsParams{LanguageCode: "ar"})
	if err != nil || len(got) != 1 || got[0] != ar[0] {
		t.Errorf("getMyCommands ar = %v, %v", got, err)
	}
	if got := srv.Commands(&models.BotCommandScopeChat{ChatID: 77}, ""); len(got) != 1 || got[0] != admin[0] {
		t.Errorf("chat scope commands = %v", got)
	}
	if got := srv.Commands(nil, ""); len(got) != 1 || got[0] != en[0] {
		t.Errorf("default commands = %v", got)
	}
	if _, err := b.DeleteMyCommands(ctx, &bot.DeleteMyCommandsParams{LanguageCode: "ar"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Commands(nil, "ar"); len(got) != 0 {
		t.Errorf("after delete: %v", got)
	}
	_, err = b.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "Follow-Topic", Description: "x"}}})
	if !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("invalid command name: %v", err)
	}
}

func TestGetChatMemberAndChat(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	const group = -4001
	srv.SetMember(group, 10, models.ChatMemberTypeOwner)
	srv.SetMember(group, 11, models.ChatMemberTypeAdministrator)
	for user, want := range map[int64]models.ChatMemberType{10: "creator", 11: "administrator", 12: "member"} {
		m, err := b.GetChatMember(ctx, &bot.GetChatMemberParams{ChatID: group, UserID: user})
		if err != nil || m.Type != want {
			t.Errorf("user %d: %+v, %v; want %s", user, m, err, want)
		}
	}
	c, err := b.GetChat(ctx, &bot.GetChatParams{ChatID: group})
	if err != nil || c.Type != models.ChatTypeGroup || c.ID != group {
		t.Errorf("getChat = %+v, %v", c, err)
	}
	if ok, err := b.SendChatAction(ctx, &bot.SendChatActionParams{ChatID: group, Action: models.ChatActionTyping}); !ok || err != nil {
		t.Errorf("sendChatAction = %v, %v", ok, err)
	}
}

func TestWebhookRecorded(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	ctx := testContext(t)
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: "https://nashra.example/hook", SecretToken: "s3cr3t", AllowedUpdates: []string{"message"}}); err != nil {
		t.Fatal(err)
	}
	if w := srv.Webhook(); w.URL != "https://nashra.example/hook" || w.SecretToken != "s3cr3t" || len(w.AllowedUpdates) != 1 {
		t.Errorf("webhook = %+v", w)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != "https://nashra.example/hook" {
		t.Errorf("getWebhookInfo = %+v, %v", info, err)
	}
	if _, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: "https://x", SecretToken: "not allowed!"}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("bad secret: %v", err)
	}
	if _, err := b.DeleteWebhook(ctx, &bot.DeleteWebhookParams{}); err != nil {
		t.Fatal(err)
	}
	if w := srv.Webhook(); w.URL != "" {
		t.Errorf("webhook after delete = %+v", w)
	}
}
