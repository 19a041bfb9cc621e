package bot

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"testing"
	"time"
)

func sampleChart() chartData {
	var pts []chartPoint
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	n := int64(120)
	for i := range 28 {
		n += int64(i%5) * 7
		if i%6 == 0 {
			n -= 9
		}
		pts = append(pts, chartPoint{Day: day.AddDate(0, 0, i), N: n})
	}
	return chartData{
		ReadersTitle: "القرّاء خلال آخر 28 يوماً", // "readers over the last 28 days" (with a shadda)
		TopicsTitle:  "أكثر المواضيع متابعة",      // "most followed topics"
		ReadersAxis:  "القرّاء",                   // "readers"
		NoData:       "لا بيانات بعد",             // "no data yet"
		Readers:      pts,
		Topics: []chartBar{
			{"قوات سوريا الديمقراطية (قسد)", 412}, // SDF
			{"تنظيم داعش", 380},                   // ISIS
			{"التحالف الدولي", 233},               // the international coalition
			{"مخيم الهول", 190},                   // al-Hol camp
			{"الإدارة الذاتية", 150},              // the Autonomous Administration
			{"دير الزور", 98},                     // Deir ez-Zor
			{"Iraq 2026", 41},
		},
	}
}

func TestRenderChartIsPNGOfTheExpectedSize(t *testing.T) {
	for name, d := range map[string]chartData{
		"full":  sampleChart(),
		"empty": {ReadersTitle: "Readers", TopicsTitle: "Topics", NoData: "no data yet"},
		"one day": {ReadersTitle: "Readers", TopicsTitle: "Topics",
			Readers: []chartPoint{{Day: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), N: 1}},
			Topics:  []chartBar{{"SDF", 1}}},
	} {
		t.Run(name, func(t *testing.T) {
			b, err := renderChart(d)
			if err != nil {
				t.Fatalf("renderChart: %v", err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
			if err != nil || format != "png" {
				t.Fatalf("chart is not a PNG: format %q, %v", format, err)
			}
			if cfg.Width != chartWidth || cfg.Height != chartHeight {
				t.Errorf("chart is %d×%d; want %d×%d", cfg.Width, cfg.Height, chartWidth, chartHeight)
			}
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("chart does not decode: %v", err)
			}
			if dir := os.Getenv("NASHRA_CHART_OUT"); dir != "" {
				_ = os.WriteFile(fmt.Sprintf("%s/chart-%s.png", dir, name), b, 0o644)
			}
		})
	}
}

func TestRenderChartDrawsSomething(t *testing.T) {
	b, err := renderChart(sampleChart())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// The bars and the line are blue; a blank or text-only image has none.
	blue := 0
	for y := 0; y < chartHeight; y += 2 {
		for x := 0; x < chartWidth; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if bl>>8 > 0x80 && r>>8 < 0x40 && g>>8 < 0x70 {
				blue++
			}
		}
	}
	if blue < 1000 {
		t.Errorf("only %d blue sample points: the bars or the line are missing", blue)
	}
}

func TestShapeArabic(t *testing.T) {
	for _, tc := range []struct {
		in, want, gloss string
	}{
		// ق initial, س medial, د final.
		{"قسد", "\uFED7\uFEB4\uFEAA", "SDF"},
		// د and ا never join what follows: every letter of دار stands alone.
		{"دار", "\uFEA9\uFE8D\uFEAD", "house"},
		// lam-alef ligature, isolated then final.
		{"لا", "\uFEFB", "no"},
		{"سلام", "\uFEB3\uFEFC\uFEE1", "peace"},
		{"الإدارة", "\uFE8D\uFEF9\uFEA9\uFE8D\uFEAD\uFE93", "the administration"},
		// Vowel marks are dropped; tatweel keeps the join.
		{"تهديّدات", "\uFE97\uFEEC\uFEAA\uFEF3\uFEAA\uFE8D\uFE95", "threats (with a shadda)"},
		{"ـقـ", "ـ\uFED8ـ", "qaf between tatweels"},
	} {
		if got := string(shapeArabic(tc.in)); got != tc.want {
			t.Errorf("shapeArabic(%q /* %s */) = %U; want %U", tc.in, tc.gloss, []rune(got), []rune(tc.want))
		}
	}
}

func TestVisualOrder(t *testing.T) {
	for _, tc := range []struct {
		in, want, gloss string
	}{
		// Presentation forms, last letter first.
		{"قسد", "\uFEAA\uFEB4\uFED7", "SDF"},
		{"SDF", "SDF", "Latin stays as it is"},
		{"Readers 2026", "Readers 2026", "Latin with a number"},
		// Arabic words swap places; the number inside keeps its digits in order.
		{"آخر 28 يوماً", "\uFE8E\uFEE3\uFEEE\uFEF3 28 \uFEAE\uFEA7\uFE81", "last 28 days (tanween dropped)"},
		// A Latin run inside Arabic stays left to right; brackets mirror.
		{"قوات (SDF)", "(SDF) \uFE95\uFE8D\uFEEE\uFED7", "forces (SDF)"},
		// After Arabic, digits are Arabic numbers and "-" does not bind
		// them: the parts read right to left, as the bidi algorithm has it.
		{"العراق 2026-11", "11-2026 \uFED5\uFE8D\uFEAE\uFECC\uFEDF\uFE8D", "Iraq and a date"},
	} {
		if got := visualOrder(tc.in); got != tc.want {
			t.Errorf("visualOrder(%q /* %s */) = %q; want %q", tc.in, tc.gloss, got, tc.want)
		}
	}
}
