// Package launch starts and stops the workbook's programs and backends as real processes for the
// demos and tests (internal/proctest is its layer for tests): it waits for a log line or a health
// URL, stops a process with SIGTERM and waits for it, and kills whatever is left. It is plumbing,
// not a lesson.
package launch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"time"

	"github.com/rpc-tracing/workbook/internal/syncbuf"
)

// Proc is a started process.
type Proc struct {
	Name string
	cmd  *exec.Cmd
	// logs is stdout and stderr together, in the order written; stdout and stderr each alone.
	logs, stdout, stderr syncbuf.Buffer
	done                 chan struct{}
	err                  error // how it exited; valid once done is closed
}

// Start starts bin with args, its stderr and stdout collected (and copied to echo, if not nil).
// env adds to the current environment.
func Start(name, bin string, args, env []string, echo io.Writer) (*Proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	return StartCmd(name, cmd, echo)
}

// StartCmd starts a command prepared by the caller (e.g. exec.CommandContext, to be killed when a
// context ends), as Start does. Its Stdout and Stderr must be unset.
func StartCmd(name string, cmd *exec.Cmd, echo io.Writer) (*Proc, error) {
	p := &Proc{Name: name, cmd: cmd, done: make(chan struct{})}
	out, errOut := []io.Writer{&p.stdout, &p.logs}, []io.Writer{&p.stderr, &p.logs}
	if echo != nil {
		out, errOut = append(out, echo), append(errOut, echo)
	}
	cmd.Stdout, cmd.Stderr = io.MultiWriter(out...), io.MultiWriter(errOut...)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Logs returns everything the process has written so far, stdout and stderr together.
func (p *Proc) Logs() string { return p.logs.String() }

// Stdout and Stderr return what the process has written so far to each.
func (p *Proc) Stdout() string { return p.stdout.String() }

// Stderr: see Stdout.
func (p *Proc) Stderr() string { return p.stderr.String() }

// Done is closed once the process has exited and its output is all read.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Exit returns how the process ended: its exit code (-1 if a signal ended it) and Wait's error.
// Call it once Done is closed.
func (p *Proc) Exit() (code int, err error) { return p.cmd.ProcessState.ExitCode(), p.err }

// Signal sends sig to the process.
func (p *Proc) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// WaitForLog waits until the process writes a line, to stdout or stderr, that matches re, and
// returns the submatches with the whole line first.
func (p *Proc) WaitForLog(ctx context.Context, re *regexp.Regexp) ([]string, error) {
	return p.waitForLine(ctx, &p.logs, re)
}

// WaitForStderr is WaitForLog for lines written to stderr only.
func (p *Proc) WaitForStderr(ctx context.Context, re *regexp.Regexp) ([]string, error) {
	return p.waitForLine(ctx, &p.stderr, re)
}

// ErrExited is returned by WaitForLog and WaitForStderr when the process exits first.
var ErrExited = errors.New("exited")

func (p *Proc) waitForLine(ctx context.Context, buf *syncbuf.Buffer, re *regexp.Regexp) ([]string, error) {
	for {
		match, changed := buf.FindLine(re)
		if match != nil {
			return match, nil
		}
		select {
		case <-changed:
		case <-p.done:
			if match, _ := buf.FindLine(re); match != nil {
				return match, nil
			}
			return nil, fmt.Errorf("%s %w (%v) before logging %q:\n%s", p.Name, ErrExited, p.err, re, buf.String())
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: no log line matching %q: %w\n%s", p.Name, re, ctx.Err(), buf.String())
		}
	}
}

// WaitHealthy polls url until it answers 200, the process exits, or ctx ends.
func (p *Proc) WaitHealthy(ctx context.Context, url string) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-tick.C:
		case <-p.done:
			return fmt.Errorf("%s exited (%v) before %s answered:\n%s", p.Name, p.err, url, p.Logs())
		case <-ctx.Done():
			return fmt.Errorf("%s: %s did not answer 200: %w", p.Name, url, ctx.Err())
		}
	}
}

// Stop sends SIGTERM and waits up to timeout for the process to exit, then kills it. It returns
// an error if the process had to be killed or exited with a failure.
func (p *Proc) Stop(timeout time.Duration) error {
	select {
	case <-p.done:
		return p.exitErr()
	default:
	}
	_ = p.Signal(syscall.SIGTERM)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-p.done:
		return p.exitErr()
	case <-timer.C:
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not stop within %s after SIGTERM; killed", p.Name, timeout)
	}
}

// Pause freezes the process (SIGSTOP), as a long GC pause or a stalled disk would: it keeps its
// sockets open but answers nothing until Resume.
func (p *Proc) Pause() error { return p.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume lets a paused process go on (SIGCONT).
func (p *Proc) Resume() error { return p.cmd.Process.Signal(syscall.SIGCONT) }

// Kill ends the process at once, as a crash would.
func (p *Proc) Kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

func (p *Proc) exitErr() error {
	if p.err != nil {
		return fmt.Errorf("%s: %w", p.Name, p.err)
	}
	return nil
}

// Group stops its processes in reverse order of starting.
type Group struct {
	mu    sync.Mutex
	procs []*Proc
}

// Add registers p to be stopped by StopAll.
func (g *Group) Add(p *Proc) *Proc {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.procs = append(g.procs, p)
	return p
}

// StopAll stops every process, the last started first, and joins their errors.
func (g *Group) StopAll(timeout time.Duration) error {
	g.mu.Lock()
	procs := g.procs
	g.procs = nil
	g.mu.Unlock()
	var errs []error
	for i := len(procs) - 1; i >= 0; i-- {
		errs = append(errs, procs[i].Stop(timeout))
	}
	return errors.Join(errs...)
}
