package bot

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"nashra/broadcasts"
	"nashra/digest"
	"nashra/digest/topics"
	"nashra/subscribers"
)

// The kinds route unambiguously: each names one handler, and no button's
// data can start with two of them.
func TestCallbackKindsAreUnambiguous(t *testing.T) {
	b := &Bot{catalog: topics.Builtin()}
	routes := b.callbacks()
	seen := map[string]bool{}
	for _, r := range routes {
		switch {
		case r.kind == "":
			t.Errorf("a route without a kind (%q)", r.what)
		case strings.Contains(r.kind, ":"):
			t.Errorf("kind %q holds the separator ':'", r.kind)
		case seen[r.kind]:
			t.Errorf("kind %q is routed twice", r.kind)
		}
		seen[r.kind] = true
		if r.handle == nil || r.what == "" {
			t.Errorf("kind %q: handler %v, description %q; want both", r.kind, r.handle != nil, r.what)
		}
	}
	for _, a := range routes {
		for _, z := range routes {
			if a.kind != z.kind && strings.HasPrefix(z.kind+":", a.kind+":") {
				t.Errorf("data of kind %q also starts with kind %q's prefix", z.kind, a.kind)
			}
		}
	}
}

// keyboards builds every keyboard the bot sends, in both languages, with
// the longest arguments they can carry.
func keyboards(t *testing.T, b *Bot) map[string]*models.InlineKeyboardMarkup {
	t.Helper()
	var all []subscribers.Follow
	for _, topic := range b.catalog.Topics() {
		all = append(all, subscribers.TopicFollow(topic.Slug))
	}
	// Keyword keys of every length a follow can have (MaxTopicRunes runes
	// of up to 4 bytes): short ones ride in the data, long ones are hashed.
	for n := 1; n <= 4*MaxTopicRunes; n++ {
		k := strings.Repeat("k", n)
		all = append(all, subscribers.KeywordFollow(k, k))
	}
	long := strings.Repeat("ع", MaxTopicRunes)
	all = append(all, subscribers.KeywordFollow(long, long))
	kbs := map[string]*models.InlineKeyboardMarkup{"lang": langKeyboard()}
	maxID := int64(math.MaxInt64)
	for _, lang := range []string{"ar", "en"} {
		pages := b.topicsPages()
		for i := range pages {
			_, kbs[fmt.Sprintf("topics page %d/%s", i+1, lang)] = b.topicsView(lang, all, pages, i)
		}
		kbs["unfollow/"+lang] = b.unfollowKeyboard(lang, all)
		kbs["time/"+lang] = timeKeyboard(lang)
		kbs["forget/"+lang] = forgetKeyboard(lang)
		kbs["pause/"+lang] = pauseKeyboard(lang, true)
		kbs["resume/"+lang] = resumeKeyboard(lang)
		kbs["unsubscribe/"+lang] = stopKeyboard(lang)
		kbs["start/"+lang] = startKeyboard(lang)
		// Under plain text: every topic, and a keyword of the longest
		// words by the token its offer gets.
		var follow [][]models.InlineKeyboardButton
		for _, topic := range b.catalog.Topics() {
			follow = append(follow, []models.InlineKeyboardButton{followTopicButton(lang, topic)})
		}
		follow = append(follow, []models.InlineKeyboardButton{followKeywordButton(lang, long, "0123456789ab")})
		kbs["plain text/"+lang] = &models.InlineKeyboardMarkup{InlineKeyboard: follow}
		// The longest undo: the longest chat ID, a pause ending in 2286.
		kbs["undo/"+lang] = undoKeyboard(lang, math.MinInt64, subscribers.Standing{Status: subscribers.Paused, PausedUntil: time.Unix(9999999999, 0)})
		kbs["broadcast preview/"+lang] = confirmKeyboard(lang, maxID)
		for _, st := range []broadcasts.Status{broadcasts.Running, broadcasts.Paused} {
			_, kb := b.progressView(lang, broadcasts.Broadcast{ID: maxID, Status: st, Topic: "sdf"}, broadcasts.Progress{}, time.Now())
			kbs["broadcast "+string(st)+"/"+lang] = kb
		}
		var under models.InlineKeyboardMarkup
		if err := json.Unmarshal([]byte(digest.Buttons(lang)), &under); err != nil {
			t.Fatalf("digest buttons %s: %v", lang, err)
		}
		kbs["digest/"+lang] = &under
		for _, on := range []bool{true, false} {
			_, kb := b.breakingView(lang, on)
			kbs[fmt.Sprintf("breaking %v/%s", on, lang)] = kb
			alert, err := alertKeyboard(lang, on)
			if err != nil {
				t.Fatal(err)
			}
			kbs[fmt.Sprintf("alert %v/%s", on, lang)] = alert
		}
	}
	return kbs
}

// Every button the bot builds reaches a handler, within Telegram's 64
// bytes of callback data.
func TestEveryButtonRoutes(t *testing.T) {
	b := &Bot{catalog: topics.Builtin()}
	used := map[string]bool{}
	for name, kb := range keyboards(t, b) {
		if kb == nil || len(kb.InlineKeyboard) == 0 {
			t.Errorf("%s: no keyboard", name)
			continue
		}
		for _, row := range kb.InlineKeyboard {
			for _, btn := range row {
				data := btn.CallbackData
				if data == "" || len(data) > 64 {
					t.Errorf("%s: button %q carries %d bytes %q; want 1 to 64", name, btn.Text, len(data), data)
				}
				r, arg, ok := b.route(data)
				if !ok {
					t.Errorf("%s: button %q (%q) reaches no handler", name, btn.Text, data)
					continue
				}
				used[r.kind] = true
				switch r.kind {
				case cbTopic:
					if _, ok := b.catalog.Get(arg); !ok {
						t.Errorf("%s: %q names no topic", name, data)
					}
				case cbTopicPage:
					if _, ok := pageByID(b.topicsPages(), arg); !ok {
						t.Errorf("%s: %q names no page of /topics", name, data)
					}
				case cbTime:
					if _, ok := parseTime(arg); !ok {
						t.Errorf("%s: %q is no time /time understands", name, data)
					}
				case cbFollow:
					slug, isTopic := strings.CutPrefix(arg, followTopicArg)
					token, isKeyword := strings.CutPrefix(arg, followKeywordArg)
					switch {
					case isTopic:
						if _, ok := b.catalog.Get(slug); !ok {
							t.Errorf("%s: %q names no topic", name, data)
						}
					case !isKeyword || len(token) != 12:
						t.Errorf("%s: %q follows neither a topic nor an offer", name, data)
					}
				case cbStart:
					if !slices.Contains([]string{startTopics, startTime, startLatest}, arg) {
						t.Errorf("%s: %q is no button of /start", name, data)
					}
				case cbStop:
					if undo, ok := strings.CutPrefix(arg, stopUndo+":"); ok {
						if _, _, ok := parseUndo(undo); !ok {
							t.Errorf("%s: %q is no undo the handler reads", name, data)
						}
					}
				case digest.AlertButtonKind:
					known := []string{callbackData(r.kind, breakingArgOn), callbackData(r.kind, breakingArgOff), digest.AlertButtonMute, digest.AlertButtonUnmute}
					if !slices.Contains(known, data) {
						t.Errorf("%s: %q is no breaking news button", name, data)
					}
				}
			}
		}
	}
	for _, r := range b.callbacks() {
		if !used[r.kind] {
			t.Errorf("kind %q (%s) is routed but no keyboard carries it", r.kind, r.what)
		}
	}
}

// Button data is made only through the table's kinds: no literal prefix
// in a keyboard can drift from the routes.
func TestButtonsUseTheCallbackKinds(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	makers := map[string]bool{"callbackData": true, "bcData": true}
	fset := gotoken.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if key, ok := kv.Key.(*ast.Ident); !ok || key.Name != "CallbackData" {
				return true
			}
			var fn *ast.Ident
			if call, ok := kv.Value.(*ast.CallExpr); ok {
				fn, _ = call.Fun.(*ast.Ident)
			}
			if fn == nil || !makers[fn.Name] {
				t.Errorf("%s: CallbackData set without callbackData (%s)", fset.Position(kv.Pos()), name)
			}
			return true
		})
	}
}
