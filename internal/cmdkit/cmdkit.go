// Package cmdkit is plumbing shared by the chapters' demo programs: a server on a free loopback
// port that stops on request, loggers that print only what the reader needs, and output lines
// tagged with the side (client, server) that wrote them. None of it is a lesson.
package cmdkit

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Serve listens on a free loopback port and runs serve on it in the background until stop is
// called. stop returns serve's error, so a shutdown problem fails the demo instead of vanishing.
func Serve(ctx context.Context, serve func(context.Context, net.Listener) error) (addr string, stop func() error, err error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln) }()
	return ln.Addr().String(), func() error { cancel(); return <-served }, nil
}

// Logger logs in slog's text format without the time and level, which would differ on every run
// and push the IDs off the screen; an error shows as an error attribute anyway.
func Logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey) {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// Sides returns one writer per tag, all writing to w. Each line is prefixed with its writer's
// tag, and a shared lock keeps lines written from different goroutines whole. Writers expect
// whole lines per Write, as slog handlers and fmt.Fprintf calls with "\n" produce.
func Sides(w io.Writer, tags ...string) []io.Writer {
	mu := &sync.Mutex{}
	sides := make([]io.Writer, len(tags))
	for i, tag := range tags {
		sides[i] = &taggedWriter{mu: mu, w: w, tag: tag}
	}
	return sides
}

type taggedWriter struct {
	mu  *sync.Mutex
	w   io.Writer
	tag string
}

func (t *taggedWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, err := fmt.Fprintf(t.w, "%s %s", t.tag, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Output opens where a program should write, such as exported spans: the file at path (created or
// truncated), or os.Stdout when path is empty. close is a no-op for stdout.
func Output(path string) (w io.Writer, close func() error, err error) {
	if path == "" {
		return os.Stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// Run runs a program's body and returns its exit status, for main to pass to os.Exit:
// run gets a context that Ctrl-C or SIGTERM cancels, and an error it returns is printed to stderr
// as "name: error", status 1. Every deferred cleanup in run (stopping processes, shutting
// providers down) has happened by the time it returns.
func Run(name string, stderr io.Writer, run func(ctx context.Context) error) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(stderr, name+":", err)
		return 1
	}
	return 0
}
