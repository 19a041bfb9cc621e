package bot

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/font"
)

// sampleChart is four weeks of readers and seven topics, in Arabic (or
// in English).
func sampleChart(lang string) chartData {
	t := statsTextsFor(lang)
	var pts []chartPoint
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	n := int64(120)
	for i := range 28 {
		n += int64(i%5) * 7
		if i%6 == 0 {
			n -= 9
		}
		pts = append(pts, chartPoint{Day: t.Date(day.AddDate(0, 0, i)), N: n})
	}
	d := chartData{
		RTL:          lang != "en",
		ReadersTitle: fmt.Sprintf(t.ChartReaders, t.Span(28)),
		DayAxis:      t.ChartDayAxis,
		CountAxis:    t.ChartCountAxis,
		NoReaders:    t.ChartNoReaders,
		TopicsTitle:  t.ChartTopics,
		NoTopics:     t.ChartNoTopics,
		Readers:      pts,
		Topics: []chartBar{
			{"قوات سوريا الديمقراطية (قسد)", 412}, // SDF
			{"تنظيم داعش", 380},                   // ISIS
			{"التحالف الدولي", 233},               // the international coalition
			{"مخيم الهول", 190},                   // al-Hol camp
			{"الإدارة الذاتية", 150},              // the Autonomous Administration
			{"دير الزور", 98},                     // Deir ez-Zor
			{"Iraq 2026", 3},
		},
	}
	if lang == "en" {
		d.Topics = []chartBar{{"Syrian Democratic Forces", 412}, {"ISIS", 380}, {"Deir ez-Zor", 98}, {"Iraq", 3}}
	}
	return d
}

// emptyChart is the chart of a newsroom nobody has subscribed to yet.
func emptyChart(lang string) chartData {
	d := sampleChart(lang)
	d.Readers, d.Topics = nil, nil
	return d
}

func renderImage(t *testing.T, name string, d chartData) image.Image {
	t.Helper()
	b, err := renderChart(d)
	if err != nil {
		t.Fatalf("renderChart: %v", err)
	}
	if dir := os.Getenv("NASHRA_CHART_OUT"); dir != "" {
		_ = os.WriteFile(fmt.Sprintf("%s/chart-%s.png", dir, name), b, 0o644)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || format != "png" {
		t.Fatalf("chart is not a PNG: format %q, %v", format, err)
	}
	if cfg.Width != chartWidth || cfg.Height != chartHeight {
		t.Errorf("chart is %d×%d; want %d×%d", cfg.Width, cfg.Height, chartWidth, chartHeight)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("chart does not decode: %v", err)
	}
	return img
}

func TestRenderChartIsPNGOfTheExpectedSize(t *testing.T) {
	for _, lang := range []string{"ar", "en"} {
		for name, d := range map[string]chartData{
			"full":  sampleChart(lang),
			"empty": emptyChart(lang),
			"one day": {ReadersTitle: "Readers", TopicsTitle: "Topics",
				Readers: []chartPoint{{Day: "28/11", N: 1}},
				Topics:  []chartBar{{"SDF", 1}}},
			"thousands": {ReadersTitle: "Readers", TopicsTitle: "Topics",
				Readers: slices.Repeat([]chartPoint{{Day: "28/11", N: 123456}}, 30),
				Topics:  []chartBar{{"SDF", 99999}}},
		} {
			t.Run(lang+" "+name, func(t *testing.T) {
				renderImage(t, lang+"-"+strings.ReplaceAll(name, " ", "-"), d)
			})
		}
	}
}

// The readers of each day are bars, and each bar carries its count:
// light pixels (the digits) inside the blue of every bar.
func TestChartWritesTheReadersInTheirBars(t *testing.T) {
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			d := sampleChart(lang)
			bars := readerBars(renderImage(t, lang+"-bars", d))
			if len(bars) != len(d.Readers) {
				t.Fatalf("found %d bars; want one per day, %d", len(bars), len(d.Readers))
			}
			for i, b := range bars {
				if b.Light < 15 {
					t.Errorf("bar %d (%s, %d readers) at x %d–%d: %d light pixels inside; want its count written in it",
						i, d.Readers[i].Day, d.Readers[i].N, b.From, b.To, b.Light)
				}
				if b.Above > 0 {
					t.Errorf("bar %d (%s, %d readers): %d dark pixels above it; want its count inside, not above",
						i, d.Readers[i].Day, d.Readers[i].N, b.Above)
				}
			}
		})
	}
}

// Right to left, the topic bars start on the right, under the names'
// reading start, and grow to the left; in English they grow to the right.
func TestChartTopicsReadInTheirDirection(t *testing.T) {
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			d := sampleChart(lang)
			bars := topicBars(renderImage(t, lang+"-topics", d))
			if len(bars) != len(d.Topics) {
				t.Fatalf("found %d topic bars; want %d: %v", len(bars), len(d.Topics), bars)
			}
			for i := 1; i < len(bars); i++ {
				start, prev := bars[i].From, bars[0].From
				grows := bars[i].To < bars[i-1].To
				if lang == "ar" {
					start, prev = bars[i].To, bars[0].To
					grows = bars[i].From > bars[i-1].From
				}
				if abs(start-prev) > 1 || !grows {
					t.Errorf("%s bar %d spans x %d–%d after %d–%d; want bars of one origin, shorter down the list, growing %s",
						lang, i, bars[i].From, bars[i].To, bars[i-1].From, bars[i-1].To, map[string]string{"ar": "to the left", "en": "to the right"}[lang])
				}
			}
			if lang == "ar" && bars[0].To < chartWidth/2 || lang == "en" && bars[0].From > chartWidth/2 {
				t.Errorf("%s: the bars start at x %d–%d, on the wrong side", lang, bars[0].From, bars[0].To)
			}
		})
	}
}

func abs(n int) int { return max(n, -n) }

// With nobody to count, each panel says so in words in its middle,
// with no bars, axes or zeros.
func TestChartSaysEmptyInWords(t *testing.T) {
	for _, lang := range []string{"ar", "en"} {
		t.Run(lang, func(t *testing.T) {
			img := renderImage(t, lang+"-empty", emptyChart(lang))
			full := renderImage(t, lang+"-full", sampleChart(lang))
			if n := len(blueRuns(img, chartWidth*chartHeight, func(i int) color.Color { return img.At(i%chartWidth, i/chartWidth) })); n > 0 {
				t.Errorf("empty chart has %d blue stretches; want no bars", n)
			}
			// The middle band of each panel holds a sentence: dark pixels
			// across its centre, where the full chart's top panel has bars.
			for _, band := range []image.Rectangle{
				image.Rect(200, 170, 1000, 230), // readers
				image.Rect(200, 570, 1000, 630), // topics
			} {
				if n := inkIn(img, band); n < 300 {
					t.Errorf("%s: %d dark pixels in %v; want the empty state written there", lang, n, band)
				}
			}
			// The axes of an empty plot are not drawn: the left edge of
			// the readers panel, where the full chart has its count axis,
			// stays blank.
			axis := image.Rect(16, 60, 90, 400)
			if inkIn(full, axis) < 100 {
				t.Fatalf("the full chart has no count axis in %v; the check below means nothing", axis)
			}
			if n := inkIn(img, axis); n > 0 {
				t.Errorf("%s: the empty chart draws %d dark pixels of an axis in %v", lang, n, axis)
			}
		})
	}
}

// The days along the axis are day/month, in the language's words for
// English, and today is always named.
func TestChartDaysAreDayMonth(t *testing.T) {
	for lang, want := range map[string][]string{
		"ar": {"1/11", "28/11"},
		"en": {"1 Nov", "28 Nov"},
	} {
		d := sampleChart(lang)
		p := readersPlot(d, mustFonts(t), 876)
		ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
		var labels []string
		for _, tk := range ticks {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if len(labels) < 5 || labels[len(labels)-1] != want[1] {
			t.Errorf("%s day labels %q; want several, the last %q", lang, labels, want[1])
		}
		if first := d.Readers[0].Day; first != want[0] {
			t.Errorf("%s: 1 November is %q; want %q", lang, first, want[0])
		}
	}
}

func mustFonts(t *testing.T) *font.Cache {
	t.Helper()
	f, err := chartFonts()
	if err != nil {
		t.Fatal(err)
	}
	return f
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
