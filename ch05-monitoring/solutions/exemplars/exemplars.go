// Package exemplars is the solution to chapter 5's third exercise: which requests can be a
// histogram bucket's exemplar when traces are sampled?
//
// The SDK offers a measurement to its exemplar reservoir only when the context it is recorded
// with holds a sampled span (exemplar.TraceBasedFilter, the default). So only sampled requests
// become exemplars, and every exemplar's trace_id names a trace the tracing backend was sent.
// OTEL_METRICS_EXEMPLAR_FILTER=always_on offers every measurement: an unsampled request's trace
// ID then becomes an exemplar that leads nowhere, because nobody recorded its trace.
package exemplars

import (
	"bufio"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Exemplar is one exemplar of an OpenMetrics exposition.
type Exemplar struct {
	// Series is the sample it is attached to: name and labels, e.g.
	// rpc_server_call_duration_seconds_bucket{…,le="0.005"}.
	Series string
	// Labels are the exemplar's own labels: trace_id and span_id when it came from a span.
	Labels map[string]string
	// Value is the measurement the exemplar keeps.
	Value float64
}

// sample is a sample line with an exemplar: series, value, " # ", {labels}, value, timestamp.
var sample = regexp.MustCompile(`^(\S+?(?:\{[^}]*\})?) \S+ # \{([^}]*)\} (\S+)(?: \S+)?$`)

var label = regexp.MustCompile(`(\w+)="([^"]*)"`)

// Parse returns the exemplars of an OpenMetrics text exposition (what the chapter's /metrics
// answers to Accept: application/openmetrics-text), in order. It reads the format as the
// chapter's services write it; label values with escaped quotes or braces are beyond it.
func Parse(openMetrics string) ([]Exemplar, error) {
	var out []Exemplar
	sc := bufio.NewScanner(strings.NewReader(openMetrics))
	for sc.Scan() {
		m := sample.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			return nil, fmt.Errorf("exemplar of %s: value %q: %w", m[1], m[3], err)
		}
		labels := map[string]string{}
		for _, kv := range label.FindAllStringSubmatch(m[2], -1) {
			labels[kv[1]] = kv[2]
		}
		out = append(out, Exemplar{Series: m[1], Labels: labels, Value: v})
	}
	return out, sc.Err()
}
