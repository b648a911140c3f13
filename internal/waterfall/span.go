// Package waterfall draws traces in the terminal: one tree per trace, one line per span, with a bar
// that shows when the span ran and for how long, the way Jaeger's timeline does in a browser.
//
//	trace 4bf92f3577b34da6a3ce929d0e0e4736  1.2ms  2 spans
//	Calculator.Div     calc-client  client  ████████████████████████████████████████  1.2ms
//	└─ Calculator.Div  calc-server  server       ██████████████████████████████       900µs  ERROR division by zero
//
// The renderer works on its own small Span type rather than on OpenTelemetry's, because spans reach
// it from different places: from the OTel SDK in chapter 2's demos (FromSDK), and from Jaeger's HTTP API
// and gRPC services in later ones. Each source only needs an adapter that fills in a Span.
package waterfall

import (
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Span is one unit of work as the renderer needs it: where it sits in its trace, who did it, and
// when. It is deliberately plain (strings, a time, a duration) so any tracing backend can fill it in.
type Span struct {
	// TraceID groups spans into traces; it is printed in each trace's header.
	TraceID string
	// SpanID identifies the span within its trace, so children can point at it.
	SpanID string
	// ParentSpanID is the SpanID of the span that caused this one. It is empty for a root span. A
	// parent that is not among the rendered spans (a remote caller that was not recorded) also makes
	// the span a root, so no span is ever lost.
	ParentSpanID string

	// Service is the name of the program that recorded the span (the service.name resource
	// attribute in OpenTelemetry, process.serviceName in Jaeger).
	Service string
	// Name is the operation, such as "Calculator.Div".
	Name string
	// Kind is the span's role in lower case: "client", "server", "internal", "producer" or
	// "consumer". It tells the reader which side of an RPC a line shows.
	Kind string

	// Start is when the span began; bars are placed by their offset from the trace's first start.
	Start time.Time
	// Duration is how long the span ran; bar lengths are proportional to it.
	Duration time.Duration

	// Error reports whether the span ended with status Error.
	Error bool
	// ErrorMessage is the status description that came with the error, such as
	// "division by zero". It may be empty even when Error is true.
	ErrorMessage string
}

// End returns when the span finished. A negative duration (an unfinished or malformed span) counts
// as zero, so a bad span cannot stretch its trace backwards.
func (s Span) End() time.Time {
	return s.Start.Add(max(s.Duration, 0))
}

// FromSDK converts spans recorded by the OpenTelemetry SDK (for example by a
// tracetest.SpanRecorder or an exporter) into Spans, in the same order.
func FromSDK(spans []sdktrace.ReadOnlySpan) []Span {
	out := make([]Span, 0, len(spans))
	for _, s := range spans {
		out = append(out, fromSDK(s))
	}
	return out
}

// fromSDK converts one span. The IDs become the lower-case hex strings that traceparent headers
// and Jaeger use, so the same trace looks the same in every tool.
func fromSDK(s sdktrace.ReadOnlySpan) Span {
	sc := s.SpanContext()
	span := Span{
		TraceID:  sc.TraceID().String(),
		SpanID:   sc.SpanID().String(),
		Service:  serviceName(s.Resource()),
		Name:     s.Name(),
		Kind:     s.SpanKind().String(),
		Start:    s.StartTime(),
		Duration: max(s.EndTime().Sub(s.StartTime()), 0), // an unfinished span has a zero EndTime
	}
	// Parent is invalid for a root span; a remote parent is kept, and the tree turns it into a root
	// only if that parent is not rendered too.
	if parent := s.Parent(); parent.HasSpanID() {
		span.ParentSpanID = parent.SpanID().String()
	}
	if status := s.Status(); status.Code == codes.Error {
		span.Error = true
		span.ErrorMessage = status.Description
	}
	return span
}

// serviceName reads the service.name attribute of a span's resource: the name the program gave
// itself when it set up its TracerProvider. The SDK's default resource calls an unnamed program
// "unknown_service:<executable>"; only a resource without the attribute gives an empty name.
func serviceName(r *resource.Resource) string {
	v, _ := r.Set().Value(semconv.ServiceNameKey)
	return v.AsString()
}
