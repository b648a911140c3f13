// Package otelcalc is chapter 2, step 2: step 1's calls again, with the OpenTelemetry SDK doing
// the work done by hand there. Trace and span IDs, timing, status and export now come from a
// TracerProvider; the propagator writes the same W3C traceparent into the same handmade.Request
// envelope. What stays manual is the plumbing: each method extracts and injects the context
// itself, the chore step 3's otelnetrpc takes over.
package otelcalc

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/handmade"
)

// ScopeName is the instrumentation scope of this package's spans.
const ScopeName = "github.com/rpc-tracing/workbook/ch02-tracing-basics/otelcalc"

// region: carrier

// carrier lets a propagator read and write a handmade.Request's TraceParent field, the only
// header this envelope has room for.
type carrier struct{ req *handmade.Request }

func (c carrier) Get(key string) string {
	if key == "traceparent" {
		return c.req.TraceParent
	}
	return ""
}

func (c carrier) Set(key, value string) {
	if key == "traceparent" {
		c.req.TraceParent = value
	}
}

func (c carrier) Keys() []string { return []string{"traceparent"} }

// endregion

// spanStart holds what every span of one side shares.
func spanStart(kind trace.SpanKind, op calc.Op) []trace.SpanStartOption {
	return []trace.SpanStartOption{
		trace.WithSpanKind(kind),
		trace.WithAttributes(semconv.RPCSystemNameKey.String("go_netrpc"), semconv.RPCMethod(op.Method())),
	}
}

// endWith records err on span, if any: status Error with the message, and an exception event.
func endWith(span trace.Span, err error) {
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// Calculator serves chapter 1's arithmetic on handmade.Request envelopes, one SERVER span per call.
type Calculator struct {
	tracer      trace.Tracer
	propagators propagation.TextMapPropagator
	logger      *slog.Logger
}

// NewCalculator returns a Calculator whose spans come from tp, reading the caller's context with
// propagators and logging each call, with its trace and span IDs, to logger.
func NewCalculator(tp trace.TracerProvider, propagators propagation.TextMapPropagator, logger *slog.Logger) *Calculator {
	return &Calculator{tracer: tp.Tracer(ScopeName), propagators: propagators, logger: logger}
}

// Add stores req.Args.A + req.Args.B in reply.
func (c *Calculator) Add(req *handmade.Request, reply *calc.Reply) error {
	return c.serve(calc.OpAdd, req, reply)
}

// Sub stores req.Args.A - req.Args.B in reply.
func (c *Calculator) Sub(req *handmade.Request, reply *calc.Reply) error {
	return c.serve(calc.OpSub, req, reply)
}

// Mul stores req.Args.A * req.Args.B in reply.
func (c *Calculator) Mul(req *handmade.Request, reply *calc.Reply) error {
	return c.serve(calc.OpMul, req, reply)
}

// Div stores req.Args.A / req.Args.B in reply.
func (c *Calculator) Div(req *handmade.Request, reply *calc.Reply) error {
	return c.serve(calc.OpDiv, req, reply)
}

func (c *Calculator) serve(op calc.Op, req *handmade.Request, reply *calc.Reply) (err error) {
	// region: server-extract
	// A missing or malformed traceparent extracts to nothing: the span below starts a new trace.
	ctx := c.propagators.Extract(context.Background(), carrier{req})
	ctx, span := c.tracer.Start(ctx, op.Method(), spanStart(trace.SpanKindServer, op)...)
	defer func() { endWith(span, err) }()
	// endregion
	log := c.logger.With(append(logArgs(span.SpanContext()), "method", op.Method())...)
	result, err := op.Apply(req.Args.A, req.Args.B)
	if err != nil {
		log.ErrorContext(ctx, "handled", "error", err)
		return err
	}
	log.InfoContext(ctx, "handled", "result", result)
	reply.Result = result
	return nil
}

// logArgs are the IDs a log line needs to lead to its trace. They are logged even when the span
// is not sampled: the IDs still travel, only the export is skipped.
func logArgs(sc trace.SpanContext) []any {
	return []any{"trace_id", sc.TraceID().String(), "span_id", sc.SpanID().String(), "sampled", sc.IsSampled()}
}

// Client makes traced calls to a Calculator: one CLIENT span per call, child of the span in ctx.
type Client struct {
	rpc         *calc.Client
	tracer      trace.Tracer
	propagators propagation.TextMapPropagator
	logger      *slog.Logger
}

// NewClient wraps a chapter 1 client connected to a server that serves a Calculator.
func NewClient(rpc *calc.Client, tp trace.TracerProvider, propagators propagation.TextMapPropagator, logger *slog.Logger) *Client {
	return &Client{rpc: rpc, tracer: tp.Tracer(ScopeName), propagators: propagators, logger: logger}
}

// Do runs op on the server and returns the result. Errors are chapter 1's.
func (c *Client) Do(ctx context.Context, op calc.Op, a, b int) (result int, err error) {
	// region: client-span
	ctx, span := c.tracer.Start(ctx, op.Method(), spanStart(trace.SpanKindClient, op)...)
	defer func() { endWith(span, err) }()
	c.logger.InfoContext(ctx, "calling", append(logArgs(span.SpanContext()), "method", op.Method())...)

	req := handmade.Request{Args: calc.Args{A: a, B: b}}
	c.propagators.Inject(ctx, carrier{&req})
	// endregion
	var reply calc.Reply
	if err := c.rpc.Call(ctx, op.Method(), &req, &reply); err != nil {
		return 0, err
	}
	return reply.Result, nil
}
