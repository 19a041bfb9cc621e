package bot_test

import (
	"nashra/bot"
	"nashra/bot/ratelimit"
	"nashra/subscribers/redistest"
)

// limited gives the bot the limiter a sender on the same Redis uses.
func limited(r *redistest.Redis, opt bot.Options) bot.Options {
	opt.Limiter = ratelimit.New(r.Client, r.Prefix, 25, 0.04)
	return opt
}
