// Package tgerr decides what the failure of a Bot API call means. The
// sender and the bot's replies both ask it, so a 403 or a dropped
// connection means the same thing wherever it happens.
//
//	answer or error                                   Class
//	ok (or ok with a result we cannot decode)         OK
//	429 retry_after                                   Throttled
//	403 bot was blocked / kicked / not a member       Blocked
//	403 user is deactivated, 400 chat not found       Gone
//	400 migrate_to_chat_id                            Migrated
//	4xx BALANCE_TOO_LOW, not enough Stars             NoStars (a paid broadcast the bot's Stars
//	                                                    cannot pay for; the message may go unpaid)
//	other 400                                         BadRequest (this message is refused)
//	401, 404, 409, 5xx from the Bot API               Systemic (the token, the URL or Telegram is broken)
//	HTTP 500, 502, 503 with a page that is not JSON   Systemic (a proxy that could not pass the call on)
//	no connection, DNS, refused, reset or timed out
//	  before the request was written                  Systemic
//	written, then no usable answer (timeout, reset,
//	  504, a page we cannot read)                     Unknown
//
// Systemic errors are about Telegram or the network, not about one
// message: the message was not delivered, and every other message would
// fail the same way, so callers pause everyone instead of counting it
// against the message. Unknown is the one case where the message may have
// arrived: callers choose between at most once and at least once.
package tgerr

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	tg "github.com/go-telegram/bot"
)

// Class is what a call's outcome means for the message.
type Class int

const (
	OK         Class = iota
	Throttled        // 429: wait RetryAfter, every instance
	Blocked          // the reader blocked the bot, or it was removed from the chat
	Gone             // the chat or the account no longer exists
	Migrated         // the group became a supergroup: send to MigrateTo
	Systemic         // Telegram or the network failed; nothing was delivered
	BadRequest       // Telegram refuses this message
	Unknown          // the request left and no usable answer came back
	NoStars          // the Stars balance cannot pay for a paid broadcast; nothing was delivered
)

var names = [...]string{"ok", "throttled", "blocked", "gone", "migrated", "systemic", "bad_request", "unknown", "no_stars"}

func (c Class) String() string {
	if c < 0 || int(c) >= len(names) {
		return "class(" + strconv.Itoa(int(c)) + ")"
	}
	return names[c]
}

// Call records what happened on the wire during one Bot API request: was
// the request written, and what HTTP status came back. Trace starts one.
type Call struct {
	wrote  atomic.Bool
	status atomic.Int32
}

type callKey struct{}

// Trace returns a context that records the request made with it into the
// returned Call. Whether the request was written is read with
// net/http/httptrace, so it works with any http.Client; the HTTP status is
// recorded only when the client's transport is wrapped with Transport.
func Trace(ctx context.Context) (context.Context, *Call) {
	c := &Call{}
	ctx = context.WithValue(ctx, callKey{}, c)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				c.wrote.Store(true)
			}
		},
	}), c
}

// Wrote reports whether the request was written to the connection.
func (c *Call) Wrote() bool { return c != nil && c.wrote.Load() }

// Status is the HTTP status of the answer, 0 when none was seen.
func (c *Call) Status() int {
	if c == nil {
		return 0
	}
	return int(c.status.Load())
}

// Transport wraps rt (http.DefaultTransport when nil) so that the HTTP
// status of every traced request is recorded in its Call. The go-telegram
// client reads only the body; a proxy's error page says nothing without
// its status.
func Transport(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	return statusTransport{rt}
}

type statusTransport struct{ rt http.RoundTripper }

func (t statusTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(r)
	if resp != nil {
		if c, ok := r.Context().Value(callKey{}).(*Call); ok {
			c.status.Store(int32(resp.StatusCode))
		}
	}
	return resp, err
}

// Classify says what err, returned by a call traced by c, means. c may be
// nil: a call not known to have been written is then taken as not written.
func Classify(err error, c *Call) Class {
	if err == nil {
		return OK
	}
	var tooMany *tg.TooManyRequestsError
	var migrate *tg.MigrateError
	desc := strings.ToLower(Description(err))
	msg := err.Error()
	switch {
	case errors.As(err, &tooMany):
		return Throttled
	case errors.As(err, &migrate):
		return Migrated
	case starsShort(desc) && (errors.Is(err, tg.ErrorBadRequest) || errors.Is(err, tg.ErrorForbidden) ||
		apiCode(msg) >= 400 && apiCode(msg) < 500):
		return NoStars
	case errors.Is(err, tg.ErrorForbidden):
		if strings.Contains(desc, "deactivated") {
			return Gone
		}
		return Blocked
	case errors.Is(err, tg.ErrorBadRequest):
		switch {
		case containsAny(desc, "chat not found", "user not found", "peer_id_invalid", "group chat was deleted", "chat was deleted"):
			return Gone
		case containsAny(desc, "not enough rights to send", "have no rights to send", "need administrator rights"):
			return Blocked
		}
		return BadRequest
	case errors.Is(err, tg.ErrorUnauthorized), errors.Is(err, tg.ErrorNotFound), errors.Is(err, tg.ErrorConflict):
		return Systemic
	case strings.Contains(msg, "error response from telegram"):
		// A JSON answer from the Bot API with another code: the server
		// itself says the call failed. 5xx and anything unexpected are
		// its trouble; a 4xx is about the request.
		if code := apiCode(msg); code >= 400 && code < 500 {
			return BadRequest
		}
		return Systemic
	case strings.Contains(msg, "error decode response result"):
		// ok:true with a result we cannot read: it was sent.
		return OK
	case strings.Contains(msg, "error decode response body"), strings.Contains(msg, "error read response body"):
		// An answer that is not the Bot API's JSON: a proxy's page.
		switch c.Status() {
		case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable:
			return Systemic
		}
		if !c.Wrote() {
			return Systemic
		}
		return Unknown
	case !c.Wrote():
		return Systemic
	default:
		return Unknown
	}
}

// starsShort reports Telegram's refusal of a paid broadcast for want of
// Stars. The Bot API passes on the payment layer's BALANCE_TOO_LOW ("the
// current Telegram Stars balance is too low"); the other wordings are
// matched too, narrowly (each names Stars or the balance), since Telegram
// does not document the answer: a refusal taken for this one is sent
// again unpaid, never lost.
func starsShort(desc string) bool {
	return containsAny(desc, "balance_too_low", "balance too low", "not enough stars", "insufficient stars",
		"stars_insufficient", "star balance", "stars balance")
}

// Retryable reports whether a message that met class was certainly not
// delivered and sending it again can succeed as it is.
func (c Class) Retryable() bool { return c == Throttled || c == Systemic }

// RetryAfter is the wait a 429 asks for (at least a second), 0 for any
// other error.
func RetryAfter(err error) time.Duration {
	var tooMany *tg.TooManyRequestsError
	if !errors.As(err, &tooMany) {
		return 0
	}
	return time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
}

// MigrateTo is the supergroup a migrated group moved to, 0 for any other
// error.
func MigrateTo(err error) int64 {
	var migrate *tg.MigrateError
	if !errors.As(err, &migrate) {
		return 0
	}
	return int64(migrate.MigrateToChatID)
}

// Description is Telegram's own words for an API error ("Forbidden: bot
// was blocked by the user"), or the whole error text for anything else.
func Description(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	for _, sentinel := range []error{tg.ErrorForbidden, tg.ErrorBadRequest, tg.ErrorUnauthorized, tg.ErrorNotFound, tg.ErrorConflict} {
		if errors.Is(err, sentinel) {
			if i := strings.LastIndex(msg, sentinel.Error()+", "); i >= 0 {
				return msg[i+len(sentinel.Error())+2:]
			}
		}
	}
	var migrate *tg.MigrateError
	if errors.As(err, &migrate) {
		return strings.TrimPrefix(migrate.Message, tg.ErrorBadRequest.Error()+": ")
	}
	var tooMany *tg.TooManyRequestsError
	if errors.As(err, &tooMany) {
		return strings.TrimPrefix(tooMany.Message, tg.ErrorTooManyRequests.Error()+", ")
	}
	return msg
}

var apiCodeRE = regexp.MustCompile(`error response from telegram for method [A-Za-z]+, (\d{3}) `)

func apiCode(msg string) int {
	m := apiCodeRE.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// NotModified reports Telegram's answer to an edit that changes nothing:
// the message already says it, so the edit succeeded in effect.
func NotModified(err error) bool {
	return errors.Is(err, tg.ErrorBadRequest) && strings.Contains(strings.ToLower(Description(err)), "message is not modified")
}

// Conflict reports Telegram's 409 to getUpdates: another request with the
// same token took over the long poll ("terminated by other getUpdates
// request"), or a webhook is set. Either way this poller must stand down.
func Conflict(err error) bool {
	return errors.Is(err, tg.ErrorConflict)
}
