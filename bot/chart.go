package bot

import (
	"bytes"
	_ "embed"
	"fmt"
	"image/color"
	"math"
	"sync"
	"time"

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
	ReadersTitle string
	TopicsTitle  string
	ReadersAxis  string // the y axis of the readers line
	NoData       string // said where a panel has nothing to show
	// Readers is the audience at the end of each day, oldest first.
	Readers []chartPoint
	// Topics are the bars, largest first.
	Topics []chartBar
}

type chartPoint struct {
	Day time.Time
	N   int64
}

type chartBar struct {
	Label string
	N     int64
}

// renderChart draws d as a chartWidth × chartHeight PNG: the readers over
// time on the left, the top topics as horizontal bars on the right.
func renderChart(d chartData) ([]byte, error) {
	fonts, err := chartFonts()
	if err != nil {
		return nil, err
	}
	line, err := readersPlot(d, fonts)
	if err != nil {
		return nil, err
	}
	bars, err := topicsPlot(d, fonts)
	if err != nil {
		return nil, err
	}
	w := vg.Length(chartWidth) * vg.Inch / chartDPI
	h := vg.Length(chartHeight) * vg.Inch / chartDPI
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(24), PadTop: vg.Points(12), PadBottom: vg.Points(12), PadLeft: vg.Points(12), PadRight: vg.Points(18)}
	canvases := plot.Align([][]*plot.Plot{{line, bars}}, tiles, dc)
	line.Draw(canvases[0][0])
	bars.Draw(canvases[0][1])
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return buf.Bytes(), nil
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
	p.Title.TextStyle.Font.Size = vg.Points(16)
	p.Title.Padding = vg.Points(8)
	p.X.Tick.Label.Font.Size = vg.Points(11)
	p.Y.Tick.Label.Font.Size = vg.Points(11)
	return p
}

var chartBlue = color.RGBA{R: 0x1f, G: 0x5f, B: 0x99, A: 0xff}

func readersPlot(d chartData, fonts *font.Cache) (*plot.Plot, error) {
	p := newChartPlot(d.ReadersTitle, fonts)
	p.Y.Label.Text = visualOrder(d.ReadersAxis)
	p.Y.Min = 0
	p.Add(plotter.NewGrid())
	if len(d.Readers) == 0 {
		p.X.Label.Text = visualOrder(d.NoData)
		p.X.Max, p.Y.Max = 1, 1
		return p, nil
	}
	xys := make(plotter.XYs, len(d.Readers))
	top := 0.0
	for i, pt := range d.Readers {
		xys[i].X = float64(pt.Day.Unix())
		xys[i].Y = float64(pt.N)
		top = math.Max(top, xys[i].Y)
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("readers line: %w", err)
	}
	l.Color = chartBlue
	l.Width = vg.Points(2.5)
	l.FillColor = color.NRGBA{R: 0x1f, G: 0x5f, B: 0x99, A: 0x30}
	p.Add(l)
	p.X.Tick.Marker = plot.TimeTicks{Format: "01-02", Ticker: dayTicks{}}
	// Head room above the highest point, and a whole-reader scale even
	// when there are few of them.
	p.Y.Max = math.Max(top*1.15, 5)
	p.Y.Tick.Marker = wholeTicks{}
	if len(xys) == 1 {
		p.X.Min, p.X.Max = xys[0].X-86400, xys[0].X+86400
	}
	return p, nil
}

func topicsPlot(d chartData, fonts *font.Cache) (*plot.Plot, error) {
	p := newChartPlot(d.TopicsTitle, fonts)
	p.X.Min = 0
	if len(d.Topics) == 0 {
		p.X.Label.Text = visualOrder(d.NoData)
		p.X.Max, p.Y.Max = 1, 1
		return p, nil
	}
	// The largest bar goes on top: the y axis counts up from the bottom.
	n := len(d.Topics)
	vals := make(plotter.Values, n)
	names := make([]string, n)
	top := 0.0
	for i, b := range d.Topics {
		vals[n-1-i] = float64(b.N)
		names[n-1-i] = visualOrder(b.Label)
		top = math.Max(top, float64(b.N))
	}
	bc, err := plotter.NewBarChart(vals, vg.Points(min(36, 320/float64(n))))
	if err != nil {
		return nil, fmt.Errorf("topic bars: %w", err)
	}
	bc.Horizontal = true
	bc.Color = chartBlue
	bc.LineStyle.Width = 0
	p.Add(bc)
	p.NominalY(names...)
	p.Y.Tick.Label.Font.Size = vg.Points(12)
	p.X.Max = math.Max(top*1.1, 5)
	p.X.Tick.Marker = wholeTicks{}
	return p, nil
}

// dayTicks puts a labelled tick on whole days, at most about eight of them.
type dayTicks struct{}

func (dayTicks) Ticks(lo, hi float64) []plot.Tick {
	const day = 86400
	span := int(math.Round((hi - lo) / day))
	step := max(1, (span+7)/8)
	var out []plot.Tick
	first := math.Ceil(lo/day) * day
	for i, x := 0, first; x <= hi; i, x = i+1, x+day {
		if i%step == 0 {
			out = append(out, plot.Tick{Value: x, Label: "x"})
		} else {
			out = append(out, plot.Tick{Value: x})
		}
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
