package calcgrpc_test

import (
	"context"
	"log/slog"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/grpctest"
	"github.com/rpc-tracing/workbook/internal/syncbuf"
)

// harness is a traced server and client joined by an in-memory connection (bufconn): real gRPC,
// no network. Both sides record into one SpanRecorder.
type harness struct {
	rec    *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	conn   *grpc.ClientConn
	client calculatorv1.CalculatorServiceClient
	logs   *syncbuf.Buffer
	dialer grpc.DialOption // dials the in-memory server, for extra client connections
}

func propagators() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

func newHarness(t *testing.T, cfg calcgrpc.ServerConfig, clientOpts ...grpc.DialOption) *harness {
	t.Helper()
	h := &harness{rec: tracetest.NewSpanRecorder(), logs: &syncbuf.Buffer{}}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.rec))
	cfg.TracerProvider, cfg.Propagators = h.tp, propagators()
	cfg.Logger = slog.New(slog.NewJSONHandler(h.logs, nil))
	srv := calcgrpc.NewServer(cfg)

	t.Cleanup(func() { require.NoError(t, h.tp.Shutdown(context.Background())) })
	ctx, cancel := context.WithCancel(context.Background())
	h.dialer = grpctest.InMemory(t, func(lis net.Listener) error { return srv.Serve(ctx, lis) }, cancel)
	conn, err := calcgrpc.NewClient(grpctest.Target, h.tp, propagators(), append(clientOpts, h.dialer)...)
	require.NoError(t, err)
	h.conn, h.client = conn, calculatorv1.NewCalculatorServiceClient(conn)
	t.Cleanup(func() { require.NoError(t, conn.Close()) })
	return h
}

// messageEvents counts a span's message events by direction.
func messageEvents(s sdktrace.ReadOnlySpan) (sent, received int) {
	for _, e := range s.Events() {
		if e.Name != "message" {
			continue
		}
		for _, kv := range e.Attributes {
			if kv.Key == "rpc.message.type" && kv.Value.AsString() == "SENT" {
				sent++
			} else if kv.Key == "rpc.message.type" && kv.Value.AsString() == "RECEIVED" {
				received++
			}
		}
	}
	return sent, received
}
