package uitest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch05-monitoring/monitor"
	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/stack"
)

// The chain's services, the same in chapters 4 and 5, and where listen answers at its documented
// address.
var (
	Services       = chain.Services
	documentedEdge = "127.0.0.1:8080"
)

// A chapter's stack: its configs (relative to the repository's root) and its services' program
// in bin/ (`<program> <service>`).
type chapter struct{ jaegerConfig, prometheusConfig, program string }

var (
	chapter4 = chapter{jaegerConfig: "ch04-jaeger/jaeger/config.yaml", program: "ch04-chain"}
	// Chapter 5's Jaeger computes RED from the spans and reads it back from chapter 5's
	// Prometheus, for the Monitor tab.
	chapter5 = chapter{"ch05-monitoring/jaeger/config.yaml", "ch05-monitoring/prometheus/prometheus.yml", "ch05-chain"}
)

// Chain is a chapter's stack run for the UI: Jaeger serving the UI, and the five services.
type Chain struct {
	Stack  *stack.Stack
	client *http.Client
	// edgeURL is listen's API.
	edgeURL string
}

// StartChain starts Jaeger and the five services from root's bin/, with chapter 4's Jaeger
// config. freePorts moves everything to free ports, so it runs beside a demo that holds the
// documented ones. It fails, with the command to fix it, when the UI has not been built.
func StartChain(ctx context.Context, root string, freePorts bool, echo io.Writer) (*Chain, error) {
	return start(ctx, root, freePorts, echo, chapter4)
}

// StartMonitoredChain starts chapter 5's stack, as StartChain does chapter 4's: Jaeger with
// the spanmetrics connector, Prometheus, and the five monitored services.
func StartMonitoredChain(ctx context.Context, root string, freePorts bool, echo io.Writer) (*Chain, error) {
	return start(ctx, root, freePorts, echo, chapter5)
}

func start(ctx context.Context, root string, freePorts bool, echo io.Writer, ch chapter) (_ *Chain, err error) {
	bin := filepath.Join(root, "bin")
	if !stack.HasUI(bin) {
		return nil, fmt.Errorf("%s has no Jaeger UI: run make jaeger-ui (it needs Node.js and npm)", filepath.Join(bin, stack.UIDir))
	}
	edge, flags, metrics, err := servicePorts(freePorts, ch)
	if err != nil {
		return nil, err
	}
	st, err := stack.New(stack.Config{
		Bin: bin, JaegerConfig: filepath.Join(root, ch.jaegerConfig), Echo: echo, WithPrometheus: ch.prometheusConfig != "",
		Env: []string{"OTEL_BSP_SCHEDULE_DELAY=200"}, FreePorts: freePorts, Program: ch.program, ScrapeTargets: metrics,
	})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, st.Stop())
		}
	}()
	if err := st.StartJaeger(ctx); err != nil {
		return nil, err
	}
	if ch.prometheusConfig != "" {
		if err := st.StartPrometheus(ctx, filepath.Join(root, ch.prometheusConfig)); err != nil {
			return nil, err
		}
	}
	for _, s := range Services {
		if err := st.StartService(ctx, s, flags...); err != nil {
			return nil, err
		}
	}
	// No keep-alive: no idle connection outlives a test for goleak to find.
	return &Chain{Stack: st, edgeURL: "http://" + edge + "/api/study",
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}, nil
}

// servicePorts says where the services listen: at their documented addresses, or on free ports,
// each told by a flag (-listen …, and chapter 5's -metrics-listen …, which Prometheus then
// scrapes). It returns listen's address, the services' flags and the /metrics addresses by job.
func servicePorts(free bool, ch chapter) (edge string, flags []string, metrics map[string]string, err error) {
	if !free {
		return documentedEdge, nil, nil, nil
	}
	addrs, err := stack.FreeAddrsFor(Services)
	if err != nil {
		return "", nil, nil, err
	}
	services := chain.AddrsOf(addrs)
	flags = services.Flags()
	if ch.prometheusConfig != "" {
		if metrics, err = stack.FreeAddrsFor(Services); err != nil {
			return "", nil, nil, err
		}
		flags = append(flags, monitor.Flags(metrics)...)
	}
	return services.Listen, flags, metrics, nil
}

// Stop stops the services, Prometheus if it runs, and Jaeger.
func (c *Chain) Stop() error { return c.Stack.Stop() }

// UI is the base URL of the Jaeger UI.
func (c *Chain) UI() string { return c.Stack.JaegerAddrs.QueryURL() }

// Study sends one request to the edge with query's knobs ("?slow=read", "?fail=write") and
// returns its trace ID and HTTP status.
func (c *Chain) Study(ctx context.Context, query string) (string, int, error) {
	edge := listen.Client{URL: c.edgeURL, HTTP: c.client}
	a, err := edge.Study(ctx, query, listen.StudyRequest{Student: "Ada", Text: "Ada reads the notes. Then she writes a program!"})
	if err != nil {
		return "", a.Status, err
	}
	if a.TraceID == "" {
		return "", a.Status, fmt.Errorf("POST %s%s: %d, no trace ID (%s)", c.edgeURL, query, a.Status, a.Error)
	}
	return a.TraceID, a.Status, nil
}

// TrafficUntilRED sends a request every 100 ms, the i-th with query(i)'s knobs, until Jaeger's
// Monitor tab has points of service's RED to draw (see WaitForRED) or timeout has passed, and
// returns once the last request is done. The Monitor tab shows what came through, so a failed
// request is not a reason to stop.
func (c *Chain) TrafficUntilRED(ctx context.Context, query func(i int) string, service string, points int, timeout time.Duration) error {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-quit:
				return
			case <-time.After(100 * time.Millisecond):
			}
			_, _, _ = c.Study(ctx, query(i))
		}
	}()
	defer func() { close(quit); <-done }()
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.WaitForRED(waitCtx, service, points)
}

// WaitForSpans waits until Jaeger has at least n spans of the trace, so the UI shows all of them.
func (c *Chain) WaitForSpans(ctx context.Context, traceID string, n int) error {
	jaeger := jaegerapi.Client{URL: c.UI(), HTTP: c.client}
	spans, err := jaeger.WaitForTrace(ctx, traceID, func(s []jaegerapi.Span) bool { return len(s) >= n })
	if err != nil {
		return fmt.Errorf("trace %s: Jaeger has %d spans, want %d: %w", traceID, len(spans), n, err)
	}
	return nil
}

// WaitForRED waits until Jaeger's metrics API answers what the Monitor tab asks for service
// (its server spans, a point a minute over the last hour, rates over 10 minutes) with at least
// points numbers in each of the request rate, error rate and p95 latency: a chart needs two
// points to draw a line. A point is a number once Prometheus has two scrapes of spanmetrics'
// counts before it, so n points take a little over n-1 minutes of traffic.
func (c *Chain) WaitForRED(ctx context.Context, service string, points int) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	got := map[string]int{}
	for {
		done := true
		for _, kind := range []string{"calls", "errors", "latencies"} {
			got[kind] = c.points(ctx, kind, service)
			done = done && got[kind] >= points
		}
		if done {
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("/api/metrics of Jaeger for %s: points %v, want %d each: %w", service, got, points, ctx.Err())
		}
	}
}

// points counts the numbers among the points of /api/metrics/<kind> for service, asked as the
// Monitor tab asks (NaN where there is no rate yet).
func (c *Chain) points(ctx context.Context, kind, service string) int {
	q := url.Values{"service": {service}, "spanKind": {"server"}, "quantile": {"0.95"},
		"endTs": {strconv.FormatInt(time.Now().UnixMilli(), 10)}, "lookback": {"3600000"}, "step": {"60000"}, "ratePer": {"600000"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.UI()+"/api/metrics/"+kind+"?"+q.Encode(), nil)
	if err != nil {
		return 0
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	var out struct {
		Metrics []struct {
			MetricPoints []struct {
				GaugeValue struct{ DoubleValue any } // a number, or "NaN"
			}
		}
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&out) != nil || len(out.Metrics) == 0 {
		return 0
	}
	n := 0
	for _, p := range out.Metrics[0].MetricPoints {
		if _, ok := p.GaugeValue.DoubleValue.(float64); ok {
			n++
		}
	}
	return n
}
