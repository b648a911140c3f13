// Package uitest drives headless Chromium against the Jaeger UI that the workbook's stack serves:
// it prints a page's DOM after its scripts ran, for the end-to-end test of what a person sees,
// and saves screenshots, for the pictures in docs/ (make screenshots). It is plumbing, not a
// lesson.
package uitest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
)

// ChromiumHint is how to get the browser these helpers need.
const ChromiumHint = "install Chromium: apt-get install -y chromium (Debian, Ubuntu), or set CHROMIUM to a Chrome or Chromium binary"

// Chromium returns the path of a Chromium or Chrome binary: $CHROMIUM if set, else the first
// of chromium, chromium-browser, google-chrome on the PATH.
func Chromium() (string, error) {
	if c := os.Getenv("CHROMIUM"); c != "" {
		p, err := exec.LookPath(c)
		if err != nil {
			return "", fmt.Errorf("CHROMIUM=%s: %w: %s", c, err, ChromiumHint)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found: " + ChromiumHint)
}

// Page is a page to load: the URL, the window size, and how long the page's scripts may run
// (virtual time: timers and network waits are fast-forwarded, so a page that polls or animates
// settles without real waiting).
type Page struct {
	URL           string
	Width, Height int
	Budget        int // milliseconds of virtual time; 8000 if 0
}

func (p Page) args(dir string) []string {
	w, h, budget := p.Width, p.Height, p.Budget
	if w == 0 || h == 0 {
		w, h = 1400, 900
	}
	if budget == 0 {
		budget = 8000
	}
	return []string{
		"--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		// Nothing but the page: no updates, sync, first-run dialogs or background traffic.
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-first-run", "--no-default-browser-check", "--user-data-dir=" + dir,
		"--window-size=" + strconv.Itoa(w) + "," + strconv.Itoa(h),
		"--virtual-time-budget=" + strconv.Itoa(budget),
	}
}

// run runs Chromium once with a profile of its own, removed afterwards.
func run(ctx context.Context, p Page, extra ...string) ([]byte, error) {
	bin, err := Chromium()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "workbook-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	args := append(append(p.args(dir), extra...), p.URL)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr limited
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w\n%s", bin, p.URL, err, stderr.String())
	}
	return out, nil
}

// DumpDOM loads the page and returns its DOM, serialized, once its scripts have run.
func DumpDOM(ctx context.Context, p Page) (string, error) {
	out, err := run(ctx, p, "--dump-dom")
	return string(out), err
}

// Screenshot loads the page and saves a PNG of the window to file.
func Screenshot(ctx context.Context, p Page, file string) error {
	if _, err := run(ctx, p, "--screenshot="+file); err != nil {
		return err
	}
	if fi, err := os.Stat(file); err != nil || fi.Size() == 0 {
		return fmt.Errorf("chromium wrote no screenshot of %s to %s (%v)", p.URL, file, err)
	}
	return nil
}

// limited keeps the last 8 KiB written to it: Chromium's stderr is chatty (D-Bus, GPU).
type limited struct{ buf []byte }

func (l *limited) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	if len(l.buf) > 8<<10 {
		l.buf = l.buf[len(l.buf)-8<<10:]
	}
	return len(p), nil
}

func (l *limited) String() string { return string(l.buf) }
