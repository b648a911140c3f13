// Package tracedcalc is chapter 1's Calculator as a traced net/rpc service: each method finds its
// request's context with otelnetrpc.ContextFromArgs and wraps the arithmetic in a child span of
// the server span, the way a real handler wraps a database query or a downstream call.
package tracedcalc

import (
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
)

// ScopeName is the instrumentation scope of the child spans.
const ScopeName = "github.com/rpc-tracing/workbook/ch02-tracing-basics/tracedcalc"

// Calculator serves the same methods as calc.Calculator (register it with calc.WithReceiver so
// it answers as "Calculator"), with a child span per call.
type Calculator struct {
	tracer trace.Tracer
}

// New returns a Calculator whose child spans come from tp.
func New(tp trace.TracerProvider) *Calculator {
	return &Calculator{tracer: tp.Tracer(ScopeName)}
}

// Add stores args.A + args.B in reply.
func (c *Calculator) Add(args *calc.Args, reply *calc.Reply) error {
	return c.compute("calc.Add", calc.Add, args, reply)
}

// Sub stores args.A - args.B in reply.
func (c *Calculator) Sub(args *calc.Args, reply *calc.Reply) error {
	return c.compute("calc.Sub", calc.Sub, args, reply)
}

// Mul stores args.A * args.B in reply.
func (c *Calculator) Mul(args *calc.Args, reply *calc.Reply) error {
	return c.compute("calc.Mul", calc.Mul, args, reply)
}

// Div stores args.A / args.B in reply.
func (c *Calculator) Div(args *calc.Args, reply *calc.Reply) error {
	return c.compute("calc.Div", calc.Div, args, reply)
}

// compute runs op in a span named name, child of the request's server span.
func (c *Calculator) compute(name string, op func(a, b int) (int, error), args *calc.Args, reply *calc.Reply) error {
	// region: child-span
	ctx := otelnetrpc.ContextFromArgs(args)
	_, span := c.tracer.Start(ctx, name)
	// endregion
	defer span.End()
	result, err := op(args.A, args.B)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		return err
	}
	reply.Result = result
	return nil
}
