package digest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"nashra/outbox"
	"nashra/subscribers"
)

// A pause for a while ends in the first run at or after its end: the
// reader is told in their language, then gets the digest their schedule
// brought during the pause. A dry run ends nothing; a pause with no end
// never ends.
func TestPauseEndsInTheBuilder(t *testing.T) {
	ctx := context.Background()
	e := newBuildEnv(t) // 07:00 Damascus
	e.reader(t, 1, subscribers.TopicFollow("sdf"))
	e.reader(t, 2, subscribers.TopicFollow("sdf"))
	e.reader(t, 3, subscribers.TopicFollow("sdf"))
	if err := e.readers.SetLang(ctx, 2, "en"); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(2 * time.Hour) // 09:00: paused for a day
	end := e.now.Add(24 * time.Hour)
	for chat, until := range map[int64]time.Time{1: end, 2: end, 3: {}} {
		if _, _, err := e.readers.ChangeStatus(ctx, chat, subscribers.StatusChange{To: subscribers.Paused, Reason: "pause", Until: until}); err != nil {
			t.Fatal(err)
		}
	}
	e.add(t, "a1", "sdf during the pause", true, "sdf")

	e.now = time.Date(2026, 11, 29, 8, 0, 0, 0, damascus) // the digest time, during the pause
	if res := e.run(t); res.Resumed != 0 || res.Queued != 0 {
		t.Errorf("at the digest time during the pause: %+v; want nothing", res)
	}
	e.now = end
	if res, err := e.builder.Run(ctx, true); err != nil || res.Resumed != 0 || len(res.Digests) != 0 {
		t.Errorf("dry run at the end: %+v, %v; want nothing ended", res, err)
	}
	res := e.run(t)
	if res.Resumed != 2 || res.Queued != 2 {
		t.Fatalf("run at the end: %+v; want two readers resumed and their digests queued", res)
	}
	byChat := map[int64][]outbox.Job{}
	for _, j := range e.queued(t) {
		byChat[j.ChatID] = append(byChat[j.ChatID], j)
	}
	for chat, want := range map[int64]string{1: "انتهى الإيقاف المؤقت", 2: "Your pause is over"} { // "the pause is over"
		jobs := byChat[chat]
		if len(jobs) != 2 || jobs[0].Kind != "notice" || !strings.Contains(jobs[0].Text, want) || jobs[1].Kind != "digest" {
			t.Errorf("chat %d got %+v; want the notice %q, then the digest", chat, jobs, want)
		}
	}
	if len(byChat[3]) != 0 {
		t.Errorf("a pause with no end ended: %+v", byChat[3])
	}
	e.now = end.Add(time.Minute)
	if res := e.run(t); res.Resumed != 0 {
		t.Errorf("the next run resumed %d; want none (told once)", res.Resumed)
	}
}
