// Package check is the check of chapter 3's first exercise, shared by the stub you edit
// (exercises/divattrs, run with `make exercise EX=ch03/divattrs`) and the reference solution
// (solutions/divattrs): serve your Service behind otelgrpc's server stats handler, over an
// in-memory connection, call it with a traced client, and read the spans both sides recorded.
package check

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	operandscheck "github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/operands/check"
	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/exercise"
	"github.com/rpc-tracing/workbook/internal/grpctest"
)

// The attributes the exercise asks for, on Div's server span: chapter 2's operand keys, so the
// traces of both calculators are searched for their operands the same way.
const (
	KeyA = operandscheck.KeyA
	KeyB = operandscheck.KeyB
)

const divSpan = "calculator.v1.CalculatorService/Div"

// All runs every check of the exercise on the service newService returns.
func All(t *testing.T, newService func() calculatorv1.CalculatorServiceServer) {
	t.Helper()
	t.Run("Div records its operands", func(t *testing.T) { DivRecordsOperands(t, newService) })
	t.Run("other methods unchanged", func(t *testing.T) { OtherMethodsUnchanged(t, newService) })
}

// DivRecordsOperands divides 7 by 2 and 7 by 0, and checks that each call's SERVER span carries
// calc.a and calc.b as integers, the division by zero included, and that the CLIENT span does
// not.
func DivRecordsOperands(t *testing.T, newService func() calculatorv1.CalculatorServiceServer) {
	t.Helper()
	exercise.NoLeaks(t)
	for _, tc := range []struct {
		name string
		a, b int64
		code codes.Code
		want int64
	}{
		{"7 / 2", 7, 2, codes.OK, 3},
		{"7 / 0", 7, 0, codes.InvalidArgument, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, rec := serve(t, newService())
			res, err := client.Div(context.Background(), &calculatorv1.Operands{A: tc.a, B: tc.b})
			if status.Code(err) != tc.code {
				t.Fatalf("Div(%d, %d) returned %v, want code %s\nhint: keep calling the embedded calcgrpc.Service's Div and return what it returns", tc.a, tc.b, err, tc.code)
			}
			if err == nil && res.GetValue() != tc.want {
				t.Errorf("Div(%d, %d) = %d, want %d\nhint: return the embedded Service's answer unchanged", tc.a, tc.b, res.GetValue(), tc.want)
			}
			clientSpan, serverSpan := ended(t, rec)
			if serverSpan.Name() != divSpan {
				t.Fatalf("the SERVER span is named %q, want %q", serverSpan.Name(), divSpan)
			}
			for _, want := range []attribute.KeyValue{KeyA.Int64(tc.a), KeyB.Int64(tc.b)} {
				got, ok := lookup(serverSpan.Attributes(), want.Key)
				switch {
				case !ok && tc.code != codes.OK:
					t.Errorf("the SERVER span of Div(%d, %d), which failed with %s, has no attribute %q (want %d)\nhint: if Div(7, 2) has them, set them before you divide, not after: a failed division returns early, and it is the call you will want to read", tc.a, tc.b, tc.code, want.Key, want.Value.AsInt64())
				case !ok:
					t.Errorf("the SERVER span of Div(%d, %d) has no attribute %q (want %d)\nhint: your Div is handed ctx, and otelgrpc put the call's server span in it before Div ran (trace.SpanFromContext)", tc.a, tc.b, want.Key, want.Value.AsInt64())
				case got != want.Value:
					t.Errorf("the SERVER span of Div(%d, %d) has %s = %s (%s), want %d (INT64)\nhint: use KeyA.Int64(in.GetA()) and KeyB.Int64(in.GetB()), so a backend can compare and sum the values", tc.a, tc.b, want.Key, got.String(), got.Type(), want.Value.AsInt64())
				}
			}
			if _, ok := lookup(clientSpan.Attributes(), KeyA); ok {
				t.Errorf("the CLIENT span has %q, want it only on the SERVER span\nhint: record the operands in the server's Div, not in the caller", KeyA)
			}
		})
	}
}

// OtherMethodsUnchanged checks that Add still answers, and that its span has no calc.a or calc.b:
// only Div was asked for.
func OtherMethodsUnchanged(t *testing.T, newService func() calculatorv1.CalculatorServiceServer) {
	t.Helper()
	exercise.NoLeaks(t)
	client, rec := serve(t, newService())
	res, err := client.Add(context.Background(), &calculatorv1.Operands{A: 2, B: 3})
	if err != nil || res.GetValue() != 5 {
		t.Fatalf("Add(2, 3) = %d, %v; want 5, nil\nhint: embed *calcgrpc.Service, so Add, Sub, Mul and the streams come with it", res.GetValue(), err)
	}
	_, serverSpan := ended(t, rec)
	for _, key := range []attribute.Key{KeyA, KeyB} {
		if _, ok := lookup(serverSpan.Attributes(), key); ok {
			t.Errorf("the SERVER span of Add has %q, want it only on Div's\nhint: override Div alone", key)
		}
	}
}

// serve runs svc behind otelgrpc's server stats handler on an in-memory connection and returns
// a traced client; both sides record into the returned recorder.
func serve(t *testing.T, svc calculatorv1.CalculatorServiceServer) (calculatorv1.CalculatorServiceClient, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prop := propagation.TraceContext{}
	srv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(
		otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop))))
	calculatorv1.RegisterCalculatorServiceServer(srv, svc)

	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	dial := grpctest.InMemory(t, srv.Serve, srv.GracefulStop)
	conn, err := calcgrpc.NewClient(grpctest.Target, tp, prop, dial)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, conn.Close()) })
	return calculatorv1.NewCalculatorServiceClient(conn), rec
}

// ended waits for the two spans of one call, which the two sides end independently.
func ended(t *testing.T, rec *tracetest.SpanRecorder) (client, server sdktrace.ReadOnlySpan) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(rec.Ended()) < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	for _, s := range rec.Ended() {
		switch s.SpanKind() {
		case trace.SpanKindClient:
			client = s
		case trace.SpanKindServer:
			server = s
		}
	}
	if client == nil || server == nil {
		t.Fatalf("want one CLIENT and one SERVER span, got %d spans\nhint: NewService must return a value that serves the calculator (your Service)", len(rec.Ended()))
	}
	return client, server
}

func lookup(attrs []attribute.KeyValue, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range attrs {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}
