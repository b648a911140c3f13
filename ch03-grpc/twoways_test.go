package ch03grpc_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	experimental "google.golang.org/grpc/experimental/opentelemetry"
	grpcotel "google.golang.org/grpc/stats/opentelemetry"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/grpctest"
	"github.com/rpc-tracing/workbook/internal/spantest"
)

// This file traces the same calls two ways: with otelgrpc, the chapter's instrumentation, and
// with grpc-go's own OpenTelemetry plugin (google.golang.org/grpc/stats/opentelemetry), which
// follows gRPC's A72 design. Both are installed the same way, one option per side, and both read
// and write traceparent; the trees they make differ.

// instrumentation is one way to trace gRPC: the server option and the dial option it needs.
type instrumentation struct {
	server func(trace.TracerProvider, propagation.TextMapPropagator) grpc.ServerOption
	client func(trace.TracerProvider, propagation.TextMapPropagator) grpc.DialOption
}

// region: two-instrumentations
var instrumentations = map[string]instrumentation{
	"otelgrpc": {
		server: func(tp trace.TracerProvider, prop propagation.TextMapPropagator) grpc.ServerOption {
			return grpc.StatsHandler(otelgrpc.NewServerHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop)))
		},
		client: func(tp trace.TracerProvider, prop propagation.TextMapPropagator) grpc.DialOption {
			return grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop)))
		},
	},
	"grpc-go": {
		server: func(tp trace.TracerProvider, prop propagation.TextMapPropagator) grpc.ServerOption {
			return grpcotel.ServerOption(grpcotel.Options{TraceOptions: experimental.TraceOptions{TracerProvider: tp, TextMapPropagator: prop}})
		},
		client: func(tp trace.TracerProvider, prop propagation.TextMapPropagator) grpc.DialOption {
			return grpcotel.DialOption(grpcotel.Options{TraceOptions: experimental.TraceOptions{TracerProvider: tp, TextMapPropagator: prop}})
		},
	},
}

// endregion

// sideBySide is what each instrumentation records for three calls made under a span of the
// caller's own: each span's name, kind and status, indented under its parent; and, after a
// colon, its attributes (otelgrpc) or its message events (grpc-go), the other thing each records.
// Addresses vary, so only their names are shown; over the in-memory connection there is no port.
//
// region: side-by-side
var sideBySide = []struct{ instrumentation, call, tree string }{
	{"otelgrpc", "Add(2, 3)", `
caller internal Unset
  calculator.v1.CalculatorService/Add client Unset: rpc.method rpc.response.status_code=OK rpc.system.name=grpc server.address
    calculator.v1.CalculatorService/Add server Unset: rpc.method rpc.response.status_code=OK rpc.system.name=grpc server.address`},
	{"grpc-go", "Add(2, 3)", `
caller internal Unset
  Sent.calculator.v1.CalculatorService.Add client Ok
    Attempt.calculator.v1.CalculatorService.Add internal Ok: previous-rpc-attempts=0 transparent-retry=false; Outbound message 0, Inbound message 0
      Recv.calculator.v1.CalculatorService.Add server Ok: Inbound message 0, Outbound message 0`},
	{"otelgrpc", "Div(7, 0)", `
caller internal Unset
  calculator.v1.CalculatorService/Div client Error: rpc.method rpc.response.status_code=INVALID_ARGUMENT rpc.system.name=grpc server.address
    calculator.v1.CalculatorService/Div server Unset: rpc.method rpc.response.status_code=INVALID_ARGUMENT rpc.system.name=grpc server.address`},
	{"grpc-go", "Div(7, 0)", `
caller internal Unset
  Sent.calculator.v1.CalculatorService.Div client Error
    Attempt.calculator.v1.CalculatorService.Div internal Error: previous-rpc-attempts=0 transparent-retry=false; Outbound message 0
      Recv.calculator.v1.CalculatorService.Div server Error: Inbound message 0`},
	{"otelgrpc", "Fibonacci(3)", `
caller internal Unset
  calculator.v1.CalculatorService/Fibonacci client Unset: rpc.method rpc.response.status_code=OK rpc.system.name=grpc server.address
    calculator.v1.CalculatorService/Fibonacci server Unset: rpc.method rpc.response.status_code=OK rpc.system.name=grpc server.address`},
	{"grpc-go", "Fibonacci(3)", `
caller internal Unset
  Sent.calculator.v1.CalculatorService.Fibonacci client Ok
    Attempt.calculator.v1.CalculatorService.Fibonacci internal Ok: previous-rpc-attempts=0 transparent-retry=false; Outbound message 0, Inbound message 0, Inbound message 1, Inbound message 2
      Recv.calculator.v1.CalculatorService.Fibonacci server Ok: Inbound message 0, Outbound message 0, Outbound message 1, Outbound message 2`},
}

// endregion

// calls are the calls of sideBySide, by name.
var calls = map[string]func(context.Context, calculatorv1.CalculatorServiceClient) error{
	"Add(2, 3)": func(ctx context.Context, c calculatorv1.CalculatorServiceClient) error {
		_, err := c.Add(ctx, &calculatorv1.Operands{A: 2, B: 3})
		return err
	},
	"Div(7, 0)": func(ctx context.Context, c calculatorv1.CalculatorServiceClient) error {
		if _, err := c.Div(ctx, &calculatorv1.Operands{A: 7, B: 0}); err == nil {
			return errors.New("Div(7, 0) succeeded")
		}
		return nil
	},
	"Fibonacci(3)": func(ctx context.Context, c calculatorv1.CalculatorServiceClient) error {
		stream, err := c.Fibonacci(ctx, &calculatorv1.FibonacciRequest{N: 3})
		if err != nil {
			return err
		}
		for {
			if _, err := stream.Recv(); errors.Is(err, io.EOF) {
				return nil // read to the end, so the call and its client spans finish
			} else if err != nil {
				return err
			}
		}
	},
}

// TestTwoInstrumentationsSideBySide makes each call of sideBySide with each instrumentation, over
// an in-memory connection, and compares the span tree with the table.
func TestTwoInstrumentationsSideBySide(t *testing.T) {
	for _, tc := range sideBySide {
		t.Run(tc.instrumentation+"/"+tc.call, func(t *testing.T) {
			rec := tracetest.NewSpanRecorder()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
			t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
			client := serveWith(t, instrumentations[tc.instrumentation], tp)

			ctx, caller := tp.Tracer("test").Start(context.Background(), "caller")
			require.NoError(t, calls[tc.call](ctx, client))
			caller.End()

			want := strings.TrimPrefix(tc.tree, "\n")
			n := strings.Count(want, "\n") + 1
			spans := spantest.Wait(t, rec, n)
			assert.Equal(t, want, outline(spans))
			for _, s := range spans {
				assert.Equal(t, caller.SpanContext().TraceID(), s.SpanContext().TraceID(), "%s: one trace", s.Name())
				if s.SpanKind() == trace.SpanKindServer {
					assert.True(t, s.Parent().IsRemote(), "the server's parent came over the wire")
				}
			}
		})
	}
}

// serveWith serves the calculator over bufconn, traced by in on both sides, and returns a client.
func serveWith(t *testing.T, in instrumentation, tp trace.TracerProvider) calculatorv1.CalculatorServiceClient {
	t.Helper()
	prop := propagation.TraceContext{}
	srv := grpc.NewServer(in.server(tp, prop))
	calculatorv1.RegisterCalculatorServiceServer(srv, calcgrpc.NewService(0))
	dial := grpctest.InMemory(t, srv.Serve, srv.GracefulStop)
	conn, err := grpc.NewClient(grpctest.Target, in.client(tp, prop),
		grpc.WithTransportCredentials(insecure.NewCredentials()), dial)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, conn.Close()) })
	return calculatorv1.NewCalculatorServiceClient(conn)
}

// outline draws spans as a tree, each under its parent, children in the order they started.
// Attributes whose values depend on the run (addresses, ports) are shown by name only.
func outline(spans []sdktrace.ReadOnlySpan) string {
	children := map[trace.SpanID][]sdktrace.ReadOnlySpan{}
	ids := map[trace.SpanID]bool{}
	for _, s := range spans {
		ids[s.SpanContext().SpanID()] = true
	}
	var roots []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if p := s.Parent().SpanID(); ids[p] {
			children[p] = append(children[p], s)
		} else {
			roots = append(roots, s)
		}
	}
	var lines []string
	var walk func(s sdktrace.ReadOnlySpan, depth int)
	walk = func(s sdktrace.ReadOnlySpan, depth int) {
		lines = append(lines, strings.Repeat("  ", depth)+describe(s))
		kids := children[s.SpanContext().SpanID()]
		slices.SortFunc(kids, func(a, b sdktrace.ReadOnlySpan) int { return a.StartTime().Compare(b.StartTime()) })
		for _, k := range kids {
			walk(k, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return strings.Join(lines, "\n")
}

// describe is one line of outline: name, kind, status, then attributes and message events.
func describe(s sdktrace.ReadOnlySpan) string {
	line := fmt.Sprintf("%s %s %s", s.Name(), s.SpanKind(), s.Status().Code)
	var attrs, events []string
	for _, kv := range s.Attributes() {
		switch kv.Key {
		case "server.address", "server.port", "rpc.method":
			attrs = append(attrs, string(kv.Key))
		default:
			attrs = append(attrs, fmt.Sprintf("%s=%s", kv.Key, kv.Value.String()))
		}
	}
	slices.Sort(attrs)
	for _, e := range s.Events() {
		for _, kv := range e.Attributes {
			if kv.Key == "sequence-number" {
				events = append(events, fmt.Sprintf("%s %d", e.Name, kv.Value.AsInt64()))
			}
		}
	}
	var extra []string
	if len(attrs) > 0 {
		extra = append(extra, strings.Join(attrs, " "))
	}
	if len(events) > 0 {
		extra = append(extra, strings.Join(events, ", "))
	}
	if len(extra) > 0 {
		line += ": " + strings.Join(extra, "; ")
	}
	return line
}
