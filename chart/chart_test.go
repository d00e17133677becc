package chart_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/chart"
)

// weeks builds n consecutive weeks from a fixed Monday; fill sets each
// week's figures from its index.
func weeks(n int, fill func(i int, w *mentorbot.TrendWeek)) []mentorbot.TrendWeek {
	start := time.Date(2025, time.March, 3, 0, 0, 0, 0, time.UTC)
	ws := make([]mentorbot.TrendWeek, n)
	for i := range ws {
		ws[i].Start = start.AddDate(0, 0, 7*i)
		fill(i, &ws[i])
	}
	return ws
}

func visible(v float64) mentorbot.Figure {
	return mentorbot.Figure{Value: v, Answers: mentorbot.MinAnswers}
}

func hidden(v float64) mentorbot.Figure {
	return mentorbot.Figure{Value: v, Answers: mentorbot.MinAnswers - 1}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	return img
}

func TestTrend(t *testing.T) {
	tests := []struct {
		name  string
		weeks []mentorbot.TrendWeek
	}{
		{"no weeks", nil},
		{"one week", weeks(1, func(_ int, w *mentorbot.TrendWeek) {
			w.Planned, w.Held, w.Pulse = 4, 3, visible(4.2)
		})},
		{"eight weeks, some pulses hidden", weeks(8, func(i int, w *mentorbot.TrendWeek) {
			w.Planned, w.Held = 5+i%3, 4+i%2
			if i%3 == 1 {
				w.Pulse = hidden(2)
			} else {
				w.Pulse = visible(3 + float64(i%4)/2)
			}
		})},
		{"all counts zero", weeks(6, func(int, *mentorbot.TrendWeek) {})},
		{"all pulses hidden", weeks(5, func(i int, w *mentorbot.TrendWeek) {
			w.Planned, w.Held, w.Pulse = 3, i%4, hidden(5)
		})},
		{"a year", weeks(52, func(i int, w *mentorbot.TrendWeek) {
			w.Planned, w.Held, w.Pulse = 40+i%7, 30+i%11, visible(1+float64(i%9)/2)
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := chart.Trend("Sessions and pulse", tt.weeks)
			if err != nil {
				t.Fatalf("Trend: %v", err)
			}
			img := decode(t, b)
			if got := img.Bounds().Size(); got != image.Pt(800, 400) {
				t.Errorf("size = %v, want 800x400", got)
			}
			if !twoColours(img) {
				t.Error("chart is blank: every pixel has the same colour")
			}
			again, err := chart.Trend("Sessions and pulse", tt.weeks)
			if err != nil || !bytes.Equal(b, again) {
				t.Errorf("second drawing differs from the first (err %v)", err)
			}
		})
	}
}

// TestTrendDrawsPulse checks the pulse line really is drawn, by hiding one
// week's pulse and expecting a different picture.
func TestTrendDrawsPulse(t *testing.T) {
	shown := weeks(4, func(_ int, w *mentorbot.TrendWeek) {
		w.Planned, w.Held, w.Pulse = 4, 3, visible(4)
	})
	masked := append([]mentorbot.TrendWeek(nil), shown...)
	masked[2].Pulse = hidden(4)

	a, err := chart.Trend("Pulse", shown)
	if err != nil {
		t.Fatal(err)
	}
	b, err := chart.Trend("Pulse", masked)
	if err != nil {
		t.Fatal(err)
	}
	if samePixels(decode(t, a), decode(t, b)) {
		t.Error("hiding a week's pulse left the chart unchanged")
	}
}

func twoColours(img image.Image) bool {
	r := img.Bounds()
	first := img.At(r.Min.X, r.Min.Y)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.At(x, y) != first {
				return true
			}
		}
	}
	return false
}

func samePixels(a, b image.Image) bool {
	r := a.Bounds()
	if r != b.Bounds() {
		return false
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// TestTrendColours checks each series is drawn in its own colour, and
// only when it has something to show: the legend's samples alone cover a
// couple of hundred pixels at most, a series' bars or line far more.
func TestTrendColours(t *testing.T) {
	planned, held, pulse := color.RGBA{0xc6, 0xdb, 0xef, 0xff}, color.RGBA{0x21, 0x71, 0xb5, 0xff}, color.RGBA{0xe6, 0x55, 0x0d, 0xff}
	const legendOnly = 500 // pixels
	tests := []struct {
		name  string
		weeks []mentorbot.TrendWeek
		drawn map[color.RGBA]bool
	}{
		{"sessions and pulse", weeks(4, func(_ int, w *mentorbot.TrendWeek) {
			w.Planned, w.Held, w.Pulse = 4, 3, visible(4)
		}), map[color.RGBA]bool{planned: true, held: true, pulse: true}},
		{"nothing held, pulse hidden", weeks(4, func(_ int, w *mentorbot.TrendWeek) {
			w.Planned, w.Pulse = 4, hidden(4)
		}), map[color.RGBA]bool{planned: true, held: false, pulse: false}},
		{"no sessions", weeks(4, func(_ int, w *mentorbot.TrendWeek) {
			w.Pulse = visible(3)
		}), map[color.RGBA]bool{planned: false, held: false, pulse: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := chart.Trend("Colours", tt.weeks)
			if err != nil {
				t.Fatal(err)
			}
			counts := colourCounts(decode(t, b))
			for c, drawn := range tt.drawn {
				if counts[c] == 0 {
					t.Errorf("colour %v is nowhere, not even in the legend", c)
				}
				if got := counts[c] > legendOnly; got != drawn {
					t.Errorf("colour %v covers %d pixels: drawn beyond the legend = %v, want %v", c, counts[c], got, drawn)
				}
			}
		})
	}
}

// colourCounts counts the pixels of each colour.
func colourCounts(img image.Image) map[color.RGBA]int {
	counts := map[color.RGBA]int{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			counts[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	return counts
}
