package bugcheck_test

import (
	"fmt"
	"time"

	"go.opentelemetry.io/otel/sdk/resource"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/internal/bugcheck"
)

// ExampleCheck checks a trace of bug 2 as a backend receives it: write's client span ended
// 330ns after it started, and sing's server span, its child in another process, started
// later.
func ExampleCheck() {
	start := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	traceID := trace.TraceID{0x4b, 0xf9, 0x2f, 0x35}
	span := func(service, name string, id, parent byte, remote bool, from, to time.Duration) tracetest.SpanStub {
		s := tracetest.SpanStub{
			Name:        name,
			SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: trace.SpanID{id}}),
			StartTime:   start.Add(from),
			EndTime:     start.Add(to),
			Resource:    resource.NewSchemaless(semconv.ServiceName(service)),
		}
		if parent != 0 {
			s.Parent = trace.NewSpanContext(trace.SpanContextConfig{
				TraceID: traceID, SpanID: trace.SpanID{parent}, Remote: remote})
		}
		return s
	}
	const µs = time.Microsecond
	spans := tracetest.SpanStubs{
		span("write", "study", 1, 0, false, 0, 550*µs),
		span("write", "call sing", 2, 1, false, 20*µs, 20*µs+330),
		span("sing", "POST /sing", 3, 2, true, 300*µs, 410*µs),
	}.Snapshots()

	for _, p := range bugcheck.Check(spans, bugcheck.Expect{Spans: map[string]int{"write": 2, "sing": 1}}) {
		fmt.Printf("%s: %s\n", p.Rule, p)
	}
	// Output:
	// parent ended first: span write "call sing" ended 280µs before its child sing "POST /sing" started
}
