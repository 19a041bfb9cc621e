package subscribers

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// updateTTL covers Telegram's own retention of unconfirmed updates (24 h):
// an update redelivered after a restart or by webhook retries is still
// recognised.
const updateTTL = 25 * time.Hour

// ClaimUpdate reports whether this is the first time any instance handles
// the Telegram update id. A long-polling bot that stops before confirming
// its last batch gets that batch again; the claim makes sure a reader's
// command is answered once.
func (s *Store) ClaimUpdate(ctx context.Context, updateID int64) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.prefix+"upd:"+strconv.FormatInt(updateID, 10), 1, updateTTL).Result()
	if err != nil {
		return false, fmt.Errorf("claim update %d: %w", updateID, err)
	}
	return ok, nil
}
