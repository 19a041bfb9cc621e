package keyspace_test

import (
	"strings"
	"testing"

	"nashra/keyspace"
)

// Every key name, spelled out: these are the keys deployments hold.
// TestKeyLayout (keyspace/layout_test.go) checks that the stores write
// exactly these.
func TestKeyNames(t *testing.T) {
	s := keyspace.New("nashra:")
	r1 := s.ForChat(17)
	neg := s.ForChat(-1000000000555) // a supergroup: shard of |id|
	for _, c := range []struct{ got, want string }{
		{r1.Reader(17), "nashra:{r1}:u:17"},
		{r1.Follows(17), "nashra:{r1}:u:17:f"},
		{r1.Index("t:sdf"), "nashra:{r1}:f:t:sdf"},
		{r1.Readers(), "nashra:{r1}:readers"},
		{r1.Status(keyspace.StatusActive), "nashra:{r1}:status:active"},
		{r1.Stats("joined"), "nashra:{r1}:stats:joined"},
		{r1.Queue(keyspace.PriorityHigh), "nashra:{r1}:q:hi"},
		{r1.Queue(keyspace.PriorityLow), "nashra:{r1}:q:lo"},
		{r1.DeadLetters(), "nashra:{r1}:dlq"},
		{r1.Job("d:17:0-9:0"), "nashra:{r1}:j:d:17:0-9:0"},
		{s.SharedText("abc:0"), "nashra:txt:abc:0"},
		{r1.SharedText("abc:0"), "nashra:{r1}:txt:abc:0"}, // read only: texts queued by an earlier version
		{r1.BroadcastProgress(3), "nashra:{r1}:bc:3"},
		{r1.BroadcastTodo(3), "nashra:{r1}:bc:3:todo"},
		{r1.BroadcastWait(3), "nashra:{r1}:bc:3:wait"},
		{neg.Reader(-1000000000555), "nashra:{r11}:u:-1000000000555"},
		{s.Shard(0).Readers(), "nashra:{r0}:readers"},
		{s.Shard(15).Readers(), "nashra:{r15}:readers"},
		{s.BroadcastSeq(), "nashra:bc:seq"},
		{s.BroadcastsActive(), "nashra:bc:active"},
		{s.Broadcast(3), "nashra:bc:3"},
		{s.BroadcastEdit(3), "nashra:bc:3:edit"},
		{s.UpdateClaim(5), "nashra:upd:5"},
		{s.Inbox(), "nashra:{inbox}:q"},
		{s.InboxSeen(5), "nashra:{inbox}:seen:5"},
		{s.InvitesIssued(), "nashra:{invite}:issued"},
		{s.InvitesAccepted(), "nashra:{invite}:accepted"},
		{keyspace.New("").Shard(2).Readers(), "nashra:{r2}:readers"},
		{keyspace.New("other:").Shard(2).Readers(), "other:{r2}:readers"},
	} {
		if c.got != c.want {
			t.Errorf("key %q; want %q", c.got, c.want)
		}
	}
	got := strings.Join(r1.StatusSets(), " ")
	want := "nashra:{r1}:status:active nashra:{r1}:status:paused nashra:{r1}:status:blocked nashra:{r1}:status:stopped"
	if got != want {
		t.Errorf("StatusSets = %s; want %s", got, want)
	}
	for chat, want := range map[int64]int{0: 0, 16: 0, 17: 1, -17: 1, 31: 15} {
		if got := keyspace.ShardOf(chat); got != want {
			t.Errorf("ShardOf(%d) = %d; want %d", chat, got, want)
		}
	}
}

func TestScriptWords(t *testing.T) {
	src := `redis.call('HSET', KEYS[1], $FieldStatus, $StatusActive, $Mode, $Count)
for i, name in ipairs($Statuses) do end
if starts(st, $PrefixInflight) then return 1 end`
	got := keyspace.Expand(src, keyspace.Words{"Mode": "it's", "Count": 3})
	for _, want := range []string{
		`redis.call('HSET', KEYS[1], 'status', 'active', 'it\'s', 3)`,
		`ipairs({'active', 'paused', 'blocked', 'stopped'})`,
		`if starts(st, 'inflight:') then`,
		`local function starts(s, p)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("expanded script lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "$") {
		t.Errorf("expanded script keeps a placeholder:\n%s", got)
	}
}

func TestScriptRefusesSecondSpellings(t *testing.T) {
	for _, c := range []struct {
		name, src string
		local     keyspace.Words
		want      string
	}{
		{"a shared word spelled", `redis.call('HGET', KEYS[1], 'status')`, nil, `write $FieldStatus`},
		{"a double-quoted one", `if st == "queued" then end`, nil, `write $StateQueued`},
		{"a status of the list", `return 'paused'`, nil, `write $`},
		{"a local word spelled", `return 'go'`, keyspace.Words{"Owned": "go"}, `write $Owned`},
		{"an unknown word", `return $Nope`, nil, `unknown word $Nope`},
		{"a word defined twice", `return $Group`, keyspace.Words{"Group": "x"}, `defined twice`},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, c.want) {
					t.Errorf("Expand(%s) panicked with %q; want a panic saying %q", c.src, msg, c.want)
				}
			}()
			keyspace.Expand(c.src, c.local)
		})
	}
}
