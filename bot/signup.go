package bot

import (
	"context"
	"errors"
	"fmt"
	"html"

	"nashra/signup"
	"nashra/subscribers"
)

// pageSignup is what a /start payload's signup token (package signup)
// brought: nothing when the payload carries none, the reader's choice on
// the site, or the reason it cannot be applied.
type pageSignup struct {
	token   bool // the payload carries a token
	choice  signup.Choice
	refused error // signup.ErrUnknown or signup.ErrUsed
}

// lang is the page's language, for a reader who joins with this /start.
func (p pageSignup) lang() string {
	if p.token && p.refused == nil {
		return p.choice.Lang
	}
	return ""
}

// redeemSignup resolves the token of a /start payload, if it has one.
func (b *Bot) redeemSignup(ctx context.Context, payload string) (pageSignup, error) {
	tok, ok := signup.TokenOf(payload)
	if !ok {
		return pageSignup{}, nil
	}
	p := pageSignup{token: true}
	if b.opt.Signups == nil {
		p.refused = signup.ErrUnknown
		return p, nil
	}
	c, err := b.opt.Signups.Redeem(ctx, tok)
	switch {
	case errors.Is(err, signup.ErrUnknown), errors.Is(err, signup.ErrUsed):
		p.refused = err
	case err != nil:
		return p, err
	}
	p.choice = c
	return p, nil
}

// applySignup makes the reader follow exactly the topics chosen on the
// page (a keyword they follow stays: the page offers none), or adds those
// of an email list's invitation, and sets the chosen time, which /start's
// screen then shows. It returns the names of
// the topics followed, for that screen, or the note that says why the
// link's choice was not applied. Without a token it does nothing.
func (b *Bot) applySignup(ctx context.Context, c chatCtx, p pageSignup) (followed []string, note string, err error) {
	t := textsFor(c.lang)
	switch {
	case !p.token:
		return nil, "", nil
	case errors.Is(p.refused, signup.ErrUsed):
		return nil, t.SignupUsed, nil
	case p.refused != nil:
		return nil, t.SignupExpired, nil
	}
	want := map[string]bool{}
	for _, slug := range p.choice.Topics {
		want[slug] = true
	}
	// An email list's invitation only adds: it tells what the subscriber
	// once ticked by email, not what a reader already here chose since.
	if p.choice.Invite == "" {
		current, err := b.store.Follows(ctx, c.id)
		if err != nil {
			return nil, "", err
		}
		for _, f := range current {
			if f.Topic != "" && !want[f.Topic] {
				if _, err := b.store.Unfollow(ctx, c.id, f.Key); err != nil {
					return nil, "", err
				}
			}
		}
	}
	for _, slug := range p.choice.Topics {
		topic, ok := b.catalog.Get(slug)
		if !ok {
			continue // the catalog changed since the page was shown
		}
		r, err := b.store.Follow(ctx, c.id, subscribers.TopicFollow(slug))
		if err != nil {
			return nil, "", err
		}
		if r == subscribers.LimitReached {
			break
		}
		followed = append(followed, html.EscapeString(topic.Name(c.lang)))
	}
	if spec, ok := signupSchedule(p.choice.Schedule); ok {
		if err := b.store.SetSchedule(ctx, c.id, spec); err != nil {
			return nil, "", err
		}
	}
	return followed, "", nil
}

// signupSchedule checks a schedule from the page: the default (""),
// instant, or a daily time as /time stores it.
func signupSchedule(spec string) (string, bool) {
	if spec == "" || spec == subscribers.Instant {
		return spec, true
	}
	var m, h int
	var rest string
	if n, _ := fmt.Sscanf(spec, "%d %d %s", &m, &h, &rest); n != 3 || m < 0 || m > 59 || h < 0 || h > 23 ||
		spec != fmt.Sprintf("%d %d * * *", m, h) {
		return "", false
	}
	return spec, true
}
