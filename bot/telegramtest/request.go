package telegramtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

const maxBody = 64 << 20

// File is an uploaded multipart file.
type File struct {
	Name string // file name given by the client
	Data []byte
}

// decodeRequest reads the parameters the way the Bot API does: query string,
// then a multipart, JSON or urlencoded body. Values are strings; JSON
// objects and arrays stay JSON text, as they travel in a form.
func decodeRequest(w http.ResponseWriter, r *http.Request) (map[string]string, map[string]File, error) {
	params := map[string]string{}
	for k, v := range r.URL.Query() {
		params[k] = v[0]
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	// Read to the end even when the parser stops at the closing boundary:
	// only then does net/http notice a client that goes away (and cancel
	// r.Context()) while a long poll or a slow answer waits.
	defer func() { _, _ = io.Copy(io.Discard, r.Body) }()
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		// A call without parameters arrives as an empty body, not even a
		// closing boundary.
		br := bufio.NewReader(r.Body)
		if _, err := br.Peek(1); err == io.EOF {
			return params, nil, nil
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{br, r.Body}
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return params, nil, errors.New("can't parse multipart/form-data body")
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
		for k, v := range r.MultipartForm.Value {
			params[k] = v[0]
		}
		if len(r.MultipartForm.File) == 0 {
			return params, nil, nil
		}
		files := map[string]File{}
		for k, fhs := range r.MultipartForm.File {
			f, err := fhs[0].Open()
			if err != nil {
				return params, nil, errors.New("can't read uploaded file")
			}
			data, err := io.ReadAll(f)
			_ = f.Close()
			if err != nil {
				return params, nil, errors.New("can't read uploaded file")
			}
			files[k] = File{Name: fhs[0].Filename, Data: data}
		}
		return params, files, nil
	case "application/json":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return params, nil, errors.New("can't read request body")
		}
		if len(bytes.TrimSpace(body)) == 0 {
			return params, nil, nil
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			return params, nil, errors.New("can't parse JSON object")
		}
		for k, raw := range fields {
			raw = bytes.TrimSpace(raw)
			switch {
			case string(raw) == "null":
			case len(raw) > 0 && raw[0] == '"':
				var v string
				if err := json.Unmarshal(raw, &v); err != nil {
					return params, nil, errors.New("can't parse JSON object")
				}
				params[k] = v
			default:
				params[k] = string(raw)
			}
		}
		return params, nil, nil
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return params, nil, errors.New("can't parse urlencoded body")
		}
		for k, v := range r.PostForm {
			params[k] = v[0]
		}
		return params, nil, nil
	default:
		_, _ = io.Copy(io.Discard, r.Body)
		return params, nil, nil
	}
}

// int64Param parses an integer parameter; ok is false when it is absent.
func int64Param(p map[string]string, name string) (v int64, ok bool, err error) {
	s, present := p[name]
	if !present || s == "" {
		return 0, false, nil
	}
	v, err = strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return v, true, err
}

// boolParam reads a boolean the way the Bot API does ("true", "1", "True").
func boolParam(p map[string]string, name string) bool {
	switch strings.ToLower(strings.TrimSpace(p[name])) {
	case "true", "1":
		return true
	}
	return false
}
