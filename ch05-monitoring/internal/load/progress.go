package load

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"
)

// progressEvery is how often the bar is redrawn: often enough to look alive, rarely enough
// that a fast run does not spend its time writing to the terminal.
const progressEvery = 100 * time.Millisecond

// barWidth is the bar's width in cells.
const barWidth = 20

// progress draws one line. On a terminal it is redrawn in place with a carriage return while the
// run goes on; anywhere else (a pipe, a file, `make ch05 | tee log`) only the final line is
// written, so a log gets one line and no carriage returns. A nil writer draws nothing.
//
// The bar counts what ends the run: requests when the run ends after a count, seconds when it
// ends after a duration, and whichever is nearer when both were asked for.
//
//	[██████████░░░░░░░░░░] 100/200 requests  ok 90  failed 10  1.2s
//	[██████████░░░░░░░░░░] 20.0s/40s  sent 5120  ok 4860  failed 260
type progress struct {
	w    io.Writer
	live bool // redraw in place: w is a terminal
	// requests and duration are the run's bounds; byCount and byTime say which of them the
	// caller asked for, and so which one the bar counts.
	requests        int
	duration        time.Duration
	byCount, byTime bool
	width           int // of the last line drawn, to blank out what a shorter line leaves behind
}

// newProgress returns the bar for p's run, drawn on p.Progress.
func newProgress(p plan) progress {
	return progress{w: p.Progress, live: isTerminal(p.Progress), requests: p.Requests, duration: p.Duration,
		byCount: p.byCount, byTime: p.byTime}
}

// isTerminal reports whether w is a terminal (a character device), where a line redrawn in
// place looks like a bar instead of a pile of carriage returns.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// line is the bar and its text after done requests (ok and failed among them) at elapsed.
func (p *progress) line(done, ok, failed int, elapsed time.Duration) string {
	var fraction float64
	if p.byCount {
		fraction = float64(done) / float64(p.requests)
	}
	if p.byTime {
		fraction = max(fraction, elapsed.Seconds()/p.duration.Seconds())
	}
	filled := min(int(fraction*barWidth), barWidth)
	bar := strings.Repeat("█", filled) + strings.Repeat("░", barWidth-filled)
	switch {
	case p.byCount && p.byTime:
		return fmt.Sprintf("[%s] %d/%d requests  %.1fs/%s  ok %d  failed %d", bar, done, p.requests, elapsed.Seconds(), p.duration, ok, failed)
	case p.byTime:
		return fmt.Sprintf("[%s] %.1fs/%s  sent %d  ok %d  failed %d", bar, elapsed.Seconds(), p.duration, done, ok, failed)
	}
	return fmt.Sprintf("[%s] %d/%d requests  ok %d  failed %d  %.1fs", bar, done, p.requests, ok, failed, elapsed.Seconds())
}

// draw redraws the line on a terminal. Write errors are ignored: a broken terminal must not stop
// the load.
func (p *progress) draw(done, ok, failed int, elapsed time.Duration) {
	if p.w == nil || !p.live {
		return
	}
	line := p.line(done, ok, failed, elapsed)
	width := utf8.RuneCountInString(line)
	pad := max(p.width-width, 0)
	p.width = width
	_, _ = fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
}

// finish writes the final line and ends it: over the bar on a terminal, as the only line
// elsewhere.
func (p *progress) finish(done, ok, failed int, elapsed time.Duration) {
	if p.w == nil {
		return
	}
	if p.live {
		p.draw(done, ok, failed, elapsed)
		_, _ = fmt.Fprintln(p.w)
		return
	}
	_, _ = fmt.Fprintln(p.w, p.line(done, ok, failed, elapsed))
}
