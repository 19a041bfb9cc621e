package feed

import "testing"

func TestPlainText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain", "  نص   عادي\n\n", "نص عادي"}, // plain text
		{"entities", "الحل &amp; نت &#8211; &laquo;خبر&raquo;", "الحل & نت – «خبر»"},
		{"double-encoded entity stays once-decoded", "a &amp;amp; b", "a &amp; b"},
		{"paragraphs", "<p>أول</p><p>ثاني</p>", "أول\nثاني"}, // first, second
		{"br and lists", "سطر<br>سطر<br/><ul><li>أ</li><li>ب</li></ul>", "سطر\nسطر\nأ\nب"},
		{"inline tags join", "<p>قوات <b>سوريا</b> <a href='x'>الديمقراطية</a></p>", "قوات سوريا الديمقراطية"},
		{"script and style dropped", "<p>أ</p><script>var x = '<p>no</p>';</script><style>p{}</style><p>ب</p>", "أ\nب"},
		{"figure caption dropped", "<figure><img src=x><figcaption>صورة <b>أرشيفية</b></figcaption></figure><p>نص</p>", "نص"},
		{"nbsp paragraph dropped", "<p>أ</p><p>&nbsp;</p><p>ب</p>", "أ\nب"},
		{"escaped tag is text", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
		{"unclosed script", "<p>أ</p><script>for(;;){}", "أ"},
		{"stray angle bracket", "3 < 5 و 6 > 4", "3 < 5 و 6 > 4"},
		{"control characters", "أ\x00ب\x1bج", "أبج"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PlainText(tc.in); got != tc.want {
				t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
