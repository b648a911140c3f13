// Package divattrs is chapter 3's first exercise: record the operands of every Div on its
// server span, without touching package calcgrpc. Edit this file, then check your work with
// `make exercise EX=ch03/divattrs`.
package divattrs

import (
	"context"

	"go.opentelemetry.io/otel/attribute"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

// The attribute keys of the operands, the same as chapter 2's. Operands are low-risk data;
// record nothing a user would not want in a trace backend this way.
const (
	KeyA = attribute.Key("calc.a")
	KeyB = attribute.Key("calc.b")
)

// Service is calcgrpc.Service with Div's operands on its server span. Embedding brings Add, Sub,
// Mul and the streams along unchanged.
type Service struct {
	*calcgrpc.Service
}

// Div divides. It should also record a and b on the call's server span.
func (s Service) Div(ctx context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	// TODO: set KeyA and KeyB, as integers, on the server span otelgrpc started for this call.
	// In chapter 2 you reached the span through otelnetrpc.ContextFromArgs; what does a gRPC
	// handler already have? Set them before dividing, so a division by zero carries them too.
	return s.Service.Div(ctx, in)
}
