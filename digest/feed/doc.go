// Package feed owns getting articles out of the site's feeds: the HTTP
// fetch (conditional GET, timeout, size cap, gzip, declared encodings),
// parsing RSS and Atom into plain-text Items with a stable identity, and the
// full text of articles whose feed carries only an excerpt. It stores
// nothing; the caller records validators, seen IDs and articles.
package feed
