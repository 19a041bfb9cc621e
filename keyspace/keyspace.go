// Package keyspace is the layout of nashra's data in Redis, in one place:
// the name of every key, the hash tags that keep keys which change together
// in one slot, the field and status names that Go and the Lua scripts both
// use (vocabulary.go), and the runner that sends many script calls in one
// round trip (batch.go). The stores that read and write the data
// (subscribers, outbox, broadcasts, bot/inbox) name keys only through it.
//
// Every key lives under one prefix (NASHRA_REDIS_PREFIX, "nashra:" by
// default). A reader's keys and the shard-wide sets they belong to share a
// hash tag {rN}, N = |chat ID| mod Shards, so that each change touching
// several of them is one Lua script on one slot, and the same code runs on
// Redis Cluster:
//
//	<prefix>{rN}:u:<chat>          HASH    the reader (subscribers): status, lang, sched,
//	                                       cur, source, chat_type, joined, updated,
//	                                       status_reason, last_digest_at, migrated_to,
//	                                       migrated_from, breaking, breaking_day,
//	                                       breaking_n, breaking_sent, settings_nonce
//	                                       (see the Field constants)
//	<prefix>{rN}:u:<chat>:f        HASH    their follows: t:<slug> → slug, k:<normalised
//	                                       words> → the words as typed
//	<prefix>{rN}:u:<chat>:o        HASH    words the reader typed that name no topic,
//	                                       offered as a keyword to follow: token →
//	                                       the words as typed, 48 h after the last
//	<prefix>{rN}:f:<follow key>    SET     topic index: the shard's chats following it
//	<prefix>{rN}:readers           ZSET    the shard's readers, scored by join time
//	<prefix>{rN}:status:<status>   SET     the shard's readers in a status: active,
//	                                       paused, blocked, stopped
//	<prefix>{rN}:stats:<metric>    HASH    daily counters, YYYY-MM-DD → count;
//	                                       stats:signups is source → count;
//	                                       stats:activated/deactivated count
//	                                       readers into and out of active
//	<prefix>{rN}:q:hi              STREAM  the outbox (outbox): digests and replies,
//	<prefix>{rN}:q:lo              STREAM  broadcasts; consumer group "senders"; one
//	                                       entry per job (see the Job constants)
//	<prefix>{rN}:dlq               STREAM  dead letters: a job's entry plus reason and
//	                                       prio (MAXLEN ~ 10000)
//	<prefix>{rN}:j:<job id>        STRING  the job's state (see the State constants), 7 d
//	<prefix>{rN}:txt:<ref>         STRING  a digest rendering shared by jobs, 7 d
//	<prefix>{rN}:bc:<id>           HASH    a broadcast's progress in the shard
//	                                       (broadcasts): total, enqueued, skipped, sent,
//	                                       blocked, failed, unknown, cancelled, stop
//	<prefix>{rN}:bc:<id>:todo      ZSET    the shard's audience not fed yet
//	<prefix>{rN}:bc:<id>:wait      SET     fed, final state not counted yet
//
// Keys outside the reader shards:
//
//	<prefix>bc:seq                 STRING  counter of broadcast IDs (broadcasts)
//	<prefix>bc:active              SET     broadcasts someone must look after
//	<prefix>bc:<id>                HASH    a broadcast's record
//	<prefix>bc:<id>:edit           STRING  time of its last progress edit (unix ms)
//	<prefix>upd:<update id>        STRING  an update's claim, 25 h (bot/inbox)
//	<prefix>{inbox}:q              STREAM  updates polled and not handled yet: id, u
//	<prefix>{inbox}:seen:<id>      STRING  an update was stored, 25 h
//	<prefix>signup:t:<token>       HASH    what a reader chose on the signup page
//	                                       (signup): topics, sched, lang; once redeemed
//	                                       only used=1; 30 d
//	<prefix>signup:rate:<client>   STRING  tokens a client address made in the
//	                                       current window (signup), expires with it
//	<prefix>{invite}:issued        SET     keyed hashes of the email addresses
//	                                       `nashra invite` made a link for (signup)
//	<prefix>{invite}:accepted      SET     those of them whose link a chat redeemed;
//	                                       both expire 30 d after the last links
//	<prefix>settings:key           STRING  the key that signs the links to the
//	                                       preference page (signup/settings), made once
//
// A signup token and a rate counter are each read and written on their own,
// by one command or one single-key script, so they carry no hash tag: each
// lands in its own slot and the tokens spread over a cluster. The two
// invitation sets change together (an acceptance counts only an issued
// hash, and takes its expiry) and share the {invite} hash tag.
//
// Other packages keep keys of their own under the same prefix, in their
// own slots: articles and feed state under {ingest} (digest/articles), the
// scheduler's lease:, lock: and tick: keys (schedule/), and
// Telegram's flood limits under tg: (bot/ratelimit).
//
// The layout is deployed data: TestKeyLayout pins it, and changing a name
// here needs a migration of every deployment's keys.
package keyspace

import "strconv"

// Shards is the number of hash tags readers are spread over. It is fixed:
// changing it would need a migration of every reader's keys.
const Shards = 16

// DefaultPrefix is the prefix of every key unless configured otherwise.
const DefaultPrefix = "nashra:"

// ShardOf returns the shard of a chat: |chatID| mod Shards.
func ShardOf(chatID int64) int {
	if chatID < 0 {
		chatID = -chatID
	}
	return int(chatID % Shards)
}

// Space names the keys of one deployment: everything under one prefix.
type Space struct {
	prefix string
}

// New returns the key space under prefix; "" means DefaultPrefix.
func New(prefix string) Space {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return Space{prefix: prefix}
}

// Prefix is the prefix of every key.
func (s Space) Prefix() string { return s.prefix }

// Shard returns the keys of shard n.
func (s Space) Shard(n int) Shard {
	return Shard{n: n, tag: s.prefix + "{r" + strconv.Itoa(n) + "}:"}
}

// ForChat returns the keys of chatID's shard.
func (s Space) ForChat(chatID int64) Shard { return s.Shard(ShardOf(chatID)) }

// SharedText is a text many jobs send (a digest that readers of every
// shard share), named by its ref. No script reads it, so it is in no
// shard: one copy serves them all.
func (s Space) SharedText(ref string) string { return s.prefix + "txt:" + ref }

// Broadcast keys: not per shard, each changed on its own.

// BroadcastSeq counts broadcast IDs.
func (s Space) BroadcastSeq() string { return s.prefix + "bc:seq" }

// BroadcastsActive is the set of broadcasts someone must look after.
func (s Space) BroadcastsActive() string { return s.prefix + "bc:active" }

// Broadcast is a broadcast's record.
func (s Space) Broadcast(id int64) string { return s.prefix + "bc:" + strconv.FormatInt(id, 10) }

// BroadcastEdit stamps the last edit of a broadcast's progress message.
func (s Space) BroadcastEdit(id int64) string { return s.Broadcast(id) + ":edit" }

// Telegram updates (bot/inbox).

// UpdateClaim marks an update as being handled or handled.
func (s Space) UpdateClaim(updateID int64) string {
	return s.prefix + "upd:" + strconv.FormatInt(updateID, 10)
}

// Inbox is the stream of updates polled and not handled yet. It and
// InboxSeen share the {inbox} hash tag, so storing a batch is one script.
func (s Space) Inbox() string { return s.prefix + "{inbox}:q" }

// InboxSeen marks an update as stored in the inbox.
func (s Space) InboxSeen(updateID int64) string {
	return s.prefix + "{inbox}:seen:" + strconv.FormatInt(updateID, 10)
}

// Web signup (signup): each key used on its own.

// SignupToken holds the topics and time a reader chose on the signup page
// until the bot applies them.
func (s Space) SignupToken(token string) string { return s.prefix + "signup:t:" + token }

// SignupRate counts the signup tokens a client address made in the
// current window.
func (s Space) SignupRate(client string) string { return s.prefix + "signup:rate:" + client }

// Invitations of an email list (signup): keyed hashes of addresses, never
// the addresses.

// InvitesIssued holds the hash of every address a personal link was made
// for.
func (s Space) InvitesIssued() string { return s.prefix + "{invite}:issued" }

// InvitesAccepted holds the hashes of InvitesIssued whose link a chat
// redeemed.
func (s Space) InvitesAccepted() string { return s.prefix + "{invite}:accepted" }

// SettingsKey holds the secret that signs the links /settings sends to
// the preference page: made once by whichever instance needs it first,
// shared by all.
func (s Space) SettingsKey() string { return s.prefix + "settings:key" }

// Shard names the keys under one reader hash tag, {rN}.
type Shard struct {
	n   int
	tag string // "<prefix>{rN}:"
}

// N is the shard's number.
func (k Shard) N() int { return k.n }

// Reader is a reader's record.
func (k Shard) Reader(chatID int64) string { return k.tag + "u:" + strconv.FormatInt(chatID, 10) }

// Follows is what a reader follows.
func (k Shard) Follows(chatID int64) string { return k.Reader(chatID) + ":f" }

// Offers holds the words a reader was offered to follow as a keyword,
// by the token their button carries.
func (k Shard) Offers(chatID int64) string { return k.Reader(chatID) + ":o" }

// Index is the topic index of a follow key: the shard's chats following it.
func (k Shard) Index(followKey string) string { return k.tag + "f:" + followKey }

// Readers is every reader of the shard, scored by join time.
func (k Shard) Readers() string { return k.tag + "readers" }

// Status is the set of the shard's readers in status st.
func (k Shard) Status(st string) string { return k.tag + "status:" + st }

// StatusSets lists the per-status sets in the order of Statuses, the order
// the scripts expect them in.
func (k Shard) StatusSets() []string {
	out := make([]string, len(Statuses))
	for i, st := range Statuses {
		out[i] = k.Status(st)
	}
	return out
}

// Stats is the shard's daily counter of metric.
func (k Shard) Stats(metric string) string { return k.tag + "stats:" + metric }

// Queue is the outbox stream of a priority (PriorityHigh, PriorityLow).
func (k Shard) Queue(priority string) string { return k.tag + "q:" + priority }

// DeadLetters is the shard's dead-letter stream.
func (k Shard) DeadLetters() string { return k.tag + "dlq" }

// Job is a job's state.
func (k Shard) Job(id string) string { return k.tag + "j:" + id }

// SharedText is where texts many jobs sent were kept, once per shard,
// before they were kept once (Space.SharedText). Only read, for jobs
// queued by an earlier version, until they expire (JobTTL).
func (k Shard) SharedText(ref string) string { return k.tag + "txt:" + ref }

// BroadcastProgress is a broadcast's counters in the shard.
func (k Shard) BroadcastProgress(id int64) string { return k.tag + "bc:" + strconv.FormatInt(id, 10) }

// BroadcastTodo is the shard's audience of a broadcast not fed yet.
func (k Shard) BroadcastTodo(id int64) string { return k.BroadcastProgress(id) + ":todo" }

// BroadcastWait is the shard's chats fed a broadcast whose job is not
// counted yet.
func (k Shard) BroadcastWait(id int64) string { return k.BroadcastProgress(id) + ":wait" }
