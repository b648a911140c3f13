// Package syncbuf is a bytes.Buffer that many goroutines may write to while others read it: the
// log output of servers run inside a test, or of a process the demos and tests started. A reader
// waiting for a line is woken by the next write instead of polling.
package syncbuf

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
)

// Buffer is safe for concurrent use. The zero value is an empty buffer ready to use.
type Buffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed at the next write; nil while nobody waits
}

// Write appends p, as one piece (concurrent writes do not interleave), and wakes every reader
// waiting in FindLine's channel.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// FindLine returns the submatches of re in the first complete line that matches, with the whole
// line (without its newline) in place of the match; or nil and a channel closed at the next
// write, to wait on before looking again. A line still being written is not matched half-way.
func (b *Buffer) FindLine(re *regexp.Regexp) (match []string, changed <-chan struct{}) {
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
