package main

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"nashra/digest/topics"
	"nashra/signup"
	"nashra/signup/invite"
)

const (
	// inviteSource is the signup source of an email list's links: /stats
	// counts the readers who came through them under it.
	inviteSource = "invite"
	// defaultInviteDays is how long a campaign's links last: time for the
	// last email to be sent, opened late and forwarded.
	defaultInviteDays = 60
	// inviteChunk links are made and written at a time, so that an error
	// half-way leaves the links made so far in the file.
	inviteChunk = 1000
	// shownMalformed bounds the malformed rows the summary lists.
	shownMalformed = 20
)

// inviteCommand is `nashra invite --csv EXPORT [--map FILE] [--groups COLS]
// [--out FILE] [--source S] [--days N] [--bot NAME] [--dry-run]`: the
// email list moved over. Each subscriber of the export gets a personal
// link to the bot (a single-use token carrying the topics their groups map
// to), written as CSV for the newsroom's last email campaign. Redis keeps
// no address: a token carries a keyed hash of it (NASHRA_INVITE_KEY), by
// which invitations issued and accepted are counted.
func inviteCommand(fs *flag.FlagSet) func(context.Context, *env) error {
	csvPath := fs.String("csv", "", "the subscriber `EXPORT`: a Mailchimp audience export, a listmonk subscriber export, or a CSV with an email column (required)")
	mapPath := fs.String("map", "", "`FILE` of group,topic lines mapping the export's groups, lists and tags to topics (first; then topic names, aliases and slugs)")
	groups := fs.String("groups", "", "comma-separated `COLUMNS` that hold groups (default: a Mailchimp export's group columns and TAGS; a listmonk export's attributes; a CSV's groups, topics, interests, lists and tags)")
	out := fs.String("out", "", "write the links to this `FILE` (created 0600: it holds addresses and live links; default: stdout)")
	source := fs.String("source", inviteSource, "the links' signup source, counted per signup in /stats (a-z, 0-9, -)")
	days := fs.Int("days", defaultInviteDays, "the links expire after this many `DAYS`; the counts of invitations 30 days later")
	username := fs.String("bot", "", "the bot's `USERNAME`: name, @name or https://t.me/name (default: asked from Telegram with NASHRA_TELEGRAM_TOKEN)")
	dryRun := fs.Bool("dry-run", false, "read and map the export and print the summary; make no link (needs no key, Redis or Telegram)")
	return func(ctx context.Context, e *env) error {
		switch {
		case len(e.args) > 0:
			return fmt.Errorf("%w: invite takes flags only, not %q", errUsage, e.args[0])
		case *csvPath == "":
			return fmt.Errorf("%w: invite needs --csv EXPORT, the subscriber list exported from the email service", errUsage)
		case *days < 1 || *days > 365:
			return fmt.Errorf("%w: --days %d: want 1 to 365", errUsage, *days)
		}
		if err := signup.CheckSource(*source); err != nil {
			return fmt.Errorf("%w: --%v", errUsage, err)
		}
		catalog, err := loadCatalog(e.cfg)
		if err != nil {
			return err
		}
		mapping := invite.NewMapping(catalog)
		if *mapPath != "" {
			if err := loadMapping(mapping, *mapPath); err != nil {
				return err
			}
		}
		export, err := readExport(*csvPath, splitList(*groups))
		if err != nil {
			return err
		}
		plan := planInvites(export, mapping)
		plan.summary(e.stderr, *csvPath, export, catalog)
		if *dryRun {
			fmt.Fprintf(e.stderr, "dry run: no link made; %d would be.\n", len(plan.invites))
			return nil
		}
		if len(plan.invites) == 0 {
			return errors.New("invite: nobody to invite in " + *csvPath)
		}
		if e.cfg.InviteKey == "" {
			return fmt.Errorf("%w: NASHRA_INVITE_KEY: required by invite, to count invitations without storing addresses; make one with openssl rand -hex 32 and keep it for the whole campaign", errUsage)
		}
		if e.cfg.RedisURL == "memory" {
			return fmt.Errorf("%w: NASHRA_REDIS_URL=memory: the links would vanish when invite exits; point it at the Redis of nashra run", errUsage)
		}
		name, err := resolveBotUsername(ctx, e.cfg, *username)
		if err != nil {
			return err
		}
		w := e.stdout
		if *out != "" {
			f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
			if err != nil {
				return fmt.Errorf("invite: --out: %w", err)
			}
			defer f.Close()
			w = f
		}
		rdb, closeRedis, err := openRedis(ctx, e)
		if err != nil {
			return err
		}
		defer closeRedis()
		ttl := time.Duration(*days) * 24 * time.Hour
		store := signup.New(rdb, signup.Options{Prefix: e.cfg.RedisPrefix, TTL: ttl})
		written, fresh, err := plan.write(ctx, w, store, []byte(e.cfg.InviteKey), name, *source, catalog)
		where := "stdout"
		if *out != "" {
			where = *out
		}
		if err != nil {
			return fmt.Errorf("invite: %d links written to %s before: %w", written, where, err)
		}
		if f, ok := w.(*os.File); ok && *out != "" {
			if err := f.Close(); err != nil {
				return fmt.Errorf("invite: --out: %w", err)
			}
		}
		fmt.Fprintf(e.stderr, "%d links written to %s (%d new invitations, %d invited before); they expire on %s.\n",
			written, where, fresh, written-fresh, time.Now().Add(ttl).Format("2006-01-02"))
		return nil
	}
}

func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func loadMapping(m *invite.Mapping, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("invite: --map: %w", err)
	}
	defer f.Close()
	if err := m.Load(f); err != nil {
		return fmt.Errorf("%w: --map %s:\n%v", errUsage, path, err)
	}
	return nil
}

func readExport(path string, groupColumns []string) (*invite.Export, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("invite: --csv: %w", err)
	}
	defer f.Close()
	x, err := invite.Read(f, invite.Options{GroupColumns: groupColumns})
	if err != nil {
		return nil, fmt.Errorf("invite: --csv %s: %w", path, err)
	}
	return x, nil
}

// invitePlan is what the export becomes: one invitation per subscriber,
// and the counts the summary shows.
type invitePlan struct {
	invites  []plannedInvite
	byTopic  map[string]int // slug → subscribers
	unmapped map[string]int // group as first written → subscribers
	plain    int            // subscribers with no topic
}

type plannedInvite struct {
	sub    invite.Subscriber
	topics []string
}

func planInvites(x *invite.Export, m *invite.Mapping) invitePlan {
	p := invitePlan{byTopic: map[string]int{}, unmapped: map[string]int{}}
	spelled := map[string]string{} // group key → its first spelling
	for _, s := range x.Subscribers {
		slugs, unmapped := m.Topics(s.Groups)
		slugs = slugs[:min(len(slugs), signup.MaxTopics)]
		p.invites = append(p.invites, plannedInvite{sub: s, topics: slugs})
		if len(slugs) == 0 {
			p.plain++
		}
		for _, t := range slugs {
			p.byTopic[t]++
		}
		seen := map[string]bool{}
		for _, g := range unmapped {
			k := invite.GroupKey(g)
			if seen[k] {
				continue
			}
			seen[k] = true
			if _, ok := spelled[k]; !ok {
				spelled[k] = g
			}
			p.unmapped[spelled[k]]++
		}
	}
	return p
}

// summary tells the operator what was read and what was not: the
// format, the rows skipped and why, the malformed rows by line, the
// topics, and the groups no topic was found for, most common first.
func (p invitePlan) summary(w io.Writer, path string, x *invite.Export, catalog *topics.Catalog) {
	cols := "none"
	if len(x.GroupColumns) > 0 {
		cols = strings.Join(x.GroupColumns, ", ")
	}
	fmt.Fprintf(w, "%s: a %s export; groups read from: %s\n", path, x.Format, cols)
	fmt.Fprintf(w, "%d rows: %d subscribers to invite", x.Rows, len(p.invites))
	if x.Duplicates > 0 {
		fmt.Fprintf(w, ", %d %s of an address already read (merged)", x.Duplicates, plural(x.Duplicates, "row", "rows"))
	}
	fmt.Fprintln(w)
	if len(x.Skipped) > 0 {
		var parts []string
		for _, why := range sortedByCount(x.Skipped) {
			parts = append(parts, fmt.Sprintf("%d %s", x.Skipped[why], why))
		}
		fmt.Fprintf(w, "skipped, not invited: %s\n", strings.Join(parts, ", "))
	}
	if len(x.Malformed) > 0 {
		fmt.Fprintf(w, "malformed rows, not invited (%d):\n", len(x.Malformed))
		for i, e := range x.Malformed {
			if i == shownMalformed {
				fmt.Fprintf(w, "  … and %d more\n", len(x.Malformed)-shownMalformed)
				break
			}
			fmt.Fprintf(w, "  %v\n", e)
		}
	}
	fmt.Fprintf(w, "topics: %d subscribers get at least one; %d a plain subscription (no group mapped)\n",
		len(p.invites)-p.plain, p.plain)
	for _, slug := range sortedByCount(p.byTopic) {
		t, _ := catalog.Get(slug)
		fmt.Fprintf(w, "  %6d  %s (%s)\n", p.byTopic[slug], slug, t.Arabic)
	}
	if len(p.unmapped) > 0 {
		fmt.Fprintln(w, "groups with no topic (add them to a --map file as group,topic, or group,- to leave them out):")
		for _, g := range sortedByCount(p.unmapped) {
			fmt.Fprintf(w, "  %6d  %s\n", p.unmapped[g], g)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// sortedByCount lists m's keys, the largest count first, then by name.
func sortedByCount(m map[string]int) []string {
	return slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b))
	})
}

// write makes the links, inviteChunk at a time, and writes them as CSV:
// email, name, link, topics (in the subscriber's language) — the columns
// of a mail merge. It returns how many links it wrote and how many
// invitations were new.
func (p invitePlan) write(ctx context.Context, w io.Writer, store *signup.Store, key []byte, bot, source string, catalog *topics.Catalog) (int, int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"email", "name", "link", "topics"}); err != nil {
		return 0, 0, err
	}
	written, fresh := 0, 0
	for start := 0; start < len(p.invites); start += inviteChunk {
		chunk := p.invites[start:min(start+inviteChunk, len(p.invites))]
		choices := make([]signup.Choice, len(chunk))
		for i, in := range chunk {
			choices[i] = signup.Choice{Topics: in.topics, Lang: in.sub.Lang, Invite: signup.InviteHash(key, in.sub.Email)}
		}
		toks, n, err := store.CreateInvites(ctx, choices)
		if err != nil {
			return written, fresh, err
		}
		fresh += n
		for i, in := range chunk {
			link := "https://t.me/" + bot + "?start=" + signup.Payload(source, toks[i])
			if err := cw.Write([]string{in.sub.Email, in.sub.Name, link, topicWords(in.topics, in.sub.Lang, catalog)}); err != nil {
				return written, fresh, err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return written, fresh, err
		}
		written += len(chunk)
	}
	return written, fresh, nil
}

// topicWords names the topics in lang, as the reader will see them.
func topicWords(slugs []string, lang string, catalog *topics.Catalog) string {
	sep := "، "
	if lang == "en" {
		sep = ", "
	}
	names := make([]string, 0, len(slugs))
	for _, s := range slugs {
		if t, ok := catalog.Get(s); ok {
			names = append(names, t.Name(lang))
		}
	}
	return strings.Join(names, sep)
}
