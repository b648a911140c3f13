// Package divattrs is the reference solution to chapter 3's first exercise (exercises/divattrs):
// record the operands of every Div on its server span, without touching package calcgrpc.
//
// In chapter 2, a net/rpc method had no context, so it reached its span through
// otelnetrpc.ContextFromArgs(args) and a registry keyed by the args pointer. A gRPC handler is
// handed ctx, and otelgrpc's stats handler has already put the server span in it: the span is
// trace.SpanFromContext(ctx), no registry needed.
package divattrs

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

// The attribute keys of the operands, the same as chapter 2's operands exercise. Operands are low-risk
// data; record nothing a user would not want in a trace backend this way.
const (
	KeyA = attribute.Key("calc.a")
	KeyB = attribute.Key("calc.b")
)

// Service is calcgrpc.Service with Div's operands on its server span. Embedding brings Add, Sub,
// Mul and the streams along unchanged.
type Service struct {
	*calcgrpc.Service
}

// Div records a and b on the call's server span, then divides. The attributes are set before
// dividing, so a division by zero carries them too: that is the call you will want to read.
func (s Service) Div(ctx context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	trace.SpanFromContext(ctx).SetAttributes(KeyA.Int64(in.GetA()), KeyB.Int64(in.GetB()))
	return s.Service.Div(ctx, in)
}
