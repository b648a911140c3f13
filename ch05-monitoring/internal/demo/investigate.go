package demo

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/promquery"
	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/stack"
	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// Jobs are the Prometheus jobs scraped: the five services, Jaeger itself, and the RED Jaeger
// computes from the spans.
var Jobs = append(append([]string{}, chain.Services...), "jaeger", "spanmetrics")

// waitTargetsUp waits until Prometheus has scraped every job successfully.
func waitTargetsUp(ctx context.Context, out io.Writer, prom v1.API) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		up, _, err := promquery.TargetsUp(ctx, prom)
		if err == nil && up == len(Jobs) {
			fmt.Fprintf(out, "Prometheus scrapes %d targets, all up\n", up)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not every target is up (%d of %d): %v", up, len(Jobs), err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// investigate is the on-call walk, from the numbers to one trace and its log lines.
func investigate(ctx context.Context, out io.Writer, prom v1.API, st *stack.Stack, since time.Time) error {
	if err := redTable(ctx, out, prom); err != nil {
		return err
	}
	if err := alerts(ctx, out, prom); err != nil {
		return err
	}
	traceID, spans, err := p99Exemplar(ctx, out, prom, since)
	if err != nil {
		return err
	}
	jaeger := jaegerapi.Client{URL: st.JaegerAddrs.QueryURL()}
	if err := showTrace(ctx, out, jaeger, traceID, spans); err != nil {
		return err
	}
	showLogs(out, st, traceID)
	return nil
}

// redTable prints rate, errors and duration per service from the recording rules.
func redTable(ctx context.Context, out io.Writer, prom v1.API) error {
	queries := []struct{ head, promql, format string }{
		{"req/s", "job:requests:rate1m", "%.1f"},
		{"errors", "job:error_ratio:rate1m", "pct"},
		{"p50", "job:latency_seconds:p50_1m", "dur"},
		{"p90", "job:latency_seconds:p90_1m", "dur"},
		{"p99", "job:latency_seconds:p99_1m", "dur"},
	}
	values := map[string]map[string]string{}
	for _, q := range queries {
		samples, err := promquery.Vector(ctx, prom, q.promql, time.Time{})
		if err != nil {
			return err
		}
		for _, s := range samples {
			job := string(s.Metric["job"])
			if values[job] == nil {
				values[job] = map[string]string{}
			}
			values[job][q.head] = format(float64(s.Value), q.format)
		}
	}
	fmt.Fprintln(out, "\n# RED per service, from Prometheus's recording rules (last minute)")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "service\treq/s\terrors\tp50\tp90\tp99\t")
	for _, s := range chain.Services {
		v := values[s]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", s, v["req/s"], v["errors"], v["p50"], v["p90"], v["p99"])
	}
	return tw.Flush()
}

func format(v float64, how string) string {
	switch how {
	case "pct":
		return fmt.Sprintf("%.1f%%", 100*v)
	case "dur":
		return time.Duration(v * float64(time.Second)).Round(100 * time.Microsecond).String()
	}
	return fmt.Sprintf(how, v)
}

// alerts prints the alerts Prometheus is evaluating, firing first.
func alerts(ctx context.Context, out io.Writer, prom v1.API) error {
	res, err := prom.Alerts(ctx)
	if err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	list := res.Alerts
	sortKey := func(a v1.Alert) string {
		return string(a.State) + string(a.Labels["alertname"]) + string(a.Labels["job"])
	}
	sort.Slice(list, func(i, j int) bool { return sortKey(list[i]) < sortKey(list[j]) })
	fmt.Fprintf(out, "\n# alerts (%d)\n", len(list))
	for _, a := range list {
		fmt.Fprintf(out, "%-8s %-15s job=%-7s %s\n", a.State, a.Labels["alertname"], a.Labels["job"], a.Annotations["summary"])
	}
	return nil
}

// p99Exemplar picks the slowest exemplar the edge's duration histogram kept: a trace behind the
// p99. It also says how many spans that trace has once whole: nine for an answered request; a
// failed one has at least five (see chapter 4), so for it the first five are waited for.
func p99Exemplar(ctx context.Context, out io.Writer, prom v1.API, since time.Time) (traceID string, spans int, err error) {
	series, err := prom.QueryExemplars(ctx, `http_server_request_duration_seconds_bucket{job="listen"}`, since, time.Now())
	if err != nil {
		return "", 0, fmt.Errorf("exemplars: %w", err)
	}
	var slowest v1.Exemplar
	var bucket model.LabelSet
	kept := 0
	for _, s := range series {
		for _, e := range s.Exemplars {
			if kept == 0 || e.Value > slowest.Value {
				slowest, bucket = e, s.SeriesLabels
			}
			kept++
		}
	}
	if kept == 0 {
		return "", 0, fmt.Errorf("no exemplars kept for listen: is Prometheus's exemplar storage on?")
	}
	fmt.Fprintf(out, "\n# the slowest exemplar on listen's latency histogram (%d exemplars kept)\n", kept)
	fmt.Fprintf(out, "bucket le=%s  value %s  trace_id=%s\n", bucket["le"],
		time.Duration(float64(slowest.Value)*float64(time.Second)).Round(time.Millisecond), slowest.Labels["trace_id"])
	spans = 5
	if bucket["http_response_status_code"] == "200" {
		spans = 9
	}
	return string(slowest.Labels["trace_id"]), spans, nil
}

// showTrace draws the exemplar's trace as Jaeger stored it, once it has at least want spans.
func showTrace(ctx context.Context, out io.Writer, jaeger jaegerapi.Client, traceID string, want int) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	spans, err := jaeger.WaitForTrace(ctx, traceID, func(s []jaegerapi.Span) bool { return len(s) >= want })
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n# that trace in Jaeger: %s\n", jaeger.TraceURL(traceID))
	return waterfall.Render(out, jaegerapi.Waterfall(spans))
}

// showLogs prints every service's log lines that carry the trace ID.
func showLogs(out io.Writer, st *stack.Stack, traceID string) {
	fmt.Fprintf(out, "\n# log lines with trace_id=%s\n", traceID)
	for _, s := range chain.Services {
		p := st.Services[s]
		if p == nil {
			continue
		}
		for _, line := range strings.Split(p.Logs(), "\n") {
			if strings.Contains(line, traceID) {
				fmt.Fprintln(out, line)
			}
		}
	}
}
