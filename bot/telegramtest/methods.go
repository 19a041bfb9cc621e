package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

type method struct {
	name string
	fn   func(*Server, *request) answer
}

// methods are keyed by lower-case name: the Bot API ignores case.
var methods = map[string]method{}

func init() {
	for name, fn := range map[string]func(*Server, *request) answer{
		"getMe":                  (*Server).getMe,
		"getUpdates":             (*Server).getUpdates,
		"setWebhook":             (*Server).setWebhook,
		"deleteWebhook":          (*Server).deleteWebhook,
		"getWebhookInfo":         (*Server).getWebhookInfo,
		"sendMessage":            (*Server).sendMessage,
		"sendPhoto":              (*Server).sendPhoto,
		"sendChatAction":         (*Server).sendChatAction,
		"editMessageText":        (*Server).editMessageText,
		"editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
		"deleteMessage":          (*Server).deleteMessage,
		"answerCallbackQuery":    (*Server).answerCallbackQuery,
		"setMyCommands":          (*Server).setMyCommands,
		"getMyCommands":          (*Server).getMyCommands,
		"deleteMyCommands":       (*Server).deleteMyCommands,
		"getChatMember":          (*Server).getChatMember,
		"getChat":                (*Server).getChat,
	} {
		methods[strings.ToLower(name)] = method{name: name, fn: fn}
	}
}

func (s *Server) getMe(*request) answer { return okAnswer(s.botUser) }

// chatParam is the request's chat id; only numeric ids are known.
func chatParam(r *request) (int64, answer, bool) {
	if strings.TrimSpace(r.params["chat_id"]) == "" {
		return 0, badRequest("chat_id is empty"), false
	}
	if r.chatID == 0 {
		return 0, badRequest("chat not found"), false
	}
	return r.chatID, answer{}, true
}

// inferChat describes a chat the fake has not seen, from its id alone.
func (s *Server) inferChat(id int64) models.Chat {
	switch {
	case id > 0:
		u := s.userLocked(id)
		return models.Chat{ID: id, Type: models.ChatTypePrivate, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username}
	case id <= -1000000000000:
		return models.Chat{ID: id, Type: models.ChatTypeSupergroup, Title: fmt.Sprintf("Group %d", -id)}
	default:
		return models.Chat{ID: id, Type: models.ChatTypeGroup, Title: fmt.Sprintf("Group %d", -id)}
	}
}

func (s *Server) chatLocked(id int64) *chatState {
	st, ok := s.chats[id]
	if !ok {
		st = &chatState{chat: s.inferChat(id), members: map[int64]models.ChatMemberType{}}
		s.chats[id] = st
	}
	return st
}

func (s *Server) userLocked(id int64) models.User {
	if id == s.botUser.ID {
		return s.botUser
	}
	if u, ok := s.users[id]; ok {
		return u
	}
	return NewUser(id, "")
}

// renderText checks a text or caption and parses its markup.
func renderText(text, parseMode, entitiesJSON string, limit int, tooLong string) (rendered, answer, bool) {
	if !utf8.ValidString(text) {
		return rendered{}, badRequest("strings must be encoded in UTF-8"), false
	}
	if len(text) > maxRawText {
		return rendered{}, badRequest("text is too long"), false
	}
	var rd rendered
	switch strings.ToLower(parseMode) {
	case "":
		rd.text = text
		if entitiesJSON != "" {
			if err := json.Unmarshal([]byte(entitiesJSON), &rd.entities); err != nil {
				return rendered{}, badRequest("can't parse entities JSON object"), false
			}
			n := utf16Len(text)
			for _, e := range rd.entities {
				if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
					return rendered{}, badRequest("can't parse entities: entity beyond the end of the text"), false
				}
			}
		}
	case "html":
		var err error
		if rd, err = parseHTML(text); err != nil {
			return rendered{}, badRequest("can't parse entities: " + err.Error()), false
		}
	case "markdownv2", "markdown":
		rd.text = unescapeMarkdown(text)
	default:
		return rendered{}, badRequest("unsupported parse_mode"), false
	}
	if utf16Len(rd.text) > limit {
		return rendered{}, badRequest(tooLong), false
	}
	return rd, answer{}, true
}

// replyMarkup decodes reply_markup; only inline keyboards are kept.
func replyMarkup(p map[string]string) (*models.InlineKeyboardMarkup, answer, bool) {
	raw := p["reply_markup"]
	if raw == "" {
		return nil, answer{}, true
	}
	var m struct {
		InlineKeyboard *[][]models.InlineKeyboardButton `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object"), false
	}
	if m.InlineKeyboard == nil {
		return nil, answer{}, true
	}
	for _, row := range *m.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return nil, badRequest("BUTTON_TEXT_INVALID"), false
			}
			if len(b.CallbackData) > 64 {
				return nil, badRequest("BUTTON_DATA_INVALID"), false
			}
			if b.URL != "" {
				u, err := url.Parse(b.URL)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tg") || (u.Scheme != "tg" && u.Host == "") {
					return nil, badRequest(fmt.Sprintf("inline keyboard button URL '%s' is invalid: Wrong HTTP URL", b.URL)), false
				}
			}
			if b.CallbackData == "" && b.URL == "" && b.WebApp == nil && b.LoginURL == nil &&
				b.SwitchInlineQuery == "" && b.SwitchInlineQueryCurrentChat == "" &&
				b.SwitchInlineQueryChosenChat == nil && b.CopyText.Text == "" && b.CallbackGame == nil && !b.Pay {
				return nil, badRequest("text buttons are unallowed in the inline keyboard"), false
			}
		}
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: *m.InlineKeyboard}, answer{}, true
}

func linkPreview(p map[string]string) (*models.LinkPreviewOptions, answer, bool) {
	raw := p["link_preview_options"]
	if raw == "" {
		return nil, answer{}, true
	}
	var o models.LinkPreviewOptions
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		return nil, badRequest("can't parse link preview options JSON object"), false
	}
	return &o, answer{}, true
}

func (s *Server) addMessageLocked(m Message) *Message {
	st := s.chatLocked(m.ChatID)
	st.lastMsgID++
	m.MessageID = st.lastMsgID
	m.Date = s.now()
	s.messages = append(s.messages, m)
	s.msgIndex[msgKey{m.ChatID, m.MessageID}] = len(s.messages) - 1
	s.sentTo[m.ChatID]++
	s.notifyLocked()
	return &s.messages[len(s.messages)-1]
}

// modelLocked is the message as the Bot API returns it.
func (s *Server) modelLocked(m *Message) *models.Message {
	bu := s.botUser
	out := &models.Message{
		ID:                 m.MessageID,
		From:               &bu,
		Date:               int(m.Date.Unix()),
		Chat:               s.chatLocked(m.ChatID).chat,
		ReplyMarkup:        m.ReplyMarkup,
		LinkPreviewOptions: m.LinkPreview,
	}
	if !m.EditDate.IsZero() {
		out.EditDate = int(m.EditDate.Unix())
	}
	if m.Method == "sendPhoto" {
		out.Caption, out.CaptionEntities = m.Text, m.Entities
		id := fmt.Sprintf("AgACAgQAAxkDAAI%d_%d", -m.ChatID, m.MessageID)
		for i, w := range []int{90, 320, 800} {
			out.Photo = append(out.Photo, models.PhotoSize{
				FileID: id + "_" + strconv.Itoa(i), FileUniqueID: fmt.Sprintf("AQAD%d%d", m.MessageID, i),
				Width: w, Height: w * 3 / 4, FileSize: len(m.Photo) * (i + 1) / 3,
			})
		}
	} else {
		out.Text, out.Entities = m.Text, m.Entities
	}
	return out
}

func (s *Server) sendMessage(r *request) answer {
	chatID, a, ok := chatParam(r)
	if !ok {
		return a
	}
	text := r.params["text"]
	if strings.TrimSpace(text) == "" {
		return badRequest("message text is empty")
	}
	rd, a, ok := renderText(text, r.params["parse_mode"], r.params["entities"], maxTextLen, "message is too long")
	if !ok {
		return a
	}
	if strings.TrimSpace(rd.text) == "" {
		return badRequest("message text is empty")
	}
	markup, a, ok := replyMarkup(r.params)
	if !ok {
		return a
	}
	lp, a, ok := linkPreview(r.params)
	if !ok {
		return a
	}
	paid := paidParam(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.admitLocked(chatID, paid); !ok {
		return a
	}
	s.checkLayoutLocked(r.method, rd.text)
	m := s.addMessageLocked(Message{
		ChatID: chatID, Method: r.method, Text: rd.text, Raw: text, ParseMode: r.params["parse_mode"],
		Entities: rd.entities, ReplyMarkup: markup, LinkPreview: lp, PaidBroadcast: paid,
	})
	return okAnswer(s.modelLocked(m))
}

func (s *Server) sendPhoto(r *request) answer {
	chatID, a, ok := chatParam(r)
	if !ok {
		return a
	}
	m := Message{ChatID: chatID, Method: r.method, ParseMode: r.params["parse_mode"]}
	if f, ok := r.files["photo"]; ok {
		if len(f.Data) == 0 {
			return badRequest("file must be non-empty")
		}
		m.Photo, m.PhotoName = f.Data, f.Name
	} else if m.PhotoRef = r.params["photo"]; m.PhotoRef == "" {
		return badRequest("there is no photo in the request")
	}
	m.Raw = r.params["caption"]
	rd, a, ok := renderText(m.Raw, m.ParseMode, r.params["caption_entities"], maxCaptionLen, "message caption is too long")
	if !ok {
		return a
	}
	m.Text, m.Entities = rd.text, rd.entities
	if m.ReplyMarkup, a, ok = replyMarkup(r.params); !ok {
		return a
	}
	m.PaidBroadcast = paidParam(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.admitLocked(chatID, m.PaidBroadcast); !ok {
		return a
	}
	s.checkLayoutLocked(r.method, m.Text)
	return okAnswer(s.modelLocked(s.addMessageLocked(m)))
}

// paidParam reads allow_paid_broadcast as the Bot API does: true, True or
// 1 (anything else is false).
func paidParam(r *request) bool {
	switch strings.ToLower(r.params["allow_paid_broadcast"]) {
	case "true", "1":
		return true
	}
	return false
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true,
	"find_location": true, "record_video_note": true, "upload_video_note": true,
}

func (s *Server) sendChatAction(r *request) answer {
	if _, a, ok := chatParam(r); !ok {
		return a
	}
	if !chatActions[r.params["action"]] {
		return badRequest("wrong parameter action in request")
	}
	return okAnswer(true)
}

// editTarget finds the message an edit or delete names; a message Telegram
// no longer gives the bot is refused with cannot.
func (s *Server) editTargetLocked(r *request, notFound, cannot string) (int, answer, bool) {
	if r.params["inline_message_id"] != "" {
		return 0, badRequest("MESSAGE_ID_INVALID"), false
	}
	chatID, a, ok := chatParam(r)
	if !ok {
		return 0, a, false
	}
	id, present, err := int64Param(r.params, "message_id")
	if !present || err != nil {
		return 0, badRequest("message identifier is not specified"), false
	}
	i, ok := s.msgIndex[msgKey{chatID, int(id)}]
	if !ok || s.messages[i].Deleted {
		return 0, badRequest(notFound), false
	}
	if s.messages[i].Inaccessible {
		return 0, badRequest(cannot), false
	}
	return i, answer{}, true
}

func sameMarkup(a, b *models.InlineKeyboardMarkup) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func sameEntities(a, b []models.MessageEntity) bool {
	return len(a) == 0 && len(b) == 0 || reflect.DeepEqual(a, b)
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

// editMessageText replaces the text; like Telegram, an edit without
// reply_markup removes the inline keyboard.
func (s *Server) editMessageText(r *request) answer {
	text := r.params["text"]
	if strings.TrimSpace(text) == "" {
		return badRequest("message text is empty")
	}
	rd, a, ok := renderText(text, r.params["parse_mode"], r.params["entities"], maxTextLen, "MESSAGE_TOO_LONG")
	if !ok {
		return a
	}
	markup, a, ok := replyMarkup(r.params)
	if !ok {
		return a
	}
	lp, a, ok := linkPreview(r.params)
	if !ok {
		return a
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, a, ok := s.editTargetLocked(r, "message to edit not found", "message can't be edited")
	if !ok {
		return a
	}
	m := s.messages[i]
	if m.Method != "sendMessage" {
		return badRequest("there is no text in the message to edit")
	}
	if m.Text == rd.text && sameEntities(m.Entities, rd.entities) && sameMarkup(m.ReplyMarkup, markup) {
		return badRequest(notModified)
	}
	s.checkLayoutLocked(r.method, rd.text)
	m.Text, m.Raw, m.ParseMode, m.Entities, m.ReplyMarkup = rd.text, text, r.params["parse_mode"], rd.entities, markup
	if lp != nil {
		m.LinkPreview = lp
	}
	return s.editedLocked(i, m)
}

// editedLocked stores message i as edited into m and answers with it.
func (s *Server) editedLocked(i int, m Message) answer {
	m.Edits++
	m.EditDate = s.now()
	s.messages[i] = m
	s.notifyLocked()
	return okAnswer(s.modelLocked(&m))
}

func (s *Server) editMessageReplyMarkup(r *request) answer {
	markup, a, ok := replyMarkup(r.params)
	if !ok {
		return a
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, a, ok := s.editTargetLocked(r, "message to edit not found", "message can't be edited")
	if !ok {
		return a
	}
	m := s.messages[i]
	if sameMarkup(m.ReplyMarkup, markup) {
		return badRequest(notModified)
	}
	m.ReplyMarkup = markup
	return s.editedLocked(i, m)
}

func (s *Server) deleteMessage(r *request) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, a, ok := s.editTargetLocked(r, "message to delete not found", "message can't be deleted for everyone")
	if !ok {
		return a
	}
	m := s.messages[i]
	m.Deleted = true
	s.messages[i] = m
	s.notifyLocked()
	return okAnswer(true)
}

// CallbackAnswer is the bot's answer to a button press.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
}

// CallbackAnswer returns the answer given to a query made by PressButton.
func (s *Server) CallbackAnswer(queryID string) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queries[queryID]
	if !ok || !q.answered {
		return CallbackAnswer{}, false
	}
	return q.answer, true
}

func (s *Server) answerCallbackQuery(r *request) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queries[r.params["callback_query_id"]]
	if !ok || q.answered {
		return badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	text := r.params["text"]
	if utf16Len(text) > 200 {
		return badRequest("MESSAGE_TOO_LONG")
	}
	ct, _, _ := int64Param(r.params, "cache_time")
	s.checkLayoutLocked(r.method, text)
	q.answered = true
	q.answer = CallbackAnswer{Text: text, ShowAlert: boolParam(r.params, "show_alert"), URL: r.params["url"], CacheTime: int(ct)}
	s.notifyLocked()
	return okAnswer(true)
}

var scopeTypes = map[string]bool{
	"default": true, "all_private_chats": true, "all_group_chats": true, "all_chat_administrators": true,
	"chat": true, "chat_administrators": true, "chat_member": true,
}

// commandsKey names the commands list of a scope (JSON, "" for default)
// and a language code.
func commandsKey(scopeJSON, lang string) (string, error) {
	scope := "default"
	if scopeJSON != "" {
		var sc struct {
			Type   string          `json:"type"`
			ChatID json.RawMessage `json:"chat_id"`
			UserID int64           `json:"user_id"`
		}
		if err := json.Unmarshal([]byte(scopeJSON), &sc); err != nil || !scopeTypes[sc.Type] {
			return "", fmt.Errorf("unsupported bot command scope type")
		}
		chat := strings.Trim(string(sc.ChatID), `"`)
		if strings.HasPrefix(sc.Type, "chat") && chat == "" {
			return "", fmt.Errorf("chat_id is empty")
		}
		if sc.Type == "chat_member" && sc.UserID == 0 {
			return "", fmt.Errorf("user_id is empty")
		}
		scope = fmt.Sprintf("%s:%s:%d", sc.Type, chat, sc.UserID)
	}
	if lang != "" && (len(lang) != 2 || strings.ToLower(lang) != lang) {
		return "", fmt.Errorf("invalid language code specified")
	}
	return scope + "|" + lang, nil
}

// Commands returns what setMyCommands stored for a scope (nil: default)
// and language code ("" for all languages).
func (s *Server) Commands(scope models.BotCommandScope, languageCode string) []models.BotCommand {
	var raw string
	if scope != nil {
		b, err := scope.MarshalCustom()
		if err != nil {
			return nil
		}
		raw = string(b)
	}
	key, err := commandsKey(raw, languageCode)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]models.BotCommand(nil), s.commands[key]...)
}

func (s *Server) setMyCommands(r *request) answer {
	key, err := commandsKey(r.params["scope"], r.params["language_code"])
	if err != nil {
		return badRequest(err.Error())
	}
	var cmds []models.BotCommand
	if err := json.Unmarshal([]byte(r.params["commands"]), &cmds); err != nil {
		return badRequest("can't parse commands JSON array")
	}
	if len(cmds) > 100 {
		return badRequest("too many commands specified")
	}
	for _, c := range cmds {
		if !validCommand(c.Command) {
			return badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf16Len(strings.TrimSpace(c.Description)); n == 0 || n > 256 {
			return badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[key] = cmds
	s.notifyLocked()
	return okAnswer(true)
}

func validCommand(c string) bool {
	if c == "" || len(c) > 32 {
		return false
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_') {
			return false
		}
	}
	return true
}

func (s *Server) getMyCommands(r *request) answer {
	key, err := commandsKey(r.params["scope"], r.params["language_code"])
	if err != nil {
		return badRequest(err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmds := s.commands[key]
	if cmds == nil {
		cmds = []models.BotCommand{}
	}
	return okAnswer(cmds)
}

func (s *Server) deleteMyCommands(r *request) answer {
	key, err := commandsKey(r.params["scope"], r.params["language_code"])
	if err != nil {
		return badRequest(err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, key)
	s.notifyLocked()
	return okAnswer(true)
}

// SetMember sets a user's status in a chat, as getChatMember reports it
// ("creator", "administrator", "member", "restricted", "left", "kicked").
// Users not set are members.
func (s *Server) SetMember(chatID, userID int64, status models.ChatMemberType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chatID).members[userID] = status
}

func chatMember(status models.ChatMemberType, u models.User) *models.ChatMember {
	m := &models.ChatMember{Type: status}
	switch status {
	case models.ChatMemberTypeOwner:
		m.Owner = &models.ChatMemberOwner{Status: status, User: &u}
	case models.ChatMemberTypeAdministrator:
		m.Administrator = &models.ChatMemberAdministrator{Status: status, User: u, CanManageChat: true,
			CanDeleteMessages: true, CanRestrictMembers: true, CanInviteUsers: true, CanPinMessages: true}
	case models.ChatMemberTypeRestricted:
		m.Restricted = &models.ChatMemberRestricted{Status: status, User: &u, IsMember: true}
	case models.ChatMemberTypeLeft:
		m.Left = &models.ChatMemberLeft{Status: status, User: &u}
	case models.ChatMemberTypeBanned:
		m.Banned = &models.ChatMemberBanned{Status: status, User: &u}
	default:
		m.Type = models.ChatMemberTypeMember
		m.Member = &models.ChatMemberMember{Status: m.Type, User: &u}
	}
	return m
}

func (s *Server) getChatMember(r *request) answer {
	chatID, a, ok := chatParam(r)
	if !ok {
		return a
	}
	userID, present, err := int64Param(r.params, "user_id")
	if !present || err != nil || userID <= 0 {
		return badRequest("invalid user_id specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if chatID > 0 && chatID != userID && userID != s.botUser.ID {
		return badRequest("user not found")
	}
	status, ok := s.chatLocked(chatID).members[userID]
	if !ok {
		status = models.ChatMemberTypeMember
	}
	return okAnswer(chatMember(status, s.userLocked(userID)))
}

func (s *Server) getChat(r *request) answer {
	chatID, a, ok := chatParam(r)
	if !ok {
		return a
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID).chat
	return okAnswer(models.ChatFullInfo{
		ID: c.ID, Type: c.Type, Title: c.Title, Username: c.Username,
		FirstName: c.FirstName, LastName: c.LastName, MaxReactionCount: 11,
	})
}

// Webhook is what setWebhook stored.
type Webhook struct {
	URL            string
	SecretToken    string
	AllowedUpdates []string
	MaxConnections int
}

// Webhook returns the webhook set, URL empty when none.
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	w.AllowedUpdates = append([]string(nil), w.AllowedUpdates...)
	return w
}

func validSecret(t string) bool {
	for i := 0; i < len(t); i++ {
		b := t[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}

func (s *Server) setWebhook(r *request) answer {
	raw := r.params["url"]
	if raw == "" {
		return s.deleteWebhook(r)
	}
	if u, err := url.Parse(raw); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return badRequest("bad webhook: invalid webhook URL specified")
	}
	secret := r.params["secret_token"]
	if len(secret) > 256 {
		return badRequest("secret token is too long")
	}
	if !validSecret(secret) {
		return badRequest("secret token contains unallowed characters")
	}
	var allowed []string
	if au := r.params["allowed_updates"]; au != "" {
		if err := json.Unmarshal([]byte(au), &allowed); err != nil {
			return badRequest("can't parse allowed updates JSON array")
		}
	}
	maxConn := 40
	if v, present, err := int64Param(r.params, "max_connections"); present {
		if err != nil || v < 1 || v > 100 {
			return badRequest("bad webhook: max_connections must be between 1 and 100")
		}
		maxConn = int(v)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	desc := "Webhook was set"
	if s.webhook.URL == raw {
		desc = "Webhook is already set"
	}
	s.webhook = Webhook{URL: raw, SecretToken: secret, AllowedUpdates: allowed, MaxConnections: maxConn}
	if _, ok := r.params["allowed_updates"]; ok {
		s.allowed = allowed
	}
	if boolParam(r.params, "drop_pending_updates") {
		s.queue = nil
	}
	s.notifyLocked()
	return okAnswerDescribed(true, desc)
}

func (s *Server) deleteWebhook(r *request) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	desc := "Webhook was deleted"
	if s.webhook.URL == "" {
		desc = "Webhook is already deleted"
	}
	s.webhook = Webhook{}
	if boolParam(r.params, "drop_pending_updates") {
		s.queue = nil
	}
	s.notifyLocked()
	return okAnswerDescribed(true, desc)
}

func (s *Server) getWebhookInfo(*request) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := models.WebhookInfo{URL: s.webhook.URL, PendingUpdateCount: len(s.queue), AllowedUpdates: s.webhook.AllowedUpdates}
	if info.URL != "" {
		info.MaxConnections = s.webhook.MaxConnections
	}
	return okAnswer(info)
}
