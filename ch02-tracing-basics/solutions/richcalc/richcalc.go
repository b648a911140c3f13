// Package richcalc holds the solutions to chapter 2's exercises, applied to tracedcalc:
//
//  1. record the operands as attributes of the child span (calc.a, calc.b);
//  2. add an "overflow" event when the arithmetic overflows, so the moment shows on the timeline.
//
// Compare it with tracedcalc (diff ../../tracedcalc/tracedcalc.go richcalc.go): apart from the
// names, and Sub and Div left out for brevity, the changes are in compute.
package richcalc

import (
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
)

// The attribute keys of the operands. Operands are low-risk data; record nothing a user would
// not want in a trace backend (names, tokens, e-mail addresses) this way.
const (
	KeyA = attribute.Key("calc.a")
	KeyB = attribute.Key("calc.b")
)

// EventOverflow is the name of the event added when a result does not fit in an int.
const EventOverflow = "overflow"

// Calculator is tracedcalc.Calculator with operand attributes and an overflow event.
type Calculator struct {
	tracer trace.Tracer
}

// New returns a Calculator whose child spans come from tp.
func New(tp trace.TracerProvider) *Calculator {
	return &Calculator{tracer: tp.Tracer("github.com/rpc-tracing/workbook/ch02-tracing-basics/solutions/richcalc")}
}

// Add stores args.A + args.B in reply.
func (c *Calculator) Add(args *calc.Args, reply *calc.Reply) error {
	return c.compute("calc.Add", calc.Add, args, reply)
}

// Mul stores args.A * args.B in reply.
func (c *Calculator) Mul(args *calc.Args, reply *calc.Reply) error {
	return c.compute("calc.Mul", calc.Mul, args, reply)
}

func (c *Calculator) compute(name string, op func(a, b int) (int, error), args *calc.Args, reply *calc.Reply) error {
	// region: child-span
	ctx := otelnetrpc.ContextFromArgs(args)
	// Exercise 1: attributes given at start are visible to samplers, unlike ones set later.
	_, span := c.tracer.Start(ctx, name, trace.WithAttributes(KeyA.Int(args.A), KeyB.Int(args.B)))
	// endregion
	defer span.End()
	result, err := op(args.A, args.B)
	if errors.Is(err, calc.ErrOverflow) {
		// Exercise 2: an event marks a moment inside the span, with its own attributes.
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
