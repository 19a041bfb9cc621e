package main

import (
	"context"
	"sync"
	"time"
)

// botNameCache asks Telegram for the bot's username once and keeps it:
// the signup page needs it for every link. A failure is kept for a short
// while, so that a Telegram outage costs one call per retryAfter rather
// than one per visitor.
type botNameCache struct {
	resolve    func(ctx context.Context) (string, error)
	retryAfter time.Duration

	mu       sync.Mutex
	name     string
	err      error
	failedAt time.Time
}

func newBotNameCache(cfg Config) *botNameCache {
	return &botNameCache{
		resolve: func(ctx context.Context) (string, error) {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			return resolveBotUsername(ctx, cfg, "")
		},
		retryAfter: 10 * time.Second,
	}
}

func (c *botNameCache) get(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.name != "" {
		return c.name, nil
	}
	if c.err != nil && time.Since(c.failedAt) < c.retryAfter {
		return "", c.err
	}
	name, err := c.resolve(ctx)
	if err != nil {
		c.err, c.failedAt = err, time.Now()
		return "", err
	}
	c.name, c.err = name, nil
	return name, nil
}
