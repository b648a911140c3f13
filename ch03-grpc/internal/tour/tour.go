// Package tour is chapter 3's client walk-through: every kind of gRPC call the calculator offers,
// including a failing Div and a missed deadline. Each step runs under a span of its own, so each
// makes one trace, and prints its trace ID for the reader to find it in the waterfall.
package tour

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

// Config says how the tour calls the server.
type Config struct {
	// Timeout is each step's deadline.
	Timeout time.Duration
	// SlowDelay is how long the deadline step asks the server to wait; it must exceed Timeout.
	SlowDelay time.Duration
}

// step is one call of the tour: it returns what to print, and an error if the step went wrong
// (an expected failure, such as the division by zero, is part of what it prints).
type step struct {
	name string
	run  func(ctx context.Context, c calculatorv1.CalculatorServiceClient, cfg Config) (string, error)
}

var steps = []step{
	{"add", unary("Add", 2, 3, "+")},
	{"sub", unary("Sub", 2, 3, "-")},
	{"mul", unary("Mul", 6, 7, "*")},
	{"div", unary("Div", 7, 2, "/")},
	{"div by zero", unary("Div", 7, 0, "/")},
	{"deadline", deadline},
	{"fibonacci", fibonacci},
	{"sum", sum},
	{"running total", runningTotal},
}

// Run takes the tour and writes one line per step to out.
func Run(ctx context.Context, client calculatorv1.CalculatorServiceClient, tracer trace.Tracer, cfg Config, out io.Writer) error {
	for _, s := range steps {
		line, err := runStep(ctx, client, tracer, cfg, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Fprintln(out, line)
	}
	return nil
}

// runStep runs one step under its own root span and its own deadline.
func runStep(ctx context.Context, client calculatorv1.CalculatorServiceClient, tracer trace.Tracer, cfg Config, s step) (string, error) {
	ctx, span := tracer.Start(ctx, "tour "+s.name)
	defer span.End()
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	line, err := s.run(ctx, client, cfg)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
		return "", err
	}
	return fmt.Sprintf("trace %s  %s", span.SpanContext().TraceID(), line), nil
}

// describe prints a gRPC error as its code, message and the fields its BadRequest names.
func describe(err error) string {
	st := status.Convert(err)
	text := fmt.Sprintf("%s: %s", st.Code(), st.Message())
	if fields := calcgrpc.FieldViolations(err); len(fields) > 0 {
		text += fmt.Sprintf(" %v", fields)
	}
	return text
}

type unaryCall func(context.Context, *calculatorv1.Operands, ...grpc.CallOption) (*calculatorv1.Result, error)

func unary(method string, a, b int64, sign string) func(context.Context, calculatorv1.CalculatorServiceClient, Config) (string, error) {
	return func(ctx context.Context, c calculatorv1.CalculatorServiceClient, _ Config) (string, error) {
		call := map[string]unaryCall{"Add": c.Add, "Sub": c.Sub, "Mul": c.Mul, "Div": c.Div}[method]
		res, err := call(ctx, &calculatorv1.Operands{A: a, B: b})
		if err != nil {
			if b == 0 && method == "Div" {
				return fmt.Sprintf("%d %s %d: %s", a, sign, b, describe(err)), nil // expected
			}
			return "", err
		}
		return fmt.Sprintf("%d %s %d = %d", a, sign, b, res.GetValue()), nil
	}
}

// region: deadline

// deadline asks for an answer slower than the step's deadline allows: the client gives up and
// the server, whose context carries the same deadline, stops working on it.
func deadline(ctx context.Context, c calculatorv1.CalculatorServiceClient, cfg Config) (string, error) {
	_, err := c.Add(calcgrpc.WithDelay(ctx, cfg.SlowDelay), &calculatorv1.Operands{A: 1, B: 2})
	// endregion
	if status.Code(err) != grpccodes.DeadlineExceeded {
		return "", fmt.Errorf("want DeadlineExceeded, got %v", err)
	}
	return fmt.Sprintf("1 + 2, answer in %s, deadline %s: %s", cfg.SlowDelay, cfg.Timeout, status.Code(err)), nil
}

func fibonacci(ctx context.Context, c calculatorv1.CalculatorServiceClient, _ Config) (string, error) {
	stream, err := c.Fibonacci(ctx, &calculatorv1.FibonacciRequest{N: 10})
	if err != nil {
		return "", err
	}
	var got []int64
	for {
		n, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return fmt.Sprintf("fibonacci(10) = %v", got), nil
		}
		if err != nil {
			return "", err
		}
		got = append(got, n.GetValue())
	}
}

func sum(ctx context.Context, c calculatorv1.CalculatorServiceClient, _ Config) (string, error) {
	stream, err := c.Sum(ctx)
	if err != nil {
		return "", err
	}
	for v := int64(1); v <= 5; v++ {
		if err := stream.Send(&calculatorv1.Number{Value: v}); err != nil {
			return "", err
		}
	}
	res, err := stream.CloseAndRecv()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("sum(1..5) = %d", res.GetValue()), nil
}

func runningTotal(ctx context.Context, c calculatorv1.CalculatorServiceClient, _ Config) (string, error) {
	stream, err := c.RunningTotal(ctx)
	if err != nil {
		return "", err
	}
	in := []int64{5, -2, 10}
	var totals []int64
	for _, v := range in {
		if err := stream.Send(&calculatorv1.Number{Value: v}); err != nil {
			return "", err
		}
		res, err := stream.Recv()
		if err != nil {
			return "", err
		}
		totals = append(totals, res.GetValue())
	}
	if err := stream.CloseSend(); err != nil {
		return "", err
	}
	// Read to the end: the call, and its span, finish when the server's side closes.
	if _, err := stream.Recv(); !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("want the end of the stream, got %v", err)
	}
	return fmt.Sprintf("running total of %v = %v", in, totals), nil
}
