package subscribers

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"nashra/keyspace"

	"github.com/redis/go-redis/v9"
)

// Status is where a reader stands.
type Status string

const (
	// Active readers receive digests.
	Active Status = keyspace.StatusActive
	// Paused readers keep their follows and receive nothing until they resume.
	Paused Status = keyspace.StatusPaused
	// Blocked readers blocked the bot or their chat is gone (403, chat not
	// found). They are kept; /start makes them active again.
	Blocked Status = keyspace.StatusBlocked
	// Stopped readers unsubscribed with /stop; /start brings them back with
	// their follows.
	Stopped Status = keyspace.StatusStopped
)

// statuses are the statuses in the order of keyspace.Statuses, the order
// of the status sets the scripts take.
var statuses = func() []Status {
	out := make([]Status, len(keyspace.Statuses))
	for i, st := range keyspace.Statuses {
		out[i] = Status(st)
	}
	return out
}()

// Valid reports whether st is a known status.
func (st Status) Valid() bool {
	for _, v := range statuses {
		if st == v {
			return true
		}
	}
	return false
}

// Reader is what is stored about one chat.
type Reader struct {
	ChatID   int64
	Status   Status
	Lang     string // "ar" or "en"
	Schedule string // cron spec; empty means the default digest schedule
	Cursor   int64  // the last article sequence number queued for this reader
	Source   string // signup source from the /start payload, kept from the first join
	ChatType string // private, group, supergroup
	JoinedAt time.Time
	// UpdatedAt is the last change of status, language or follows.
	UpdatedAt time.Time
	// StatusReason says why the status last changed (e.g. "403 bot was blocked").
	StatusReason string
	// Breaking is the reader's opt-in to breaking news alerts.
	Breaking bool
	Follows  []Follow
	// PausedUntil is when a pause ends; zero unless paused with an end.
	PausedUntil time.Time
}

// Joined describes a /start.
type Joined struct {
	Lang     string
	Source   string
	ChatType string
}

// StartResult says what /start changed.
type StartResult struct {
	Created bool
	// Previous is the status before /start (empty when Created).
	Previous Status
}

// Start subscribes chatID, or makes a paused, blocked or stopped reader
// active again. The signup source and language of a returning reader are
// kept.
func (s *Store) Start(ctx context.Context, chatID int64, j Joined) (StartResult, error) {
	k := s.ks.ForChat(chatID)
	lang := j.Lang
	if lang == "" {
		lang = "ar"
	}
	keys := append([]string{k.Reader(chatID), k.Readers()}, k.StatusSets()...)
	res, err := startScript.Run(ctx, s.rdb, keys,
		chatID, s.now().Unix(), lang, j.Source, j.ChatType).StringSlice()
	if err != nil {
		return StartResult{}, fmt.Errorf("start reader %d: %w", chatID, err)
	}
	if res[0] == startCreated {
		s.countStart(ctx, chatID, StartResult{Created: true}, j.Source)
		return StartResult{Created: true}, nil
	}
	s.countStart(ctx, chatID, StartResult{Previous: Status(res[1])}, j.Source)
	return StartResult{Previous: Status(res[1])}, nil
}

// Get returns the reader and their follows.
func (s *Store) Get(ctx context.Context, chatID int64) (Reader, error) {
	k := s.ks.ForChat(chatID)
	var hget *redis.MapStringStringCmd
	var fget *redis.MapStringStringCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		hget = p.HGetAll(ctx, k.Reader(chatID))
		fget = p.HGetAll(ctx, k.Follows(chatID))
		return nil
	})
	if err != nil {
		return Reader{}, fmt.Errorf("get reader %d: %w", chatID, err)
	}
	h := hget.Val()
	if len(h) == 0 {
		return Reader{}, ErrNotFound
	}
	r := Reader{
		ChatID:       chatID,
		Status:       Status(h[keyspace.FieldStatus]),
		Lang:         h[keyspace.FieldLang],
		Schedule:     h[keyspace.FieldSchedule],
		Source:       h[keyspace.FieldSource],
		ChatType:     h[keyspace.FieldChatType],
		StatusReason: h[keyspace.FieldStatusReason],
		JoinedAt:     unixTime(h[keyspace.FieldJoined]),
		UpdatedAt:    unixTime(h[keyspace.FieldUpdated]),
		Breaking:     h[keyspace.FieldBreaking] == keyspace.BreakingOn,
	}
	if r.Status == Paused {
		r.PausedUntil = unixTime(h[keyspace.FieldPausedUntil])
	}
	r.Cursor, _ = strconv.ParseInt(h[keyspace.FieldCursor], 10, 64)
	r.Follows = decodeFollows(fget.Val())
	return r, nil
}

func unixTime(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// SetStatus moves an existing reader to st and returns the status it had.
func (s *Store) SetStatus(ctx context.Context, chatID int64, st Status, reason string) (Status, error) {
	before, _, err := s.ChangeStatus(ctx, chatID, StatusChange{To: st, Reason: reason})
	return before.Status, err
}

// Standing is where a reader stands: their status and, while paused for a
// while, when the pause ends.
type Standing struct {
	Status Status
	// PausedUntil is the end of a pause; zero unless paused with one.
	PausedUntil time.Time
}

// StatusChange moves a reader to another status.
type StatusChange struct {
	To     Status
	Reason string // why, kept in the record ("stop", "pause", …)
	// Until ends a pause (To Paused): from then on the digest builder makes
	// the reader active again. Zero pauses until the reader resumes.
	Until time.Time
	// From, when not empty, lists the statuses the change may start from:
	// a reader in any other is left as they are. It makes a change decided
	// on a status read earlier (an undo, a button) safe against a change
	// made meanwhile, and a second press of the same button a no-op.
	From []Status
}

// ChangeStatus moves an existing reader as ch says, in one step, and
// returns where they stood before and whether they moved.
func (s *Store) ChangeStatus(ctx context.Context, chatID int64, ch StatusChange) (Standing, bool, error) {
	if !ch.To.Valid() {
		return Standing{}, false, fmt.Errorf("set status of %d: unknown status %q", chatID, ch.To)
	}
	until := ""
	if !ch.Until.IsZero() {
		until = strconv.FormatInt(ch.Until.Unix(), 10)
	}
	k := s.ks.ForChat(chatID)
	keys := append([]string{k.Reader(chatID)}, k.StatusSets()...)
	args := []any{chatID, string(ch.To), s.now().Unix(), ch.Reason, until}
	for _, st := range ch.From {
		args = append(args, string(st))
	}
	res, err := setStatusScript.Run(ctx, s.rdb, keys, args...).Slice()
	if errors.Is(err, redis.Nil) {
		return Standing{}, false, ErrNotFound
	}
	if err != nil {
		return Standing{}, false, fmt.Errorf("set status of %d: %w", chatID, err)
	}
	if len(res) != 3 {
		return Standing{}, false, fmt.Errorf("set status of %d: unexpected answer %v", chatID, res)
	}
	prev, _ := res[0].(string)
	ends, _ := res[1].(string)
	moved, _ := res[2].(int64)
	before := Standing{Status: Status(prev), PausedUntil: unixTime(ends)}
	if moved == 1 {
		s.countStatus(ctx, chatID, before.Status, ch.To, ch.Reason)
	}
	return before, moved == 1, nil
}

// SetLang records the reader's language ("ar" or "en").
func (s *Store) SetLang(ctx context.Context, chatID int64, lang string) error {
	if lang != "ar" && lang != "en" {
		return fmt.Errorf("set language of %d: unsupported language %q", chatID, lang)
	}
	return s.setField(ctx, chatID, keyspace.FieldLang, lang)
}

// Lang returns the reader's language, "ar" for a chat that is not a reader.
func (s *Store) Lang(ctx context.Context, chatID int64) (string, error) {
	lang, err := s.rdb.HGet(ctx, s.ks.ForChat(chatID).Reader(chatID), keyspace.FieldLang).Result()
	if errors.Is(err, redis.Nil) || (err == nil && lang == "") {
		return "ar", nil
	}
	if err != nil {
		return "ar", fmt.Errorf("language of %d: %w", chatID, err)
	}
	return lang, nil
}

func (s *Store) setField(ctx context.Context, chatID int64, field, value string) error {
	k := s.ks.ForChat(chatID)
	n, err := setFieldScript.Run(ctx, s.rdb, []string{k.Reader(chatID)}, field, value, s.now().Unix()).Int()
	if err != nil {
		return fmt.Errorf("set %s of %d: %w", field, chatID, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Counts returns how many readers are in each status.
func (s *Store) Counts(ctx context.Context) (map[Status]int64, error) {
	cmds := make(map[Status][]*redis.IntCmd)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for n := range Shards {
			k := s.ks.Shard(n)
			for _, st := range statuses {
				cmds[st] = append(cmds[st], p.SCard(ctx, k.Status(string(st))))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count readers: %w", err)
	}
	out := make(map[Status]int64, len(statuses))
	for st, cs := range cmds {
		for _, c := range cs {
			out[st] += c.Val()
		}
	}
	return out, nil
}

// idBatch is how many chat IDs ChatIDs hands fn at a time.
const idBatch = 1000

// ChatIDs calls fn with the chat ID of every reader in status st, shard
// by shard, in batches. The shards come in a random order and each
// shard's chats in a new random order on every call: the readers due at
// the same minute are queued, and so served, in a different order every
// time, so that no reader is always last. A shard's IDs are read whole
// before the first batch (8 bytes a reader, a sixteenth of the audience).
func (s *Store) ChatIDs(ctx context.Context, st Status, fn func(ids []int64) error) error {
	for _, n := range rand.Perm(Shards) {
		if err := s.ShardChatIDs(ctx, st, n, fn); err != nil {
			return err
		}
	}
	return nil
}

// ShardChatIDs is ChatIDs for shard n alone (0 ≤ n < Shards), its chats
// in a new random order on every call.
func (s *Store) ShardChatIDs(ctx context.Context, st Status, n int, fn func(ids []int64) error) error {
	key := s.ks.Shard(n).Status(string(st))
	var ids []int64
	var cursor uint64
	for {
		members, next, err := s.rdb.SScan(ctx, key, cursor, "", idBatch).Result()
		if err != nil {
			return fmt.Errorf("list %s readers: %w", st, err)
		}
		for _, m := range members {
			if id, err := strconv.ParseInt(m, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	// SSCAN may return a member twice (while the set is rehashed).
	slices.Sort(ids)
	ids = slices.Compact(ids)
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	for batch := range slices.Chunk(ids, idBatch) {
		if err := fn(batch); err != nil {
			return err
		}
	}
	return nil
}
