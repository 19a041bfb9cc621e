package digest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"nashra/subscribers"
)

// Readers in every shard who follow the same thing share one digest: a
// run stores its text once, not once per batch of readers (each shard's
// readers are queued in batches of their own). The batches queued at the
// same moment as the first (two workers) store it too: a batch leaves the
// text out only once it is certainly stored. Every reader gets it.
func TestOneRunStoresASharedTextOnce(t *testing.T) {
	t.Parallel()
	e := newBuildEnv(t)
	e.add(t, "a1", "قسد تعلن حظر تجوال", true, "sdf") // "SDF declares a curfew"
	for chat := int64(1); chat <= 48; chat++ {        // three readers in each of the 16 shards
		e.reader(t, chat, subscribers.TopicFollow("sdf"))
	}
	writes := e.r.Count(func(c redis.Cmder) bool {
		args := c.Args()
		return strings.EqualFold(c.Name(), "hset") && len(args) > 1 && strings.Contains(args[1].(string), "txt:")
	})
	e.now = e.now.Add(2 * time.Hour)
	if res := e.run(t); res.Queued != 48 {
		t.Fatalf("%+v; want 48 digests queued", res)
	}
	if n := writes.Load(); n < 1 || n > 2 {
		t.Errorf("the shared digest's text was stored %d times; want once, or twice by two batches at once", n)
	}
	jobs := e.queued(t)
	if len(jobs) != 48 {
		t.Fatalf("%d jobs queued; want 48", len(jobs))
	}
	for _, j := range jobs {
		if !strings.Contains(j.Text, "حظر تجوال") || !strings.Contains(j.Markup, "inline_keyboard") {
			t.Errorf("reader %d's digest: %q, buttons %q", j.ChatID, j.Text, j.Markup)
		}
	}
}
