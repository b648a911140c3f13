package ch03grpc_test

import (
	"context"
	"log/slog"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	otelcodes "go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/spantest"
	"github.com/rpc-tracing/workbook/internal/syncbuf"
)

// TestUnknownMethodStartsAServerSpanThatNeverEnds checks what the chapter says about a call to a
// method the server does not have. grpc-go calls the stats handlers' TagRPC before it looks the
// method up, so otelgrpc starts a SERVER span for it: the right name, kind, parent and request
// attributes. But grpc-go then answers UNIMPLEMENTED itself and never sends the stats.End event
// that otelgrpc ends its span on. The span stays open: no status, no rpc.response.status_code,
// never handed to a span processor's OnEnd, so never exported, flush or no flush. What a
// backend shows is the client's span alone. The logging interceptor does not run either.
func TestUnknownMethodStartsAServerSpanThatNeverEnds(t *testing.T) {
	rec := tracetest.NewSpanRecorder() // sees spans as they start, not only as they end
	exported := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec), sdktrace.WithBatcher(exported))
	var logs syncbuf.Buffer
	srv := calcgrpc.NewServer(calcgrpc.ServerConfig{TracerProvider: tp, Propagators: propagation.TraceContext{},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	lis := bufconn.Listen(1 << 16)
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, lis) }()
	conn, err := calcgrpc.NewClient("passthrough:///bufconn", tp, propagation.TraceContext{},
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }))
	require.NoError(t, err)

	err = conn.Invoke(context.Background(), "/calculator.v1.CalculatorService/Pow", &calculatorv1.Operands{A: 2, B: 10}, &calculatorv1.Result{})
	require.Equal(t, codes.Unimplemented, status.Code(err))
	assert.Equal(t, "unknown method Pow for service calculator.v1.CalculatorService", status.Convert(err).Message())

	// Stop everything, and flush: whatever could still end or be exported has been by now.
	require.NoError(t, conn.Close())
	stop()
	require.NoError(t, <-served)
	require.NoError(t, tp.ForceFlush(context.Background())) // not Shutdown: the exporter would forget
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })

	started := byKind(rec.Started())
	require.Len(t, started[trace.SpanKindClient], 1)
	require.Len(t, started[trace.SpanKindServer], 1, "otelgrpc's TagRPC started a server span")
	client, server := started[trace.SpanKindClient][0], started[trace.SpanKindServer][0]

	const name = "calculator.v1.CalculatorService/Pow"
	assert.Equal(t, name, server.Name())
	assert.Equal(t, client.SpanContext().TraceID(), server.SpanContext().TraceID(), "one trace")
	assert.Equal(t, client.SpanContext().SpanID(), server.Parent().SpanID(), "the client's span is its parent")
	assert.True(t, server.Parent().IsRemote())
	assert.Equal(t, "grpc", spantest.Attr(server, "rpc.system.name"))
	assert.Equal(t, name, spantest.Attr(server, "rpc.method"))
	assert.Equal(t, "bufconn", spantest.Attr(server, "server.address"), "from the InHeader event, the listener's address")

	// What never comes: the end, a status, the status code attribute, an export.
	assert.True(t, server.EndTime().IsZero(), "the server span never ends")
	assert.Equal(t, otelcodes.Unset, server.Status().Code)
	assert.Empty(t, spantest.Attr(server, "rpc.response.status_code"))
	assert.Empty(t, server.Events(), "no message was read, so no message event")
	assert.Equal(t, []string{"client " + name}, spanNames(rec.Ended()), "only the client's span ends")
	assert.Equal(t, []string{"client " + name}, spanNames(exported.GetSpans().Snapshots()), "only the client's span is exported")

	assert.NotContains(t, logs.String(), "msg=call", "no interceptor ran")
}

func byKind[S sdktrace.ReadOnlySpan](spans []S) map[trace.SpanKind][]sdktrace.ReadOnlySpan {
	out := map[trace.SpanKind][]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		out[s.SpanKind()] = append(out[s.SpanKind()], s)
	}
	return out
}

func spanNames[S sdktrace.ReadOnlySpan](spans []S) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.SpanKind().String()+" "+s.Name())
	}
	return out
}
