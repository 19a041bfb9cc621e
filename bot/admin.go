package bot

import (
	"context"

	"github.com/go-telegram/bot/models"
)

// adminHandler runs an admin command; the message is there for commands
// that use the message replied to (/broadcast as a reply forwards its text).
type adminHandler func(ctx context.Context, c chatCtx, args string, m *models.Message) error

// adminHandlers are the commands only NASHRA_ADMINS may run; anyone else
// gets a polite refusal and the attempt is logged.
func (b *Bot) adminHandlers() map[string]adminHandler {
	return map[string]adminHandler{
		"broadcast": b.broadcast,
		"stats":     b.stats,
	}
}
