package report

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Chart is a bar chart: groups of bars, each with a whisker from Min to Max, and an optional
// reference line (1.0 for ratios).
type Chart struct {
	Title, YLabel string
	Groups        []Group
	Reference     float64 // 0: none
	Format        string  // how a bar's value is printed, e.g. "%.2f×"
}

// Group is bars drawn side by side under one label.
type Group struct {
	Name string
	Bars []Bar
}

// Bar is one value with its range.
type Bar struct {
	Label           string
	Value, Min, Max float64
}

var palette = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948"}

const (
	chartW, chartH         = 720, 360
	padL, padR, padT, padB = 60, 20, 40, 70
	barW                   = 34
)

// SVG draws the chart.
func (c Chart) SVG() string {
	top := c.Reference
	for _, g := range c.Groups {
		for _, b := range g.Bars {
			top = math.Max(top, math.Max(b.Value, b.Max))
		}
	}
	top = niceCeil(top * 1.1)
	plotH := float64(chartH - padT - padB)
	y := func(v float64) float64 { return float64(padT) + plotH*(1-v/top) }
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", chartW, chartH, chartW, chartH)
	fmt.Fprintf(&s, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&s, `<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>`+"\n", padL, html.EscapeString(c.Title))
	for i := 0; i <= 4; i++ { // grid and axis labels
		v := top * float64(i) / 4
		fmt.Fprintf(&s, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", padL, chartW-padR, y(v), y(v))
		fmt.Fprintf(&s, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", padL-6, y(v)+4, trim(v))
	}
	fmt.Fprintf(&s, `<text transform="translate(14 %d) rotate(-90)" text-anchor="middle">%s</text>`+"\n", padT+int(plotH/2), html.EscapeString(c.YLabel))
	groupW := float64(chartW-padL-padR) / float64(max(len(c.Groups), 1))
	for gi, g := range c.Groups {
		x0 := float64(padL) + groupW*float64(gi) + (groupW-float64(len(g.Bars)*barW))/2
		for bi, b := range g.Bars {
			x := x0 + float64(bi*barW)
			fmt.Fprintf(&s, `<rect x="%.1f" y="%.1f" width="%d" height="%.1f" fill="%s"/>`+"\n", x+2, y(b.Value), barW-4, y(0)-y(b.Value), palette[bi%len(palette)])
			if b.Max > b.Min {
				cx := x + barW/2
				fmt.Fprintf(&s, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="black"/>`+"\n", cx, cx, y(b.Min), y(b.Max))
				fmt.Fprintf(&s, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="black"/><line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="black"/>`+"\n",
					cx-5, cx+5, y(b.Min), y(b.Min), cx-5, cx+5, y(b.Max), y(b.Max))
			}
			fmt.Fprintf(&s, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="10">%s</text>`+"\n", x+barW/2, y(math.Max(b.Value, b.Max))-4, html.EscapeString(fmt.Sprintf(c.Format, b.Value)))
			fmt.Fprintf(&s, `<text transform="translate(%.1f %d) rotate(35)" font-size="10">%s</text>`+"\n", x+barW/2-4, chartH-padB+14, html.EscapeString(b.Label))
		}
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" text-anchor="middle" font-weight="bold">%s</text>`+"\n", x0+float64(len(g.Bars)*barW)/2, chartH-8, html.EscapeString(g.Name))
	}
	if c.Reference > 0 {
		fmt.Fprintf(&s, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#333" stroke-dasharray="4 3"/>`+"\n", padL, chartW-padR, y(c.Reference), y(c.Reference))
	}
	s.WriteString("</svg>\n")
	return s.String()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func trim(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
