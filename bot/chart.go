package bot

import (
	"bytes"
	_ "embed"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The chart's size in pixels.
const (
	chartWidth  = 1200
	chartHeight = 800
	chartDPI    = 96
)

// chartFontData is DejaVu Sans cut down to Latin and Arabic with its
// presentation forms (see fonts/LICENSE): the fonts that come with the
// plotting library have no Arabic.
//
//go:embed fonts/DejaVuSans-ArabicSubset.ttf
var chartFontData []byte

const chartTypeface = "DejaVu"

var chartFonts = sync.OnceValues(func() (*font.Cache, error) {
	f, err := opentype.Parse(chartFontData)
	if err != nil {
		return nil, fmt.Errorf("chart font: %w", err)
	}
	return font.NewCache(font.Collection{{Font: font.Font{Typeface: chartTypeface}, Face: f}}), nil
})

// chartData is everything a chart shows, with its labels already in the
// admin's language (in logical order: the chart shapes and orders them).
type chartData struct {
	// RTL lays the topics out right to left: names on the right, bars
	// growing to the left.
	RTL          bool
	ReadersTitle string
	DayAxis      string // under the days
	CountAxis    string // beside the counts
	NoReaders    string // said instead of the readers panel when it has nothing to show
	TopicsTitle  string
	NoTopics     string // said instead of the topics panel when it has nothing to show
	// Readers are the active readers (not paused) at the end of each day,
	// oldest first, from the first day anyone subscribed; none when nobody
	// ever did.
	Readers []chartPoint
	// Topics are the bars, largest first.
	Topics []chartBar
}

type chartPoint struct {
	Day string // the day as the axis says it: 28/11
	N   int64
}

type chartBar struct {
	Label string
	N     int64
}

// The panels, in points of the chartWidth × chartHeight canvas: the
// readers over time across the top, the topics below.
const (
	chartMargin  = vg.Length(12)
	readersShare = 0.54 // of the height
)

var (
	chartBlue = color.RGBA{R: 0x1f, G: 0x5f, B: 0x99, A: 0xff}
	chartInk  = color.RGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	chartGrey = color.RGBA{R: 0x66, G: 0x66, B: 0x66, A: 0xff}
)

// renderChart draws d as a chartWidth × chartHeight PNG: the readers of
// each day as bars with their count, and the top topics as horizontal
// bars with theirs. A panel with nothing to show says so in words.
func renderChart(d chartData) ([]byte, error) {
	fonts, err := chartFonts()
	if err != nil {
		return nil, err
	}
	w := vg.Length(chartWidth) * vg.Inch / chartDPI
	h := vg.Length(chartHeight) * vg.Inch / chartDPI
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	dc := draw.Crop(draw.New(c), chartMargin, -chartMargin, chartMargin, -chartMargin)
	split := dc.Min.Y + (dc.Max.Y-dc.Min.Y)*(1-readersShare)
	top, bottom := dc, dc
	top.Min.Y = split + chartMargin
	bottom.Max.Y = split - chartMargin

	if len(d.Readers) == 0 {
		drawEmpty(top, d.ReadersTitle, d.NoReaders, fonts)
	} else {
		readersPlot(d, fonts, top.Max.X-top.Min.X).Draw(top)
	}
	if len(d.Topics) == 0 {
		drawEmpty(bottom, d.TopicsTitle, d.NoTopics, fonts)
	} else {
		drawTopics(bottom, d, fonts)
	}

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return buf.Bytes(), nil
}

// chartText is a text style in the embedded font.
func chartText(fonts *font.Cache, size vg.Length, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.Font{Typeface: chartTypeface, Size: size},
		Handler: text.Plain{Fonts: fonts},
	}
}

const titleSize = vg.Length(16)

// drawTitle writes a panel's title centred at its top and returns the
// height it took.
func drawTitle(c draw.Canvas, title string, fonts *font.Cache) vg.Length {
	sty := chartText(fonts, titleSize, chartInk)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
	c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, visualOrder(title))
	return sty.Height(title) + 8
}

// drawEmpty is a panel with nothing to show: its title, and a sentence
// saying why in the middle.
func drawEmpty(c draw.Canvas, title, why string, fonts *font.Cache) {
	drawTitle(c, title, fonts)
	sty := chartText(fonts, 15, chartGrey)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, c.Center(), visualOrder(why))
}

// newChartPlot is a plot whose every text uses the embedded font.
func newChartPlot(title string, fonts *font.Cache) *plot.Plot {
	p := plot.New()
	p.TextHandler = text.Plain{Fonts: fonts}
	for _, sty := range []*text.Style{
		&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle,
	} {
		sty.Font.Typeface, sty.Font.Variant = chartTypeface, ""
		sty.Handler = p.TextHandler
	}
	p.Title.Text = visualOrder(title)
	p.Title.TextStyle.Font.Size = titleSize
	p.Title.Padding = vg.Points(8)
	p.X.Tick.Label.Font.Size = vg.Points(11)
	p.Y.Tick.Label.Font.Size = vg.Points(11)
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	return p
}

// readersPlot draws the subscribers of each day as a bar with its count,
// the days along the bottom; width is the panel's, to space the days.
func readersPlot(d chartData, fonts *font.Cache, width vg.Length) *plot.Plot {
	p := newChartPlot(d.ReadersTitle, fonts)
	p.X.Label.Text = visualOrder(d.DayAxis)
	p.Y.Label.Text = visualOrder(d.CountAxis)
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	p.Add(grid)

	n := len(d.Readers)
	top := int64(0)
	for _, pt := range d.Readers {
		top = max(top, pt.N)
	}
	// About the width the axes leave to the bars.
	step := (width - 70) / vg.Length(n)
	p.Add(dayBars{points: d.Readers, fonts: fonts})

	dayWidth := vg.Length(0)
	tick := p.X.Tick.Label
	for _, pt := range d.Readers {
		dayWidth = max(dayWidth, tick.Width(pt.Day))
	}
	p.X.Tick.Marker = dayTicks{days: d.Readers, every: int(math.Ceil(float64((dayWidth + 8) / step)))}
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	// Head room above the highest bar for its count, and a whole-reader
	// scale even when there are few of them.
	p.Y.Min = 0
	p.Y.Max = math.Max(float64(top)*1.15, 5)
	p.Y.Tick.Marker = wholeTicks{}
	return p
}

// barLabels is how the counts are written on bars: the size, whether
// they stand on end (read from the bottom up, for counts wider than a
// bar), and how many bars share one label when none of that fits.
type barLabels struct {
	size    vg.Length
	upright bool
	every   int
}

// labelFit picks how to write counts up to top on bars of width bar,
// step apart: across inside the bars, across above them, on end inside
// them, and at the last, small and on every few bars.
func labelFit(fonts *font.Cache, bar, step vg.Length, top int64) barLabels {
	widest := strconv.FormatInt(top, 10)
	sty := func(size vg.Length) text.Style { return chartText(fonts, size, chartInk) }
	for size := vg.Length(11); size >= 9; size-- {
		if sty(size).Width(widest)+4 <= bar {
			return barLabels{size: size, every: 1}
		}
	}
	for size := vg.Length(11); size >= 9; size-- {
		if sty(size).Width(widest) <= step*0.92 {
			return barLabels{size: size, every: 1}
		}
	}
	for size := vg.Length(10); size >= 8; size-- {
		if sty(size).Height(widest)+2 <= bar {
			return barLabels{size: size, upright: true, every: 1}
		}
	}
	return barLabels{size: 7, every: int(math.Ceil(float64(sty(7).Width(widest) / (step * 0.92))))}
}

// dayBars is a bar per day with the day's count written in it, or above
// it where the bar is too small to hold it.
type dayBars struct {
	points []chartPoint
	fonts  *font.Cache
}

func (b dayBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmax = float64(len(b.points)) - 1
	for _, pt := range b.points {
		ymax = math.Max(ymax, float64(pt.N))
	}
	return 0, xmax, 0, ymax
}

func (b dayBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	step := trX(1) - trX(0)
	if len(b.points) == 1 {
		step = c.Max.X - c.Min.X
	}
	half := min(step*0.42, 30)
	top := int64(0)
	for _, pt := range b.points {
		top = max(top, pt.N)
	}
	fit := labelFit(b.fonts, 2*half, step, top)
	inside := chartText(b.fonts, fit.size, color.White)
	above := chartText(b.fonts, fit.size, chartInk)
	inside.XAlign, inside.YAlign = draw.XCenter, draw.YTop
	above.XAlign, above.YAlign = draw.XCenter, draw.YBottom
	if fit.upright {
		// Turned a quarter to the left, the text's right end is its top.
		for _, sty := range []*text.Style{&inside, &above} {
			sty.Rotation = math.Pi / 2
		}
		inside.XAlign, inside.YAlign = draw.XRight, draw.YCenter
		above.XAlign, above.YAlign = draw.XLeft, draw.YCenter
	}
	for i, pt := range b.points {
		x, y0, y1 := trX(float64(i)), trY(0), trY(float64(pt.N))
		c.FillPolygon(chartBlue, rect(x-half, y0, x+half, y1))
		if (len(b.points)-1-i)%fit.every != 0 {
			continue
		}
		label := strconv.FormatInt(pt.N, 10)
		across, along := inside.Width(label)+4, inside.Height(label)+8
		if fit.upright {
			across, along = inside.Height(label)+2, inside.Width(label)+8
		}
		if across <= 2*half && y1-y0 >= along {
			c.FillText(inside, vg.Point{X: x, Y: y1 - 4}, label)
		} else {
			c.FillText(above, vg.Point{X: x, Y: y1 + 2}, label)
		}
	}
}

func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

// drawTopics draws the topics as horizontal bars, largest on top, each
// with its name beside it and its count written in it (beyond it where
// it is too short). Right to left, the names stand on the right and the
// bars grow to the left.
func drawTopics(c draw.Canvas, d chartData, fonts *font.Cache) {
	c.Max.Y -= drawTitle(c, d.TopicsTitle, fonts) + 6
	n := len(d.Topics)
	row := min(30, (c.Max.Y-c.Min.Y)/vg.Length(n))
	name := chartText(fonts, 12, chartInk)
	count := chartText(fonts, 11, color.White)
	outside := chartText(fonts, 11, chartInk)
	name.YAlign, count.YAlign, outside.YAlign = draw.YCenter, draw.YCenter, draw.YCenter

	names := make([]string, n)
	nameW := vg.Length(0)
	top := int64(1)
	for i, b := range d.Topics {
		names[i] = visualOrder(b.Label)
		nameW = max(nameW, name.Width(names[i]))
		top = max(top, b.N)
	}
	width := c.Max.X - c.Min.X
	nameW = min(nameW, width*0.4)
	const gap = 8
	// Room beyond the longest bar for a count written outside it.
	room := outside.Width(strconv.FormatInt(top, 10)) + 2*gap
	span := width - nameW - gap - room
	origin := c.Min.X + nameW + gap
	dir := vg.Length(1)
	name.XAlign = draw.XRight
	if d.RTL {
		origin, dir = c.Max.X-nameW-gap, -1
		name.XAlign = draw.XLeft
	}
	c.StrokeLine2(draw.LineStyle{Color: chartGrey, Width: 0.5}, origin, c.Max.Y, origin, c.Max.Y-row*vg.Length(n))
	for i, b := range d.Topics {
		y := c.Max.Y - row*(vg.Length(i)+0.5)
		end := origin + dir*span*vg.Length(b.N)/vg.Length(top)
		c.FillPolygon(chartBlue, rect(origin, y-row*0.35, end, y+row*0.35))
		// The name ends at the bars, on whichever side they start.
		c.FillText(name, vg.Point{X: origin - dir*gap, Y: y}, names[i])
		label := strconv.FormatInt(b.N, 10)
		in, out := count, outside
		if d.RTL {
			in.XAlign, out.XAlign = draw.XLeft, draw.XRight
		} else {
			in.XAlign, out.XAlign = draw.XRight, draw.XLeft
		}
		if count.Width(label)+2*gap <= (end-origin)*dir {
			c.FillText(in, vg.Point{X: end - dir*gap/2, Y: y}, label)
		} else {
			c.FillText(out, vg.Point{X: end + dir*gap/2, Y: y}, label)
		}
	}
}

// dayTicks labels the days along the axis: one in every, counting back
// from today, so that the labels do not overlap and today is named.
type dayTicks struct {
	days  []chartPoint
	every int
}

func (t dayTicks) Ticks(lo, hi float64) []plot.Tick {
	every := max(1, t.every)
	var out []plot.Tick
	for i, d := range t.days {
		tk := plot.Tick{Value: float64(i)}
		if (len(t.days)-1-i)%every == 0 {
			tk.Label = visualOrder(d.Day)
		}
		out = append(out, tk)
	}
	return out
}

// wholeTicks is the default ticker without fractions of a reader.
type wholeTicks struct{}

func (wholeTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Value != math.Trunc(t.Value) {
			continue
		}
		if t.Label != "" {
			t.Label = fmt.Sprintf("%d", int64(t.Value))
		}
		out = append(out, t)
	}
	return out
}
