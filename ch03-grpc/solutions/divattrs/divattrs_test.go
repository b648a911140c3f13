package divattrs_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/goleak"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/ch03-grpc/solutions/divattrs"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// serve runs divattrs.Service behind otelgrpc's server stats handler, over an in-memory
// connection, and returns a traced client and the recorder both sides write to. The server is
// built here, not with calcgrpc.NewServer, which always serves the plain calcgrpc.Service: the
// one line that matters is the StatsHandler option.
func serve(t *testing.T) (calculatorv1.CalculatorServiceClient, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prop := propagation.TraceContext{}
	srv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(
		otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(prop))))
	calculatorv1.RegisterCalculatorServiceServer(srv, divattrs.Service{Service: calcgrpc.NewService(0)})

	lis := bufconn.Listen(1 << 16)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	conn, err := calcgrpc.NewClient("passthrough:///bufconn", tp, prop,
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }))
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, conn.Close())
		srv.GracefulStop()
		require.NoError(t, <-served)
		require.NoError(t, tp.Shutdown(context.Background()))
	})
	return calculatorv1.NewCalculatorServiceClient(conn), rec
}

// ended waits for the two spans of one call, which the two sides end independently.
func ended(t *testing.T, rec *tracetest.SpanRecorder) (client, server sdktrace.ReadOnlySpan) {
	t.Helper()
	require.Eventually(t, func() bool { return len(rec.Ended()) == 2 }, 5*time.Second, time.Millisecond)
	for _, s := range rec.Ended() {
		switch s.SpanKind() {
		case trace.SpanKindClient:
			client = s
		case trace.SpanKindServer:
			server = s
		}
	}
	require.NotNil(t, client)
	require.NotNil(t, server)
	return client, server
}

func TestDivRecordsItsOperandsOnTheServerSpan(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b int64
		code codes.Code
	}{
		{"7 / 2", 7, 2, codes.OK},
		{"7 / 0", 7, 0, codes.InvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, rec := serve(t)
			_, err := client.Div(context.Background(), &calculatorv1.Operands{A: tc.a, B: tc.b})
			require.Equal(t, tc.code, status.Code(err), "%v", err)

			cs, ss := ended(t, rec)
			assert.Equal(t, "calculator.v1.CalculatorService/Div", ss.Name(), "the span otelgrpc started")
			assert.Contains(t, ss.Attributes(), divattrs.KeyA.Int64(tc.a))
			assert.Contains(t, ss.Attributes(), divattrs.KeyB.Int64(tc.b))
			assert.NotContains(t, keys(cs.Attributes()), divattrs.KeyA, "the client's span is the client's business")
		})
	}
}

func TestOtherMethodsAreUnchanged(t *testing.T) {
	client, rec := serve(t)
	got, err := client.Add(context.Background(), &calculatorv1.Operands{A: 2, B: 3})
	require.NoError(t, err)
	assert.Equal(t, int64(5), got.GetValue(), "Add comes from the embedded calcgrpc.Service")

	_, ss := ended(t, rec)
	assert.NotContains(t, keys(ss.Attributes()), divattrs.KeyA)
	assert.NotContains(t, keys(ss.Attributes()), divattrs.KeyB)
}

func keys(attrs []attribute.KeyValue) []attribute.Key {
	out := make([]attribute.Key, len(attrs))
	for i, kv := range attrs {
		out[i] = kv.Key
	}
	return out
}
