package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"nashra/broadcasts"
	"nashra/digest/topics"
)

func TestBroadcastBodyAndTarget(t *testing.T) {
	tests := []struct {
		text, args   string
		target, body string
	}{
		{"/broadcast hello  there\nline two", "hello there\nline two", "", "hello  there\nline two"},
		{"/broadcast@nashra_bot #sdf  بيان", "#sdf بيان", "sdf", "بيان"}, // "statement"
		{"/broadcast #قسد", "#قسد", "قسد", ""},                           // SDF, nothing else: the reply's text is used
		{"/broadcast", "", "", ""},
		{"  /broadcast\n\nhello", "hello", "", "hello"},
	}
	for _, tt := range tests {
		target, body := splitTarget(broadcastBody(tt.args, &models.Message{Text: tt.text}))
		if target != tt.target || body != tt.body {
			t.Errorf("%q: target %q, body %q; want %q, %q", tt.text, target, body, tt.target, tt.body)
		}
	}
}

func TestProgressView(t *testing.T) {
	b := &Bot{catalog: topics.Builtin()}
	start := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	bc := broadcasts.Broadcast{ID: 7, Status: broadcasts.Running, Topic: "sdf", Started: start, Total: 1000}
	p := broadcasts.Progress{Total: 1000, Sent: 180, Blocked: 20, Skipped: 0}
	text, kb := b.progressView("en", bc, p, start.Add(40*time.Second))
	for _, want := range []string{"<b>Broadcast #7</b> — sending", "Sent: 180", "Blocked the bot: 20", "Failed: 0", "Unknown: 0",
		"Remaining: 800 of 1000", "ETA ≈ 2:40"} {
		if !strings.Contains(text, want) {
			t.Errorf("running view %q lacks %q", text, want)
		}
	}
	if strings.Contains(text, "Skipped") {
		t.Errorf("running view %q shows an empty skipped line", text)
	}
	if kb == nil || len(kb.InlineKeyboard[0]) != 2 || kb.InlineKeyboard[0][0].CallbackData != "bc:pause:7" {
		t.Errorf("running keyboard %+v; want pause and cancel", kb)
	}

	bc.Status = broadcasts.Cancelled
	p = broadcasts.Progress{Total: 1000, Sent: 180, Blocked: 20, Skipped: 30, Cancelled: 770}
	text, kb = b.progressView("ar", bc, p, start.Add(time.Hour))
	for _, want := range []string{"أُلغيت", "✅ أُرسلت: 180", "⏭ تُخطّيت: 30", "لم تُرسل بسبب الإلغاء: 770", "«قوات سوريا الديمقراطية»"} {
		if !strings.Contains(text, want) {
			t.Errorf("cancelled view %q lacks %q", text, want)
		}
	}
	if kb != nil {
		t.Errorf("cancelled view has buttons %+v", kb)
	}
}

func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00", 59 * time.Second: "0:59", 90 * time.Second: "1:30",
		3*time.Hour + 5*time.Minute + 9*time.Second: "3:05:09", -time.Second: "0:00",
	} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q; want %q", d, got, want)
		}
	}
}
