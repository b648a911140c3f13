package tour_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	"github.com/rpc-tracing/workbook/ch03-grpc/internal/tour"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/grpctest"
)

var line = regexp.MustCompile(`^trace ([0-9a-f]{32})  (.+)$`)

func TestTourMakesOneTracePerStep(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prop := propagation.TraceContext{}
	srv := calcgrpc.NewServer(calcgrpc.ServerConfig{TracerProvider: tp, Propagators: prop, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	ctx, cancel := context.WithCancel(context.Background())
	dial := grpctest.InMemory(t, func(lis net.Listener) error { return srv.Serve(ctx, lis) }, cancel)
	conn, err := calcgrpc.NewClient(grpctest.Target, tp, prop, dial)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, conn.Close()) })

	var out bytes.Buffer
	cfg := tour.Config{Timeout: 200 * time.Millisecond, SlowDelay: 2 * time.Second}
	require.NoError(t, tour.Run(context.Background(), calculatorv1.NewCalculatorServiceClient(conn), tp.Tracer("tour"), cfg, &out))

	var texts []string
	traceIDs := map[string]bool{}
	for _, l := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
		m := line.FindStringSubmatch(string(l))
		require.NotNil(t, m, "%q", l)
		texts = append(texts, m[2])
		traceIDs[m[1]] = true
	}
	assert.Equal(t, []string{
		"2 + 3 = 5",
		"2 - 3 = -1",
		"6 * 7 = 42",
		"7 / 2 = 3",
		"7 / 0: InvalidArgument: b: must not be zero: division by zero [b]",
		"1 + 2, answer in 2s, deadline 200ms: DeadlineExceeded",
		"fibonacci(10) = [0 1 1 2 3 5 8 13 21 34]",
		"sum(1..5) = 15",
		"running total of [5 -2 10] = [5 3 13]",
	}, texts)
	assert.Len(t, traceIDs, 9, "one trace per step")

	// Each trace: the step's span, the client span under it, the server span under that.
	require.Eventually(t, func() bool { return len(rec.Ended()) == 27 }, 5*time.Second, time.Millisecond)
	byTrace := map[string]int{}
	for _, s := range rec.Ended() {
		byTrace[s.SpanContext().TraceID().String()]++
	}
	for id := range traceIDs {
		assert.Equal(t, 3, byTrace[id], "trace %s", id)
	}
}
