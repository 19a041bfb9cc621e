// Package telegramtest is an in-process fake of the Telegram Bot API, served
// on loopback, for tests that drive the real go-telegram client.
//
// It owns the wire format (requests at /bot<token>/<method> in multipart,
// JSON or form encoding; answers {"ok":...} with the matching HTTP status),
// the state a bot can observe (update queue with long polling and offsets,
// messages per chat, commands, webhook, chat members), a record of every
// call and message for assertions, helpers that play the user (SendText,
// PressButton, AddedToGroup, BlockedBy) and faults as Telegram produces them:
// rate limits, blocked chats, migrated groups, proxy errors, slow and lost
// answers.
//
// A test typically does:
//
//	srv := telegramtest.New(t, telegramtest.Options{})
//	b, err := srv.Client(bot.WithDefaultHandler(handle))
//	go b.Start(ctx)
//	srv.SendText(telegramtest.NewUser(42, "ar"), "/start")
//	msgs, err := srv.WaitMessages(ctx, 42, 1)
//
// Nothing in the package sleeps to wait: waits are woken by state changes.
package telegramtest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// DefaultBotID is the bot's user id when Options.Token is empty.
const DefaultBotID int64 = 7000000001

// Options configure a Server. The zero value is a usable server with a
// random token and no limits.
type Options struct {
	// Token the server accepts. Empty: "<DefaultBotID>:<35 random characters>".
	// The bot's user id is the part before the colon.
	Token string
	// BotUsername is the bot's username without '@'. Default "nashra_bot".
	BotUsername string
	// BotName is the bot's first name. Default "نشرة" (newsletter).
	BotName string
	// Limits are the flood limits enforced on sendMessage and sendPhoto.
	Limits Limits
	// Now is the clock for message dates, call times and rate limit windows.
	// Default time.Now. Long-poll timeouts and Slow faults use real time.
	Now func() time.Time
	// SkipLayoutCheck turns off the check of every text the bot sends
	// (LayoutProblems): for tests whose texts are not meant for readers.
	SkipLayoutCheck bool
}

// Server is a fake Bot API server. All methods are safe for concurrent use.
type Server struct {
	srv      *httptest.Server
	token    string
	botUser  models.User
	now      func() time.Time
	done     chan struct{}
	closeOne sync.Once

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every recorded change

	calls     []Call
	messages  []Message
	msgIndex  map[msgKey]int
	sentTo    map[int64]int // messages sent per chat, so a wait for one chat is not a scan of all
	chats     map[int64]*chatState
	users     map[int64]models.User
	queries   map[string]*queryState
	commands  map[string][]models.BotCommand
	webhook   Webhook
	throttled int
	inflight  int

	// updates
	queue        []queuedUpdate
	nextUpdateID int64
	allowed      []string
	poll         *poller
	pollOverlaps int           // getUpdates requests that arrived while another was open
	updatesCh    chan struct{} // closed and replaced when the queue grows

	// faults
	faults   []*Fault
	blocked  map[int64]bool
	migrated map[int64]int64
	limits   Limits
	limiter  limiter
	// starTenths is the Stars balance in tenths, -1 unlimited; paidSent
	// the messages accepted with allow_paid_broadcast.
	starTenths int64
	paidSent   int
	queryID    uint64

	skipLayout     bool
	layoutProblems []string
}

type msgKey struct {
	chat int64
	id   int
}

type chatState struct {
	chat      models.Chat
	lastMsgID int
	members   map[int64]models.ChatMemberType
}

type queryState struct {
	answered bool
	answer   CallbackAnswer
}

// New starts a server for one test and closes it when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := NewServer(opts)
	if err != nil {
		t.Fatalf("telegramtest: %v", err)
	}
	t.Cleanup(s.Close)
	t.Cleanup(func() {
		for _, p := range s.LayoutProblems() {
			t.Errorf("telegramtest: a reader would see this out of order: %s", p)
		}
	})
	return s
}

// NewServer starts a server; the caller must Close it. For tests, New.
func NewServer(opts Options) (*Server, error) {
	token := opts.Token
	if token == "" {
		token = strconv.FormatInt(DefaultBotID, 10) + ":" + randomSecret()
	}
	id, _, ok := strings.Cut(token, ":")
	botID, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || botID <= 0 {
		return nil, errors.New("token must look like <bot id>:<secret>")
	}
	if opts.BotUsername == "" {
		opts.BotUsername = "nashra_bot"
	}
	if opts.BotName == "" {
		opts.BotName = "نشرة" // "newsletter"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		token: token,
		botUser: models.User{
			ID: botID, IsBot: true, FirstName: opts.BotName, Username: opts.BotUsername,
			CanJoinGroups: true,
		},
		now:          opts.Now,
		done:         make(chan struct{}),
		changed:      make(chan struct{}),
		updatesCh:    make(chan struct{}),
		msgIndex:     map[msgKey]int{},
		sentTo:       map[int64]int{},
		chats:        map[int64]*chatState{},
		users:        map[int64]models.User{},
		queries:      map[string]*queryState{},
		commands:     map[string][]models.BotCommand{},
		nextUpdateID: 100000001,
		blocked:      map[int64]bool{},
		migrated:     map[int64]int64{},
		limits:       opts.Limits,
		limiter:      newLimiter(),
		starTenths:   -1,
		queryID:      4620000000000000000,
		skipLayout:   opts.SkipLayoutCheck,
	}
	s.srv = httptest.NewServer(s)
	return s, nil
}

func randomSecret() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	b := make([]byte, 35)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Close ends pending long polls and slow answers, then stops the server.
func (s *Server) Close() {
	s.closeOne.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

// URL is the base URL for bot.WithServerURL (no trailing slash).
func (s *Server) URL() string { return s.srv.URL }

// Token is the only token the server accepts.
func (s *Server) Token() string { return s.token }

// BotID is the bot's user id.
func (s *Server) BotID() int64 { return s.botUser.ID }

// BotUser is what getMe answers.
func (s *Server) BotUser() models.User { return s.botUser }

// Client builds a go-telegram client for this server. It calls getMe unless
// extra includes bot.WithSkipGetMe().
func (s *Server) Client(extra ...bot.Option) (*bot.Bot, error) {
	opts := append([]bot.Option{bot.WithServerURL(s.URL())}, extra...)
	return bot.New(s.token, opts...)
}

// answer is one HTTP answer.
type answer struct {
	status      int
	body        []byte
	contentType string
	description string
	retryAfter  int
	migrateTo   int64
}

type apiParameters struct {
	RetryAfter      int   `json:"retry_after,omitempty"`
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
}

type apiBody struct {
	OK          bool           `json:"ok"`
	Result      any            `json:"result,omitempty"`
	ErrorCode   int            `json:"error_code,omitempty"`
	Description string         `json:"description,omitempty"`
	Parameters  *apiParameters `json:"parameters,omitempty"`
}

func okAnswer(result any) answer {
	return okAnswerDescribed(result, "")
}

func okAnswerDescribed(result any, description string) answer {
	var raw json.RawMessage
	switch r := result.(type) {
	case json.RawMessage:
		raw = r
	default:
		b, err := json.Marshal(result)
		if err != nil {
			return apiError(http.StatusInternalServerError, "Internal Server Error: "+err.Error())
		}
		raw = b
	}
	b, _ := json.Marshal(apiBody{OK: true, Result: raw, Description: description})
	return answer{status: http.StatusOK, body: b, contentType: "application/json"}
}

func apiError(code int, description string) answer {
	return apiErrorParams(code, description, nil)
}

func apiErrorParams(code int, description string, p *apiParameters) answer {
	b, _ := json.Marshal(apiBody{ErrorCode: code, Description: description, Parameters: p})
	a := answer{status: code, body: b, contentType: "application/json", description: description}
	if p != nil {
		a.retryAfter, a.migrateTo = p.RetryAfter, p.MigrateToChatID
	}
	return a
}

func badRequest(description string) answer {
	return apiError(http.StatusBadRequest, "Bad Request: "+description)
}

func tooManyRequests(retryAfter int) answer {
	return apiErrorParams(http.StatusTooManyRequests,
		fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		&apiParameters{RetryAfter: retryAfter})
}

func forbidden(chatID int64) answer {
	if chatID < 0 {
		return apiError(http.StatusForbidden, "Forbidden: bot was kicked from the group chat")
	}
	return apiError(http.StatusForbidden, "Forbidden: bot was blocked by the user")
}

func migratedAnswer(to int64) answer {
	return apiErrorParams(http.StatusBadRequest, "Bad Request: group chat was upgraded to a supergroup chat",
		&apiParameters{MigrateToChatID: to})
}

const badGatewayHTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"

// request is one decoded API call.
type request struct {
	ctx    context.Context
	method string
	params map[string]string
	files  map[string]File
	chatID int64 // 0 when absent or not numeric
}

// ServeHTTP answers Bot API requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := s.now()
	token, name, ok := splitPath(r.URL.Path)
	if !ok {
		s.finish(w, Call{Method: name, Time: arrived}, apiError(http.StatusNotFound, "Not Found"), false)
		return
	}
	if token != s.token {
		s.finish(w, Call{Method: name, Time: arrived}, apiError(http.StatusUnauthorized, "Unauthorized"), false)
		return
	}
	params, files, err := decodeRequest(w, r)
	call := Call{Method: name, Params: params, Files: files, Time: arrived}
	if err != nil {
		s.finish(w, call, badRequest(err.Error()), false)
		return
	}
	m, known := methods[strings.ToLower(name)]
	if !known {
		s.finish(w, call, apiError(http.StatusNotFound, "Not Found"), false)
		return
	}
	call.Method = m.name
	s.enter()
	defer s.leave()
	req := &request{ctx: r.Context(), method: m.name, params: params, files: files}
	req.chatID, _ = strconv.ParseInt(params["chat_id"], 10, 64)

	f := s.takeFault(m.name, req.chatID)
	if f != nil {
		switch f.Kind {
		case Slow:
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				s.record(call) // the client gave up: nothing answered, nothing done
				return
			case <-s.done:
				t.Stop()
				s.record(call)
				return
			}
		case DropAnswer:
		default:
			s.finish(w, call, f.answer(req.chatID), false)
			return
		}
	}
	a, stop := s.chatStateAnswer(m.name, req.chatID)
	if !stop {
		a = m.fn(s, req)
	}
	if a.status == 0 { // the long poll's client went away
		s.record(call)
		return
	}
	s.finish(w, call, a, f != nil && f.Kind == DropAnswer)
}

// finish records the call with its answer, then writes the answer, or closes
// the connection without one when drop is set.
func (s *Server) finish(w http.ResponseWriter, call Call, a answer, drop bool) {
	call.Status = a.status
	call.Response = string(a.body)
	call.Description = a.description
	call.RetryAfter = a.retryAfter
	call.MigrateTo = a.migrateTo
	call.Dropped = drop
	s.record(call)
	if drop {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
			return
		}
		panic(http.ErrAbortHandler)
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// splitPath parses /bot<token>/<method>.
func splitPath(path string) (token, method string, ok bool) {
	rest, found := strings.CutPrefix(path, "/bot")
	if !found {
		return "", path, false
	}
	token, method, found = strings.Cut(rest, "/")
	if !found || method == "" || strings.Contains(method, "/") {
		return token, method, false
	}
	return token, method, true
}

// notifyLocked wakes everything waiting for a change of the record.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// enter and leave count the requests being processed (Snapshot.InFlight).
func (s *Server) enter() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight++
	s.notifyLocked()
}

func (s *Server) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight--
	s.notifyLocked()
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Status == http.StatusTooManyRequests {
		s.throttled++
	}
	s.calls = append(s.calls, c)
	s.notifyLocked()
}
