package telegramtest

import (
	"math"
	"net/http"
	"strings"
	"time"
)

// FaultKind is a way a Bot API call can fail.
type FaultKind int

const (
	// TooManyRequests answers 429 "Too Many Requests: retry after N" with
	// parameters.retry_after = Fault.RetryAfter (default 1).
	TooManyRequests FaultKind = iota + 1
	// Blocked answers 403 "Forbidden: bot was blocked by the user".
	Blocked
	// ChatNotFound answers 400 "Bad Request: chat not found".
	ChatNotFound
	// Upgraded answers 400 "Bad Request: group chat was upgraded to a
	// supergroup chat" with parameters.migrate_to_chat_id = Fault.MigrateTo.
	Upgraded
	// BadGateway answers 502 with an HTML page, as a proxy in front of the
	// API does; the client cannot decode it.
	BadGateway
	// InternalError answers 500 {"ok":false,"error_code":500,...}.
	InternalError
	// Slow waits Fault.Delay, then answers normally. When the client gives
	// up first, nothing is done and nothing is answered.
	Slow
	// DropAnswer processes the call (a message is recorded as delivered),
	// then closes the connection without answering: a lost response.
	DropAnswer
	// APIError answers Fault.Code with Fault.Description, for any other
	// error, e.g. 403 "Forbidden: user is deactivated".
	APIError
)

// Fault is a scripted failure, applied to the next matching calls.
type Fault struct {
	Kind FaultKind
	// Method matches the method name case-insensitively; "" matches all.
	Method string
	// ChatID matches the call's chat_id; 0 matches every call.
	ChatID int64
	// Times is how many matching calls the fault hits: 0 means once, a
	// negative number means until ClearFaults.
	Times int
	// Until, when set, makes the fault an outage: it hits every matching
	// call that arrives before Until (by the server's clock), whatever
	// Times says, and is gone afterwards. See Outage.
	Until time.Time

	RetryAfter  int           // TooManyRequests; default 1
	MigrateTo   int64         // Upgraded; default -100<ChatID without sign>
	Delay       time.Duration // Slow
	Code        int           // APIError
	Description string        // APIError
}

// Inject adds a fault. Faults are tried in the order they were added; the
// first that matches a call is used (and counted) for it.
func (s *Server) Inject(f Fault) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Outage makes every call of method ("" for all) fail with kind (e.g.
// InternalError, BadGateway) until the server's clock reaches until, as
// when Telegram or the proxy in front of it is down for a while; calls
// after that are answered normally.
func (s *Server) Outage(method string, kind FaultKind, until time.Time) {
	s.Inject(Fault{Kind: kind, Method: method, Until: until})
}

// ClearFaults removes every scripted fault (not Block or Migrate state).
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFault(method string, chatID int64) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	live := s.faults[:0]
	for _, f := range s.faults {
		if f.Until.IsZero() || now.Before(f.Until) {
			live = append(live, f)
		}
	}
	s.faults = live
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.ChatID != 0 && f.ChatID != chatID {
			continue
		}
		hit := *f
		if f.Until.IsZero() && f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &hit
	}
	return nil
}

func (f *Fault) answer(chatID int64) answer {
	switch f.Kind {
	case TooManyRequests:
		return tooManyRequests(max(f.RetryAfter, 1))
	case Blocked:
		return apiError(http.StatusForbidden, "Forbidden: bot was blocked by the user")
	case ChatNotFound:
		return badRequest("chat not found")
	case Upgraded:
		to := f.MigrateTo
		if to == 0 {
			to = supergroupID(chatID)
		}
		return migratedAnswer(to)
	case BadGateway:
		return answer{status: http.StatusBadGateway, body: []byte(badGatewayHTML),
			contentType: "text/html", description: "502 Bad Gateway"}
	case InternalError:
		return apiError(http.StatusInternalServerError, "Internal Server Error")
	case APIError:
		return apiError(f.Code, f.Description)
	}
	return apiError(http.StatusInternalServerError, "telegramtest: unknown fault kind")
}

// supergroupID is the id a group gets when upgraded: -100 followed by its
// digits.
func supergroupID(chatID int64) int64 {
	if chatID < 0 {
		chatID = -chatID
	}
	return -(1000000000000 + chatID%1000000000000)
}

// Block makes every send, edit and delete in chatID answer 403 until
// Unblock: the user blocked the bot (or the bot was kicked from a group).
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// Unblock undoes Block.
func (s *Server) Unblock(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// Migrate upgrades group oldID to supergroup newID: calls naming oldID
// answer 400 with migrate_to_chat_id = newID from now on.
func (s *Server) Migrate(oldID, newID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.migrated[oldID] = newID
	st := s.chatLocked(newID)
	if old, ok := s.chats[oldID]; ok && st.chat.Title == "" {
		st.chat.Title = old.chat.Title
	}
}

// chatMethods take a chat_id that Block and Migrate apply to; blockable
// says whether Block does.
var chatMethods = map[string]bool{
	"sendMessage": true, "sendPhoto": true, "sendChatAction": true,
	"editMessageText": true, "editMessageReplyMarkup": true, "deleteMessage": true,
	"getChat": false, "getChatMember": false,
}

func (s *Server) chatStateAnswer(method string, chatID int64) (answer, bool) {
	blockable, ok := chatMethods[method]
	if !ok || chatID == 0 {
		return answer{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if to, ok := s.migrated[chatID]; ok {
		return migratedAnswer(to), true
	}
	if blockable && s.blocked[chatID] {
		return forbidden(chatID), true
	}
	return answer{}, false
}

// Limits are flood limits as Telegram applies them to sent messages
// (sendMessage, sendPhoto; edits are not counted). Each is a sliding
// window: at most N accepted messages in any window. Zero disables one.
//
// A message sent with allow_paid_broadcast ignores PerSecond (Telegram's
// broadcasting limit) and is held to PaidPerSecond instead, for 0.1 Star
// from the bot's balance (SetStarBalance). PerSecond counts the messages
// sent without it; PaidPerSecond counts every message, so nothing goes
// faster than it overall. The per-chat and per-group limits hold for both.
type Limits struct {
	// PerSecond across all chats, of messages without allow_paid_broadcast
	// (Telegram: about 30).
	PerSecond int
	// PaidPerSecond across all chats, of all messages, with
	// allow_paid_broadcast (Telegram: 1,000).
	PaidPerSecond int
	// PerChatPerSecond in any one chat (Telegram: 1, short bursts tolerated).
	PerChatPerSecond int
	// PerGroupPerMinute in any one group chat, negative ids (Telegram: 20).
	PerGroupPerMinute int
}

// SetLimits replaces the limits and forgets the messages counted so far.
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
	s.limiter = newLimiter()
}

type limiter struct {
	global window // messages without allow_paid_broadcast
	all    window // every message (PaidPerSecond)
	chat   map[int64]*window
	group  map[int64]*window
}

func newLimiter() limiter {
	return limiter{chat: map[int64]*window{}, group: map[int64]*window{}}
}

// window holds the times of the accepted messages of one sliding window.
type window struct{ times []time.Time }

// wait is how long until one more message fits; 0 if it fits now.
func (w *window) wait(now time.Time, span time.Duration, limit int) time.Duration {
	cut := 0
	for cut < len(w.times) && !w.times[cut].After(now.Add(-span)) {
		cut++
	}
	w.times = w.times[cut:]
	if len(w.times) < limit {
		return 0
	}
	return w.times[len(w.times)-limit].Add(span).Sub(now)
}

// admitLocked counts one message to chatID, sent with
// allow_paid_broadcast when paid, or answers 429 when a limit is reached
// (400 BALANCE_TOO_LOW when a paid message finds too few Stars). Rejected
// messages are neither counted nor charged.
func (s *Server) admitLocked(chatID int64, paid bool) (answer, bool) {
	l := s.limits
	now := s.now()
	if paid && s.starTenths >= 0 && s.starTenths < 1 {
		return badRequest(BalanceTooLow), false
	}
	type check struct {
		w     *window
		span  time.Duration
		limit int
	}
	var checks []check
	if l.PerSecond > 0 && !paid {
		checks = append(checks, check{&s.limiter.global, time.Second, l.PerSecond})
	}
	if l.PaidPerSecond > 0 {
		checks = append(checks, check{&s.limiter.all, time.Second, l.PaidPerSecond})
	}
	if l.PerChatPerSecond > 0 {
		w := s.limiter.chat[chatID]
		if w == nil {
			w = &window{}
			s.limiter.chat[chatID] = w
		}
		checks = append(checks, check{w, time.Second, l.PerChatPerSecond})
	}
	if l.PerGroupPerMinute > 0 && chatID < 0 {
		w := s.limiter.group[chatID]
		if w == nil {
			w = &window{}
			s.limiter.group[chatID] = w
		}
		checks = append(checks, check{w, time.Minute, l.PerGroupPerMinute})
	}
	var longest time.Duration
	for _, c := range checks {
		longest = max(longest, c.w.wait(now, c.span, c.limit))
	}
	if longest > 0 {
		return tooManyRequests(max(1, int(math.Ceil(longest.Seconds())))), false
	}
	for _, c := range checks {
		c.w.times = append(c.w.times, now)
	}
	if paid {
		s.paidSent++
		if s.starTenths > 0 {
			s.starTenths--
		}
	}
	return answer{}, true
}

// BalanceTooLow is the description (after "Bad Request: ") of the answer
// to a paid message when the bot's Stars balance cannot pay for it: the
// error Telegram's API gives for a Stars balance too low for a payment.
const BalanceTooLow = "BALANCE_TOO_LOW"

// SetStarBalance gives the bot stars Telegram Stars (in tenths: 0.1 is
// one paid message); a negative balance is unlimited, the default. Each
// message sent with allow_paid_broadcast takes 0.1 Star; once less is
// left, such messages are answered 400 BALANCE_TOO_LOW.
func (s *Server) SetStarBalance(stars float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stars < 0 {
		s.starTenths = -1
		return
	}
	s.starTenths = int64(math.Round(stars * 10))
}

// PaidSent counts the messages accepted with allow_paid_broadcast.
func (s *Server) PaidSent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paidSent
}
