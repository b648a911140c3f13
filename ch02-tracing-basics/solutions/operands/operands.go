// Package operands is chapter 2's first exercise: tracedcalc's Calculator, whose child spans
// also record the operands as attributes, and mark an overflow with an event.
package operands

import (
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
)

// The attribute keys of the operands. Operands are harmless data; record nothing a user would
// not want in a trace backend (names, tokens, e-mail addresses) this way.
const (
	KeyA = attribute.Key("calc.a")
	KeyB = attribute.Key("calc.b")
)

// EventOverflow is the name of the event added when a result does not fit in an int.
const EventOverflow = "overflow"

// Calculator serves the same methods as calc.Calculator, with a child span per call.
type Calculator struct {
	tracer trace.Tracer
}

// New returns a Calculator whose child spans come from tp.
func New(tp trace.TracerProvider) *Calculator {
	return &Calculator{tracer: tp.Tracer("github.com/rpc-tracing/workbook/ch02-tracing-basics/operands")}
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
	ctx := otelnetrpc.ContextFromArgs(args)
	// Attributes given to Start are visible to a sampler, unlike ones set later.
	_, span := c.tracer.Start(ctx, name, trace.WithAttributes(KeyA.Int(args.A), KeyB.Int(args.B)))
	defer span.End()
	result, err := op(args.A, args.B)
	if errors.Is(err, calc.ErrOverflow) {
		// An event marks a moment inside the span, with attributes of its own.
		span.AddEvent(EventOverflow, trace.WithAttributes(KeyA.Int(args.A), KeyB.Int(args.B)))
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		return err
	}
	reply.Result = result
	return nil
}
