package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
)

// callAll makes the demo's three requests and prints their results.
func callAll(ctx context.Context, addr string, propagator propagation.TextMapPropagator, tp trace.TracerProvider, out io.Writer) error {
	// region: dial
	client, err := otelnetrpc.Dial(ctx, addr, otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagator))
	// endregion
	if err != nil {
		return err
	}
	defer client.Close()

	sum, err := do(ctx, client, calc.OpAdd, 2, 3)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, calc.OpAdd.Format(2, 3, sum))

	_, err = do(ctx, client, calc.OpDiv, 7, 0)
	if !errors.Is(err, calc.ErrDivisionByZero) {
		return fmt.Errorf("7 / 0: want division by zero, got %v", err)
	}
	fmt.Fprintf(out, "7 / 0: %v\n", err)

	m, err := mean(ctx, client, tp.Tracer("demo"), 4, 8)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "mean(4, 8) = %d\n", m)
	return nil
}

// mean computes (a + b) / 2 with two remote calls under one parent span: the shape of every
// handler that calls more than one service.
func mean(ctx context.Context, client *otelnetrpc.Client, tracer trace.Tracer, a, b int) (int, error) {
	ctx, span := tracer.Start(ctx, "mean")
	defer span.End()
	sum, err := do(ctx, client, calc.OpAdd, a, b)
	if err != nil {
		return 0, err
	}
	return do(ctx, client, calc.OpDiv, sum, 2)
}

// do calls one operation. net/rpc sends only the error's text, so a known text is turned back
// into chapter 1's sentinel error.
func do(ctx context.Context, client *otelnetrpc.Client, op calc.Op, a, b int) (int, error) {
	var reply calc.Reply
	err := client.Call(ctx, op.Method(), &calc.Args{A: a, B: b}, &reply)
	if err != nil && err.Error() == calc.ErrDivisionByZero.Error() {
		return 0, fmt.Errorf("%w", calc.ErrDivisionByZero)
	}
	return reply.Result, err
}
