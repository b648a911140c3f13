package tracedcalc_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/tracedcalc"
)

// serveTraced starts a traced Calculator on a loopback port and returns a traced client.
func serveTraced(t *testing.T, tp trace.TracerProvider) *otelnetrpc.Client {
	t.Helper()
	opts := []otelnetrpc.Option{otelnetrpc.WithTracerProvider(tp), otelnetrpc.WithPropagators(propagation.TraceContext{})}
	codecs := otelnetrpc.ServerCodecs(opts...)
	srv, err := calc.NewServer(calc.WithServerCodec(codecs), calc.WithReceiver(tracedcalc.New(tp)))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	client, err := otelnetrpc.Dial(ctx, ln.Addr().String(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() {
		client.Close()
		cancel()
		require.NoError(t, <-done)
	})
	return client
}

func TestEachCallHasAChildSpanUnderTheServerSpan(t *testing.T) {
	cases := []struct {
		method, child string
		args          calc.Args
		want          int
		wantErr       error
	}{
		{"Calculator.Add", "calc.Add", calc.Args{A: 2, B: 3}, 5, nil},
		{"Calculator.Sub", "calc.Sub", calc.Args{A: 2, B: 3}, -1, nil},
		{"Calculator.Mul", "calc.Mul", calc.Args{A: 6, B: 7}, 42, nil},
		{"Calculator.Div", "calc.Div", calc.Args{A: 7, B: 0}, 0, calc.ErrDivisionByZero},
	}
	for _, tc := range cases {
		t.Run(tc.method, func(t *testing.T) {
			rec := tracetest.NewSpanRecorder()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
			t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
			client := serveTraced(t, tp)

			var reply calc.Reply
			err := client.Call(context.Background(), tc.method, &tc.args, &reply)
			if tc.wantErr != nil {
				require.EqualError(t, err, tc.wantErr.Error())
			} else {
				require.NoError(t, err)
				assert.Equal(t, tc.want, reply.Result)
			}

			require.Eventually(t, func() bool { return len(rec.Ended()) == 3 }, 5*time.Second, time.Millisecond)
			byKind := map[trace.SpanKind]sdktrace.ReadOnlySpan{}
			for _, s := range rec.Ended() {
				byKind[s.SpanKind()] = s
			}
			server, child := byKind[trace.SpanKindServer], byKind[trace.SpanKindInternal]
			require.NotNil(t, server)
			require.NotNil(t, child)
			assert.Equal(t, tc.child, child.Name())
			assert.Equal(t, server.SpanContext().SpanID(), child.Parent().SpanID())
			assert.Equal(t, server.SpanContext().TraceID(), child.SpanContext().TraceID())
			if tc.wantErr != nil {
				assert.Equal(t, codes.Error, child.Status().Code)
				assert.Equal(t, tc.wantErr.Error(), child.Status().Description)
			}
		})
	}
}
