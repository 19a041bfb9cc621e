package bot

import (
	"testing"

	"github.com/go-telegram/bot/models"
)

// A button pressed on an old group digest belongs to the group's lane, in
// order with the group's other updates, not to the presser's.
func TestChatOfInaccessibleCallback(t *testing.T) {
	const group, user = -1001777000333, 405
	upd := &models.Update{CallbackQuery: &models.CallbackQuery{
		From: models.User{ID: user},
		Message: models.MaybeInaccessibleMessage{
			Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: group, Type: models.ChatTypeSupergroup}, MessageID: 7},
		},
	}}
	if got := chatOf(upd); got != group {
		t.Errorf("chatOf(callback on an inaccessible group message) = %d; want the group %d", got, group)
	}
}
