package bugs

import (
	"context"
	"net/http"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
)

// region: tracing

// brokenTracing is what a service hands its instrumentation when nobody ever set a propagator:
// a provider, and nothing else. otelhttp and otelgrpc then use the global propagator, and the
// global default propagates nothing. The client sends no traceparent header, the server finds
// none and starts a new trace: each service's spans look fine on their own, and the trace splits
// at every hop.
func brokenTracing(tp trace.TracerProvider) otelsetup.Providers {
	return otelsetup.Providers{Tracer: tp}
}

// fixedTracing names the propagators too: W3C trace context and baggage. Most programs set them
// once, globally, in their telemetry setup (otel.SetTextMapPropagator); the workbook passes
// them explicitly, which is also what lets this
// package run the broken variant next to the fixed one in one process.
func fixedTracing(tp trace.TracerProvider) otelsetup.Providers {
	return otelsetup.Providers{Tracer: tp, Propagator: telemetry.Propagator()}
}

// endregion

// BrokenNoPropagator runs one request through write → sing and returns its spans. Neither side
// names a propagator (brokenTracing), so both use the global one, the SDK's default, which
// carries nothing: write sends no traceparent, and sing starts a trace of its own. A program
// that has called otel.SetTextMapPropagator before fixes this lab without meaning to.
func BrokenNoPropagator(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	return noPropagatorLab(brokenTracing).run(ctx)
}

// FixedNoPropagator runs the same request with both sides naming the W3C propagators
// (fixedTracing): one trace.
func FixedNoPropagator(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	return noPropagatorLab(fixedTracing).run(ctx)
}

func noPropagatorLab(setup func(trace.TracerProvider) otelsetup.Providers) httpLab {
	return httpLab{
		sing: func(l *lab) http.Handler {
			return sing.NewHandler(setup(l.provider(sing.Name)), singFaults)
		},
		write: func(tp trace.TracerProvider, url string) singer {
			return sing.NewClient(url, setup(tp))
		},
		verses: oneVerse,
	}
}
