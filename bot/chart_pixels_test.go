package bot

import (
	"image"
	"image/color"
)

// What the chart tests read in the pixels of a chart: its bars (the blue
// of chartBlue) and what is written in and around them.

func isBlue(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return b>>8 > 0x80 && r>>8 < 0x40 && g>>8 < 0x70
}

func isLight(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 > 0xc0 && g>>8 > 0xc0 && b>>8 > 0xc0
}

// run is a stretch [from, to) of pixels.
type run struct{ from, to int }

// blueRuns lists the stretches of bar colour along row y (or column x).
func blueRuns(img image.Image, n int, at func(i int) color.Color) []run {
	var out []run
	for i := 0; i < n; i++ {
		if !isBlue(at(i)) {
			continue
		}
		j := i
		for j < n && isBlue(at(j)) {
			j++
		}
		out = append(out, run{i, j})
		i = j
	}
	return out
}

// barSpan is a bar found in a chart: the columns [From, To) it spans,
// how many light pixels (the digits of its count) it holds, and how many
// dark ones (the digits of a count too wide for it) stand just above it.
type barSpan struct{ From, To, Light, Above int }

// labelled reports a count written in the bar or on top of it.
func (b barSpan) labelled() bool { return b.Light >= 15 || b.Above >= 15 }

// readerBars finds the bars of the top panel, left to right, each with
// the light pixels inside it: the digits of its count.
func readerBars(img image.Image) []barSpan {
	y := bottomOfBars(img)
	if y < 0 {
		return nil
	}
	var bars []barSpan
	for _, r := range blueRuns(img, chartWidth, func(x int) color.Color { return img.At(x, y-3) }) {
		b := barSpan{From: r.from, To: r.to}
		// Climb the bar to its top, counting the light pixels inside it.
		top := y - 3
		for ; top > 0 && hasBlueNear(img, r, top); top-- {
			for x := r.from + 1; x < r.to-1; x++ {
				if isLight(img.At(x, top)) {
					b.Light++
				}
			}
		}
		b.Above = inkIn(img, image.Rect(r.from, max(0, top-20), r.to, top))
		bars = append(bars, b)
	}
	return bars
}

// bottomOfBars is the lowest row of the top panel with many blue pixels,
// -1 when there is none.
func bottomOfBars(img image.Image) int {
	for y := chartHeight / 2; y > 0; y-- {
		blue := 0
		for x := 0; x < chartWidth; x++ {
			if isBlue(img.At(x, y)) {
				blue++
			}
		}
		if blue > chartWidth/4 {
			return y
		}
	}
	return -1
}

// hasBlueNear reports bar colour in r's span on row y: the digits may
// cut a bar's row in pieces.
func hasBlueNear(img image.Image, r run, y int) bool {
	for x := r.from; x < r.to; x++ {
		if isBlue(img.At(x, y)) {
			return true
		}
	}
	return false
}

// topicBars lists the bars of the bottom panel from the top, by the
// columns they span.
func topicBars(img image.Image) []barSpan {
	var bars []barSpan
	for y := chartHeight/2 + 40; y < chartHeight; y++ {
		rs := blueRuns(img, chartWidth, func(x int) color.Color { return img.At(x, y) })
		if len(rs) == 0 {
			continue
		}
		// From the row's first stretch to its last: the count's digits
		// may split a bar.
		r := run{rs[0].from, rs[len(rs)-1].to}
		bars = append(bars, barSpan{From: r.from, To: r.to})
		for y < chartHeight && hasBlueNear(img, r, y) {
			y++
		}
	}
	return bars
}

// inkIn counts the dark pixels of a rectangle: text.
func inkIn(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 < 0xa0 && cg>>8 < 0xa0 && cb>>8 < 0xa0 {
				n++
			}
		}
	}
	return n
}
