package launch

import (
	"io"
	"regexp"
	"strings"
	"sync"
)

// lines collects a process's output and wakes waiters at every write.
type lines struct {
	mu      sync.Mutex
	buf     strings.Builder
	changed chan struct{}
	echo    io.Writer
}

func newLines(echo io.Writer) *lines { return &lines{changed: make(chan struct{}), echo: echo} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	close(l.changed)
	l.changed = make(chan struct{})
	if l.echo != nil {
		_, _ = l.echo.Write(p)
	}
	return len(p), nil
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// find returns the first match of re in the output so far, and a channel closed at the next write.
func (l *lines) find(re *regexp.Regexp) ([]string, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return re.FindStringSubmatch(l.buf.String()), l.changed
}
