package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"nashra/bot/telegramtest"
	"nashra/digest"
	"nashra/digest/arabic"
	"nashra/digest/topics"
	"nashra/subscribers"
)

// maxFollowsOfLongKeywords gives chat the most follows a reader may have,
// each a keyword of 64 Arabic letters, and returns them in the order the
// store lists them.
func maxFollowsOfLongKeywords(t *testing.T, h *harness, chat int64) []string {
	t.Helper()
	ctx := context.Background()
	// Letters Arabic normalisation leaves alone, so every keyword stays distinct.
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنو")
	for i := range h.store.MaxFollows() {
		w := []rune{letters[i/len(letters)], letters[i%len(letters)]}
		for len(w) < 64 {
			w = append(w, letters[(len(w)+i)%len(letters)])
		}
		p, ok := arabic.NewPhrase(string(w))
		if !ok {
			t.Fatalf("keyword %q refused", string(w))
		}
		if r, err := h.store.Follow(ctx, chat, subscribers.KeywordFollow(string(w), p.Key())); err != nil || r != subscribers.Added {
			t.Fatalf("follow %d: %v, %v", i, r, err)
		}
	}
	var words []string
	for _, f := range h.reader(chat).Follows {
		words = append(words, f.Keyword)
	}
	if len(words) != h.store.MaxFollows() {
		t.Fatalf("%d follows stored; want %d", len(words), h.store.MaxFollows())
	}
	return words
}

// replies sends text and collects the bot's messages until one contains
// last, failing at once if Telegram refused a message.
func (h *harness) replies(t *testing.T, u models.User, text, last string) []telegramtest.Message {
	t.Helper()
	before := len(h.srv.SentTo(u.ID))
	calls := len(h.srv.Calls("sendMessage"))
	refused := func(s telegramtest.Snapshot) string {
		for _, c := range s.CallsTo("sendMessage")[calls:] {
			if !c.OK() {
				return c.Description
			}
		}
		return ""
	}
	h.srv.SendText(u, text)
	snap, err := h.srv.WaitFor(20*time.Second, func(s telegramtest.Snapshot) bool {
		msgs := s.SentTo(u.ID)
		return refused(s) != "" || len(msgs) > before && strings.Contains(msgs[len(msgs)-1].Text, last)
	})
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	if d := refused(snap); d != "" {
		t.Fatalf("%s: Telegram refused a reply: %s", text, d)
	}
	return snap.SentTo(u.ID)[before:]
}

// A reader at every limit at once (60 follows of 64 letters) gets all of
// /mytopics and /mydata, in order, over several messages Telegram accepts.
func TestLongRepliesAreSplit(t *testing.T) {
	h := newHarness(t)
	u := telegramtest.NewUser(501, "ar")
	h.say(u, "/start")
	words := maxFollowsOfLongKeywords(t, h, u.ID)
	for _, tc := range []struct{ command, first, last string }{
		{"/mytopics", "ما تتابعه", "/unfollow"}, // "what you follow"
		{"/mydata", "ما نحفظه عنك", "/forget"},  // "what we store about you"
	} {
		t.Run(tc.command, func(t *testing.T) {
			msgs := h.replies(t, u, tc.command, tc.last)
			if len(msgs) < 2 {
				t.Errorf("%d message(s); want the reply split over several", len(msgs))
			}
			var all []string
			for _, m := range msgs {
				if n := len(utf16.Encode([]rune(m.Text))); n > digest.MaxMessageLen {
					t.Errorf("a message of %d UTF-16 units", n)
				}
				all = append(all, m.Text)
			}
			text := strings.Join(all, "\n")
			if !strings.HasPrefix(text, tc.first) {
				t.Errorf("reply starts %q; want %q first", truncated(text), tc.first)
			}
			at := 0
			for i, w := range words {
				j := strings.Index(text[at:], w)
				if j < 0 {
					t.Fatalf("follow %d (%s) missing or out of order", i, w)
				}
				at += j + len(w)
			}
		})
	}
}

func truncated(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// commandCounter counts the Redis commands the bot sends.
type commandCounter struct{ n atomic.Int64 }

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.n.Add(1)
		return next(ctx, cmd)
	}
}
func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.n.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

// A /start payload that repeats a follow hundreds of times (typed by hand:
// links carry at most 64 characters) follows each topic once, with a
// bounded number of Redis commands, and is never an error for the reader.
func TestStartPayloadRepeatsAreBounded(t *testing.T) {
	h := newHarness(t)
	counter := &commandCounter{}
	h.redis.Client.AddHook(counter)
	u := telegramtest.NewUser(502, "ar")
	payload := "site-footer" + strings.Repeat("_follow-sdf_follow-isis", 150)
	start := counter.n.Load()
	m := h.say(u, "/start "+payload)
	used := counter.n.Load() - start
	wantContains(t, m, "أهلاً بك") // "welcome"
	t.Logf("/start with 300 repeated follows: %d Redis commands", used)
	r := h.reader(u.ID)
	if got := followKeys(r); got != "t:isis,t:sdf" {
		t.Errorf("follows %q; want sdf and isis, once each", got)
	}
	if r.Source != "site-footer" {
		t.Errorf("source %q; want site-footer", r.Source)
	}
	// Claiming the update, the language, the signup and two follows take a
	// handful; 300 follows took over 300.
	if used > 30 {
		t.Errorf("/start with 300 repeated follows used %d Redis commands; want a bounded few", used)
	}

	// Every catalog topic, over and over: each once, within the limit.
	v := telegramtest.NewUser(503, "ar")
	var b strings.Builder
	b.WriteString("site")
	catalog := topics.Builtin().Topics()
	for range 3 {
		for _, tp := range catalog {
			fmt.Fprintf(&b, "_follow-%s", tp.Slug)
		}
	}
	start = counter.n.Load()
	h.say(v, "/start "+b.String())
	used = counter.n.Load() - start
	want := min(len(catalog), h.store.MaxFollows())
	if n := len(h.reader(v.ID).Follows); n != want {
		t.Errorf("%d follows from a payload naming %d topics three times; want %d", n, len(catalog), want)
	}
	if used > int64(want)+30 {
		t.Errorf("/start naming %d topics three times used %d Redis commands; want about one per topic", len(catalog), used)
	}
}
