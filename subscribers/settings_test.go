package subscribers_test

import (
	"context"
	"errors"
	"testing"

	"nashra/subscribers"
)

// The nonce that links to the preference page are signed over: made once,
// kept while the reader stays, gone with /stop and /forget so that every
// link sent before is refused.
func TestSettingsNonce(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	const chat = 1201
	if _, err := s.SettingsNonce(ctx, chat); !errors.Is(err, subscribers.ErrNotFound) {
		t.Fatalf("SettingsNonce of a stranger = %v; want ErrNotFound", err)
	}
	if _, err := s.CurrentSettingsNonce(ctx, chat); !errors.Is(err, subscribers.ErrNotFound) {
		t.Fatalf("CurrentSettingsNonce of a stranger = %v; want ErrNotFound", err)
	}
	if _, err := s.Start(ctx, chat, subscribers.Joined{Source: "direct", ChatType: "private"}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CurrentSettingsNonce(ctx, chat); n != "" || err != nil {
		t.Fatalf("CurrentSettingsNonce before any link = %q, %v; want none", n, err)
	}
	first, err := s.SettingsNonce(ctx, chat)
	if err != nil || len(first) < 16 {
		t.Fatalf("SettingsNonce = %q, %v; want a random value", first, err)
	}
	again, err := s.SettingsNonce(ctx, chat)
	if err != nil || again != first {
		t.Errorf("a second SettingsNonce = %q, %v; want the first kept (%q)", again, err, first)
	}
	if cur, err := s.CurrentSettingsNonce(ctx, chat); cur != first || err != nil {
		t.Errorf("CurrentSettingsNonce = %q, %v; want %q", cur, err, first)
	}
	// A pause keeps it: the reader still changes their settings.
	if _, err := s.SetStatus(ctx, chat, subscribers.Paused, "pause"); err != nil {
		t.Fatal(err)
	}
	if cur, _ := s.CurrentSettingsNonce(ctx, chat); cur != first {
		t.Errorf("after a pause the nonce is %q; want %q kept", cur, first)
	}
	// /stop drops it; a link asked for after coming back gets a new one.
	if _, err := s.SetStatus(ctx, chat, subscribers.Stopped, "stop"); err != nil {
		t.Fatal(err)
	}
	if cur, err := s.CurrentSettingsNonce(ctx, chat); cur != "" || err != nil {
		t.Errorf("after /stop the nonce is %q, %v; want none", cur, err)
	}
	if _, err := s.Start(ctx, chat, subscribers.Joined{}); err != nil {
		t.Fatal(err)
	}
	second, err := s.SettingsNonce(ctx, chat)
	if err != nil || second == "" || second == first {
		t.Errorf("nonce after coming back = %q, %v; want a new one (not %q)", second, err, first)
	}
	if err := s.Forget(ctx, chat); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CurrentSettingsNonce(ctx, chat); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("CurrentSettingsNonce after /forget = %v; want ErrNotFound", err)
	}
}
