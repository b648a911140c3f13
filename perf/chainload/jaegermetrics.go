package chainload

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// The receivers of perf/jaeger.yaml: the services send to one, the flood to the other.
const (
	ServicesReceiver = "otlp"
	FloodReceiver    = "otlp/flood"
)

// SpanCounts is how many spans each of Jaeger's receivers accepted and refused since Jaeger
// started, by receiver name, and how many its exporters handed to storage.
type SpanCounts struct {
	Accepted, Refused map[string]float64
	Stored            float64
}

// ParseSpanCounts reads the counters out of Prometheus text exposition, with Prometheus's own
// parser (expfmt). A receiver that has not received anything yet has no series: its count is
// zero. The Collector names its counters with or without the _total suffix, by version; both are
// read.
func ParseSpanCounts(r io.Reader) (SpanCounts, error) {
	c := SpanCounts{Accepted: map[string]float64{}, Refused: map[string]float64{}}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(r)
	if err != nil {
		return c, fmt.Errorf("chainload: Jaeger's metrics: %w", err)
	}
	for name, family := range families {
		var counts map[string]float64
		switch strings.TrimSuffix(name, "_total") {
		case "otelcol_exporter_sent_spans": // spans written to storage, from every receiver
			for _, m := range family.GetMetric() {
				c.Stored += value(m)
			}
			continue
		case "otelcol_receiver_accepted_spans":
			counts = c.Accepted
		case "otelcol_receiver_refused_spans":
			counts = c.Refused
		default:
			continue
		}
		for _, m := range family.GetMetric() {
			recv, ok := label(m, "receiver")
			if !ok {
				return c, fmt.Errorf("chainload: no receiver label in a series of %s: %v", name, m.GetLabel())
			}
			counts[recv] += value(m) // one series per transport: add them up
		}
	}
	return c, nil
}

// value is a sample's value: a counter's when its family has a TYPE line, else an untyped one.
func value(m *dto.Metric) float64 {
	if m.GetCounter() != nil {
		return m.GetCounter().GetValue()
	}
	return m.GetUntyped().GetValue()
}

// label returns the value of the sample's label called name.
func label(m *dto.Metric, name string) (string, bool) {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue(), true
		}
	}
	return "", false
}

// ReadSpanCounts fetches Jaeger's metrics from url and parses them.
func ReadSpanCounts(ctx context.Context, client *http.Client, url string) (SpanCounts, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return SpanCounts{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return SpanCounts{}, fmt.Errorf("chainload: Jaeger's metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return SpanCounts{}, fmt.Errorf("chainload: Jaeger's metrics: %s", resp.Status)
	}
	return ParseSpanCounts(resp.Body)
}

// Since returns the counts accumulated between before and c.
func (c SpanCounts) Since(before SpanCounts) SpanCounts {
	diff := func(now, then map[string]float64) map[string]float64 {
		out := map[string]float64{}
		for k, v := range now {
			out[k] = v - then[k]
		}
		return out
	}
	return SpanCounts{Accepted: diff(c.Accepted, before.Accepted), Refused: diff(c.Refused, before.Refused), Stored: c.Stored - before.Stored}
}

// String shows the counts, for logs.
func (c SpanCounts) String() string {
	var b strings.Builder
	for k, v := range c.Accepted {
		fmt.Fprintf(&b, "%s: %.0f accepted, %.0f refused; ", k, v, c.Refused[k])
	}
	fmt.Fprintf(&b, "stored: %.0f", c.Stored)
	return b.String()
}
