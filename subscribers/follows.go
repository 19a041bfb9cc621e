package subscribers

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Follow is one thing a reader follows: a catalog topic or a free keyword.
type Follow struct {
	// Topic is the catalog slug, empty for a keyword.
	Topic string
	// Keyword is the reader's words as they typed them, empty for a topic.
	Keyword string
	// Key identifies the follow: "t:<slug>" or "k:<normalised words>". Two
	// spellings of one keyword share a key, so they are one follow.
	Key string
}

// TopicFollow follows a catalog topic.
func TopicFollow(slug string) Follow { return Follow{Topic: slug, Key: "t:" + slug} }

// KeywordFollow follows free words; key is their normalised form.
func KeywordFollow(words, key string) Follow {
	return Follow{Keyword: words, Key: "k:" + key}
}

func decodeFollows(h map[string]string) []Follow {
	out := make([]Follow, 0, len(h))
	for key, label := range h {
		switch {
		case strings.HasPrefix(key, "t:"):
			out = append(out, Follow{Topic: strings.TrimPrefix(key, "t:"), Key: key})
		case strings.HasPrefix(key, "k:"):
			out = append(out, Follow{Keyword: label, Key: key})
		}
	}
	// Topics first, then keywords, each in a stable order.
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Topic == "") != (out[j].Topic == "") {
			return out[i].Topic != ""
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// FollowResult says what a follow did.
type FollowResult int

const (
	// Added is a new follow.
	Added FollowResult = iota
	// AlreadyFollowing changed nothing.
	AlreadyFollowing
	// LimitReached changed nothing: the reader follows MaxFollows things.
	LimitReached
)

// maxKeyBytes bounds a stored follow; the bot refuses long topics well
// before this, so hitting it means a caller bug, not reader input.
const maxKeyBytes = 512

// Follow adds f to the reader's follows and to the topic index, atomically.
func (s *Store) Follow(ctx context.Context, chatID int64, f Follow) (FollowResult, error) {
	if err := f.validate(); err != nil {
		return 0, fmt.Errorf("follow %q for %d: %w", f.Key, chatID, err)
	}
	k := s.ks.ForChat(chatID)
	label := f.Keyword
	if f.Topic != "" {
		label = f.Topic
	}
	n, err := followScript.Run(ctx, s.rdb,
		[]string{k.Reader(chatID), k.Follows(chatID), k.Index(f.Key)},
		chatID, f.Key, label, s.maxFollows, s.now().Unix()).Int()
	if err != nil {
		return 0, fmt.Errorf("follow %q for %d: %w", f.Key, chatID, err)
	}
	switch n {
	case 1:
		return Added, nil
	case 0:
		return AlreadyFollowing, nil
	case -2:
		return LimitReached, nil
	default:
		return 0, ErrNotFound
	}
}

func (f Follow) validate() error {
	switch {
	case len(f.Key) > maxKeyBytes:
		return fmt.Errorf("key of %d bytes is too long", len(f.Key))
	case f.Topic != "" && f.Key != "t:"+f.Topic:
		return fmt.Errorf("topic key does not match slug %q", f.Topic)
	case f.Topic == "" && (!strings.HasPrefix(f.Key, "k:") || len(f.Key) == 2 || f.Keyword == ""):
		return fmt.Errorf("malformed keyword follow")
	}
	return nil
}

// Unfollow removes the follow with key from the reader, atomically with
// the topic index. It reports whether the reader was following it.
func (s *Store) Unfollow(ctx context.Context, chatID int64, key string) (bool, error) {
	k := s.ks.ForChat(chatID)
	n, err := unfollowScript.Run(ctx, s.rdb,
		[]string{k.Reader(chatID), k.Follows(chatID), k.Index(key)},
		chatID, key, s.now().Unix()).Int()
	if err != nil {
		return false, fmt.Errorf("unfollow %q for %d: %w", key, chatID, err)
	}
	return n == 1, nil
}

// Follows returns what the reader follows: topics first, then keywords.
func (s *Store) Follows(ctx context.Context, chatID int64) ([]Follow, error) {
	h, err := s.rdb.HGetAll(ctx, s.ks.ForChat(chatID).Follows(chatID)).Result()
	if err != nil {
		return nil, fmt.Errorf("follows of %d: %w", chatID, err)
	}
	return decodeFollows(h), nil
}

// Followers returns the chats that follow key, whatever their status
// (callers filter by status: the index is kept in step with follows, not
// with statuses).
func (s *Store) Followers(ctx context.Context, key string) ([]int64, error) {
	var out []int64
	for n := range Shards {
		members, err := s.rdb.SMembers(ctx, s.ks.Shard(n).Index(key)).Result()
		if err != nil {
			return nil, fmt.Errorf("followers of %q: %w", key, err)
		}
		for _, m := range members {
			if id, err := strconv.ParseInt(m, 10, 64); err == nil {
				out = append(out, id)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}
