package telegramtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

type queuedUpdate struct {
	id   int64
	kind string // the update's field name: "message", "callback_query", ...
	raw  json.RawMessage
}

// poller is the getUpdates request waiting now; kill ends it with 409.
type poller struct{ kill chan struct{} }

// defaultUpdates is what Telegram sends when allowed_updates is empty.
func allowedByDefault(kind string) bool {
	switch kind {
	case "chat_member", "message_reaction", "message_reaction_count":
		return false
	}
	return true
}

func (s *Server) allowedLocked(kind string) bool {
	if len(s.allowed) == 0 {
		return allowedByDefault(kind)
	}
	for _, a := range s.allowed {
		if a == kind {
			return true
		}
	}
	return false
}

// getUpdates long-polls: it confirms updates below offset, answers at once
// when updates are queued, and otherwise waits up to timeout seconds.
func (s *Server) getUpdates(r *request) answer {
	offset, _, err := int64Param(r.params, "offset")
	if err != nil {
		return badRequest("wrong parameter offset")
	}
	limit, present, err := int64Param(r.params, "limit")
	if err != nil {
		return badRequest("wrong parameter limit")
	}
	if !present || limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _, err := int64Param(r.params, "timeout")
	if err != nil {
		return badRequest("wrong parameter timeout")
	}
	var allowed []string
	if au, ok := r.params["allowed_updates"]; ok && au != "" {
		if err := json.Unmarshal([]byte(au), &allowed); err != nil {
			return badRequest("can't parse allowed updates JSON array")
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook.URL != "" {
		return apiError(http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
	}
	if _, ok := r.params["allowed_updates"]; ok {
		s.allowed = allowed
	}
	s.confirmLocked(offset)
	if s.poll != nil {
		// Telegram ends the older request: two pollers of one token
		// take turns failing.
		close(s.poll.kill)
		s.pollOverlaps++
	}
	me := &poller{kill: make(chan struct{})}
	s.poll = me
	s.notifyLocked()
	defer func() {
		if s.poll == me {
			s.poll = nil
			s.notifyLocked()
		}
	}()

	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		deadline = t.C
	}
	for {
		if batch := s.batchLocked(offset, int(limit)); len(batch) > 0 || deadline == nil {
			return okAnswer(batch)
		}
		ch := s.updatesCh
		s.mu.Unlock()
		var gone, killed, expired bool
		select {
		case <-ch:
		case <-me.kill:
			killed = true
		case <-deadline:
			expired = true
		case <-r.ctx.Done():
			gone = true
		case <-s.done:
			gone = true
		}
		s.mu.Lock()
		switch {
		case gone:
			return answer{}
		case killed:
			return apiError(http.StatusConflict, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
		case expired:
			deadline = nil
		}
	}
}

// confirmLocked forgets updates below offset; a negative offset keeps only
// the last -offset updates.
func (s *Server) confirmLocked(offset int64) {
	n := 0
	switch {
	case offset > 0:
		for n < len(s.queue) && s.queue[n].id < offset {
			n++
		}
	case offset < 0:
		n = max(0, len(s.queue)+int(offset))
	}
	if n > 0 {
		s.queue = append([]queuedUpdate(nil), s.queue[n:]...)
		s.notifyLocked()
	}
}

// batchLocked returns up to limit updates from offset on, dropping updates
// of kinds not allowed, as Telegram does.
func (s *Server) batchLocked(offset int64, limit int) []json.RawMessage {
	batch := []json.RawMessage{}
	kept := s.queue[:0:0]
	for _, q := range s.queue {
		if !s.allowedLocked(q.kind) {
			continue
		}
		kept = append(kept, q)
		if q.id >= offset && len(batch) < limit {
			batch = append(batch, q.raw)
		}
	}
	s.queue = kept
	return batch
}

// PushUpdate queues an update for the bot. Its update_id is replaced by the
// next one in sequence; the queued update is returned.
func (s *Server) PushUpdate(u models.Update) models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushLocked(u)
}

func (s *Server) pushLocked(u models.Update) models.Update {
	u.ID = s.nextUpdateID
	s.nextUpdateID++
	raw, err := json.Marshal(&u)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: marshal update: %v", err))
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(raw, &fields)
	kind := ""
	for k := range fields {
		if k != "update_id" {
			kind = k
		}
	}
	s.queue = append(s.queue, queuedUpdate{id: u.ID, kind: kind, raw: raw})
	close(s.updatesCh)
	s.updatesCh = make(chan struct{})
	s.notifyLocked()
	return u
}

// NewUser is a reader with an Arabic or English first name and the given
// language_code ("ar", "en", or "" for none).
func NewUser(id int64, languageCode string) models.User {
	name := fmt.Sprintf("Reader %d", id)
	if languageCode == "ar" {
		name = fmt.Sprintf("قارئ %d", id) // "reader N"
	}
	return models.User{ID: id, FirstName: name, Username: "reader" + strconv.FormatInt(id, 10), LanguageCode: languageCode}
}

func (s *Server) rememberUserLocked(u models.User) models.User {
	if u.FirstName == "" {
		u.FirstName = NewUser(u.ID, u.LanguageCode).FirstName
	}
	s.users[u.ID] = u
	return u
}

// SendText has from write text to the bot in their private chat, with
// bot_command entities as Telegram adds them.
func (s *Server) SendText(from models.User, text string) models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	from = s.rememberUserLocked(from)
	st := s.chatLocked(from.ID)
	st.chat = models.Chat{ID: from.ID, Type: models.ChatTypePrivate, FirstName: from.FirstName, LastName: from.LastName, Username: from.Username}
	return s.userMessageLocked(st, from, text)
}

// SendGroupText has from write text in a group chat (negative id; ids at or
// below -1000000000000 are supergroups).
func (s *Server) SendGroupText(groupID int64, from models.User, text string) models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	from = s.rememberUserLocked(from)
	return s.userMessageLocked(s.chatLocked(groupID), from, text)
}

func (s *Server) userMessageLocked(st *chatState, from models.User, text string) models.Update {
	st.lastMsgID++
	u := from
	return s.pushLocked(models.Update{Message: &models.Message{
		ID: st.lastMsgID, From: &u, Date: int(s.now().Unix()), Chat: st.chat,
		Text: text, Entities: CommandEntities(text),
	}})
}

// CommandEntities finds bot commands in text as Telegram marks them: a '/'
// at the start or after a character that is not a letter, digit or '_',
// then 1-64 of [A-Za-z0-9_], then optionally "@username". Offsets and
// lengths are in UTF-16 code units.
func CommandEntities(text string) []models.MessageEntity {
	var ents []models.MessageEntity
	pos := 0 // UTF-16 offset of text[i]
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == '/' && (prev < 0 || !isWordRune(prev) && prev != '/') {
			j := i + 1
			for j < len(text) && j-i-1 < 64 && isCommandByte(text[j]) {
				j++
			}
			if j > i+1 {
				if j < len(text) && text[j] == '@' {
					k := j + 1
					for k < len(text) && isCommandByte(text[k]) {
						k++
					}
					if k-j-1 >= 3 {
						j = k
					}
				}
				next, _ := utf8.DecodeRuneInString(text[j:])
				if j == len(text) || !isWordRune(next) && next != '/' {
					ents = append(ents, models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Offset: pos, Length: j - i})
					pos += j - i // the command is ASCII: bytes equal UTF-16 units
					prev = rune(text[j-1])
					i = j
					continue
				}
			}
		}
		pos += runeLen16(r)
		prev = r
		i += n
	}
	return ents
}

func isCommandByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// ErrNoSuchButton is returned by PressButton when the message has no inline
// button with that callback data.
var ErrNoSuchButton = errors.New("telegramtest: no such button")

// PressButton has userID press the inline button with callback data on a
// message the bot sent, queueing a callback_query with the message
// attached. Its query id is in update.CallbackQuery.ID. A message made
// inaccessible (MakeInaccessible) comes as Telegram sends it then: an
// InaccessibleMessage with only the chat, the message id and date 0.
func (s *Server) PressButton(chatID int64, messageID int, userID int64, data string) (models.Update, error) {
	return s.press(chatID, messageID, userID, data, true)
}

// ForgeCallback queues a callback_query with any data on a message the bot
// sent, as a modified client can send it: Telegram passes callback data on
// without checking that the message has such a button.
func (s *Server) ForgeCallback(chatID int64, messageID int, userID int64, data string) (models.Update, error) {
	return s.press(chatID, messageID, userID, data, false)
}

func (s *Server) press(chatID int64, messageID int, userID int64, data string, needButton bool) (models.Update, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.msgIndex[msgKey{chatID, messageID}]
	if !ok || s.messages[i].Deleted {
		return models.Update{}, fmt.Errorf("%w: message %d in chat %d does not exist", ErrNoSuchButton, messageID, chatID)
	}
	m := s.messages[i]
	found := false
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				found = found || b.CallbackData == data
			}
		}
	}
	if needButton && !found {
		return models.Update{}, fmt.Errorf("%w: message %d in chat %d has no button %q (buttons %v)", ErrNoSuchButton, messageID, chatID, data, m.Buttons())
	}
	if len(data) > 64 {
		return models.Update{}, fmt.Errorf("telegramtest: callback data of %d bytes; Telegram carries at most 64", len(data))
	}
	msg := models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: s.modelLocked(&m)}
	if m.Inaccessible {
		msg = models.MaybeInaccessibleMessage{
			Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: s.chatLocked(chatID).chat, MessageID: m.MessageID, Date: 0},
		}
	}
	s.queryID += 7919
	id := strconv.FormatUint(s.queryID, 10)
	s.queries[id] = &queryState{}
	return s.pushLocked(models.Update{CallbackQuery: &models.CallbackQuery{
		ID:           id,
		From:         s.userLocked(userID),
		Message:      msg,
		ChatInstance: strconv.FormatInt(-chatID*7+1, 10),
		Data:         data,
	}}), nil
}

// MakeInaccessible turns a message the bot sent into one Telegram no longer
// gives the bot, as happens to messages older than about 48 hours: a button
// pressed on it comes with an InaccessibleMessage (chat and message id, date
// 0), and editing it fails with "message can't be edited".
func (s *Server) MakeInaccessible(chatID int64, messageID int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.msgIndex[msgKey{chatID, messageID}]
	if !ok {
		return fmt.Errorf("telegramtest: message %d in chat %d does not exist", messageID, chatID)
	}
	s.messages[i].Inaccessible = true
	s.notifyLocked()
	return nil
}

// AddChannel makes channelID (-100... like a supergroup) a channel. In a
// channel a button's callback comes from whoever pressed it, subscriber or
// not; set admins with SetMember.
func (s *Server) AddChannel(channelID int64, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(channelID).chat = models.Chat{ID: channelID, Type: models.ChatTypeChannel, Title: title}
}

// AddedToGroup queues the my_chat_member update of byUserID adding the bot
// to a group; the bot becomes a member there.
func (s *Server) AddedToGroup(groupID, byUserID int64) models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.chatLocked(groupID)
	st.members[s.botUser.ID] = models.ChatMemberTypeMember
	return s.memberUpdateLocked(st.chat, byUserID, models.ChatMemberTypeLeft, models.ChatMemberTypeMember)
}

// BlockedBy queues the my_chat_member update of userID blocking the bot
// ("kicked" in their private chat) and blocks sends to them, as Block does.
func (s *Server) BlockedBy(userID int64) models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[userID] = true
	return s.memberUpdateLocked(s.chatLocked(userID).chat, userID, models.ChatMemberTypeMember, models.ChatMemberTypeBanned)
}

// UnblockedBy queues the my_chat_member update of userID restarting the bot
// after blocking it, and lifts the block.
func (s *Server) UnblockedBy(userID int64) models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, userID)
	return s.memberUpdateLocked(s.chatLocked(userID).chat, userID, models.ChatMemberTypeBanned, models.ChatMemberTypeMember)
}

func (s *Server) memberUpdateLocked(chat models.Chat, byUserID int64, from, to models.ChatMemberType) models.Update {
	return s.pushLocked(models.Update{MyChatMember: &models.ChatMemberUpdated{
		Chat:          chat,
		From:          s.userLocked(byUserID),
		Date:          int(s.now().Unix()),
		OldChatMember: *chatMember(from, s.botUser),
		NewChatMember: *chatMember(to, s.botUser),
	}})
}
