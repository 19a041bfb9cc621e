package subscribers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"

	"nashra/keyspace"
)

// ImportReport says what Import did.
type ImportReport struct {
	Lines    int // lines read, blank lines excepted
	Imported int // readers written
	Rejected int // lines refused; nothing of them was written
	// Errors describes the first MaxReportedErrors refused lines.
	Errors []LineError
}

// LineError is one refused line of an import.
type LineError struct {
	Line int // 1-based
	Err  string
}

func (e LineError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Err) }

// MaxReportedErrors bounds ImportReport.Errors; Rejected counts them all.
const MaxReportedErrors = 1000

const (
	// maxLineBytes bounds one line: 60 follows of 64 letters are ~25 KB.
	maxLineBytes = 1 << 20
	// importBatch is how many readers share one pipelined round trip.
	importBatch = 500
	// importSource is the signup source of an imported record that names none.
	importSource = "import"
)

// Import reads Records, one per line, and writes each reader exactly as
// the record says: the record, the follows, the status sets, the readers
// set and the topic index are replaced in one script on the reader's slot,
// so importing over an existing reader drops the follows the record does
// not list. Importing the same lines twice leaves the same state.
//
// Every line is checked before anything of it is written; a bad line is
// reported by number and the others are imported. A follow is resolved by
// resolve: a topic slug or a keyword, or false when it is neither.
//
// The error is about reading r or talking to Redis; the report says what
// was done until then (importing again is safe).
func (s *Store) Import(ctx context.Context, r io.Reader, resolve func(string) (Follow, bool)) (ImportReport, error) {
	var rep ImportReport
	br := bufio.NewReaderSize(r, 64<<10)
	batch := make([]importItem, 0, importBatch)
	flush := func() error {
		n, err := s.importBatch(ctx, batch)
		rep.Imported += n
		batch = batch[:0]
		return err
	}
	for lineNo := 1; ; lineNo++ {
		line, tooLong, readErr := readLine(br)
		if readErr != nil && !errors.Is(readErr, io.EOF) {
			return rep, fmt.Errorf("import: read line %d: %w", lineNo, readErr)
		}
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			rep.Lines++
			it, err := s.parseRecord(line, tooLong, resolve)
			if err != nil {
				rep.Rejected++
				if len(rep.Errors) < MaxReportedErrors {
					rep.Errors = append(rep.Errors, LineError{Line: lineNo, Err: err.Error()})
				}
			} else {
				it.line = lineNo
				batch = append(batch, it)
				if len(batch) == importBatch {
					if err := flush(); err != nil {
						return rep, err
					}
				}
			}
		}
		if readErr != nil { // io.EOF
			break
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	return rep, nil
}

// readLine reads one line without its end. A line longer than maxLineBytes
// is consumed and reported as too long rather than held in memory.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong && len(line)+len(chunk) <= maxLineBytes {
			line = append(line, chunk...)
		} else {
			tooLong, line = true, nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, err
	}
}

// importItem is a checked record, ready to be written.
type importItem struct {
	line   int
	chat   int64
	status Status
	// fields are the record's field/value pairs except joined and updated.
	fields           []any
	joined, updated  int64
	hasJoined, hasUp bool
	follows          []Follow
}

var (
	extraField = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	chatTypes  = map[string]bool{"": true, "private": true, "group": true, "supergroup": true, "channel": true}
)

// parseRecord checks one line. Its errors are read by operators next to a
// line number, so they name the field.
func (s *Store) parseRecord(line []byte, tooLong bool, resolve func(string) (Follow, bool)) (importItem, error) {
	if tooLong {
		return importItem{}, fmt.Errorf("line longer than %d bytes", maxLineBytes)
	}
	var rec Record
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return importItem{}, fmt.Errorf("not a JSON reader record: %w", err)
	}
	if dec.More() {
		return importItem{}, errors.New("more than one JSON value on the line")
	}
	if rec.ChatID == 0 {
		return importItem{}, errors.New("chat_id is missing or 0")
	}
	it := importItem{chat: rec.ChatID, status: rec.Status}
	if it.status == "" {
		it.status = Active
	}
	if !it.status.Valid() {
		return it, fmt.Errorf("status %q: want active, paused, blocked or stopped", rec.Status)
	}
	lang := rec.Lang
	if lang == "" {
		lang = "ar"
	}
	if lang != "ar" && lang != "en" {
		return it, fmt.Errorf("lang %q: want ar or en", rec.Lang)
	}
	if rec.Cursor < 0 {
		return it, fmt.Errorf("cursor %d: must not be negative", rec.Cursor)
	}
	source := importSource
	if rec.Source != nil {
		source = *rec.Source
		if err := checkText(source, 64); err != nil {
			return it, fmt.Errorf("source: %w", err)
		}
	}
	it.fields = []any{keyspace.FieldStatus, string(it.status), keyspace.FieldLang, lang,
		keyspace.FieldCursor, strconv.FormatInt(rec.Cursor, 10), keyspace.FieldSource, source}
	if rec.Schedule != nil {
		if err := checkSchedule(*rec.Schedule); err != nil {
			return it, err
		}
		it.fields = append(it.fields, keyspace.FieldSchedule, *rec.Schedule)
	}
	if rec.ChatType != nil {
		if !chatTypes[*rec.ChatType] {
			return it, fmt.Errorf("chat_type %q: want private, group, supergroup or channel", *rec.ChatType)
		}
		it.fields = append(it.fields, keyspace.FieldChatType, *rec.ChatType)
	}
	if rec.StatusReason != nil {
		if err := checkText(*rec.StatusReason, 512); err != nil {
			return it, fmt.Errorf("status_reason: %w", err)
		}
		it.fields = append(it.fields, keyspace.FieldStatusReason, *rec.StatusReason)
	}
	var err error
	if it.joined, it.hasJoined, err = parseTime("joined_at", rec.JoinedAt); err != nil {
		return it, err
	}
	if it.updated, it.hasUp, err = parseTime("updated_at", rec.UpdatedAt); err != nil {
		return it, err
	}
	if last, ok, err := parseTime("last_digest_at", rec.LastDigestAt); err != nil {
		return it, err
	} else if ok {
		it.fields = append(it.fields, keyspace.FieldLastDigest, strconv.FormatInt(last, 10))
	}
	if len(rec.Extra) > 16 {
		return it, fmt.Errorf("extra: %d fields, at most 16", len(rec.Extra))
	}
	for f, v := range rec.Extra {
		if !extraField.MatchString(f) || knownField(f) {
			return it, fmt.Errorf("extra: field name %q is not allowed", f)
		}
		if err := checkText(v, 1024); err != nil {
			return it, fmt.Errorf("extra %s: %w", f, err)
		}
		it.fields = append(it.fields, f, v)
	}
	if len(rec.Follows) > s.maxFollows {
		return it, fmt.Errorf("follows: %d, more than the cap of %d", len(rec.Follows), s.maxFollows)
	}
	seen := make(map[string]bool, len(rec.Follows))
	for _, raw := range rec.Follows {
		f, ok := resolve(raw)
		if !ok {
			return it, fmt.Errorf("follow %q: neither a topic slug nor a keyword", raw)
		}
		if err := f.validate(); err != nil {
			return it, fmt.Errorf("follow %q: %w", raw, err)
		}
		if !seen[f.Key] {
			seen[f.Key] = true
			it.follows = append(it.follows, f)
		}
	}
	return it, nil
}

func checkSchedule(spec string) error {
	if spec == "" || spec == Instant {
		return nil
	}
	if len(spec) > 100 {
		return errors.New("schedule: longer than 100 characters")
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		return fmt.Errorf("schedule %q: want a cron spec, %q or empty: %w", spec, Instant, err)
	}
	return nil
}

func checkText(s string, max int) error {
	switch {
	case len(s) > max:
		return fmt.Errorf("longer than %d bytes", max)
	case !utf8.ValidString(s):
		return errors.New("not valid UTF-8")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return errors.New("contains control characters")
	}
	return nil
}

// parseTime reads an RFC 3339 time into unix seconds; "" is absent.
func parseTime(name, v string) (int64, bool, error) {
	if v == "" {
		return 0, false, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return 0, false, fmt.Errorf("%s %q: want an RFC 3339 time such as 2026-11-28T08:00:00Z", name, v)
	}
	return t.Unix(), true, nil
}

// importBatch writes items in two pipelined round trips: one reads what
// each reader follows now (their index memberships must be declared to the
// script that removes them), one runs the scripts. A reader whose follows
// changed in between is written again on its own.
func (s *Store) importBatch(ctx context.Context, items []importItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.chat
	}
	cur, err := s.currentState(ctx, ids)
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	now := s.now().Unix()
	calls := make([]keyspace.Call, len(items))
	for i, it := range items {
		keys, args := s.importArgs(it, cur[i], now)
		calls[i] = keyspace.Call{Keys: keys, Args: args}
	}
	cmds, err := keyspace.RunBatch(ctx, s.rdb, importScript, calls)
	if err != nil {
		return 0, fmt.Errorf("import: write readers: %w", err)
	}
	done := 0
	for i, c := range cmds {
		n, err := c.Int()
		if err == nil && n == 1 {
			done++
			continue
		}
		if err != nil {
			return done, fmt.Errorf("import line %d (chat %d): %w", items[i].line, items[i].chat, err)
		}
		// Stale: its follows changed since they were read. Write this
		// reader on its own.
		if err := s.importOne(ctx, items[i], now); err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}

// importOne writes one reader, reading their follows again each time the
// script finds them changed.
func (s *Store) importOne(ctx context.Context, it importItem, now int64) error {
	for range 10 {
		cur, err := s.currentState(ctx, []int64{it.chat})
		if err != nil {
			return fmt.Errorf("import line %d (chat %d): %w", it.line, it.chat, err)
		}
		keys, args := s.importArgs(it, cur[0], now)
		n, err := importScript.Run(ctx, s.rdb, keys, args...).Int()
		if err != nil {
			return fmt.Errorf("import line %d (chat %d): %w", it.line, it.chat, err)
		}
		if n == 1 {
			return nil
		}
	}
	return fmt.Errorf("import line %d (chat %d): its follows keep changing; try again", it.line, it.chat)
}

// readerState is what a reader's script must know before it runs.
type readerState struct {
	followKeys []string
	joined     string // "" when the reader does not exist
}

// currentState reads the follow keys and join time of ids in one round trip.
func (s *Store) currentState(ctx context.Context, ids []int64) ([]readerState, error) {
	fk := make([]*redis.StringSliceCmd, len(ids))
	jn := make([]*redis.StringCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			k := s.ks.ForChat(id)
			fk[i] = p.HKeys(ctx, k.Follows(id))
			jn[i] = p.HGet(ctx, k.Reader(id), keyspace.FieldJoined)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read current follows: %w", err)
	}
	out := make([]readerState, len(ids))
	for i := range ids {
		if err := fk[i].Err(); err != nil {
			return nil, fmt.Errorf("read current follows: %w", err)
		}
		if err := jn[i].Err(); err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("read current follows: %w", err)
		}
		out[i] = readerState{followKeys: fk[i].Val(), joined: jn[i].Val()}
	}
	return out, nil
}

// importArgs lays out importScript's keys and arguments (see scripts).
func (s *Store) importArgs(it importItem, cur readerState, now int64) ([]string, []any) {
	k := s.ks.ForChat(it.chat)
	joined := it.joined
	if !it.hasJoined {
		joined = now
		if n, err := strconv.ParseInt(cur.joined, 10, 64); err == nil {
			joined = n // an existing reader keeps their join date
		}
	}
	updated := it.updated
	if !it.hasUp {
		updated = joined
	}
	fields := make([]any, 0, len(it.fields)+4)
	fields = append(fields, it.fields...)
	fields = append(fields, keyspace.FieldJoined, strconv.FormatInt(joined, 10), keyspace.FieldUpdated, strconv.FormatInt(updated, 10))

	keys := append([]string{k.Reader(it.chat), k.Follows(it.chat), k.Readers()}, k.StatusSets()...)
	args := make([]any, 0, 6+len(fields)+4*len(it.follows)+len(cur.followKeys))
	args = append(args, it.chat, string(it.status), joined, len(fields)/2)
	args = append(args, fields...)
	args = append(args, len(it.follows))
	for _, f := range it.follows {
		args = append(args, f.Key, f.label())
	}
	keys, args = appendIndex(k, keys, args, it.follows, cur.followKeys)
	return keys, args
}

// appendIndex declares the index sets of the follows in want and of those
// in current: one key each, and its follow key as an argument, in order.
func appendIndex(k keyspace.Shard, keys []string, args []any, want []Follow, current []string) ([]string, []any) {
	seen := make(map[string]bool, len(want)+len(current))
	add := func(fk string) {
		if !seen[fk] {
			seen[fk] = true
			keys = append(keys, k.Index(fk))
			args = append(args, fk)
		}
	}
	for _, f := range want {
		add(f.Key)
	}
	for _, fk := range current {
		add(fk)
	}
	return keys, args
}

// label is what the follows hash stores for f: the slug of a topic, the
// words of a keyword.
func (f Follow) label() string {
	if f.Topic != "" {
		return f.Topic
	}
	return f.Keyword
}

// importScript: KEYS reader, follows, all readers, the four status sets
// (active, paused, blocked, stopped), then one topic index per follow the
// reader has now or will have. ARGV chat, status, joined, number of record
// field/value pairs, the pairs, number of follow key/label pairs, the
// pairs, then the follow key of each index key, in the order of KEYS.
// Returns 1, or -1 without writing when a follow the reader has now is not
// declared (it changed since the caller read it).
var importScript = keyspace.Script(`
local chat, st, joined = ARGV[1], ARGV[2], ARGV[3]
local pos = 4
local nh = tonumber(ARGV[pos])
local fields = {}
for i = 1, 2 * nh do fields[i] = ARGV[pos + i] end
pos = pos + 2 * nh + 1
local nf = tonumber(ARGV[pos])
local follows = {}
for i = 1, 2 * nf do follows[i] = ARGV[pos + i] end
pos = pos + 2 * nf + 1
local index = {}
for i = pos, #ARGV do index[ARGV[i]] = KEYS[8 + i - pos] end
local target
for i, name in ipairs($Statuses) do
  if name == st then target = KEYS[3 + i] end
end
if not target then return redis.error_reply('unknown status ' .. st) end
if nh == 0 then return redis.error_reply('empty record') end
for i = 1, #follows, 2 do
  if not index[follows[i]] then return redis.error_reply('undeclared index of ' .. follows[i]) end
end
local old = redis.call('HKEYS', KEYS[2])
for _, key in ipairs(old) do
  if not index[key] then return -1 end
end
for _, key in ipairs(old) do redis.call('SREM', index[key], chat) end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], unpack(fields))
if nf > 0 then
  redis.call('HSET', KEYS[2], unpack(follows))
  for i = 1, #follows, 2 do redis.call('SADD', index[follows[i]], chat) end
end
for i = 4, 7 do
  if KEYS[i] ~= target then redis.call('SREM', KEYS[i], chat) end
end
redis.call('SADD', target, chat)
redis.call('ZADD', KEYS[3], joined, chat)
return 1
`, nil)
