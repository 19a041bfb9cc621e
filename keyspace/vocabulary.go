package keyspace

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// The names below are spelled once, here, for Go and Lua alike: a script
// writes $Name (the Go constant's name) where it needs one, and Script puts
// the value in when the script is built. Script refuses a script that
// spells one of these values itself, so the two cannot drift apart.

// Fields of a reader's record, <prefix>{rN}:u:<chat>.
const (
	FieldStatus       = "status"
	FieldLang         = "lang"
	FieldSchedule     = "sched"
	FieldCursor       = "cur" // the last article sequence number queued for the reader
	FieldSource       = "source"
	FieldChatType     = "chat_type"
	FieldJoined       = "joined"  // unix s
	FieldUpdated      = "updated" // unix s
	FieldStatusReason = "status_reason"
	FieldLastDigest   = "last_digest_at" // unix s
	FieldPausedUntil  = "paused_until"   // unix s; set while a pause has an end
	FieldMigratedTo   = "migrated_to"
	FieldMigratedFrom = "migrated_from"
	// Breaking news: the reader's opt-in (BreakingOn), how many alerts
	// they had on which day (the daily cap), and the articles sent to them
	// as alerts that their cursor has not passed yet, comma-separated
	// sequence numbers (their next digest leaves those out).
	FieldBreaking      = "breaking"
	FieldBreakingDay   = "breaking_day" // YYYY-MM-DD in the newsroom's zone
	FieldBreakingCount = "breaking_n"
	FieldBreakingSent  = "breaking_sent"
	// FieldSettingsNonce is random, made by the first /settings link: every
	// link to the preference page is signed over it, so deleting it (/stop
	// does; /forget deletes the record) refuses every link sent before.
	FieldSettingsNonce = "settings_nonce"
)

// Fields of a signup token, <prefix>signup:t:<token>, beside FieldSchedule
// and FieldLang: the topics chosen (comma-separated slugs), the keyed hash
// of the email address an invitation was made for, and the mark of a
// token redeemed, which then holds nothing else.
const (
	FieldSignupTopics = "topics"
	FieldSignupInvite = "invite"
	FieldSignupUsed   = "used"
)

// The values of FieldBreaking.
const (
	BreakingOn  = "on"
	BreakingOff = "off"
)

// A reader's status, and the name of its set, <prefix>{rN}:status:<status>.
const (
	StatusActive  = "active"
	StatusPaused  = "paused"
	StatusBlocked = "blocked"
	StatusStopped = "stopped"
)

// Daily counters of the active audience, <prefix>{rN}:stats:<metric>
// (field: the UTC day), kept by every script or call that moves a reader
// into or out of StatusActive.
const (
	StatActivated   = "activated"
	StatDeactivated = "deactivated"
)

// StatDay is the field of t's day in a daily counter: its date in UTC.
func StatDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// Statuses lists the statuses in the order scripts take their sets in
// (Shard.StatusSets).
var Statuses = []string{StatusActive, StatusPaused, StatusBlocked, StatusStopped}

// Fields of an outbox stream entry, one job each, in the order they are
// written. A dead letter has two more: DeadReason and DeadPriority.
const (
	JobID        = "job"
	JobChat      = "chat"
	JobKind      = "kind"
	JobText      = "text"
	JobRef       = "ref" // names a shared text (Shard.SharedText) the job sends instead of its own
	JobMarkup    = "markup"
	JobAttempt   = "att"
	JobNotBefore = "nb"  // unix ms, 0 for none
	JobEnqueued  = "enq" // unix ms
	DeadReason   = "reason"
	DeadPriority = "prio" // PriorityHigh or PriorityLow: the stream a redriven job goes back to
)

// JobFields lists the fields of a job's entry in the order written.
var JobFields = []string{JobID, JobChat, JobKind, JobText, JobRef, JobMarkup, JobAttempt, JobNotBefore, JobEnqueued}

// The outbox streams' priorities (Shard.Queue) and their consumer group.
const (
	PriorityHigh = "hi"
	PriorityLow  = "lo"
	Group        = "senders"
)

// A job's state, <prefix>{rN}:j:<job id>. The final ones are
// StateUnknown and those with a PrefixSent, PrefixFailed or PrefixSkipped.
const (
	StateQueued     = "queued"    // in a stream, not begun
	PrefixInflight  = "inflight:" // inflight:<consumer>:<unix ms>: a sender began it
	PrefixSent      = "sent:"     // sent:<message id>
	PrefixFailed    = "failed:"   // failed:<reason>
	PrefixSkipped   = "skipped:"  // skipped:<why>: deliberately not sent
	StateUnknown    = "unknown"   // the send may or may not have reached Telegram
	StateBlocked    = PrefixFailed + "blocked"
	StateDeadLetter = PrefixFailed + "dlq"
	StateCancelled  = PrefixSkipped + "cancelled" // a broadcast's job cancelled in the queue
)

// Words name the values a script may use: $Name in its source stands for
// the Lua literal of Words[Name], a string, an int or a []string (a table).
type Words map[string]any

// shared are the names of this file, for every script.
var shared = Words{
	"FieldStatus": FieldStatus, "FieldLang": FieldLang, "FieldSchedule": FieldSchedule,
	"FieldCursor": FieldCursor, "FieldSource": FieldSource, "FieldChatType": FieldChatType,
	"FieldJoined": FieldJoined, "FieldUpdated": FieldUpdated, "FieldStatusReason": FieldStatusReason,
	"FieldLastDigest": FieldLastDigest, "FieldPausedUntil": FieldPausedUntil,
	"FieldMigratedTo": FieldMigratedTo, "FieldMigratedFrom": FieldMigratedFrom,
	"FieldBreaking": FieldBreaking, "FieldBreakingDay": FieldBreakingDay, "FieldBreakingCount": FieldBreakingCount,
	"FieldBreakingSent": FieldBreakingSent, "FieldSettingsNonce": FieldSettingsNonce, "BreakingOn": BreakingOn, "BreakingOff": BreakingOff,
	"FieldSignupTopics": FieldSignupTopics, "FieldSignupUsed": FieldSignupUsed, "FieldSignupInvite": FieldSignupInvite,

	"StatusActive": StatusActive, "StatusPaused": StatusPaused, "StatusBlocked": StatusBlocked,
	"StatusStopped": StatusStopped, "Statuses": Statuses,

	"JobID": JobID, "JobChat": JobChat, "JobKind": JobKind, "JobText": JobText, "JobRef": JobRef,
	"JobMarkup": JobMarkup, "JobAttempt": JobAttempt, "JobNotBefore": JobNotBefore,
	"JobEnqueued": JobEnqueued, "DeadReason": DeadReason, "DeadPriority": DeadPriority,

	"PriorityHigh": PriorityHigh, "PriorityLow": PriorityLow, "Group": Group,

	"StateQueued": StateQueued, "PrefixInflight": PrefixInflight, "PrefixSent": PrefixSent,
	"PrefixFailed": PrefixFailed, "PrefixSkipped": PrefixSkipped, "StateUnknown": StateUnknown,
	"StateBlocked": StateBlocked, "StateDeadLetter": StateDeadLetter, "StateCancelled": StateCancelled,
}

// prelude holds the helpers every script may call.
const prelude = `local function starts(s, p) return string.sub(s, 1, #p) == p end
`

var (
	placeholder = regexp.MustCompile(`\$([A-Za-z][A-Za-z0-9]*)`)
	quoted      = regexp.MustCompile(`'([^'\\]*)'|"([^"\\]*)"`)
)

// Script builds a script from src: the prelude, then src with each $Name
// replaced by its value in local or in this file's names. It panics (when
// the package's scripts are built, at start) on a name neither knows, on a
// name both define, and on a quoted literal in src that spells one of
// their values, which would be a second spelling free to drift.
func Script(src string, local Words) *redis.Script {
	return redis.NewScript(Expand(src, local))
}

// Expand returns the Lua source Script runs.
func Expand(src string, local Words) string {
	spelled := map[string]string{} // value → name
	note := func(name string, v any) {
		switch v := v.(type) {
		case string:
			spelled[v] = name
		case []string:
			for _, s := range v {
				if _, ok := spelled[s]; !ok {
					spelled[s] = name
				}
			}
		}
	}
	for _, name := range sortedNames(shared) {
		note(name, shared[name])
	}
	for _, name := range sortedNames(local) {
		if _, ok := shared[name]; ok {
			panic(fmt.Sprintf("keyspace: script word $%s is defined twice", name))
		}
		note(name, local[name])
	}
	for _, m := range quoted.FindAllStringSubmatch(src, -1) {
		lit := m[1] + m[2]
		if name, ok := spelled[lit]; ok {
			panic(fmt.Sprintf("keyspace: script spells %q; write $%s", lit, name))
		}
	}
	out := placeholder.ReplaceAllStringFunc(src, func(m string) string {
		name := m[1:]
		v, ok := local[name]
		if !ok {
			v, ok = shared[name]
		}
		if !ok {
			panic(fmt.Sprintf("keyspace: script uses unknown word $%s", name))
		}
		return luaLiteral(name, v)
	})
	return prelude + out
}

func sortedNames(w Words) []string {
	out := make([]string, 0, len(w))
	for n := range w {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func luaLiteral(name string, v any) string {
	switch v := v.(type) {
	case string:
		return luaString(v)
	case int:
		return strconv.Itoa(v)
	case []string:
		items := make([]string, len(v))
		for i, s := range v {
			items[i] = luaString(s)
		}
		return "{" + strings.Join(items, ", ") + "}"
	}
	panic(fmt.Sprintf("keyspace: script word $%s is a %T, not a string, int or []string", name, v))
}

func luaString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
