package subscribers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"nashra/subscribers/redistest"
)

// A server loses its scripts on a restart, a failover or SCRIPT FLUSH,
// between two batches or in the middle of one: redistest.FlushRounds.

const flushReaders = 30

func TestImportAcrossScriptFlushes(t *testing.T) {
	ctx := context.Background()
	s, r := newStore(t)
	chats := redistest.FlushChats(flushReaders)
	for k, round := range redistest.FlushRounds(flushReaders / 3) {
		var lines []string
		for _, chat := range chats {
			lines = append(lines, fmt.Sprintf(`{"chat_id": %d, "follows": ["sdf"], "cursor": %d}`, chat, k+1))
		}
		fired := round.Flush(t, r)
		rep, err := s.Import(ctx, strings.NewReader(strings.Join(lines, "\n")), resolve)
		if err != nil || rep.Imported != len(chats) || rep.Rejected != 0 {
			t.Fatalf("%s: import = %+v, %v; want %d imported", round.Name, rep, err, len(chats))
		}
		if !fired() {
			t.Fatalf("%s: the script cache was not flushed during the batch", round.Name)
		}
		for _, chat := range chats {
			rd, err := s.Get(ctx, chat)
			if err != nil || rd.Cursor != int64(k+1) || followKeys(rd.Follows) != "t:sdf" {
				t.Errorf("%s: reader %d = %+v, %v; want cursor %d following sdf", round.Name, chat, rd, err, k+1)
			}
		}
	}
}
