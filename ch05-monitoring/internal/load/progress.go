package load

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// progressEvery is how often the bar is redrawn: often enough to look alive, rarely enough
// that a fast run does not spend its time writing to the terminal.
const progressEvery = 100 * time.Millisecond

// barWidth is the bar's width in cells.
const barWidth = 20

// progress draws one line, redrawn in place with a carriage return:
//
//	[██████████░░░░░░░░░░] 100/200  ok 90  failed 10  1.2s/2m0s
//
// The bar fills by whichever bound is nearer, the count or the duration; the text shows both.
// A nil writer draws nothing.
type progress struct {
	w        io.Writer
	requests int
	duration time.Duration
	width    int // of the last line drawn, to blank out what a shorter line leaves behind
}

// draw redraws the line. Write errors are ignored: a broken terminal must not stop the load.
func (p *progress) draw(done, ok, failed int, elapsed time.Duration) {
	if p.w == nil {
		return
	}
	fraction := max(float64(done)/float64(p.requests), elapsed.Seconds()/p.duration.Seconds())
	filled := min(int(fraction*barWidth), barWidth)
	line := fmt.Sprintf("[%s%s] %d/%d  ok %d  failed %d  %.1fs/%s",
		strings.Repeat("█", filled), strings.Repeat("░", barWidth-filled),
		done, p.requests, ok, failed, elapsed.Seconds(), p.duration)
	width := utf8.RuneCountInString(line)
	pad := max(p.width-width, 0)
	p.width = width
	_, _ = fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
}

// finish draws the final line and ends it.
func (p *progress) finish(done, ok, failed int, elapsed time.Duration) {
	if p.w == nil {
		return
	}
	p.draw(done, ok, failed, elapsed)
	_, _ = fmt.Fprintln(p.w)
}
