package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"nashra/schedule"
	"net/http"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/tgerr"
)

// maxUpdateBytes bounds one webhook request; real updates are a few KB.
const maxUpdateBytes = 1 << 20

// RunWebhook serves updates that Telegram posts to WebhookHandler (every
// instance may serve), after registering url with secret. It returns when
// ctx is cancelled and the handlers in flight have finished, or at once
// with an error when Telegram refuses the webhook: an instance nobody
// posts updates to must not look as if it served.
func (b *Bot) RunWebhook(ctx context.Context, url, secret string) error {
	if err := b.identify(ctx); err != nil {
		return err
	}
	b.setCommands(ctx)
	d := b.openDispatch()
	defer b.closeDispatch(d)
	if err := b.setWebhook(ctx, url, secret); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// setWebhook registers url, retrying while Telegram or the network fails
// (as identify does); Telegram's refusal of the URL or the secret is
// returned. It returns nil when ctx ends first.
func (b *Bot) setWebhook(ctx context.Context, url, secret string) error {
	wait := time.Second
	for {
		_, err := b.api.SetWebhook(ctx, &tg.SetWebhookParams{
			URL:            url,
			SecretToken:    secret,
			AllowedUpdates: allowedUpdates,
		})
		switch {
		case err == nil:
			b.log.Info("webhook registered")
			return nil
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, tg.ErrorUnauthorized), tgerr.Classify(err, nil) == tgerr.BadRequest:
			return fmt.Errorf("telegram refused the webhook (NASHRA_WEBHOOK_URL, NASHRA_WEBHOOK_SECRET): %w", b.redact(err))
		}
		wait = max(wait, tgerr.RetryAfter(err))
		b.log.Warn("set webhook failed; retrying", "err", b.redact(err), "in", wait)
		if schedule.Wait(ctx, wait) != nil {
			return nil
		}
		wait = min(2*wait, time.Minute)
	}
}

// WebhookHandler receives Telegram's POSTs. A wrong or missing secret gets
// 401 and is never handled; a malformed body gets 400. An update is
// answered 200 only once it has been handled, so a crash before that makes
// Telegram deliver it again (and the update claim makes sure it is handled
// once).
func (b *Bot) WebhookHandler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			b.log.Warn("webhook request with a wrong secret", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		d := b.disp.Load()
		if d == nil {
			http.Error(w, "not serving updates", http.StatusServiceUnavailable)
			return
		}
		var upd models.Update
		body, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBytes+1))
		if err == nil && len(body) > maxUpdateBytes {
			err = errors.New("too large")
		}
		if err == nil {
			err = json.Unmarshal(body, &upd)
		}
		if err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		result := make(chan bool, 1)
		if err := d.submit(r.Context(), job{upd: &upd, done: func(handled bool) { result <- handled }}); err != nil {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		// Not handled (the instance stopped first): Telegram sends it
		// again, here or to another instance.
		select {
		case handled := <-result:
			if handled {
				w.WriteHeader(http.StatusOK)
			} else {
				http.Error(w, "shutting down", http.StatusServiceUnavailable)
			}
		case <-r.Context().Done():
		}
	})
}
