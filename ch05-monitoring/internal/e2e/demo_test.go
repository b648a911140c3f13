//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/demo"
)

// TestDemo runs what `make ch05` runs, with a shorter load (the alerts' 30 s is proven by the
// promtool rule tests), and checks each step of the walk: numbers per service, an exemplar, its
// trace from Jaeger, and its log lines.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	cfg := demo.Config{Bin: bin, JaegerConfig: jaegerConfig,
		PrometheusConfig: prometheusConfig, Duration: 8 * time.Second, FreePorts: true}
	require.NoError(t, demo.Run(context.Background(), cfg, &out), out.String())
	text := out.String()
	assert.Contains(t, text, "Prometheus scrapes 7 targets, all up")
	for _, s := range []string{"listen", "speak", "read", "write", "sing"} {
		assert.Regexp(t, `(?m)^ +`+s+` +\d+\.\d +\d+\.\d%`, text, "a RED row for %s", s)
	}
	assert.Regexp(t, `(?m)^bucket le=\S+  value \S+  trace_id=[0-9a-f]{32}$`, text)
	assert.Regexp(t, `(?m)^# that trace in Jaeger: http://127.0.0.1:\d+/trace/[0-9a-f]{32}$`, text)
	assert.Regexp(t, `(?m)^trace [0-9a-f]{32}  \S+  \d+ spans$`, text)
	assert.Regexp(t, `(?m)^# log lines with trace_id=([0-9a-f]{32})\n.*trace_id=`, text)
	assert.Regexp(t, `(?m)^# Jaeger's Monitor tab \(http://127.0.0.1:\d+/monitor\) opens only while Jaeger runs`, text)
}
