package chainload

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// JaegerMetricsURL is where the bench's Jaeger (perf/jaeger.yaml) serves its own metrics.
const JaegerMetricsURL = "http://127.0.0.1:8888/metrics"

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

// receiverSpans matches the Collector's receiver counters, with or without the _total suffix
// newer exporters add: otelcol_receiver_accepted_spans_total{receiver="otlp",...} 1234
var receiverSpans = regexp.MustCompile(`^otelcol_receiver_(accepted|refused)_spans(?:_total)?\{([^}]*)\} (\S+)$`)

// exporterSpans matches the exporters' counter: spans written to storage, from every receiver.
var exporterSpans = regexp.MustCompile(`^otelcol_exporter_sent_spans(?:_total)?\{[^}]*\} (\S+)$`)

var receiverLabel = regexp.MustCompile(`(?:^|,)receiver="([^"]*)"`)

// ParseSpanCounts reads the counters out of Prometheus text exposition. A receiver that has not
// received anything yet has no series: its count is zero.
func ParseSpanCounts(r io.Reader) (SpanCounts, error) {
	c := SpanCounts{Accepted: map[string]float64{}, Refused: map[string]float64{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if m := exporterSpans.FindStringSubmatch(sc.Text()); m != nil {
			v, err := strconv.ParseFloat(m[1], 64)
			if err != nil {
				return c, fmt.Errorf("chainload: %q: %w", sc.Text(), err)
			}
			c.Stored += v
			continue
		}
		m := receiverSpans.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		recv := receiverLabel.FindStringSubmatch(m[2])
		if recv == nil {
			return c, fmt.Errorf("chainload: no receiver label in %q", sc.Text())
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			return c, fmt.Errorf("chainload: %q: %w", sc.Text(), err)
		}
		counts := c.Accepted
		if m[1] == "refused" {
			counts = c.Refused
		}
		counts[recv[1]] += v // one series per transport: add them up
	}
	return c, sc.Err()
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
