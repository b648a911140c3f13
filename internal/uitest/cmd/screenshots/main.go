// Command screenshots takes the pictures of the Jaeger UI in docs/img from a real run (make
// screenshots): it starts chapter 4's stack with the UI on free ports, sends a normal, a slow and
// a failing request, and drives headless Chromium (through the DevTools protocol) to each view a
// chapter shows: the traces, a span opened, Search, System Architecture and Compare. Then it
// starts chapter 5's stack, sends four minutes of traffic, and takes the Monitor tab.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rpc-tracing/workbook/internal/uitest"
)

func main() {
	root := flag.String("root", ".", "the repository's root, with bin/ and ch04-jaeger/")
	out := flag.String("out", "docs/img", "where to write the PNGs")
	only := flag.String("only", "", "take only one chapter's pictures: ch04 or ch05")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *root, *out, *only); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

// A picture: the page, what must be on it before it is taken, and what to click first.
type shot struct {
	file, url string
	ready     string   // a JavaScript expression, true once the page shows what the picture is of
	clicks    []string // JavaScript statements run after ready, each followed by a short pause
	height    int      // of the page's viewport, 1400 wide; 800 if 0
	// storage is set in the UI's localStorage before the page loads: the UI keeps choices there.
	storage map[string]string
}

// JavaScript that finds the timeline row of a service's only span and opens its details, with its
// tags and every log (event) unfolded.
func openSpan(service string) []string {
	return []string{
		fmt.Sprintf(`[...document.querySelectorAll('.span-row')].find(r => r.querySelector('.span-svc-name').textContent.trim() === %q).querySelector('.span-name').click()`, service),
		`document.querySelector('.detail-row .AccordianKeyValues--header:not(.is-open)').click()`,
		`document.querySelectorAll('.detail-row .AccordianLogs--content .AccordianKeyValues--header:not(.is-open)').forEach(h => h.click())`,
	}
}

const (
	traceReady = `document.querySelectorAll('.span-row').length >= %d`
	graphReady = `document.querySelectorAll('.plexus-Digraph svg g, .plexus-Digraph .plexus--node, .DdgNodeContent').length > 0`
)

func run(ctx context.Context, root, out, only string) (err error) {
	chromium, err := uitest.Chromium()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "workbook-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.UserDataDir(dir), chromedp.WindowSize(1400, 900), chromedp.Flag("hide-scrollbars", true))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	for _, chapter := range []struct {
		prefix string
		shots  func(ctx, browser context.Context, root, out string) error
	}{{"ch04", chapter4}, {"ch05", chapter5}} {
		if only == "" || only == chapter.prefix {
			if err := chapter.shots(ctx, browser, root, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// chapter4 takes chapter 4's pictures: the trace views, Search, System Architecture, Compare.
func chapter4(ctx, browser context.Context, root, out string) (err error) {
	fmt.Println("# starting Jaeger (with its UI) and the five services")
	c, err := uitest.StartChain(ctx, root, true, nil)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, c.Stop()) }()

	ids := map[string]string{}
	for _, r := range []struct{ name, query string }{{"normal", ""}, {"slow", "?slow=read"}, {"failing", "?fail=write"}} {
		id, status, err := c.Study(ctx, r.query)
		if err != nil {
			return err
		}
		fmt.Printf("POST /api/study%s: %d, trace %s\n", r.query, status, id)
		ids[r.name] = id
	}
	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for name, n := range map[string]int{"normal": 9, "slow": 9, "failing": 5} {
		if err := c.WaitForSpans(waitCtx, ids[name], n); err != nil {
			return err
		}
	}

	ui := c.UI()
	search := url.Values{"service": {"listen"}, "lookback": {"1h"}, "limit": {"20"}}
	return takeAll(browser, out, []shot{
		{file: "ch04-ui-critical-path.png", url: ui + "/trace/" + ids["slow"], ready: fmt.Sprintf(traceReady, 9), height: 540},
		{file: "ch04-ui-span.png", url: ui + "/trace/" + ids["slow"], ready: fmt.Sprintf(traceReady, 9), clicks: openSpan("read"), height: 1200},
		{file: "ch04-ui-failing-trace.png", url: ui + "/trace/" + ids["failing"], ready: fmt.Sprintf(traceReady, 5), clicks: openSpan("write"), height: 1120},
		{file: "ch04-ui-search.png", url: ui + "/search?" + search.Encode(), ready: `document.querySelectorAll('.ResultItem').length >= 3`, height: 840},
		{file: "ch04-ui-system-architecture.png", url: ui + "/dependencies", ready: graphReady},
		{file: "ch04-ui-compare.png", url: fmt.Sprintf("%s/trace/%s...%s?cohort=%[2]s&cohort=%[3]s", ui, ids["normal"], ids["failing"]), ready: graphReady},
	})
}

// chapter5 takes the Monitor tab on chapter 5's stack after four minutes of traffic (the tab
// draws a point a minute), shown over its shortest timeframe, the last 5 minutes.
func chapter5(ctx, browser context.Context, root, out string) (err error) {
	fmt.Println("# starting Jaeger (with its UI and spanmetrics), Prometheus and the five monitored services")
	c, err := uitest.StartMonitoredChain(ctx, root, true, nil)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, c.Stop()) }()
	fmt.Println("# sending a request every 100ms for about four minutes: 1 in 10 slow in read, 1 in 20 failing in write")
	err = c.TrafficUntilRED(ctx, func(i int) string {
		switch {
		case i%20 == 0:
			return "?fail=write"
		case i%10 == 5:
			return "?slow=read"
		}
		return ""
	}, "listen", 5, 6*time.Minute)
	if err != nil {
		return err
	}
	return takeAll(browser, out, []shot{{
		file: "ch05-ui-monitor.png", url: c.UI() + "/monitor", height: 660,
		ready:   `document.querySelectorAll('.graph-container .recharts-area').length >= 3`,
		storage: map[string]string{"lastAtmSearchTimeframe": "300000", "lastAtmSearchService": `"listen"`},
	}})
}

// takeAll takes each picture into out.
func takeAll(browser context.Context, out string, shots []shot) error {
	for _, s := range shots {
		if err := take(browser, s, filepath.Join(out, s.file)); err != nil {
			return fmt.Errorf("%s (%s): %w", s.file, s.url, err)
		}
		fmt.Println("wrote", filepath.Join(out, s.file))
	}
	return nil
}

// take loads the page in a tab of its own, waits until it is ready, clicks, and saves a PNG of
// the window.
func take(browser context.Context, s shot, file string) error {
	tab, closeTab := chromedp.NewContext(browser)
	defer closeTab()
	ctx, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	height := s.height
	if height == 0 {
		height = 800
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, int64(height))); err != nil {
		return err
	}
	if len(s.storage) > 0 {
		u, err := url.Parse(s.url)
		if err != nil {
			return err
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(u.Scheme+"://"+u.Host+"/")); err != nil {
			return err
		}
		for k, v := range s.storage {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](fmt.Sprintf("localStorage.setItem(%q, %q); true", k, v))); err != nil {
				return err
			}
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.url)); err != nil {
		return err
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](s.ready)); err != nil {
		return fmt.Errorf("the page never showed what it should (%s): %w", s.ready, err)
	}
	for _, js := range s.clicks {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](js+"; true")); err != nil {
			return fmt.Errorf("%s: %w", js, err)
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
			return err
		}
	}
	// Let transitions and the graphs' layout finish.
	if err := chromedp.Do(ctx, chromedp.Sleep(time.Second)); err != nil {
		return err
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return err
	}
	return os.WriteFile(file, png, 0o644)
}
