// Package calcgrpc serves chapter 1's calculator over gRPC and traces it with otelgrpc: the
// service itself, the server and client wiring (stats handlers, health, reflection, graceful
// stop), a teaching logging interceptor, and a stats handler that adds message events to spans.
package calcgrpc

import (
	"context"
	"errors"
	"io"

	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

// MaxFibonacci is the largest n Fibonacci accepts: its 93rd number, F(92), is the last one that
// fits in an int64.
const MaxFibonacci = 93

// Service implements calculatorv1.CalculatorServiceServer with chapter 1's arithmetic. gRPC
// hands every method a context, so unlike net/rpc nothing has to smuggle the trace in.
type Service struct {
	calculatorv1.UnimplementedCalculatorServiceServer
	delays delayPolicy
}

// NewService returns a Service that waits delay before answering each unary call and before each
// streamed Fibonacci number, unless the caller asks for another delay (see WithDelay).
func NewService(delay Delay) *Service {
	return &Service{delays: delayPolicy{def: delay}}
}

// Add returns a + b.
func (s *Service) Add(ctx context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	return s.unary(ctx, calc.Add, in)
}

// Sub returns a - b.
func (s *Service) Sub(ctx context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	return s.unary(ctx, calc.Sub, in)
}

// Mul returns a * b.
func (s *Service) Mul(ctx context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	return s.unary(ctx, calc.Mul, in)
}

// Div returns a / b.
func (s *Service) Div(ctx context.Context, in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	return s.unary(ctx, calc.Div, in)
}

func (s *Service) unary(ctx context.Context, op func(a, b int) (int, error), in *calculatorv1.Operands) (*calculatorv1.Result, error) {
	if err := s.delays.wait(ctx); err != nil {
		return nil, err
	}
	v, err := op(int(in.GetA()), int(in.GetB()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &calculatorv1.Result{Value: int64(v)}, nil
}

// Fibonacci streams the first n Fibonacci numbers: 0, 1, 1, 2, 3, …
func (s *Service) Fibonacci(req *calculatorv1.FibonacciRequest, stream grpc.ServerStreamingServer[calculatorv1.Number]) error {
	n := req.GetN()
	if n > MaxFibonacci {
		return badRequest("n", "must be at most 93: F(93) does not fit in an int64")
	}
	a, b := 0, 1
	for i := range n {
		if err := s.delays.wait(stream.Context()); err != nil {
			return err
		}
		if err := stream.Send(&calculatorv1.Number{Value: int64(a)}); err != nil {
			return err
		}
		if i+1 < n { // compute the next number only if it will be sent: F(93) would overflow
			a, b = b, a+b
		}
	}
	return nil
}

// Sum adds the numbers the client streams and answers once, when the client closes its side.
func (s *Service) Sum(stream grpc.ClientStreamingServer[calculatorv1.Number, calculatorv1.Result]) error {
	total := 0
	for {
		in, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return stream.SendAndClose(&calculatorv1.Result{Value: int64(total)})
		}
		if err != nil {
			return err // the client went away or cancelled: end the call, nothing to answer
		}
		if total, err = calc.Add(total, int(in.GetValue())); err != nil {
			return toStatus(err)
		}
	}
}

// RunningTotal answers each number with the total so far.
func (s *Service) RunningTotal(stream grpc.BidiStreamingServer[calculatorv1.Number, calculatorv1.Result]) error {
	total := 0
	for {
		in, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if total, err = calc.Add(total, int(in.GetValue())); err != nil {
			return toStatus(err)
		}
		if err := stream.Send(&calculatorv1.Result{Value: int64(total)}); err != nil {
			return err
		}
	}
}
