package outbox_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"nashra/keyspace"
	"nashra/outbox"
)

// buttons is the keyboard under a digest.
const buttons = `{"inline_keyboard":[[{"text":"⚙️ المواضيع","callback_data":"do:topics"}]]}`

// A text many readers share is stored once, not once per shard: a morning
// of 100,000 readers in 16 shards wrote each digest's text up to 16
// times. So are the buttons under it, which were most of each stream
// entry. Every reader's job still reads both.
func TestSharedTextStoredOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, r := newStore(t)
	var reqs []outbox.DigestRequest
	var chats []int64
	for i := range 40 { // 40 readers, in every shard
		chat := int64(1000 + i)
		chats = append(chats, chat)
		reqs = append(reqs, outbox.DigestRequest{ChatID: chat, NewCursor: 5, Jobs: []outbox.Job{{
			ID: fmt.Sprintf("d:%d:0-5:0", chat), ChatID: chat, Kind: "digest",
			Text: "<b>نشرة</b> الأحد", Ref: "sel:0", Priority: outbox.High, // "newsletter, Sunday"
			Markup: buttons,
		}}})
	}
	mustStart(t, r, chats...)
	ok, err := s.EnqueueDigests(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	texts := 0
	for _, k := range r.Keys(t) {
		if strings.Contains(k, "txt:") {
			texts++
		}
	}
	if texts != 1 {
		t.Errorf("the shared text is stored under %d keys; want 1", texts)
	}
	for i, j := range readAll(t, s, "c1") {
		if !ok[i] {
			t.Errorf("reader %d's digest refused", reqs[i].ChatID)
		}
		if j.Text != "" || j.Markup != "" {
			t.Errorf("job %s carries its text or buttons in the stream: %q, %q", j.ID, j.Text, j.Markup)
		}
		got, markup, err := s.JobContent(ctx, j)
		if err != nil || got != "<b>نشرة</b> الأحد" || markup != buttons {
			t.Errorf("job %s reads %q with buttons %q, %v", j.ID, got, markup, err)
		}
	}
}

// A job queued before texts were stored once finds its text where it was
// stored then, in its shard, until it expires with the job.
func TestSharedTextOfAnEarlierVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, r := newStore(t)
	chat := int64(77)
	old := keyspace.New(r.Prefix).ForChat(chat).SharedText("sel:9")
	if err := r.Client.Set(ctx, old, "<b>نشرة</b>", outbox.JobTTL).Err(); err != nil {
		t.Fatal(err)
	}
	got, markup, err := s.JobContent(ctx, outbox.Job{ID: "d:77:0-5:0", ChatID: chat, Ref: "sel:9", Markup: buttons})
	if err != nil || got != "<b>نشرة</b>" || markup != buttons {
		t.Errorf("JobContent = %q, %q, %v; want the text stored in the shard, the buttons of the entry", got, markup, err)
	}
	if _, _, err := s.JobContent(ctx, outbox.Job{ID: "d:77:0-5:1", ChatID: chat, Ref: "sel:10"}); err != outbox.ErrTextExpired {
		t.Errorf("JobContent of a text stored nowhere: %v; want ErrTextExpired", err)
	}
}
