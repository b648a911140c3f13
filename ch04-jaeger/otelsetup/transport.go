package otelsetup

import (
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// NewGRPCServer returns a gRPC server whose every call is traced (and measured, when p has a
// MeterProvider): otelgrpc's stats handler starts a SERVER span per call, child of the caller's.
func NewGRPCServer(p Providers) *grpc.Server {
	return grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(p.GRPC()...)))
}

// DialGRPC returns a traced client connection to target. It connects on first use; the context
// of each call, not one captured here, carries the trace (the original demo's first bug).
func DialGRPC(target string, p Providers) (*grpc.ClientConn, error) {
	return grpc.NewClient(target,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(p.GRPC()...)))
}
