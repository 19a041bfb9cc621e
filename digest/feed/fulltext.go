package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html/charset"
)

// ErrNoText is returned by FullText when neither source gave any text.
var ErrNoText = errors.New("no article text found")

// FullText returns the article's full plain text, for items whose feed
// carries only an excerpt. It asks the WordPress REST API on the item's host
// (/wp-json/wp/v2/posts/<id>) when the WordPress ID is known, because that is
// the post exactly as written; when that fails (the API disabled, the post
// protected) or the ID is unknown, it fetches the article page and extracts
// the text with readability. Both requests get the Fetcher's timeout and
// size cap.
func (f *Fetcher) FullText(ctx context.Context, item Item) (string, error) {
	var restErr error
	if item.WordPressID > 0 {
		text, err := f.restText(ctx, item)
		if err == nil && text != "" {
			return text, nil
		}
		restErr = err
	}
	if item.Link == "" {
		if restErr != nil {
			return "", restErr
		}
		return "", fmt.Errorf("full text of %s: %w", item.ID, ErrNoText)
	}
	text, err := f.pageText(ctx, item.Link)
	if err != nil {
		if restErr != nil {
			return "", fmt.Errorf("full text of %s: %w; page: %w", item.ID, restErr, err)
		}
		return "", fmt.Errorf("full text of %s: %w", item.ID, err)
	}
	return text, nil
}

// restEndpoint is the REST URL of a post on the item's host (the link's: a
// GUID minted before a move to https or to a new domain still names the
// old one). The ?p=ID GUID, when on the same host, gives the site root, which
// keeps a WordPress installed under a sub-path right.
func restEndpoint(item Item) (string, error) {
	site, err := url.Parse(item.Link)
	if err != nil || site.Host == "" {
		g, id := wordPressPostURL(item.GUID)
		if id == 0 {
			return "", fmt.Errorf("no host for post %d", item.WordPressID)
		}
		site = g
	}
	root := ""
	if g, id := wordPressPostURL(item.GUID); id > 0 && strings.EqualFold(g.Host, site.Host) {
		root = strings.TrimRight(g.EscapedPath(), "/")
	}
	return site.Scheme + "://" + site.Host + root + "/wp-json/wp/v2/posts/" +
		strconv.FormatInt(item.WordPressID, 10) + "?_fields=id,content", nil
}

func (f *Fetcher) restText(ctx context.Context, item Item) (string, error) {
	endpoint, err := restEndpoint(item)
	if err != nil {
		return "", err
	}
	header := http.Header{}
	header.Set("Accept", "application/json")
	body, _, err := f.get(ctx, endpoint, header)
	if err != nil {
		return "", err
	}
	var post struct {
		ID      int64 `json:"id"`
		Content struct {
			Rendered  string `json:"rendered"`
			Protected bool   `json:"protected"`
		} `json:"content"`
	}
	if err := json.Unmarshal(body, &post); err != nil {
		return "", fmt.Errorf("GET %s: %w", endpoint, err)
	}
	if post.Content.Protected {
		return "", fmt.Errorf("GET %s: post is password-protected", endpoint)
	}
	text := PlainText(post.Content.Rendered)
	if text == "" {
		return "", fmt.Errorf("GET %s: %w", endpoint, ErrNoText)
	}
	return text, nil
}

func (f *Fetcher) pageText(ctx context.Context, link string) (string, error) {
	pageURL, err := url.Parse(link)
	if err != nil {
		return "", err
	}
	header := http.Header{}
	header.Set("Accept", "text/html,application/xhtml+xml")
	body, resp, err := f.get(ctx, link, header)
	if err != nil {
		return "", err
	}
	// Pages in windows-1256 still exist; the meta tags or the header say so.
	r, err := charset.NewReader(bytes.NewReader(body), resp.Header.Get("Content-Type"))
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", link, err)
	}
	article, err := readability.FromReader(r, pageURL)
	if err != nil {
		return "", fmt.Errorf("extract %s: %w", link, err)
	}
	if article.Node == nil {
		return "", fmt.Errorf("extract %s: %w", link, ErrNoText)
	}
	var buf bytes.Buffer
	if err := article.RenderHTML(&buf); err != nil {
		return "", fmt.Errorf("extract %s: %w", link, err)
	}
	text := PlainText(buf.String())
	if text == "" {
		return "", fmt.Errorf("extract %s: %w", link, ErrNoText)
	}
	return text, nil
}
