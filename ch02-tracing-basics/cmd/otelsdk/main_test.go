package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// exportedSpan is the part of stdouttrace's JSON the test checks.
type exportedSpan struct {
	Name        string
	SpanKind    int
	SpanContext struct{ TraceID, SpanID, TraceFlags string }
	Parent      struct {
		TraceID, SpanID string
		Remote          bool
	}
	Resource []struct {
		Key   string
		Value struct{ Value any }
	}
}

func (s exportedSpan) resource(key string) any {
	for _, kv := range s.Resource {
		if kv.Key == key {
			return kv.Value.Value
		}
	}
	return nil
}

// section decodes the span printed after marker, or reports that none was.
func section(t *testing.T, out, marker string) (exportedSpan, bool) {
	t.Helper()
	_, rest, found := strings.Cut(out, marker)
	require.True(t, found, "missing %q in\n%s", marker, out)
	rest = strings.TrimLeft(rest, "\n")
	if !strings.HasPrefix(rest, "{") {
		return exportedSpan{}, false
	}
	var s exportedSpan
	require.NoError(t, json.NewDecoder(strings.NewReader(rest)).Decode(&s))
	return s, true
}

var traceIDs = regexp.MustCompile(`(?m)^(client|server) msg=\w+ trace_id=([0-9a-f]{32}) span_id=[0-9a-f]{16} sampled=(\w+)`)

func TestDemoExportsOneTraceOfTwoSpans(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(context.Background(), nil, &buf))
	out := buf.String()
	assert.Contains(t, out, "client 2 + 3 = 5\n")

	client, ok := section(t, out, "# the client's span, as stdouttrace exports it")
	require.True(t, ok)
	server, ok := section(t, out, "# the server's span")
	require.True(t, ok)

	assert.Equal(t, "Calculator.Add", client.Name)
	assert.Equal(t, 3, client.SpanKind, "SpanKind 3 is CLIENT")
	assert.Equal(t, 2, server.SpanKind, "SpanKind 2 is SERVER")
	assert.Equal(t, client.SpanContext.TraceID, server.SpanContext.TraceID)
	assert.Equal(t, client.SpanContext.SpanID, server.Parent.SpanID)
	assert.True(t, server.Parent.Remote)
	assert.Equal(t, "calc-client", client.resource("service.name"))
	assert.Equal(t, "calc-server", server.resource("service.name"))

	logged := traceIDs.FindAllStringSubmatch(out, -1)
	require.Len(t, logged, 2)
	for _, m := range logged {
		assert.Equal(t, client.SpanContext.TraceID, m[2], "%s logs the exported trace ID", m[1])
	}
}

func TestSamplerFromTheEnvironment(t *testing.T) {
	t.Setenv("OTEL_TRACES_SAMPLER", "always_off")
	var buf bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-a", "40", "-b", "2"}, &buf))
	out := buf.String()
	assert.Contains(t, out, "client 40 + 2 = 42\n")

	_, exported := section(t, out, "# the client's span, as stdouttrace exports it")
	assert.False(t, exported, "nothing is exported")
	logged := traceIDs.FindAllStringSubmatch(out, -1)
	require.Len(t, logged, 2)
	assert.Equal(t, logged[0][2], logged[1][2], "yet the server still sees the client's trace ID")
	assert.Equal(t, "false", logged[1][3])
}

func TestBadFlagIsAnError(t *testing.T) {
	require.Error(t, run(context.Background(), []string{"-a", "two"}, &bytes.Buffer{}))
}
