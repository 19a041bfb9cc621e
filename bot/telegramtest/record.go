package telegramtest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
)

// Call is one request as the server saw and answered it.
type Call struct {
	// Method is the canonical name ("sendMessage"), or the path segment as
	// sent when the method is unknown or the token wrong.
	Method string
	// Params are the decoded parameters: strings raw, objects as JSON text.
	Params map[string]string
	// Files are multipart uploads by field name.
	Files map[string]File
	// Time is when the request arrived, by the server's clock.
	Time time.Time
	// Status is the HTTP status answered; 0 when the client went away first
	// (a cancelled long poll or slow answer).
	Status int
	// Response is the body answered (or that would have been, when Dropped).
	Response    string
	Description string // error description, empty on success
	RetryAfter  int    // parameters.retry_after of a 429
	MigrateTo   int64  // parameters.migrate_to_chat_id
	// Dropped: the request was processed but the connection was closed
	// without an answer.
	Dropped bool
}

// OK reports whether the call was answered with success.
func (c Call) OK() bool { return c.Status == 200 }

// Message is a message the bot sent, as it now stands. Slices and pointers
// are shared between copies and must not be modified.
type Message struct {
	ChatID    int64
	MessageID int
	Method    string // "sendMessage" or "sendPhoto"
	Date      time.Time
	// Text is what the reader sees (the caption for a photo): markup removed,
	// entities decoded.
	Text string
	// Raw is the text or caption as the bot sent it, markup included.
	Raw         string
	ParseMode   string
	Entities    []models.MessageEntity
	ReplyMarkup *models.InlineKeyboardMarkup // nil without an inline keyboard
	LinkPreview *models.LinkPreviewOptions
	// Photo is the uploaded file; PhotoRef the file_id or URL when the
	// photo was given as a string.
	Photo     []byte
	PhotoName string
	PhotoRef  string
	// PaidBroadcast: sent with allow_paid_broadcast (0.1 Star).
	PaidBroadcast bool
	Edits         int // edits applied (text or markup)
	EditDate      time.Time
	Deleted       bool
	// Inaccessible: Telegram no longer gives the bot this message (see
	// MakeInaccessible).
	Inaccessible bool
}

// Visible is Text without the invisible characters that only steer its
// direction (LRM, RLM, ALM, the isolates U+2066–U+2069): the words a reader
// reads, to compare with what a test expects.
func (m Message) Visible() string {
	return strings.Map(func(r rune) rune {
		if r == '\u200e' || r == '\u200f' || r == '\u061c' || r >= '\u2066' && r <= '\u2069' {
			return -1
		}
		return r
	}, m.Text)
}

// Buttons lists the inline buttons row by row as "text|callback_data" (or
// "text|url"), handy for golden assertions.
func (m Message) Buttons() []string {
	if m.ReplyMarkup == nil {
		return nil
	}
	var out []string
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			v := b.CallbackData
			if v == "" {
				v = b.URL
			}
			out = append(out, b.Text+"|"+v)
		}
	}
	return out
}

// Snapshot is a consistent copy of the record.
type Snapshot struct {
	Messages []Message // every message the bot sent, in order
	Calls    []Call
	// PendingUpdates counts updates not yet confirmed by an offset.
	PendingUpdates int
	// Polling: a getUpdates request is waiting now.
	Polling bool
	// PollOverlaps counts getUpdates requests that arrived while another
	// was still open: two pollers at once (the older got 409 Conflict).
	PollOverlaps int
	// InFlight counts requests (long polls included) being processed now.
	InFlight int
}

// SentTo filters the snapshot's messages by chat.
func (s Snapshot) SentTo(chatID int64) []Message {
	return filterChat(s.Messages, chatID)
}

// CallsTo filters the snapshot's calls by method ("" for all).
func (s Snapshot) CallsTo(method string) []Call {
	return filterMethod(s.Calls, method)
}

// AllChats as a chat id makes WaitMessages count messages to every chat.
const AllChats int64 = 0

func filterChat(msgs []Message, chatID int64) []Message {
	var out []Message
	for _, m := range msgs {
		if chatID == AllChats || m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

func filterMethod(calls []Call, method string) []Call {
	var out []Call
	for _, c := range calls {
		if method == "" || strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns every message the bot sent, in order.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// SentTo returns the messages the bot sent to one chat, in order.
func (s *Server) SentTo(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return filterChat(s.messages, chatID)
}

// Calls returns the calls of one method ("" for all), in order of answer.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return filterMethod(s.calls, method)
}

// Throttled counts the 429 answers given, by limits and by faults.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// Snapshot copies the whole record.
func (s *Server) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshotLocked()
}

func (s *Server) snapshotLocked() Snapshot {
	return Snapshot{
		Messages:       append([]Message(nil), s.messages...),
		Calls:          append([]Call(nil), s.calls...),
		PendingUpdates: len(s.queue),
		Polling:        s.poll != nil,
		PollOverlaps:   s.pollOverlaps,
		InFlight:       s.inflight,
	}
}

// wait calls check under the lock after every change until it reports
// done or ctx ends; what describes the wait in the error.
func (s *Server) wait(ctx context.Context, check func() bool, what func() string) error {
	for {
		s.mu.Lock()
		if check() {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			s.mu.Lock()
			d := what()
			s.mu.Unlock()
			return fmt.Errorf("telegramtest: %s: %w", d, ctx.Err())
		case <-s.done:
			return fmt.Errorf("telegramtest: server closed while waiting")
		}
	}
}

// WaitMessages waits until the bot has sent at least n messages to chatID
// (AllChats: to any chat) and returns that chat's messages.
func (s *Server) WaitMessages(ctx context.Context, chatID int64, n int) ([]Message, error) {
	count := func() int {
		if chatID == AllChats {
			return len(s.messages)
		}
		return s.sentTo[chatID]
	}
	err := s.wait(ctx, func() bool { return count() >= n }, func() string {
		return fmt.Sprintf("waiting for %d messages to chat %d, got %d", n, chatID, count())
	})
	return s.SentTo(chatID), err
}

// WaitCalls waits until at least n calls of method ("" for any) have been
// answered and returns them.
func (s *Server) WaitCalls(ctx context.Context, method string, n int) ([]Call, error) {
	count := func() int { return len(filterMethod(s.calls, method)) }
	err := s.wait(ctx, func() bool { return count() >= n }, func() string {
		return fmt.Sprintf("waiting for %d %s calls, got %d", n, method, count())
	})
	return s.Calls(method), err
}

// WaitCallbackAnswer waits until the bot has answered the callback query
// with id queryID and returns the answer.
func (s *Server) WaitCallbackAnswer(ctx context.Context, queryID string) (CallbackAnswer, error) {
	var a CallbackAnswer
	err := s.wait(ctx, func() bool {
		q, ok := s.queries[queryID]
		if ok && q.answered {
			a = q.answer
		}
		return ok && q.answered
	}, func() string { return "waiting for the answer to callback query " + queryID })
	return a, err
}

// WaitFor waits up to timeout until cond holds for a snapshot of the record
// and returns that snapshot. cond runs without the server's lock held.
func (s *Server) WaitFor(timeout time.Duration, cond func(Snapshot) bool) (Snapshot, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		s.mu.Lock()
		snap := s.snapshotLocked()
		ch := s.changed
		s.mu.Unlock()
		if cond(snap) {
			return snap, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return snap, fmt.Errorf("telegramtest: condition not met after %v (%d messages, %d calls): %w",
				timeout, len(snap.Messages), len(snap.Calls), ctx.Err())
		case <-s.done:
			return snap, fmt.Errorf("telegramtest: server closed while waiting")
		}
	}
}
