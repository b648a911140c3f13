package waterfall

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultWidth is the number of terminal cells the timeline of each trace spans when a Renderer
// does not set its own: wide enough to tell a 5% span from a 10% one, narrow enough that a line
// with a name, service and duration fits in a 120-column terminal.
const DefaultWidth = 40

// Renderer draws traces as waterfalls. The zero value is ready to use.
type Renderer struct {
	// Width is the number of cells the bars of a trace are scaled to: the trace's first start is
	// the left edge, its last end the right edge. Zero or less means DefaultWidth.
	Width int
}

// Render writes spans as waterfalls with the default settings. See Renderer.Render.
func Render(w io.Writer, spans []Span) error {
	return Renderer{}.Render(w, spans)
}

// Render writes one block per trace, traces in order of start, separated by a blank line. A block
// is a header with the trace ID, total duration and span count, then one line per span: the tree of
// parent links, the name, service and kind, a bar placed at the span's offset from the trace start
// and as long as its share of the trace, the duration, and "ERROR <message>" for a failed span.
//
// The output does not depend on the order the spans are given in (exporters hand them over as they
// end), so it can be compared in tests; only spans sharing a trace ID, span ID and start time keep
// their input order. Nothing is written for no spans. The only error returned is w's.
func (r Renderer) Render(w io.Writer, spans []Span) error {
	width := r.Width
	if width <= 0 {
		width = DefaultWidth
	}
	// Build everything first and write once, so a failing writer is reported once, not per line.
	var b strings.Builder
	for i, t := range buildTraces(spans) {
		if i > 0 {
			b.WriteString("\n")
		}
		writeTrace(&b, t, width)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// row is one line of a trace block: the tree glyphs and name, and the span behind them.
type row struct {
	label string
	span  Span
}

// writeTrace writes the header and the span lines of one trace, with every column padded to its
// widest cell so the bars line up under each other.
func writeTrace(b *strings.Builder, t *tree, width int) {
	total := t.end.Sub(t.start)
	fmt.Fprintf(b, "trace %s  %s  %d %s\n", t.id, FormatDuration(total), t.spans, plural(t.spans, "span", "spans"))

	var rows []row
	for _, root := range t.roots {
		rows = appendRows(rows, root, "", "")
	}
	var labelW, serviceW, kindW, durW int
	for _, r := range rows {
		labelW = max(labelW, runeLen(r.label))
		serviceW = max(serviceW, runeLen(r.span.Service))
		kindW = max(kindW, runeLen(r.span.Kind))
		durW = max(durW, runeLen(FormatDuration(r.span.Duration)))
	}

	for _, r := range rows {
		// fmt pads by runes, not bytes, so glyphs such as "└─" and "µs" keep the columns straight.
		fmt.Fprintf(b, "%-*s  %-*s  %-*s  %s  %*s",
			labelW, r.label, serviceW, r.span.Service, kindW, r.span.Kind,
			bar(width, r.span.Start.Sub(t.start), r.span.Duration, total),
			durW, FormatDuration(r.span.Duration))
		if r.span.Error {
			b.WriteString("  ERROR")
			if r.span.ErrorMessage != "" {
				b.WriteString(" " + r.span.ErrorMessage)
			}
		}
		b.WriteString("\n")
	}
}

// appendRows appends n and, depth first, its children. prefix goes before n's name; indent goes
// before the glyphs of its children and carries a "│" down for every ancestor that still has
// siblings to come, which is what makes the branches of the tree connect.
func appendRows(rows []row, n *node, prefix, indent string) []row {
	rows = append(rows, row{label: prefix + n.span.Name, span: n.span})
	for i, child := range n.children {
		if i == len(n.children)-1 {
			rows = appendRows(rows, child, indent+"└─ ", indent+"   ")
		} else {
			rows = appendRows(rows, child, indent+"├─ ", indent+"│  ")
		}
	}
	return rows
}

// bar draws a span on a track of width cells that stands for the whole trace (total long): blank
// up to the span's offset, then full blocks for its duration. Every span with a non-zero duration
// gets at least one cell, so a fast span is never invisible; a zero-duration span (an instant)
// is drawn as a thin "▏" at its offset.
func bar(width int, offset, d, total time.Duration) string {
	d = max(d, 0)
	var from, to int
	if total > 0 {
		scale := float64(width) / float64(total)
		from = int(math.Round(float64(offset) * scale))
		to = int(math.Round(float64(offset+d) * scale))
	}
	from, to = min(max(from, 0), width), min(max(to, 0), width)
	if to == from && d > 0 {
		if to < width {
			to++
		} else {
			from--
		}
	}
	if d == 0 {
		from = min(from, width-1)
		return strings.Repeat(" ", from) + "▏" + strings.Repeat(" ", width-from-1)
	}
	return strings.Repeat(" ", from) + strings.Repeat("█", to-from) + strings.Repeat(" ", width-to)
}

// FormatDuration prints d rounded to three significant digits ("1.23ms", "900µs", "12.3s"), enough
// to compare spans at a glance without the noise of nanoseconds.
func FormatDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	unit := time.Duration(1)
	for d/unit >= 1000 {
		unit *= 10
	}
	return d.Round(unit).String()
}

// plural picks the word that matches n, so the header reads "1 span" and "2 spans".
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// runeLen is the number of runes in s: its width in a terminal for the characters we print.
func runeLen(s string) int {
	return utf8.RuneCountInString(s)
}
