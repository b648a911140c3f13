// Package proxy is chapter 3's second exercise: a calculator that does not calculate, but asks
// another one. A call through it makes two hops, client → proxy → backend. It answers right
// as it is, and yet the trace and the client's deadline stop at the proxy. Edit this file, then
// check your work with `make exercise EX=ch03/proxy`.
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
// (calcgrpc.NewClient).
func New(backend calculatorv1.CalculatorServiceClient) *Proxy {
	return &Proxy{backend: backend}
}

// Add asks the backend.
func (p *Proxy) Add(ctx context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	// TODO: the answer is right, but the check says the backend's spans start a trace of their
	// own, and the backend never hears of the client's deadline. Predict why before you run it:
	// what does this call hand the backend, and what should it hand it instead?
	return p.backend.Add(context.Background(), in)
}
