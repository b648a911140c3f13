package handmade

import (
	"context"
	"errors"
	"log/slog"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// Request is the envelope every call carries. net/rpc sends a method name and one argument, with
// no headers beside them, so the trace context has to travel inside the argument, next to
// chapter 1's operands. Both gob and JSON-RPC encode it as they encode any struct.
type Request struct {
	// TraceParent is the caller's span as a W3C traceparent; empty when the caller does not trace.
	TraceParent string
	// Args are chapter 1's operands, unchanged.
	Args calc.Args
}

// Calculator serves chapter 1's arithmetic and continues the caller's trace: for each call it
// parses the traceparent, starts its own span and logs the IDs. Register it under chapter 1's
// server with calc.NewServer(calc.WithReceiver(handmade.NewCalculator(logger))).
type Calculator struct {
	logger *slog.Logger
}

// NewCalculator returns a Calculator that logs each call to logger. The logger is a parameter,
// not slog.Default(), so a test can capture the records and check the IDs in them.
func NewCalculator(logger *slog.Logger) *Calculator { return &Calculator{logger: logger} }

// Add stores req.Args.A + req.Args.B in reply.
func (c *Calculator) Add(req *Request, reply *calc.Reply) error {
	return c.serve(calc.OpAdd, req, reply)
}

// Sub stores req.Args.A - req.Args.B in reply.
func (c *Calculator) Sub(req *Request, reply *calc.Reply) error {
	return c.serve(calc.OpSub, req, reply)
}

// Mul stores req.Args.A * req.Args.B in reply.
func (c *Calculator) Mul(req *Request, reply *calc.Reply) error {
	return c.serve(calc.OpMul, req, reply)
}

// Div stores req.Args.A / req.Args.B in reply.
func (c *Calculator) Div(req *Request, reply *calc.Reply) error {
	return c.serve(calc.OpDiv, req, reply)
}

// serve runs one call inside a server span. net/rpc methods take no context, so the logs use
// context.Background(); step 3 shows how a real instrumentation hands handlers their span.
func (c *Calculator) serve(op calc.Op, req *Request, reply *calc.Reply) error {
	ctx := context.Background()
	// region: server-continue
	span, err := ContinueOrStart(req.TraceParent)
	log := c.logger.With(append(span.LogArgs(), "method", op.Method())...)
	// endregion
	if err != nil && !errors.Is(err, ErrEmpty) {
		log.WarnContext(ctx, "bad traceparent, new trace", "traceparent", req.TraceParent, "error", err)
	}
	result, err := op.Apply(req.Args.A, req.Args.B)
	if err != nil {
		log.ErrorContext(ctx, "handled", "error", err)
		return err
	}
	log.InfoContext(ctx, "handled", "result", result)
	reply.Result = result
	return nil
}

// Client is the entry point of a trace: each call starts a new trace, logs its IDs and sends the
// traceparent in the Request.
type Client struct {
	rpc    *calc.Client
	logger *slog.Logger
}

// NewClient wraps a chapter 1 client connected to a server that serves a handmade Calculator, and
// logs every call it starts to logger.
func NewClient(rpc *calc.Client, logger *slog.Logger) *Client {
	return &Client{rpc: rpc, logger: logger}
}

// Do runs op on the server as the root of a new trace and returns the result. Errors are
// chapter 1's: errors.Is(err, calc.ErrDivisionByZero) still works. An unknown op fails before a
// trace starts, as there is no call to trace.
func (c *Client) Do(ctx context.Context, op calc.Op, a, b int) (int, error) {
	if _, err := calc.ParseOp(string(op)); err != nil {
		return 0, err
	}
	// region: client-root-span
	span := NewRootSpan()
	c.logger.InfoContext(ctx, "calling", append(span.LogArgs(), "method", op.Method())...)
	req := Request{TraceParent: span.TraceParent().String(), Args: calc.Args{A: a, B: b}}
	// endregion
	var reply calc.Reply
	if err := c.rpc.Call(ctx, op.Method(), &req, &reply); err != nil {
		return 0, err
	}
	return reply.Result, nil
}
