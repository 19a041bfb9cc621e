package articles

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"nashra/redact"
)

// FeedState is what is remembered about polling one feed: the validators
// for the next conditional GET, and its health.
type FeedState struct {
	URL          string
	ETag         string
	LastModified string
	LastOK       time.Time // last successful fetch (200 or 304)
	LastAttempt  time.Time
	NextPoll     time.Time // not before this time (backoff after failures)
	Failures     int       // consecutive failures
	LastError    string
	Polls        int64 // successful polls so far; 0 means never polled
}

// FeedState returns the state of the feed at url (zero for a new feed).
func (s *Store) FeedState(ctx context.Context, url string) (FeedState, error) {
	h, err := s.rdb.HGetAll(ctx, s.feedKey(url)).Result()
	if err != nil {
		return FeedState{}, fmt.Errorf("feed state of %s: %w", redact.URL(url), err)
	}
	st := FeedState{URL: url, ETag: h["etag"], LastModified: h["last_modified"], LastError: h["last_error"]}
	st.LastOK = unix(h["last_ok"])
	st.LastAttempt = unix(h["last_attempt"])
	st.NextPoll = unix(h["next_poll"])
	st.Failures, _ = strconv.Atoi(h["failures"])
	st.Polls, _ = strconv.ParseInt(h["polls"], 10, 64)
	return st, nil
}

// SaveFeedState records the state of st.URL.
func (s *Store) SaveFeedState(ctx context.Context, st FeedState) error {
	err := s.rdb.HSet(ctx, s.feedKey(st.URL),
		"url", st.URL, "etag", st.ETag, "last_modified", st.LastModified,
		"last_ok", unixOrZero(st.LastOK), "last_attempt", unixOrZero(st.LastAttempt),
		"next_poll", unixOrZero(st.NextPoll), "failures", st.Failures,
		"last_error", st.LastError, "polls", st.Polls).Err()
	if err != nil {
		return fmt.Errorf("save feed state of %s: %w", redact.URL(st.URL), err)
	}
	return nil
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// FeedStates returns the state of every feed in urls, in order.
func (s *Store) FeedStates(ctx context.Context, urls []string) ([]FeedState, error) {
	out := make([]FeedState, 0, len(urls))
	for _, u := range urls {
		st, err := s.FeedState(ctx, u)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}
