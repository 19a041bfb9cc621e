package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"nashra/bot/telegramtest"
	"nashra/subscribers/redistest"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// In webhook mode every update is checked for Telegram's secret, handled
// before it is acknowledged, and handled once when Telegram redelivers it.
func TestWebhookMode(t *testing.T) {
	srv := telegramtest.New(t, telegramtest.Options{})
	r := redistest.New(t)
	addr := freeAddr(t)
	const secret = "s3cret-token_for-hooks"
	p := startProcess(t, map[string]string{
		"NASHRA_TELEGRAM_TOKEN": srv.Token(),
		"NASHRA_TELEGRAM_API":   srv.URL(),
		"NASHRA_REDIS_URL":      r.URL,
		"NASHRA_REDIS_PREFIX":   r.Prefix,
		"NASHRA_HTTP_ADDR":      addr,
		"NASHRA_WEBHOOK_URL":    "https://bot.example/telegram/hook",
		"NASHRA_WEBHOOK_SECRET": secret,
	})
	defer p.stop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := srv.WaitCalls(ctx, "setWebhook", 1); err != nil {
		t.Fatal(err)
	}
	if wh := srv.Webhook(); wh.URL != "https://bot.example/telegram/hook" || wh.SecretToken != secret {
		t.Errorf("registered webhook %+v; want the URL and the secret", wh)
	}
	reader := telegramtest.NewUser(808, "ar")
	upd := models.Update{ID: 5001, Message: &models.Message{
		ID: 1, From: &reader, Chat: models.Chat{ID: reader.ID, Type: models.ChatTypePrivate}, Date: int(time.Now().Unix()),
		Text: "/start", Entities: telegramtest.CommandEntities("/start"),
	}}
	body, _ := json.Marshal(upd)
	post := func(secretHeader string, body []byte) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram/hook", bytes.NewReader(body))
		if secretHeader != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secretHeader)
		}
		for range 100 { // the server may still be starting
			resp, err := http.DefaultClient.Do(req.Clone(context.Background()))
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusServiceUnavailable {
					return resp.StatusCode
				}
			}
			time.Sleep(100 * time.Millisecond)
			req.Body, _ = req.GetBody()
		}
		t.Fatal("webhook endpoint never answered")
		return 0
	}
	if code := post("wrong", body); code != http.StatusUnauthorized {
		t.Errorf("wrong secret answered %d; want 401", code)
	}
	if code := post("", body); code != http.StatusUnauthorized {
		t.Errorf("missing secret answered %d; want 401", code)
	}
	if n := len(srv.SentTo(reader.ID)); n != 0 {
		t.Fatalf("an update with a wrong secret was handled (%d replies)", n)
	}
	if code := post(secret, []byte("{not json")); code != http.StatusBadRequest {
		t.Errorf("malformed update answered %d; want 400", code)
	}
	if code := post(secret, body); code != http.StatusOK {
		t.Fatalf("update answered %d; want 200", code)
	}
	// Handled before the 200: the reply is already there.
	if n := len(srv.SentTo(reader.ID)); n != 1 {
		t.Fatalf("%d replies right after the 200; want 1", n)
	}
	if code := post(secret, body); code != http.StatusOK {
		t.Errorf("redelivered update answered %d; want 200", code)
	}
	if n := len(srv.SentTo(reader.ID)); n != 1 {
		t.Errorf("%d replies after Telegram redelivered the update; want 1", n)
	}
	if polls := len(srv.Calls("getUpdates")); polls != 0 {
		t.Errorf("%d getUpdates calls in webhook mode; want none", polls)
	}
}
