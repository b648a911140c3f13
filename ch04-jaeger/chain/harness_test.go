package chain_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/processors/baggagecopy"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/chain/chaintest"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
)

// testChain is the five services in this test process, on loopback ports, each with its own
// TracerProvider (and service.name), all recording into one SpanRecorder.
type testChain struct {
	rec *tracetest.SpanRecorder
	url string
}

func propagators() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

func startChain(t *testing.T, cfg chain.Config) *testChain {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	cfg.Logger = slog.New(slog.DiscardHandler)
	url := chaintest.Start(t, cfg, func(service string) otelsetup.Providers {
		tp := sdktrace.NewTracerProvider(
			sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName(service))),
			sdktrace.WithSpanProcessor(baggagecopy.NewSpanProcessor(baggagecopy.AllowAllMembers)),
			sdktrace.WithSpanProcessor(rec))
		t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
		return otelsetup.Providers{Tracer: tp, Propagator: propagators()}
	})
	return &testChain{rec: rec, url: url}
}

// post sends a study request with optional headers and query, and returns the status and body.
func (c *testChain) post(t *testing.T, query string, body any, header http.Header) (int, []byte) {
	t.Helper()
	data, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, c.url+query, bytes.NewReader(data))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

// spansOf waits until the trace has n spans and returns them.
func (c *testChain) spansOf(t *testing.T, traceID string, n int) []sdktrace.ReadOnlySpan {
	t.Helper()
	var spans []sdktrace.ReadOnlySpan
	require.Eventually(t, func() bool {
		spans = spans[:0]
		for _, s := range c.rec.Ended() {
			if s.SpanContext().TraceID().String() == traceID {
				spans = append(spans, s)
			}
		}
		return len(spans) >= n
	}, 5*time.Second, time.Millisecond)
	require.Len(t, spans, n, "spans of trace %s", traceID)
	return spans
}

func service(s sdktrace.ReadOnlySpan) string {
	v, _ := s.Resource().Set().Value(semconv.ServiceNameKey)
	return v.AsString()
}

// byID indexes spans by span ID.
func byID(spans []sdktrace.ReadOnlySpan) map[string]sdktrace.ReadOnlySpan {
	m := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		m[s.SpanContext().SpanID().String()] = s
	}
	return m
}

// path is the services and kinds from the root down to s, e.g. "listen/server > listen/client > …".
func path(s sdktrace.ReadOnlySpan, index map[string]sdktrace.ReadOnlySpan) string {
	p := service(s) + "/" + s.SpanKind().String()
	for parent, ok := index[s.Parent().SpanID().String()]; ok; parent, ok = index[parent.Parent().SpanID().String()] {
		p = service(parent) + "/" + parent.SpanKind().String() + " > " + p
	}
	return p
}

// atLeast waits until the trace has n spans, including the edge's server span (the root, the last
// of the edge's spans to end) and the server span of every service in servers, and returns all
// it has by then. A server span can end after its caller has its answer, so a test that looks at
// one names it.
func (c *testChain) atLeast(t *testing.T, traceID string, n int, servers ...string) []sdktrace.ReadOnlySpan {
	t.Helper()
	var spans []sdktrace.ReadOnlySpan
	require.Eventually(t, func() bool {
		spans = spans[:0]
		root := false
		for _, s := range c.rec.Ended() {
			if s.SpanContext().TraceID().String() == traceID {
				spans = append(spans, s)
				root = root || !s.Parent().IsValid()
			}
		}
		for _, name := range servers {
			if server(spans, name) == nil {
				return false
			}
		}
		return root && len(spans) >= n
	}, 5*time.Second, time.Millisecond)
	return spans
}
