// Package demo is chapter 4's demo (make demo, make ch04): it starts a real Jaeger and the five
// services as separate processes, sends a normal, a slow and a failing request, fetches each
// trace back from Jaeger's API and draws it, then stops everything, or keeps it running for the
// reader to explore.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/stack"
	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// Config says where the binaries and Jaeger's config are, and what to do at the end.
type Config struct {
	Bin          string
	JaegerConfig string
	// Keep leaves everything running until ctx ends (Ctrl-C), for exploring.
	Keep bool
	// FreePorts runs Jaeger and the services on ports free at the time instead of the documented
	// ones (the tests set it, so they run while a demo holds those).
	FreePorts bool
}

// A request the demo sends, and how many spans its trace has at least.
type request struct {
	what  string
	query string
	spans int
}

var requests = []request{
	{"a normal request", "", 9},
	{"read made slow", "?slow=read", 9},
	// sing is never called; read's server span is missing when the failure cancels its call
	// before it arrives, and read's client span too when it cancels the call before it starts.
	{"write made to fail", "?fail=write", 5},
}

// Program is the services' program in bin/: `ch04-chain read` runs read, and so on.
const Program = "ch04-chain"

// Run runs the demo, writing what it does to out.
func Run(ctx context.Context, cfg Config, out io.Writer) (err error) {
	st, err := stack.New(stack.Config{
		Bin: cfg.Bin, JaegerConfig: cfg.JaegerConfig,
		// Demo-only: export every 200 ms instead of every 5 s, so traces show up at once.
		Env:       []string{"OTEL_BSP_SCHEDULE_DELAY=200"},
		Program:   Program,
		FreePorts: cfg.FreePorts,
	})
	if err != nil {
		return err
	}
	services := chain.DefaultAddrs
	if cfg.FreePorts {
		free, err := stack.FreeAddrsFor(chain.Services)
		if err != nil {
			return err
		}
		services = chain.AddrsOf(free)
	}
	edgeURL := "http://" + services.Listen + "/api/study"
	defer func() { err = errors.Join(err, st.Stop()) }()
	fmt.Fprintln(out, "# starting Jaeger (bin/jaeger) and the five services")
	if err := st.StartJaeger(ctx); err != nil {
		return err
	}
	for _, s := range chain.Services {
		if err := st.StartService(ctx, s, services.Flags()...); err != nil {
			return err
		}
	}
	traces, err := sendAll(ctx, out, edgeURL)
	if err != nil {
		return err
	}
	jaeger := jaegerapi.Client{URL: st.JaegerAddrs.QueryURL()}
	if err := showAll(ctx, out, jaeger, traces); err != nil {
		return err
	}
	if cfg.Keep {
		fmt.Fprintf(out, "\nEverything keeps running: open the links above or %s/search, POST to %s. Ctrl-C stops it all.\n", jaeger.URL, edgeURL)
		<-ctx.Done()
	} else {
		fmt.Fprintln(out, "\n# the links above open only while Jaeger runs: `make ch04` runs this demo and keeps Jaeger up until Ctrl-C")
	}
	fmt.Fprintln(out, "# stopping the services and Jaeger")
	return nil
}

// sendAll sends the demo's requests and returns each one's trace ID.
func sendAll(ctx context.Context, out io.Writer, edgeURL string) ([]string, error) {
	client := listen.Client{URL: edgeURL, HTTP: &http.Client{Timeout: 10 * time.Second}}
	var traces []string
	for _, r := range requests {
		start := time.Now()
		a, err := client.Study(ctx, r.query, listen.StudyRequest{Student: "Ada", Text: "Ada reads the notes. Then she writes a program!"})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.what, err)
		}
		fmt.Fprintf(out, "\nPOST %s%s   (%s)\n%d %s in %s, trace %s\n",
			edgeURL, r.query, r.what, a.Status, http.StatusText(a.Status), time.Since(start).Round(time.Millisecond), a.TraceID)
		if a.Error != "" {
			fmt.Fprintf(out, "error: %s\n", a.Error)
		} else {
			fmt.Fprintf(out, "reply: %s\n", a.Reply)
		}
		traces = append(traces, a.TraceID)
	}
	return traces, nil
}

// showAll fetches each trace from Jaeger, waits until all its spans are in, and draws it.
func showAll(ctx context.Context, out io.Writer, jaeger jaegerapi.Client, traces []string) error {
	for i, id := range traces {
		want := requests[i].spans
		waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		spans, err := jaeger.WaitForTrace(waitCtx, id, func(s []jaegerapi.Span) bool { return len(s) >= want })
		cancel()
		if err != nil {
			return fmt.Errorf("%s: %w", requests[i].what, err)
		}
		fmt.Fprintf(out, "\n# %s, as Jaeger stored it: %s\n", requests[i].what, jaeger.TraceURL(id))
		if err := waterfall.Render(out, jaegerapi.Waterfall(spans)); err != nil {
			return err
		}
	}
	return nil
}
