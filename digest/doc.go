// Package digest turns feeds into digests: it polls the site's feeds,
// classifies and summarises each new article (packages feed, arabic,
// topics, summary), stores it once (package articles), decides which
// articles a reader's follows match, and renders digests as Telegram HTML.
package digest
