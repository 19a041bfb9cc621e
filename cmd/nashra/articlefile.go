package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// readArticle reads an article as plain text: the first non-empty line is
// the title, the rest the body. With no file it reads standard input.
func readArticle(e *env) (title, body string, err error) {
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
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.TrimLeft(text, "\n\t \ufeff")
	title, body, _ = strings.Cut(text, "\n")
	if strings.TrimSpace(title) == "" {
		return "", "", fmt.Errorf("the article is empty")
	}
	return strings.TrimSpace(title), body, nil
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
