// Package proxy is the reference solution to chapter 3's second exercise (exercises/proxy): a
// calculator that does not calculate, but asks another one. A call through it makes two hops,
// client → proxy → backend, and the exercise is to see what crosses both: one trace, and the
// client's deadline.
//
// The proxy does nothing for either. It hands the backend call the ctx it was given. That ctx
// holds the proxy's server span, which otelgrpc's client handler makes the parent of the
// outgoing call's span and sends on in the metadata; and it holds the client's deadline, which
// gRPC sends on as the time left (the grpc-timeout header). A proxy that called the backend with
// context.Background() would break both, silently.
package proxy

import (
	"context"

	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

// Proxy serves Add by calling a backend calculator. The other methods are unimplemented.
type Proxy struct {
	calculatorv1.UnimplementedCalculatorServiceServer
	backend calculatorv1.CalculatorServiceClient
}

// New returns a Proxy that forwards to backend, a client whose connection is traced
// (calcgrpc.NewClient): without otelgrpc's client handler there, the backend would start
// traces of its own.
func New(backend calculatorv1.CalculatorServiceClient) *Proxy {
	return &Proxy{backend: backend}
}

// Add asks the backend, with the incoming ctx. The backend's error is returned as it is: it is
// a gRPC status, so the client gets the backend's code (OUT_OF_RANGE on overflow, say), not
// UNKNOWN.
func (p *Proxy) Add(ctx context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	return p.backend.Add(ctx, in)
}
