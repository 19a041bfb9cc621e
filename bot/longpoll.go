package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"nashra/schedule"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"nashra/bot/inbox"
	"nashra/bot/tgerr"
)

// ErrOtherPoller means Telegram ended our getUpdates because another
// request with the same token took its place (409 Conflict): another
// instance is polling, or a webhook was set.
var ErrOtherPoller = errors.New("another poller is using the bot token")

// Long polling, written here rather than taken from go-telegram's Start:
// Start confirms an update to Telegram (the next offset) as soon as it is
// handed to a handler, so updates queued in memory at a stop or a crash
// were lost. Here each fetched batch is first stored in the inbox in Redis
// (inbox.Store.Add), then confirmed, then handled; an update
// leaves the inbox only once handled. A poller that starts, on any
// instance, first handles what the inbox still holds.
//
// Handling claims the update (inbox.Store.Claim) so that it is answered once even
// when it is seen twice (the inbox and a late re-fetch, or two pollers
// during a lease hand-over). A handler cancelled midway (the drain timeout
// ran out) gives the claim back and leaves the update in the inbox, so the
// next run handles it again: at least once, and handlers are written to be
// repeated (a second /follow says "already following"). Only a kill -9 in
// the middle of a handler leaves its update claimed and unanswered.

// poll fetches, stores and dispatches updates until ctx ends or Telegram
// says another poller took over.
func (b *Bot) poll(ctx context.Context, d *dispatcher) error {
	// With Redis away at the start, polling goes on after inboxGrace; what
	// the inbox holds waits for the next start.
	ictx, cancel := context.WithTimeout(ctx, inboxGrace)
	defer cancel()
	if err := b.retry(ictx, "read the update inbox", func() error {
		left, err := b.inbox.Pending(ictx)
		if err != nil {
			return err
		}
		if len(left) > 0 {
			b.log.Info("handling updates left by the previous poller", "count", len(left))
		}
		for _, u := range left {
			if err := b.dispatchStored(ctx, d, u); err != nil {
				return nil // stopping: the rest stay in the inbox
			}
		}
		return nil
	}); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		b.log.Error("the update inbox is unreachable: polling without reading it", "err", err)
	}
	var offset int64
	wait := time.Duration(0)
	for ctx.Err() == nil {
		raws, err := b.getUpdates(ctx, offset)
		if err == nil {
			b.storeAndDispatch(ctx, d, raws, &offset)
			wait = 0
			continue
		}
		if ctx.Err() != nil {
			return nil
		}
		if tgerr.Conflict(err) {
			return fmt.Errorf("%w: %w", ErrOtherPoller, err)
		}
		wait = min(max(2*wait, 100*time.Millisecond), 5*time.Second)
		if ra := tgerr.RetryAfter(err); ra > 0 {
			wait = ra
		}
		b.log.Warn("getUpdates failed; retrying", "err", err, "in", wait)
		if schedule.Wait(ctx, wait) != nil {
			return nil
		}
	}
	return nil
}

// inboxGrace is how long a fetched batch waits for Redis to store it (a
// restart, a failover). Past it the batch is handled without the inbox, so
// that readers hear that nothing could be saved instead of hearing
// nothing: their commands are not kept, but they know to send them again.
const inboxGrace = 5 * time.Second

// storeAndDispatch stores a fetched batch in the inbox, then hands it to
// the chats; with Redis away longer than inboxGrace it hands the batch
// over unstored.
func (b *Bot) storeAndDispatch(ctx context.Context, d *dispatcher, raws []json.RawMessage, offset *int64) {
	deadline := time.Now().Add(inboxGrace)
	wait := 100 * time.Millisecond
	for {
		stored, err := b.storeBatch(ctx, raws, offset)
		if err == nil {
			for _, u := range stored {
				if b.dispatchStored(ctx, d, u) != nil {
					return // stopping: the rest stay in the inbox
				}
			}
			return
		}
		if ctx.Err() != nil {
			return
		}
		if time.Now().After(deadline) {
			b.log.Error("the update inbox is unreachable: handling updates without it", "err", err, "updates", len(raws))
			b.dispatchUnstored(ctx, d, raws, offset)
			return
		}
		b.log.Warn("store updates failed; retrying", "err", err, "in", wait)
		if schedule.Wait(ctx, wait) != nil {
			return
		}
		wait = min(2*wait, time.Second)
	}
}

// dispatchUnstored hands updates to their chats straight from Telegram and
// confirms them: the handlers answer that nothing could be saved.
func (b *Bot) dispatchUnstored(ctx context.Context, d *dispatcher, raws []json.RawMessage, offset *int64) {
	for _, raw := range raws {
		upd := &models.Update{}
		if err := json.Unmarshal(raw, upd); err != nil {
			b.log.Warn("unreadable update dropped", "err", err)
			continue
		}
		*offset = max(*offset, upd.ID+1)
		if d.submit(ctx, job{upd: upd, done: func(bool) {}}) != nil {
			return
		}
	}
}

// storeBatch keeps a fetched batch in the inbox and moves the offset past
// it: from then on Telegram may forget it. It returns the updates not
// stored before.
func (b *Bot) storeBatch(ctx context.Context, raws []json.RawMessage, offset *int64) ([]inbox.Update, error) {
	if len(raws) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(raws))
	keep := make([][]byte, 0, len(raws))
	last := *offset - 1
	for _, raw := range raws {
		var head struct {
			ID int64 `json:"update_id"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			b.log.Warn("update without an id skipped", "err", err)
			continue
		}
		ids = append(ids, head.ID)
		keep = append(keep, raw)
		last = max(last, head.ID)
	}
	stored, err := b.inbox.Add(ctx, ids, keep)
	if err != nil {
		return nil, err
	}
	*offset = last + 1
	return stored, nil
}

// dispatchStored hands an inbox update to its chat; once handled it
// leaves the inbox.
func (b *Bot) dispatchStored(ctx context.Context, d *dispatcher, u inbox.Update) error {
	upd := &models.Update{}
	if err := json.Unmarshal(u.Raw, upd); err != nil {
		b.log.Warn("unreadable update dropped", "update_id", u.ID, "err", err)
		b.inboxDone(u.Entry)
		return nil
	}
	return d.submit(ctx, job{upd: upd, done: func(handled bool) {
		if handled {
			b.inboxDone(u.Entry)
		}
	}})
}

func (b *Bot) inboxDone(entry string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.inbox.Handled(ctx, entry); err != nil {
		// The update stays in the inbox; its claim keeps it from being
		// answered twice.
		b.log.Warn("update handled but kept in the inbox", "err", err)
	}
}

// retry runs step until it succeeds or ctx ends (then it returns ctx's
// error), waiting longer after each failure: Redis being away must not
// drop updates.
func (b *Bot) retry(ctx context.Context, what string, step func() error) error {
	wait := 100 * time.Millisecond
	for {
		err := step()
		if err == nil || ctx.Err() != nil {
			return ctx.Err()
		}
		b.log.Warn(what+" failed; retrying", "err", err, "in", wait)
		if err := schedule.Wait(ctx, wait); err != nil {
			return err
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// allowedUpdates are the kinds of update the bot asks Telegram for.
var allowedUpdates = []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery, models.AllowedUpdateMyChatMember}

// getUpdates is one long poll with the bot's HTTP client. go-telegram does
// not export it; its errors are built as go-telegram builds them, so tgerr
// reads them alike, and the token never appears in one.
func (b *Bot) getUpdates(ctx context.Context, offset int64) ([]json.RawMessage, error) {
	allowed, _ := json.Marshal(allowedUpdates)
	form := url.Values{
		"timeout":         {strconv.Itoa(int(b.opt.PollTimeout / time.Second))},
		"allowed_updates": {string(allowed)},
	}
	if offset != 0 {
		form.Set("offset", strconv.FormatInt(offset, 10))
	}
	endpoint := strings.TrimSuffix(b.apiURL, "/") + "/bot" + b.opt.Token + "/getUpdates"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, b.redact(fmt.Errorf("error create request for method getUpdates, %w", err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.httpc.Do(req)
	if err != nil {
		return nil, b.redact(fmt.Errorf("error do request for method getUpdates, %w", err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, b.redact(fmt.Errorf("error read response body for method getUpdates, %w", err))
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("error decode response body for method getUpdates, HTTP %d, %w", resp.StatusCode, err)
	}
	if r.OK {
		return r.Result, nil
	}
	switch r.ErrorCode {
	case http.StatusConflict:
		return nil, fmt.Errorf("%w, %s", tg.ErrorConflict, r.Description)
	case http.StatusUnauthorized:
		return nil, fmt.Errorf("%w, %s", tg.ErrorUnauthorized, r.Description)
	case http.StatusNotFound:
		return nil, fmt.Errorf("%w, %s", tg.ErrorNotFound, r.Description)
	case http.StatusBadRequest:
		return nil, fmt.Errorf("%w, %s", tg.ErrorBadRequest, r.Description)
	case http.StatusTooManyRequests:
		return nil, &tg.TooManyRequestsError{Message: fmt.Sprintf("%s, %s", tg.ErrorTooManyRequests, r.Description), RetryAfter: r.Parameters.RetryAfter}
	}
	return nil, fmt.Errorf("error response from telegram for method getUpdates, %d %s", r.ErrorCode, r.Description)
}

// redact removes the token from the URL an HTTP error quotes, keeping
// the error's chain for tgerr.
func (b *Bot) redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && b.opt.Token != "" {
		ue.URL = strings.ReplaceAll(ue.URL, b.opt.Token, "***")
	}
	return err
}
