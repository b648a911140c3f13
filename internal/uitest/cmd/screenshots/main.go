// Command screenshots takes the pictures of the Jaeger UI in docs/img from a real run (make
// screenshots): it starts chapter 4's stack with the UI on free ports, sends a normal, a slow and
// a failing request, and saves what headless Chromium shows of each trace, of Search and of the
// System Architecture graph.
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

	"github.com/rpc-tracing/workbook/internal/uitest"
)

func main() {
	root := flag.String("root", ".", "the repository's root, with bin/ and ch04-jaeger/")
	out := flag.String("out", "docs/img", "where to write the PNGs")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *root, *out); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, root, out string) (err error) {
	if _, err := uitest.Chromium(); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
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
	lookback := url.Values{"service": {"listen"}, "lookback": {"1h"}, "limit": {"20"}}
	shots := []struct {
		file, url string
	}{
		{"ch04-ui-trace.png", ui + "/trace/" + ids["normal"]},
		{"ch04-ui-critical-path.png", ui + "/trace/" + ids["slow"]},
		{"ch04-ui-failing-trace.png", ui + "/trace/" + ids["failing"]},
		{"ch04-ui-search.png", ui + "/search?" + lookback.Encode()},
		{"ch04-ui-system-architecture.png", ui + "/dependencies"},
		{"ch04-ui-compare.png", fmt.Sprintf("%s/trace/%s...%s?cohort=%[2]s&cohort=%[3]s", ui, ids["normal"], ids["failing"])},
	}
	for _, s := range shots {
		file := filepath.Join(out, s.file)
		shotCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		err := uitest.Screenshot(shotCtx, uitest.Page{URL: s.url, Width: 1400, Height: 900}, file)
		cancel()
		if err != nil {
			return err
		}
		fmt.Println("wrote", file)
	}
	return nil
}
