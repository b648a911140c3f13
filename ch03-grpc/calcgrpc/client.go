package calcgrpc

import (
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc/filters"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// NewClient returns a traced connection to a calculator at target: otelgrpc's client stats
// handler starts a CLIENT span per call, child of the span in the call's context, and sends its
// context in the request metadata. It does not connect until the first call. Extra options (for
// example a bufconn dialer in tests) are appended.
func NewClient(target string, tp trace.TracerProvider, prop propagation.TextMapPropagator, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	base := []grpc.DialOption{
		// Loopback demo: no TLS. Anything that leaves the machine needs real credentials.
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		// region: stats-handler
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(
			otelgrpc.WithTracerProvider(tp),
			otelgrpc.WithPropagators(prop),
			otelgrpc.WithFilter(notHealthCheck),
		)),
		// endregion
		grpc.WithStatsHandler(MessageEvents{}),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(MaxMessageSize)),
	}
	return grpc.NewClient(target, append(base, opts...)...)
}

// notHealthCheck keeps health checks out of traces on both sides: a probe every few seconds
// would bury the real traffic and tell nothing a health dashboard does not.
var notHealthCheck = filters.Not(filters.HealthCheck())
