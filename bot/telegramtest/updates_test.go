package telegramtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/telegramtest"
)

// startBot runs a polling bot whose updates arrive on the returned channel
// after h (if any) handled them; it stops when the test ends.
func startBot(t *testing.T, srv *telegramtest.Server, h bot.HandlerFunc) (*bot.Bot, <-chan *models.Update) {
	t.Helper()
	updates := make(chan *models.Update, 64)
	ctx, cancel := context.WithCancel(context.Background())
	b := client(t, srv, bot.WithNotAsyncHandlers(), bot.WithErrorsHandler(func(err error) {
		t.Logf("bot: %v", err) // Start returns before the test ends
	}), bot.WithDefaultHandler(func(ctx context.Context, b *bot.Bot, u *models.Update) {
		if h != nil {
			h(ctx, b, u)
		}
		updates <- u
	}))
	done := make(chan struct{})
	go func() {
		b.Start(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return b, updates
}

func next(t *testing.T, updates <-chan *models.Update) *models.Update {
	t.Helper()
	select {
	case u := <-updates:
		return u
	case <-time.After(wait):
		t.Fatal("no update reached the bot")
		return nil
	}
}

// poll calls getUpdates by hand, to see offsets at work.
func poll(t *testing.T, srv *telegramtest.Server, params url.Values) (int, apiAnswer, []models.Update) {
	t.Helper()
	status, a, ups, err := pollRaw(srv, params)
	if err != nil {
		t.Fatal(err)
	}
	return status, a, ups
}

// pollRaw is poll for goroutines other than the test's.
func pollRaw(srv *telegramtest.Server, params url.Values) (int, apiAnswer, []models.Update, error) {
	resp, err := http.Get(srv.URL() + "/bot" + srv.Token() + "/getUpdates?" + params.Encode())
	if err != nil {
		return 0, apiAnswer{}, nil, err
	}
	defer resp.Body.Close()
	var a apiAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return resp.StatusCode, a, nil, fmt.Errorf("answer is not JSON: %w", err)
	}
	var ups []models.Update
	if a.OK {
		if err := json.Unmarshal(a.Result, &ups); err != nil {
			return resp.StatusCode, a, nil, fmt.Errorf("result %s: %w", a.Result, err)
		}
	}
	return resp.StatusCode, a, ups, nil
}

func ids(ups []models.Update) []int64 {
	var out []int64
	for _, u := range ups {
		out = append(out, u.ID)
	}
	return out
}

func equalIDs(a []int64, b ...int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLongPollRoundTrip(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	_, updates := startBot(t, srv, func(ctx context.Context, b *bot.Bot, u *models.Update) {
		if u.Message != nil {
			_, _ = b.SendMessage(ctx, &bot.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "echo: " + u.Message.Text})
		}
	})
	ctx := testContext(t)
	reader := telegramtest.NewUser(42, "ar")

	sent := srv.SendText(reader, "/start")
	msgs, err := srv.WaitMessages(ctx, 42, 1)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Text != "echo: /start" {
		t.Errorf("reply = %q", msgs[0].Text)
	}
	if got := next(t, updates); got.ID != sent.ID || got.Message.From.LanguageCode != "ar" || got.Message.Chat.Type != models.ChatTypePrivate {
		t.Errorf("bot got update %+v, want %d from an Arabic reader in private", got, sent.ID)
	}
	// The bot's next getUpdates confirms the update: nothing stays queued.
	if _, err := srv.WaitFor(wait, func(s telegramtest.Snapshot) bool { return s.PendingUpdates == 0 && s.Polling }); err != nil {
		t.Fatal(err)
	}

	srv.SendText(reader, "ثانية") // "second"
	if _, err := srv.WaitMessages(ctx, 42, 2); err != nil {
		t.Fatal(err)
	}
	next(t, updates)
	select {
	case u := <-updates:
		t.Errorf("update %d delivered twice", u.ID)
	default:
	}
	// User message ids and bot message ids share the chat's sequence.
	if got := srv.SentTo(42); got[0].MessageID != 2 || got[1].MessageID != 4 {
		t.Errorf("bot message ids = %d, %d; want 2, 4", got[0].MessageID, got[1].MessageID)
	}
}

func TestOffsetsConfirmAndRedeliver(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	reader := telegramtest.NewUser(7, "en")
	u1 := srv.SendText(reader, "one")
	u2 := srv.SendText(reader, "two")
	if u2.ID != u1.ID+1 {
		t.Fatalf("update ids %d, %d are not consecutive", u1.ID, u2.ID)
	}

	_, _, got := poll(t, srv, url.Values{})
	if !equalIDs(ids(got), u1.ID, u2.ID) {
		t.Fatalf("first poll = %v", ids(got))
	}
	_, _, got = poll(t, srv, url.Values{})
	if !equalIDs(ids(got), u1.ID, u2.ID) {
		t.Errorf("unconfirmed updates not redelivered: %v", ids(got))
	}
	_, _, got = poll(t, srv, url.Values{"offset": {strconv.FormatInt(u1.ID+1, 10)}})
	if !equalIDs(ids(got), u2.ID) {
		t.Errorf("offset %d: %v, want only %d", u1.ID+1, ids(got), u2.ID)
	}
	_, _, got = poll(t, srv, url.Values{"offset": {strconv.FormatInt(u2.ID+1, 10)}})
	if len(got) != 0 {
		t.Errorf("after confirming all: %v", ids(got))
	}
	_, _, got = poll(t, srv, url.Values{"offset": {"1"}})
	if len(got) != 0 {
		t.Errorf("confirmed updates came back: %v", ids(got))
	}

	var more []int64
	for _, text := range []string{"a", "b", "c"} {
		more = append(more, srv.SendText(reader, text).ID)
	}
	_, _, got = poll(t, srv, url.Values{"limit": {"2"}})
	if !equalIDs(ids(got), more[0], more[1]) {
		t.Errorf("limit 2: %v", ids(got))
	}
	_, _, got = poll(t, srv, url.Values{"offset": {"-1"}})
	if !equalIDs(ids(got), more[2]) {
		t.Errorf("offset -1: %v, want %d", ids(got), more[2])
	}
	if s := srv.Snapshot(); s.PendingUpdates != 1 {
		t.Errorf("negative offset kept %d updates, want 1", s.PendingUpdates)
	}
}

func TestLongPollBlocksUntilUpdate(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	type result struct {
		status int
		ups    []models.Update
	}
	res := make(chan result, 1)
	go func() {
		status, _, ups, _ := pollRaw(srv, url.Values{"timeout": {"30"}})
		res <- result{status, ups}
	}()
	if _, err := srv.WaitFor(wait, func(s telegramtest.Snapshot) bool { return s.Polling }); err != nil {
		t.Fatal(err)
	}
	pushed := srv.PushUpdate(models.Update{Message: &models.Message{ID: 1, Date: 1, Chat: models.Chat{ID: 3, Type: "private"}, Text: "x"}})
	select {
	case r := <-res:
		if r.status != 200 || !equalIDs(ids(r.ups), pushed.ID) {
			t.Errorf("poll = %d %v, want update %d", r.status, ids(r.ups), pushed.ID)
		}
	case <-time.After(wait):
		t.Fatal("long poll did not wake for a new update")
	}

	// With nothing queued, a poll answers [] once its timeout passes.
	start := time.Now()
	status, _, ups := poll(t, srv, url.Values{"timeout": {"1"}, "offset": {strconv.FormatInt(pushed.ID+1, 10)}})
	if status != 200 || len(ups) != 0 || time.Since(start) < 900*time.Millisecond {
		t.Errorf("empty poll: %d %v after %v", status, ids(ups), time.Since(start))
	}
}

func TestConcurrentPollersConflict(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	type result struct {
		status int
		a      apiAnswer
	}
	first, second := make(chan result, 1), make(chan result, 1)
	go func() {
		status, a, _, _ := pollRaw(srv, url.Values{"timeout": {"30"}})
		first <- result{status, a}
	}()
	if _, err := srv.WaitFor(wait, func(s telegramtest.Snapshot) bool { return s.Polling }); err != nil {
		t.Fatal(err)
	}
	go func() {
		status, a, _, _ := pollRaw(srv, url.Values{"timeout": {"30"}})
		second <- result{status, a}
	}()
	select {
	case r := <-first:
		const want = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
		if r.status != 409 || r.a.ErrorCode != 409 || r.a.Description != want {
			t.Errorf("older poll = %d %+v, want 409 %q", r.status, r.a, want)
		}
	case <-time.After(wait):
		t.Fatal("older poll was not terminated")
	}
	if n := srv.Snapshot().PollOverlaps; n != 1 {
		t.Errorf("PollOverlaps = %d; want 1", n)
	}
	srv.SendText(telegramtest.NewUser(1, ""), "x")
	select {
	case r := <-second:
		if r.status != 200 {
			t.Errorf("newer poll = %d %+v", r.status, r.a)
		}
	case <-time.After(wait):
		t.Fatal("newer poll did not get the update")
	}
}

func TestTwoBotInstancesConflict(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	startBot(t, srv, nil)
	startBot(t, srv, nil)
	_, err := srv.WaitFor(wait, func(s telegramtest.Snapshot) bool {
		for _, c := range s.CallsTo("getUpdates") {
			if c.Status == http.StatusConflict {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Errorf("two pollers on one token never got 409: %v", err)
	}
}

func TestWebhookBlocksGetUpdates(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b := client(t, srv)
	if _, err := b.SetWebhook(testContext(t), &bot.SetWebhookParams{URL: "https://nashra.example/hook"}); err != nil {
		t.Fatal(err)
	}
	status, a, _ := poll(t, srv, url.Values{})
	const want = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
	if status != 409 || a.Description != want {
		t.Errorf("getUpdates with a webhook = %d %q", status, a.Description)
	}
	if _, err := b.DeleteWebhook(testContext(t), &bot.DeleteWebhookParams{}); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := poll(t, srv, url.Values{}); status != 200 {
		t.Errorf("getUpdates after deleteWebhook = %d", status)
	}
}

func TestCommandEntities(t *testing.T) {
	cmd := func(off, n int) models.MessageEntity {
		return models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Offset: off, Length: n}
	}
	tests := []struct {
		text string
		want []models.MessageEntity
	}{
		{"/start", []models.MessageEntity{cmd(0, 6)}},
		{"/start follow-sdf", []models.MessageEntity{cmd(0, 6)}},
		{"/START", []models.MessageEntity{cmd(0, 6)}},
		{"/follow@nashra_bot قسد", []models.MessageEntity{cmd(0, 18)}}, // follow SDF
		{"تابع /follow قسد", []models.MessageEntity{cmd(5, 7)}},        // "follow /follow SDF"
		{"🔥 /follow go", []models.MessageEntity{cmd(3, 7)}},
		{"hi /a_b1, /x", []models.MessageEntity{cmd(3, 5), cmd(10, 2)}},
		{"/start@ab", []models.MessageEntity{cmd(0, 6)}},
		{"قسد/follow", nil},
		{"a/b", nil},
		{"/follow/x", nil},
		{"/", nil},
		{"/ ok", nil},
	}
	for _, tt := range tests {
		got := telegramtest.CommandEntities(tt.text)
		if len(got) != len(tt.want) {
			t.Errorf("CommandEntities(%q) = %+v, want %+v", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("CommandEntities(%q)[%d] = %+v, want %+v", tt.text, i, got[i], tt.want[i])
			}
		}
	}
}

// utf16Slice cuts text the way a client must read entity offsets.
func utf16Slice(text string, off, n int) string {
	u := utf16.Encode([]rune(text))
	return string(utf16.Decode(u[off : off+n]))
}

func TestCommandAfterArabicTextReachesBot(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	_, updates := startBot(t, srv, nil)
	reader := telegramtest.NewUser(50, "ar")
	for _, text := range []string{"🔥 مرحبا /follow@nashra_bot قسد", "/follow@nashra_bot قسد"} { // "hello", "SDF"
		srv.SendGroupText(-5001, reader, text)
		u := next(t, updates)
		if u.Message.Chat.Type != models.ChatTypeGroup || u.Message.Chat.ID != -5001 {
			t.Errorf("chat = %+v", u.Message.Chat)
		}
		if len(u.Message.Entities) != 1 {
			t.Fatalf("%q: entities %+v", text, u.Message.Entities)
		}
		e := u.Message.Entities[0]
		if got := utf16Slice(u.Message.Text, e.Offset, e.Length); got != "/follow@nashra_bot" {
			t.Errorf("%q: entity covers %q", text, got)
		}
	}
}

func TestButtonPress(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b, updates := startBot(t, srv, nil)
	ctx := testContext(t)
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "topics",
		ReplyMarkup: models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "قسد", CallbackData: "f:sdf"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.PressButton(42, sent.ID, 42, "f:nope"); !errors.Is(err, telegramtest.ErrNoSuchButton) {
		t.Errorf("press of a missing button: %v", err)
	}
	pressed, err := srv.PressButton(42, sent.ID, 42, "f:sdf")
	if err != nil {
		t.Fatal(err)
	}
	u := next(t, updates)
	cq := u.CallbackQuery
	if cq == nil || cq.Data != "f:sdf" || cq.From.ID != 42 || cq.Message.Message == nil || cq.Message.Message.ID != sent.ID || cq.Message.Message.Text != "topics" {
		t.Fatalf("callback update = %+v", u)
	}
	if cq.ID != pressed.CallbackQuery.ID {
		t.Errorf("query id %q, want %q", cq.ID, pressed.CallbackQuery.ID)
	}
	if ok, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID, Text: "تمت المتابعة"}); !ok || err != nil { // "followed"
		t.Fatalf("answerCallbackQuery = %v, %v", ok, err)
	}
	if a, ok := srv.CallbackAnswer(cq.ID); !ok || a.Text != "تمت المتابعة" {
		t.Errorf("recorded answer = %+v, %v", a, ok)
	}
	if _, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: cq.ID}); !errors.Is(err, bot.ErrorBadRequest) {
		t.Errorf("second answer: %v", err)
	}
}

// A button on a message Telegram no longer gives the bot comes with only
// the chat and message id (date 0); the message cannot be edited. Forged
// data on any message goes through, as Telegram does not check it.
func TestButtonPressOnInaccessibleMessage(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b, updates := startBot(t, srv, nil)
	ctx := testContext(t)
	const channel = -1005550001
	srv.AddChannel(channel, "قناة") // "channel"
	sent, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: channel, Text: "digest",
		ReplyMarkup: models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "⏸", CallbackData: "do:pause"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Chat.Type != models.ChatTypeChannel {
		t.Errorf("chat type %q; want channel", sent.Chat.Type)
	}
	if err := srv.MakeInaccessible(channel, sent.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.PressButton(channel, sent.ID, 42, "do:pause"); err != nil {
		t.Fatal(err)
	}
	cq := next(t, updates).CallbackQuery
	if cq == nil || cq.Message.Type != models.MaybeInaccessibleMessageTypeInaccessibleMessage || cq.Message.Message != nil {
		t.Fatalf("callback = %+v; want an inaccessible message", cq)
	}
	if im := cq.Message.InaccessibleMessage; im.Chat.ID != channel || im.Chat.Type != models.ChatTypeChannel || im.MessageID != sent.ID || im.Date != 0 {
		t.Errorf("inaccessible message = %+v", im)
	}
	_, err = b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: channel, MessageID: sent.ID})
	if err == nil || !strings.Contains(err.Error(), "message can't be edited") {
		t.Errorf("edit of an inaccessible message: %v", err)
	}
	if _, err := srv.ForgeCallback(channel, sent.ID, 43, "fg:yes"); err != nil {
		t.Fatal(err)
	}
	if cq := next(t, updates).CallbackQuery; cq == nil || cq.Data != "fg:yes" || cq.From.ID != 43 {
		t.Errorf("forged callback = %+v", cq)
	}
}

func TestMemberUpdates(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	b, updates := startBot(t, srv, nil)
	ctx := testContext(t)

	srv.AddedToGroup(-6001, 60)
	u := next(t, updates)
	if m := u.MyChatMember; m == nil || m.Chat.ID != -6001 || m.From.ID != 60 ||
		m.OldChatMember.Type != models.ChatMemberTypeLeft || m.NewChatMember.Type != models.ChatMemberTypeMember ||
		m.NewChatMember.Member.User.ID != srv.BotID() {
		t.Errorf("added to group: %+v", u.MyChatMember)
	}

	srv.BlockedBy(61)
	u = next(t, updates)
	if m := u.MyChatMember; m == nil || m.Chat.Type != models.ChatTypePrivate || m.NewChatMember.Type != models.ChatMemberTypeBanned {
		t.Errorf("blocked: %+v", u.MyChatMember)
	}
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 61, Text: "x"}); !errors.Is(err, bot.ErrorForbidden) {
		t.Errorf("send after block: %v", err)
	}
	srv.UnblockedBy(61)
	next(t, updates)
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 61, Text: "x"}); err != nil {
		t.Errorf("send after unblock: %v", err)
	}
}

func TestAllowedUpdatesFilter(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	srv.BlockedBy(5)
	msg := srv.SendText(telegramtest.NewUser(5, ""), "hi")
	_, _, got := poll(t, srv, url.Values{"allowed_updates": {`["message"]`}})
	if !equalIDs(ids(got), msg.ID) {
		t.Errorf("allowed [message]: %v, want only %d", ids(got), msg.ID)
	}
}
