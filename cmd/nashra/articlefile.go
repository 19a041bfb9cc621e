package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"nashra/digest/summary"
)

// titleChoice is how an article file's title is found: given (--title),
// absent (--no-title), or found in the text (summary.SplitTitle).
type titleChoice struct {
	given string
	none  bool
}

// readArticle reads an article as plain text, from the file named on the
// command line or standard input, in UTF-8 (with or without a byte order
// mark), UTF-16 with a byte order mark, or Windows-1256, with any line
// ends. The title is found as tc says; the rest is the body.
func readArticle(e *env, tc titleChoice) (title, body string, err error) {
	var data []byte
	switch len(e.args) {
	case 0:
		data, err = io.ReadAll(io.LimitReader(e.stdin, maxArticleBytes+1))
	case 1:
		data, err = readFileLimited(e.args[0])
	default:
		return "", "", fmt.Errorf("%w: one article file at most, got %d", errUsage, len(e.args))
	}
	if err != nil {
		return "", "", err
	}
	if len(data) > maxArticleBytes {
		return "", "", fmt.Errorf("the article is larger than %d MB", maxArticleBytes>>20)
	}
	text, err := decodeArticle(data)
	if err != nil {
		return "", "", err
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	switch {
	case tc.given != "":
		title, body = strings.TrimSpace(tc.given), strings.TrimSpace(text)
	case tc.none:
		body = strings.TrimSpace(text)
	default:
		title, body = summary.SplitTitle(text)
	}
	if title == "" && body == "" {
		return "", "", fmt.Errorf("the article is empty")
	}
	return title, body, nil
}

// decodeArticle makes text of an article file: UTF-8 as it is (its byte
// order mark dropped), UTF-16 by its byte order mark, and anything that is
// not UTF-8 as Windows-1256, the Arabic code page old archives use.
func decodeArticle(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", fmt.Errorf("the article is not valid UTF-16: %w", err)
		}
		return string(out), nil
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := charmap.Windows1256.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("the article is neither UTF-8 nor Windows-1256: %w", err)
	}
	return string(out), nil
}

const maxArticleBytes = 4 << 20

func readFileLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxArticleBytes+1))
}
