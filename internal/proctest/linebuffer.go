package proctest

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
)

// lineBuffer collects a process's output while a test reads it. Every write closes the current
// changed channel, so a reader waiting for a line wakes on new output instead of polling.
type lineBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

// Write appends p and wakes every waiting reader.
func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *lineBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// find returns the submatches of the first complete line that matches re (the whole line
// first), or nil and a channel that is closed on the next write. A line still being written is
// not matched half-way.
func (b *lineBuffer) find(re *regexp.Regexp) (match []string, changed <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	text := b.buf.String()
	text = text[:strings.LastIndexByte(text, '\n')+1]
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		if m := re.FindStringSubmatch(line); m != nil {
			m[0] = line
			return m, nil
		}
	}
	if b.changed == nil {
		b.changed = make(chan struct{})
	}
	return nil, b.changed
}
