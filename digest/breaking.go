package digest

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"time"

	"nashra/bidi"
	"nashra/digest/arabic"
	"nashra/digest/articles"
	"nashra/outbox"
	"nashra/subscribers"
	"nashra/wording"
)

// DefaultAlertCap is how many breaking news alerts a reader gets a day at
// most, unless configured otherwise.
const DefaultAlertCap = 3

// DefaultAlertMaxAge is how old an urgent article may be when a poll finds
// it and still be sent as breaking news: older, it is news for the digest.
const DefaultAlertMaxAge = time.Hour

// AlertQueue takes breaking news alerts (an *outbox.Store): each queued
// once per article and reader, within the reader's daily cap, in one
// atomic step that also keeps the article out of their next digest.
type AlertQueue interface {
	EnqueueAlerts(ctx context.Context, reqs []outbox.AlertRequest) ([]outbox.AlertOutcome, error)
}

// Alerts sends breaking news: every article the site marked urgent, as
// soon as a poll stores it, to each active reader who opted in and whose
// follows match it (a reader who follows nothing gets every one in the
// site's scope), at most Cap a day per reader. The alert is the article
// on its own; the reader's next digest leaves it out.
type Alerts struct {
	Readers ReaderSource
	Queue   AlertQueue
	// Cap is how many alerts a reader gets a day at most; 0 sends none.
	Cap int
	// Location is where the day of the cap begins and ends (the
	// newsroom's zone); UTC when nil.
	Location *time.Location
	// MaxAge: DefaultAlertMaxAge when zero.
	MaxAge time.Duration
	Now    func() time.Time
}

// AlertResult counts what one Send did.
type AlertResult struct {
	Urgent    int // articles sent as breaking news (urgent, in scope, fresh)
	Readers   int // active readers who opted in
	Queued    int // alerts queued
	Capped    int // left out: the reader had the day's cap
	InDigest  int // left out: already in a digest queued for the reader
	Duplicate int // queued before, by this or another instance
}

// Send queues the alerts for articles, the ones a poll just stored. Sent
// again with the same articles, by this or another instance, it queues
// nothing twice and counts nothing twice against the cap.
func (a *Alerts) Send(ctx context.Context, added []articles.Article) (AlertResult, error) {
	var res AlertResult
	if a.Cap <= 0 {
		return res, nil
	}
	now := a.now()
	maxAge := a.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultAlertMaxAge
	}
	var urgent []alertArticle
	for _, art := range added {
		at := art.Published
		if at.IsZero() {
			at = art.SeenAt
		}
		if !art.Urgent || !art.InScope || !at.IsZero() && now.Sub(at) > maxAge {
			continue
		}
		urgent = append(urgent, alertArticle{a: art})
	}
	res.Urgent = len(urgent)
	if len(urgent) == 0 {
		return res, nil
	}
	loc := a.Location
	if loc == nil {
		loc = time.UTC
	}
	day := now.In(loc).Format(time.DateOnly)
	texts := map[string]string{} // per article and language
	err := a.Readers.ChatIDs(ctx, subscribers.Active, func(ids []int64) error {
		states, err := a.Readers.DigestStates(ctx, ids)
		if err != nil {
			return err
		}
		var reqs []outbox.AlertRequest
		for _, st := range states {
			if st.Status != subscribers.Active || !st.Breaking {
				continue
			}
			res.Readers++
			interest := InterestOf(st.Follows)
			lang := st.Lang
			if lang != "en" {
				lang = "ar"
			}
			for i := range urgent {
				u := &urgent[i]
				if u.a.Seq <= st.Cursor {
					continue
				}
				var text *arabic.Text
				if interest.Keywords() {
					text = u.text()
				}
				if !interest.Matches(u.a, text) {
					continue
				}
				ref := fmt.Sprintf("breaking:%d:%s", u.a.Seq, lang)
				body, ok := texts[ref]
				if !ok {
					body = RenderAlert(u.a, lang)
					texts[ref] = body
				}
				reqs = append(reqs, outbox.AlertRequest{Seq: u.a.Seq, Day: day, Cap: a.Cap, Job: outbox.Job{
					ID:       fmt.Sprintf("breaking:%d:%d", u.a.Seq, st.ChatID),
					ChatID:   st.ChatID,
					Kind:     AlertKind,
					Text:     body,
					Ref:      ref,
					Markup:   AlertButtons(lang, true),
					Priority: outbox.High,
				}})
			}
		}
		if len(reqs) == 0 {
			return nil
		}
		outcomes, err := a.Queue.EnqueueAlerts(ctx, reqs)
		if err != nil {
			return err
		}
		for _, o := range outcomes {
			switch o {
			case outbox.AlertQueued:
				res.Queued++
			case outbox.AlertCapped:
				res.Capped++
			case outbox.AlertInDigest:
				res.InDigest++
			case outbox.AlertDuplicate:
				res.Duplicate++
			}
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("breaking news alerts: %w", err)
	}
	return res, nil
}

func (a *Alerts) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// alertArticle is an urgent article and, once a keyword follow needs it,
// its text prepared for matching.
type alertArticle struct {
	a articles.Article
	t *arabic.Text
}

func (u *alertArticle) text() *arabic.Text {
	if u.t == nil {
		u.t = arabic.NewText(u.a.Title + "\n" + u.a.Text)
	}
	return u.t
}

// AlertKind is the outbox kind of breaking news alerts.
const AlertKind = "breaking"

// The callback data of the button under an alert, handled by the bot
// (bot/callbacks.go routes every AlertButtonKind button): it turns
// alerts off, then, pressed again, on.
const (
	AlertButtonKind   = "brk"
	AlertButtonMute   = AlertButtonKind + ":mute"
	AlertButtonUnmute = AlertButtonKind + ":unmute"
)

func alertTextFor(lang string) wording.Alert { return wording.For(lang).Alert }

// An alert carries the start of the summary, and a headline no longer
// than a message can hold with room to spare.
const (
	alertSentences = 2
	maxAlertTitle  = 1000
)

// RenderAlert lays out the alert of one article as Telegram HTML: the
// label, the headline linked to the article, and the start of its
// summary. Every feed string is escaped.
func RenderAlert(a articles.Article, lang string) string {
	label := bidi.Lines(direction(lang), "<b>"+html.EscapeString(alertTextFor(lang).Label)+"</b>")
	var sb strings.Builder
	title := plainHashtags(strings.TrimSpace(a.Title))
	if r := []rune(title); len(r) > maxAlertTitle {
		title = string(r[:maxAlertTitle]) + "…"
	}
	title = html.EscapeString(title)
	if link := safeURL(a.Link); link != "" {
		sb.WriteString(`<b><a href="` + html.EscapeString(link) + `">` + title + "</a></b>")
	} else {
		sb.WriteString("<b>" + title + "</b>")
	}
	var summary []string
	for _, s := range a.Summary[:min(len(a.Summary), alertSentences)] {
		summary = append(summary, shownSentence(s))
	}
	if s := strings.TrimSpace(strings.Join(summary, " ")); s != "" && utf16Len(sb.String()+s) < MaxMessageLen-64 {
		sb.WriteString("\n" + html.EscapeString(s))
	}
	// The story reads in its own direction, whatever the label's language,
	// as in a digest.
	return label + "\n" + bidi.Message(sb.String())
}

// AlertButtons is the keyboard under an alert, as JSON reply markup: a
// button that turns alerts off while on is true, and on again after.
func AlertButtons(lang string, on bool) string {
	t := alertTextFor(lang)
	label, data := t.ButtonMute, AlertButtonMute
	if !on {
		label, data = t.ButtonOn, AlertButtonUnmute
	}
	type button struct {
		Text string `json:"text"`
		Data string `json:"callback_data"`
	}
	kb := struct {
		Rows [][]button `json:"inline_keyboard"`
	}{Rows: [][]button{{{label, data}}}}
	out, _ := json.Marshal(kb)
	return string(out)
}
