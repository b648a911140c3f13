package calcgrpc_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc/filters"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"google.golang.org/grpc"
	"google.golang.org/grpc/stats"
)

// nopHandler is a stats handler that does nothing: what grpc-go does for any stats handler
// (the events it builds for every header, message and trailer) without any instrumentation.
type nopHandler struct{}

func (nopHandler) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context   { return ctx }
func (nopHandler) HandleRPC(context.Context, stats.RPCStats)                         {}
func (nopHandler) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }
func (nopHandler) HandleConn(context.Context, stats.ConnStats)                       {}

// BenchmarkUnsampledLayers takes a call that records nothing apart, one layer at a time, on the
// same server as BenchmarkUnary: layer=untraced; layer=stats-handler, a stats handler that does
// nothing on each side; layer=otelgrpc-noop-provider, otelgrpc with the no-op TracerProvider
// (its per-call bookkeeping, with no SDK behind it and nothing to propagate); and
// layer=sampled-1pct, BenchmarkUnary's mode of that name without the message events, which skip
// unrecorded calls anyway: the SDK's non-recording spans and the traceparent written and read.
// Allocations per call are exact, so each difference is what that layer costs.
func BenchmarkUnsampledLayers(b *testing.B) {
	noopTP := tracenoop.NewTracerProvider()
	for _, l := range []struct {
		name string
		mode benchMode
		srv  []grpc.ServerOption
		dial []grpc.DialOption
	}{
		{name: "untraced"},
		{name: "stats-handler", srv: []grpc.ServerOption{grpc.StatsHandler(nopHandler{})}, dial: []grpc.DialOption{grpc.WithStatsHandler(nopHandler{})}},
		{name: "otelgrpc-noop-provider", srv: []grpc.ServerOption{grpc.StatsHandler(otelgrpc.NewServerHandler(
			otelgrpc.WithTracerProvider(noopTP), otelgrpc.WithPropagators(propagators()),
			otelgrpc.WithFilter(filters.Not(filters.HealthCheck())), otelgrpc.WithMeterProvider(noopMeters)))},
			dial: []grpc.DialOption{grpc.WithStatsHandler(otelgrpc.NewClientHandler(
				otelgrpc.WithTracerProvider(noopTP), otelgrpc.WithPropagators(propagators()),
				otelgrpc.WithFilter(filters.Not(filters.HealthCheck())), otelgrpc.WithMeterProvider(noopMeters)))}},
		{name: "sampled-1pct", mode: benchMode{name: "sampled-1pct", sampler: unsampled, noEvents: true}},
	} {
		b.Run("layer="+l.name, func(b *testing.B) {
			runUnary(b, benchClientWith(b, l.mode, l.srv, l.dial))
		})
	}
}
