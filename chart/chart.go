// Package chart draws mentorbot's charts as PNG images; it is the only
// package that imports the charting library, so swapping it touches
// nothing else.
package chart

import (
	"bytes"
	"errors"
	"strconv"
	"sync"

	gochart "github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"

	"github.com/mentorbot/mentorbot"
)

// width and height are the size of every chart in pixels: wide enough for
// a year of week labels, short enough to sit in a Slack message.
const (
	width  = 800
	height = 400
)

// The colours are fixed so the same data always gives the same image.
var (
	plannedColour = drawing.ColorFromHex("c6dbef")
	heldColour    = drawing.ColorFromHex("2171b5")
	pulseColour   = drawing.ColorFromHex("e6550d")
	gridColour    = drawing.ColorFromHex("e5e5e5")
)

// maxWeekLabels is how many week labels fit along the x axis without
// overlapping; beyond it only every few weeks are labelled.
const maxWeekLabels = 13

// maxWeekWidth caps, in pixels, how wide a week's bars may get, so a chart
// of only a few weeks shows bars rather than blocks.
const maxWeekWidth = 80

// font is looked up once and handed to every chart, so a chart never
// falls back to a different face than the one the first chart used.
var font = sync.OnceValue(gochart.GetDefaultFont)

// Trend draws weeks (oldest first) as a PNG: bars for sessions planned and
// held per week on the left axis, and the mean pulse score (1–5) as a line
// on the right axis, leaving out weeks whose pulse is hidden
// (Figure.Hidden()) so that no one's answer can be worked out.
func Trend(title string, weeks []mentorbot.TrendWeek) ([]byte, error) {
	f := font()
	if f == nil {
		return nil, errors.New("chart: the charting library has no default font")
	}

	planned := make([]int, len(weeks))
	held := make([]int, len(weeks))
	most := 0
	for i, w := range weeks {
		planned[i], held[i] = w.Planned, w.Held
		most = max(most, w.Planned, w.Held)
	}
	if most == 0 {
		title = noSessions(title)
	}

	series := []gochart.Series{
		bars{name: "Sessions planned", colour: plannedColour, share: 0.7, counts: planned},
		bars{name: "Sessions held", colour: heldColour, share: 0.4, counts: held},
	}
	series = append(series, pulseLines(weeks)...)

	grid := gochart.Style{StrokeColor: gridColour, StrokeWidth: 1}
	c := gochart.Chart{
		Title:      title,
		TitleStyle: gochart.Style{FontStyle: gochart.FontStyle{FontSize: 14}},
		Width:      width,
		Height:     height,
		Font:       f,
		// The top padding holds the title and, below it, the legend, so
		// neither covers the bars.
		Background: gochart.Style{Padding: gochart.Box{Top: 90, Left: 10, Right: 10, Bottom: 10}},
		XAxis:      gochart.XAxis{Range: weekRange(weeks)},
		// chartdraw puts its primary y axis on the right and the secondary
		// one on the left.
		YAxis: gochart.YAxis{Range: pulseRange()},
		YAxisSecondary: gochart.YAxis{
			Range:          sessionRange(most),
			GridMajorStyle: grid,
			GridMinorStyle: grid,
		},
		Series: series,
	}
	c.Elements = []gochart.Renderable{gochart.LegendThin(&c, gochart.Style{FontStyle: gochart.FontStyle{FontSize: 10}})}

	var buf bytes.Buffer
	if err := c.Render(gochart.PNG, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// noSessions marks the title of a chart with nothing to show, so an empty
// frame reads as "nothing yet" rather than as a broken chart.
func noSessions(title string) string {
	if title == "" {
		return "No sessions yet"
	}
	return title + " (no sessions yet)"
}

// fixedRange is an axis range that draws exactly the ticks it is given:
// chartdraw's own ticks fall on fractions, and an axis given Ticks instead
// stretches its range to the outermost tick, which would cut the outer
// weeks' bars in half.
type fixedRange struct {
	gochart.ContinuousRange
	ticks []gochart.Tick
}

// GetTicks implements gochart.TicksProvider.
func (r *fixedRange) GetTicks(gochart.ValueFormatter) []gochart.Tick {
	return r.ticks
}

// weekRange places week i at x = i with half a week spare either side, so a
// single week still spans a range and the outer bars are not cut in half.
func weekRange(weeks []mentorbot.TrendWeek) *fixedRange {
	step := (len(weeks) + maxWeekLabels - 1) / maxWeekLabels
	r := &fixedRange{ContinuousRange: gochart.ContinuousRange{Min: -0.5, Max: max(float64(len(weeks))-0.5, 0.5)}}
	for i := 0; i < len(weeks); i += step {
		r.ticks = append(r.ticks, gochart.Tick{Value: float64(i), Label: weeks[i].Start.Format("2 Jan")})
	}
	return r
}

// sessionRange runs from 0 to a whole multiple of a 1-2-5 step at or above
// most, with at most five steps, so the ticks are whole numbers; with no
// sessions at all it still spans 0 to 1.
func sessionRange(most int) *fixedRange {
	step := 1
	for base := 1; most > 5*step; base *= 10 {
		for _, m := range []int{2, 5, 10} {
			if step = base * m; most <= 5*step {
				break
			}
		}
	}
	top := max((most+step-1)/step*step, step)
	r := &fixedRange{ContinuousRange: gochart.ContinuousRange{Max: float64(top)}}
	for v := 0; v <= top; v += step {
		r.ticks = append(r.ticks, gochart.Tick{Value: float64(v), Label: strconv.Itoa(v)})
	}
	return r
}

// pulseRange is the pulse score's whole scale, fixed so that the line's
// height means the same thing from one week's chart to the next.
func pulseRange() *fixedRange {
	r := &fixedRange{ContinuousRange: gochart.ContinuousRange{Min: 1, Max: 5}}
	for v := 1; v <= 5; v++ {
		r.ticks = append(r.ticks, gochart.Tick{Value: float64(v), Label: strconv.Itoa(v)})
	}
	return r
}

// pulseLines draws the visible pulse scores as one line per run of
// consecutive visible weeks, so a hidden week shows as a gap instead of
// being bridged by a line that suggests a score. Only the first line is
// named, so the legend lists the pulse once; when no week is visible an
// empty line keeps it in the legend all the same.
func pulseLines(weeks []mentorbot.TrendWeek) []gochart.Series {
	style := gochart.Style{StrokeColor: pulseColour, StrokeWidth: 2, DotColor: pulseColour, DotWidth: 4}
	lines := []gochart.Series{}
	var run *gochart.ContinuousSeries
	for i, w := range weeks {
		if w.Pulse.Hidden() {
			run = nil
			continue
		}
		if run == nil {
			run = &gochart.ContinuousSeries{Style: style}
			lines = append(lines, run)
		}
		run.XValues = append(run.XValues, float64(i))
		run.YValues = append(run.YValues, w.Pulse.Value)
	}
	if len(lines) == 0 {
		lines = append(lines, &gochart.ContinuousSeries{Style: style})
	}
	lines[0].(*gochart.ContinuousSeries).Name = "Mean pulse (1–5, right axis)"
	return lines
}

// bars draws weekly counts as bars centred on each week. chartdraw's
// HistogramSeries makes every bar a whole week wide, so the held bars would
// hide the planned ones behind them.
type bars struct {
	name   string
	colour drawing.Color
	share  float64 // of a week's width that each bar takes
	counts []int
}

// GetName implements gochart.Series.
func (b bars) GetName() string { return b.name }

// GetYAxis puts the counts on the left axis.
func (b bars) GetYAxis() gochart.YAxisType { return gochart.YAxisSecondary }

// GetStyle is what the legend draws its sample from, hence the thick
// stroke: it makes the sample look like a bar rather than a line.
func (b bars) GetStyle() gochart.Style {
	return gochart.Style{StrokeColor: b.colour, StrokeWidth: 8}
}

// Validate implements gochart.Series; any counts, even none, can be drawn.
func (b bars) Validate() error { return nil }

// Render implements gochart.Series.
func (b bars) Render(r gochart.Renderer, canvas gochart.Box, xr, yr gochart.Range, _ gochart.Style) {
	week := min(float64(xr.GetDomain())/xr.GetDelta(), maxWeekWidth)
	w := max(int(b.share*week), 2)
	style := gochart.Style{FillColor: b.colour, StrokeColor: b.colour, StrokeWidth: 1}
	for i, n := range b.counts {
		if n <= 0 {
			continue
		}
		x := canvas.Left + xr.Translate(float64(i)) - w/2
		gochart.Draw.Box(r, gochart.Box{
			Left:   x,
			Right:  x + w,
			Top:    canvas.Bottom - yr.Translate(float64(n)),
			Bottom: canvas.Bottom,
		}, style)
	}
}
