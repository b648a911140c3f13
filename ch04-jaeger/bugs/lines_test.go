package bugs_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// spanLine is a span as a child process reports it to the test on its stdout, one JSON object
// a line: just what Check and the waterfall read.
type spanLine struct {
	TraceID, SpanID, ParentID string
	ParentRemote              bool
	Name                      string
	Kind                      trace.SpanKind
	Service, Instance         string
	Start, End                time.Time
	Error                     string `json:",omitempty"`
}

// lineExporter writes every span it is sent to w, as it is sent: it stands for the collector.
type lineExporter struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func newLineExporter(w io.Writer) *lineExporter {
	return &lineExporter{enc: json.NewEncoder(w)}
}

func (e *lineExporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range spans {
		line := spanLine{
			TraceID: s.SpanContext().TraceID().String(), SpanID: s.SpanContext().SpanID().String(),
			ParentRemote: s.Parent().IsRemote(), Name: s.Name(), Kind: s.SpanKind(),
			Start: s.StartTime(), End: s.EndTime(),
		}
		if s.Parent().HasSpanID() {
			line.ParentID = s.Parent().SpanID().String()
		}
		if s.Status().Code == codes.Error {
			line.Error = s.Status().Description
		}
		if v, ok := s.Resource().Set().Value(semconv.ServiceNameKey); ok {
			line.Service = v.AsString()
		}
		if v, ok := s.Resource().Set().Value(semconv.ServiceInstanceIDKey); ok {
			line.Instance = v.AsString()
		}
		if err := e.enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}

func (e *lineExporter) Shutdown(context.Context) error { return nil }

// decodeSpans turns a child's stdout back into spans.
func decodeSpans(t *testing.T, stdout string) []sdktrace.ReadOnlySpan {
	t.Helper()
	var stubs tracetest.SpanStubs
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		var line spanLine
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line), "line %q", sc.Text())
		traceID, err := trace.TraceIDFromHex(line.TraceID)
		require.NoError(t, err)
		stub := tracetest.SpanStub{
			Name:        line.Name,
			SpanContext: spanContext(t, traceID, line.SpanID, false),
			SpanKind:    line.Kind,
			StartTime:   line.Start,
			EndTime:     line.End,
			Resource: resource.NewSchemaless(
				semconv.ServiceName(line.Service), semconv.ServiceInstanceID(line.Instance)),
		}
		if line.ParentID != "" {
			stub.Parent = spanContext(t, traceID, line.ParentID, line.ParentRemote)
		}
		if line.Error != "" {
			stub.Status = sdktrace.Status{Code: codes.Error, Description: line.Error}
		}
		stubs = append(stubs, stub)
	}
	require.NoError(t, sc.Err())
	return stubs.Snapshots()
}

func spanContext(t *testing.T, traceID trace.TraceID, spanID string, remote bool) trace.SpanContext {
	t.Helper()
	id, err := trace.SpanIDFromHex(spanID)
	require.NoError(t, err)
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: traceID, SpanID: id, TraceFlags: trace.FlagsSampled, Remote: remote,
	})
}
