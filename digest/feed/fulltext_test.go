package feed

import (
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// articlePage is a WordPress-like page around the seed article: navigation,
// a sidebar of other stories, a footer.
func articlePage(title, text string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>` + html.EscapeString(title) + ` - الحل نت</title></head><body>`)
	b.WriteString(`<header><nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/category/syria/">سوريا</a></li><li><a href="/category/iraq/">العراق</a></li></ul></nav></header>`)
	b.WriteString(`<main><article class="post"><h1 class="entry-title">` + html.EscapeString(title) + `</h1><div class="entry-content">`)
	for _, p := range strings.Split(text, "\n") {
		b.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
	}
	b.WriteString(`</div></article></main>`)
	b.WriteString(`<aside class="sidebar"><h3>الأكثر قراءة</h3><ul><li><a href="/x">خبر جانبي أول</a></li><li><a href="/y">خبر جانبي ثان</a></li></ul></aside>`)
	b.WriteString(`<footer><p>جميع الحقوق محفوظة</p></footer><script>var tracker = 1;</script></body></html>`)
	return b.String()
}

type fakeSite struct {
	srv      *httptest.Server
	restHits atomic.Int32
	pageHits atomic.Int32
}

// newFakeSite serves the seed article through the REST API (restStatus
// 200, or an error status, or -1 for a password-protected post) and as a
// page.
func newFakeSite(t *testing.T, restStatus int, page string, pageContentType string) *fakeSite {
	t.Helper()
	_, text := seedArticle(t)
	fs := &fakeSite{}
	mux := http.NewServeMux()
	mux.HandleFunc("/wp-json/wp/v2/posts/{id}", func(w http.ResponseWriter, r *http.Request) {
		fs.restHits.Add(1)
		if r.PathValue("id") != "123456" {
			http.Error(w, `{"code":"rest_post_invalid_id"}`, http.StatusNotFound)
			return
		}
		if restStatus > 0 && restStatus != http.StatusOK {
			http.Error(w, `{"code":"rest_disabled"}`, restStatus)
			return
		}
		var rendered strings.Builder
		for _, p := range strings.Split(text, "\n") {
			rendered.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
		}
		rendered.WriteString(`<figure><img src="a.jpg"><figcaption>صورة أرشيفية</figcaption></figure>`)
		post := map[string]any{"id": 123456, "content": map[string]any{"rendered": rendered.String(), "protected": false}}
		if restStatus == -1 {
			post["content"] = map[string]any{"rendered": "", "protected": true}
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		json.NewEncoder(w).Encode(post)
	})
	mux.HandleFunc("/2023/06/12/threats/", func(w http.ResponseWriter, r *http.Request) {
		fs.pageHits.Add(1)
		w.Header().Set("Content-Type", pageContentType)
		w.Write([]byte(page))
	})
	fs.srv = httptest.NewServer(mux)
	t.Cleanup(fs.srv.Close)
	return fs
}

func TestFullText(t *testing.T) {
	title, text := seedArticle(t)
	page := articlePage(title, text)
	for _, tc := range []struct {
		name               string
		restStatus         int
		wpID               bool
		wantREST, wantPage int32
	}{
		{"REST API", http.StatusOK, true, 1, 0},
		{"REST API disabled: the page", http.StatusUnauthorized, true, 1, 1},
		{"REST API missing: the page", http.StatusNotFound, true, 1, 1},
		{"protected post: the page", -1, true, 1, 1},
		{"no WordPress ID: the page", http.StatusOK, false, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeSite(t, tc.restStatus, page, "text/html; charset=UTF-8")
			it := Item{ID: "x", Link: fs.srv.URL + "/2023/06/12/threats/", Excerpt: true}
			if tc.wpID {
				it.GUID = "http://" + strings.TrimPrefix(fs.srv.URL, "http://") + "/?p=123456"
				it.WordPressID = 123456
			}
			got, err := (&Fetcher{}).FullText(t.Context(), it)
			if err != nil {
				t.Fatalf("FullText: %v", err)
			}
			if tc.wantPage == 0 && got != text {
				t.Errorf("REST text differs from the article:\ngot  %q\nwant %q", got, text)
			}
			if tc.wantPage > 0 {
				// Readability keeps the article and drops the chrome.
				paras := strings.Split(text, "\n")
				for _, p := range []string{paras[0], paras[len(paras)/2], paras[len(paras)-3]} {
					if !strings.Contains(got, p) {
						t.Errorf("page text lacks the paragraph %q", p)
					}
				}
				for _, chrome := range []string{"الأكثر قراءة", "جميع الحقوق محفوظة", "tracker"} { // most read, all rights reserved
					if strings.Contains(got, chrome) {
						t.Errorf("page text keeps %q", chrome)
					}
				}
			}
			if r, p := fs.restHits.Load(), fs.pageHits.Load(); r != tc.wantREST || p != tc.wantPage {
				t.Errorf("REST hits %d, page hits %d; want %d, %d", r, p, tc.wantREST, tc.wantPage)
			}
		})
	}
}

func TestFullTextWindows1256Page(t *testing.T) {
	title, text := seedArticle(t)
	// The seed's typographic quotes have no windows-1256 code: use plain ones.
	text = strings.NewReplacer("“", `"`, "”", `"`).Replace(text)
	title = strings.NewReplacer("“", `"`, "”", `"`).Replace(title)
	page := strings.Replace(articlePage(title, text), `<meta charset="utf-8">`, `<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">`, 1)
	encoded, err := charmap.Windows1256.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	fs := newFakeSite(t, http.StatusOK, encoded, "text/html")
	got, err := (&Fetcher{}).FullText(t.Context(), Item{ID: "x", Link: fs.srv.URL + "/2023/06/12/threats/"})
	if err != nil {
		t.Fatalf("FullText: %v", err)
	}
	if first := strings.Split(text, "\n")[0]; !strings.Contains(got, first) {
		t.Errorf("text lacks the first paragraph %q:\n%q", first, got)
	}
}

func TestFullTextErrors(t *testing.T) {
	fs := newFakeSite(t, http.StatusNotFound, "", "text/html")
	for _, tc := range []struct {
		name string
		item Item
	}{
		{"no link, no REST", Item{ID: "x"}},
		{"page missing", Item{ID: "x", Link: fs.srv.URL + "/nowhere/"}},
		{"REST and page missing", Item{ID: "x", Link: fs.srv.URL + "/nowhere/", GUID: fs.srv.URL + "/?p=9", WordPressID: 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := (&Fetcher{}).FullText(t.Context(), tc.item)
			if err == nil {
				t.Errorf("FullText(%+v) = %q, want an error", tc.item, got)
			}
		})
	}
	// The page's status is typed, for the caller to back off.
	_, err := (&Fetcher{}).FullText(t.Context(), Item{ID: "x", Link: fs.srv.URL + "/nowhere/"})
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusNotFound {
		t.Errorf("err = %v, want an *HTTPError 404", err)
	}
}

func TestFullTextSizeCap(t *testing.T) {
	title, text := seedArticle(t)
	fs := newFakeSite(t, http.StatusOK, articlePage(title, text), "text/html")
	it := Item{ID: "x", Link: fs.srv.URL + "/2023/06/12/threats/", GUID: fs.srv.URL + "/?p=123456", WordPressID: 123456}
	_, err := (&Fetcher{MaxBytes: 1024}).FullText(t.Context(), it)
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Errorf("FullText with a 1 KiB cap = %v, want a *TooLargeError", err)
	}
}
