package load

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// tableHeader names the columns of Table; numbers are right-aligned, words left-aligned.
var tableHeader = []string{"kind", "sent", "ok", "failed", "statuses", "p50", "p90", "p99", "slowest trace"}

// rightAligned marks tableHeader's numeric columns.
var rightAligned = []bool{false, true, true, true, false, true, true, true, false}

// Table writes the result as a small aligned table, a row per kind and one for all of them,
// for a terminal. The slowest trace of each kind is the one to open in Jaeger.
func (r Result) Table(w io.Writer) error {
	rows := [][]string{tableHeader}
	for _, k := range append(slices.Clone(r.Kinds), r.Overall) {
		rows = append(rows, []string{
			k.Name, strconv.Itoa(k.Sent), strconv.Itoa(k.OK()), strconv.Itoa(k.Failed()), statuses(k),
			latency(k.Latency.P50), latency(k.Latency.P90), latency(k.Latency.P99), cmp.Or(k.Slowest.TraceID, "-"),
		})
	}
	widths := make([]int, len(tableHeader))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if rightAligned[i] {
				cell = pad + cell
			} else if i < len(row)-1 {
				cell += pad
			}
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(cell)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// statuses is e.g. "200:180 502:8 none:2": answers by status code, then requests with no answer.
func statuses(k KindResult) string {
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(k.Statuses)) {
		parts = append(parts, fmt.Sprintf("%d:%d", code, k.Statuses[code]))
	}
	if k.NoAnswer > 0 {
		parts = append(parts, fmt.Sprintf("none:%d", k.NoAnswer))
	}
	return cmp.Or(strings.Join(parts, " "), "-")
}

// latency rounds d to three significant digits or so: 1.23ms, 204.5ms, 2.04s.
func latency(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}
