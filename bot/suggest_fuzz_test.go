package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"nashra/digest/topics"
)

// Whatever a reader types, each name in it is either refused in words or
// becomes a follow the store accepts: a catalog topic, or a keyword of at
// most MaxTopicRunes letters; what is echoed is escaped; every button it
// gets fits Telegram's 64 bytes and routes.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"قسد", "تنظيم داعش", "تابع الرقة", "القامشلي؟", "قصد", "مرحبا", "<b>x</b>", "👍",
		"قسد، الرقة\nمنبج", "محطة مياه علوك في رأس العين", "تابع", "؟؟", "#قوات_سوريا_الديمقراطية", "\u200fقسد\u200e"} {
		f.Add(s)
	}
	b := &Bot{catalog: topics.Builtin()}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		for _, raw := range splitItems(text) {
			item := plainItem(raw)
			for _, lang := range []string{"ar", "en"} {
				w := b.resolve(lang, item)
				if w.err != "" {
					continue
				}
				if strings.ContainsAny(w.label, "<>") {
					t.Fatalf("%q: label %q is not escaped", item, w.label)
				}
				switch {
				case w.follow.Topic != "":
					tp, ok := b.catalog.Get(w.follow.Topic)
					if !ok {
						t.Fatalf("%q follows %q, not in the catalog", item, w.follow.Topic)
					}
					data := followTopicButton(lang, tp).CallbackData
					if r, _, ok := b.route(data); !ok || r.kind != cbFollow || len(data) > 64 {
						t.Fatalf("%q: button data %q does not route or fit", item, data)
					}
				default:
					if w.follow.Keyword == "" || utf8.RuneCountInString(w.follow.Keyword) > MaxTopicRunes || !strings.HasPrefix(w.follow.Key, "k:") || len(w.follow.Key) == 2 {
						t.Fatalf("%q: keyword follow %+v", item, w.follow)
					}
					if n := len(b.catalog.Nearest(w.follow.Keyword, nearestOffered)); n > nearestOffered {
						t.Fatalf("%q: %d topics offered", item, n)
					}
				}
			}
		}
	})
}
