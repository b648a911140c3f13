package chainload

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exposition is what Jaeger's metrics endpoint served in a bench run (trimmed).
const exposition = `# HELP otelcol_receiver_accepted_spans_total Number of spans successfully pushed into the pipeline.
# TYPE otelcol_receiver_accepted_spans_total counter
otelcol_receiver_accepted_spans_total{otel_scope_name="go.opentelemetry.io/collector/receiver/receiverhelper",receiver="otlp",transport="grpc"} 1200
otelcol_receiver_accepted_spans_total{otel_scope_name="go.opentelemetry.io/collector/receiver/receiverhelper",receiver="otlp",transport="http"} 34
otelcol_receiver_accepted_spans_total{otel_scope_name="go.opentelemetry.io/collector/receiver/receiverhelper",receiver="otlp/flood",transport="grpc"} 5e+06
otelcol_receiver_refused_spans_total{otel_scope_name="go.opentelemetry.io/collector/receiver/receiverhelper",receiver="otlp",transport="grpc"} 7
otelcol_exporter_sent_spans_total{exporter="jaeger_storage_exporter",otel_scope_name="go.opentelemetry.io/collector/exporter/exporterhelper"} 5.001e+06
otelcol_process_uptime_seconds_total{otel_scope_name="go.opentelemetry.io/collector/service"} 7.99
`

func TestParseSpanCountsAddsTransportsPerReceiver(t *testing.T) {
	c, err := ParseSpanCounts(strings.NewReader(exposition))
	require.NoError(t, err)
	assert.Equal(t, 1234.0, c.Accepted[ServicesReceiver])
	assert.Equal(t, 5e6, c.Accepted[FloodReceiver])
	assert.Equal(t, 7.0, c.Refused[ServicesReceiver])
	assert.Equal(t, 5.001e6, c.Stored)
}

func TestSpanCountsSince(t *testing.T) {
	before := SpanCounts{Accepted: map[string]float64{"otlp": 100}, Refused: map[string]float64{}, Stored: 90}
	after := SpanCounts{Accepted: map[string]float64{"otlp": 150, "otlp/flood": 10}, Refused: map[string]float64{}, Stored: 160}
	d := after.Since(before)
	assert.Equal(t, 50.0, d.Accepted["otlp"])
	assert.Equal(t, 10.0, d.Accepted["otlp/flood"], "a receiver with no series before started at zero")
	assert.Equal(t, 70.0, d.Stored)
}

// TestParseSpanCountsReadsNamesWithoutTotal: older Collectors name their counters without the
// _total suffix, and may leave out the TYPE lines.
func TestParseSpanCountsReadsNamesWithoutTotal(t *testing.T) {
	c, err := ParseSpanCounts(strings.NewReader(`otelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"} 12
otelcol_exporter_sent_spans{exporter="jaeger_storage_exporter"} 10
`))
	require.NoError(t, err)
	assert.Equal(t, 12.0, c.Accepted[ServicesReceiver])
	assert.Equal(t, 10.0, c.Stored)
}

func TestParseSpanCountsRejectsBrokenText(t *testing.T) {
	_, err := ParseSpanCounts(strings.NewReader(`otelcol_receiver_accepted_spans_total{receiver="otlp" 1` + "\n"))
	assert.ErrorContains(t, err, "Jaeger's metrics")
}

func TestParseSpanCountsRejectsASeriesWithoutReceiver(t *testing.T) {
	_, err := ParseSpanCounts(strings.NewReader(`otelcol_receiver_accepted_spans_total{transport="grpc"} 1` + "\n"))
	assert.ErrorContains(t, err, "no receiver label")
}
