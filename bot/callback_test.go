package bot_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/telegramtest"
	"nashra/digest"
	"nashra/subscribers"
)

// postDigest posts a message with the digest's buttons to chat, as the
// sender does, and returns its id.
func (h *harness) postDigest(chat int64) int {
	h.t.Helper()
	client, err := h.srv.Client(tg.WithSkipGetMe())
	if err != nil {
		h.t.Fatal(err)
	}
	d, err := client.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: chat, Text: "digest", ReplyMarkup: json.RawMessage(digestMarkup(h.t))})
	if err != nil {
		h.t.Fatal(err)
	}
	return d.ID
}

// answerTo waits for the bot's answer to a button press.
func (h *harness) answerTo(upd models.Update, err error) telegramtest.CallbackAnswer {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a, err := h.srv.WaitCallbackAnswer(ctx, upd.CallbackQuery.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// In a channel anyone who sees a digest can press its buttons; only the
// channel's admins may change its subscription, and a forged button is no
// way around that.
func TestChannelButtonsNeedAdmin(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const channel = -1001555000111
	admin, viewer := telegramtest.NewUser(401, "ar"), telegramtest.NewUser(402, "en")
	h.srv.AddChannel(channel, "قناة الأخبار") // "the news channel"
	h.srv.SetMember(channel, admin.ID, models.ChatMemberTypeAdministrator)
	h.srv.SetMember(channel, viewer.ID, models.ChatMemberTypeMember)
	if _, err := h.store.Start(ctx, channel, subscribers.Joined{Source: "import", ChatType: "channel"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Follow(ctx, channel, subscribers.TopicFollow("sdf")); err != nil {
		t.Fatal(err)
	}
	before := h.reader(channel)
	msg := h.postDigest(channel)

	for _, press := range []struct {
		name string
		do   func() (models.Update, error)
	}{
		{"pause", func() (models.Update, error) { return h.srv.PressButton(channel, msg, viewer.ID, digest.ButtonPause) }},
		{"stop", func() (models.Update, error) { return h.srv.PressButton(channel, msg, viewer.ID, digest.ButtonStop) }},
		{"topics", func() (models.Update, error) { return h.srv.PressButton(channel, msg, viewer.ID, digest.ButtonTopics) }},
		{"forged forget", func() (models.Update, error) { return h.srv.ForgeCallback(channel, msg, viewer.ID, "fg:yes") }},
		{"forged unfollow", func() (models.Update, error) { return h.srv.ForgeCallback(channel, msg, viewer.ID, "u:t:sdf") }},
		{"forged topic toggle", func() (models.Update, error) { return h.srv.ForgeCallback(channel, msg, viewer.ID, "t:isis") }},
		{"forged schedule", func() (models.Update, error) { return h.srv.ForgeCallback(channel, msg, viewer.ID, "time:instant") }},
		{"forged pause", func() (models.Update, error) { return h.srv.ForgeCallback(channel, msg, viewer.ID, "pa:open") }},
		{"forged unsubscribe", func() (models.Update, error) { return h.srv.ForgeCallback(channel, msg, viewer.ID, "so:yes") }},
		{"forged undo", func() (models.Update, error) {
			return h.srv.ForgeCallback(channel, msg, viewer.ID, "so:undo:-1001555000111:paused")
		}},
	} {
		t.Run(press.name, func(t *testing.T) {
			a := h.answerTo(press.do())
			if !strings.Contains(a.Text, "مشرفي القناة") { // "the channel's admins"
				t.Errorf("answer to a viewer = %q; want the channel-admins-only notice", a.Text)
			}
			after, err := h.store.Get(ctx, channel)
			if err != nil {
				t.Fatalf("channel reader after a viewer's press: %v", err)
			}
			if !reflect.DeepEqual(after, before) {
				t.Errorf("a viewer's press changed the channel:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
	if n := len(h.srv.SentTo(channel)); n != 1 {
		t.Errorf("%d messages in the channel; want only the digest (nothing posted for a viewer)", n)
	}

	q := h.sayIn(channel, func() { h.answerTo(h.srv.PressButton(channel, msg, admin.ID, digest.ButtonPause)) })
	h.tap(channel, q.MessageID, admin.ID, "pa:open")
	if st := h.reader(channel).Status; st != subscribers.Paused {
		t.Errorf("channel status after an admin's pause = %s; want paused", st)
	}
}

// A digest's buttons still work a week later, when Telegram sends the
// button's message as inaccessible: in a private chat and in a group.
func TestButtonsOnInaccessibleDigest(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const group = -1001777000222
	u := telegramtest.NewUser(403, "ar")
	h.srv.SetMember(group, u.ID, models.ChatMemberTypeAdministrator)
	for _, chat := range []int64{u.ID, group} {
		if _, err := h.store.Start(ctx, chat, subscribers.Joined{Source: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, chat := range []int64{u.ID, group} {
		for _, tc := range []struct {
			button, answer string
			want           subscribers.Status
		}{
			{digest.ButtonPause, "pa:week", subscribers.Paused},
			{digest.ButtonStop, "so:yes", subscribers.Stopped},
		} {
			msg := h.postDigest(chat)
			if err := h.srv.MakeInaccessible(chat, msg); err != nil {
				t.Fatal(err)
			}
			sent := len(h.srv.SentTo(chat))
			h.answerTo(h.srv.PressButton(chat, msg, u.ID, tc.button))
			msgs := h.srv.SentTo(chat)
			if n := len(msgs); n != sent+1 {
				t.Fatalf("chat %d: %d replies to %s on an old digest; want one, the question", chat, n-sent, tc.button)
			}
			h.tap(chat, msgs[sent].MessageID, u.ID, tc.answer)
			if st := h.reader(chat).Status; st != tc.want {
				t.Errorf("chat %d: status after %s then %s on an old digest = %s; want %s", chat, tc.button, tc.answer, st, tc.want)
			}
		}
	}
}

// /forget confirmed on a question Telegram no longer lets the bot edit:
// the data goes and the outcome comes as a new message.
func TestForgetConfirmedOnInaccessibleQuestion(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(404, "ar")
	h.say(u, "/start")
	q := h.say(u, "/forget")
	if err := h.srv.MakeInaccessible(u.ID, q.MessageID); err != nil {
		t.Fatal(err)
	}
	m := h.sayIn(u.ID, func() { h.srv.PressButton(u.ID, q.MessageID, u.ID, "fg:yes") })
	wantContains(t, m, "حذفنا") // "we deleted"
	if _, err := h.store.Get(context.Background(), u.ID); err == nil {
		t.Error("the reader is still stored after a confirmed /forget")
	}
}
