package calcgrpc_test

import (
	"context"
	"errors"
	"io"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

func TestFibonacciStreamsNumbersInOneSpanPerSide(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	stream, err := h.client.Fibonacci(context.Background(), &calculatorv1.FibonacciRequest{N: 10})
	require.NoError(t, err)
	var got []int64
	for {
		n, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		got = append(got, n.GetValue())
	}
	assert.Equal(t, []int64{0, 1, 1, 2, 3, 5, 8, 13, 21, 34}, got)

	spans := h.spans(t, 2)
	cs, ss := one(t, spans, trace.SpanKindClient), one(t, spans, trace.SpanKindServer)
	assert.Equal(t, cs.SpanContext().SpanID(), ss.Parent().SpanID())
	sent, received := messageEvents(cs)
	assert.Equal(t, [2]int{1, 10}, [2]int{sent, received}, "client: the request out, ten numbers in")
	sent, received = messageEvents(ss)
	assert.Equal(t, [2]int{10, 1}, [2]int{sent, received}, "server: ten numbers out, the request in")
}

func TestFibonacciLimits(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	last := func(n uint32) (int64, error) {
		stream, err := h.client.Fibonacci(context.Background(), &calculatorv1.FibonacciRequest{N: n})
		require.NoError(t, err)
		var v int64
		for {
			m, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return v, nil
			}
			if err != nil {
				return 0, err
			}
			v = m.GetValue()
		}
	}
	v, err := last(calcgrpc.MaxFibonacci)
	require.NoError(t, err)
	assert.Equal(t, int64(7540113804746346429), v, "F(92), the largest Fibonacci number in an int64")

	_, err = last(calcgrpc.MaxFibonacci + 1)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	assert.Equal(t, []string{"n"}, calcgrpc.FieldViolations(err))

	v, err = last(0)
	require.NoError(t, err)
	assert.Zero(t, v, "n = 0 sends nothing")
}

func TestSumAddsAClientStream(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	stream, err := h.client.Sum(context.Background())
	require.NoError(t, err)
	for _, v := range []int64{1, 2, 3, 4} {
		require.NoError(t, stream.Send(&calculatorv1.Number{Value: v}))
	}
	res, err := stream.CloseAndRecv()
	require.NoError(t, err)
	assert.Equal(t, int64(10), res.GetValue())

	spans := h.spans(t, 2)
	sent, received := messageEvents(one(t, spans, trace.SpanKindClient))
	assert.Equal(t, [2]int{4, 1}, [2]int{sent, received})
	sent, received = messageEvents(one(t, spans, trace.SpanKindServer))
	assert.Equal(t, [2]int{1, 4}, [2]int{sent, received})
}

func TestSumOverflowIsOutOfRange(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	stream, err := h.client.Sum(context.Background())
	require.NoError(t, err)
	require.NoError(t, stream.Send(&calculatorv1.Number{Value: math.MaxInt64}))
	require.NoError(t, stream.Send(&calculatorv1.Number{Value: 1}))
	_, err = stream.CloseAndRecv()
	assert.Equal(t, codes.OutOfRange, status.Code(err))
}

func TestRunningTotalAnswersEachNumber(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{})
	stream, err := h.client.RunningTotal(context.Background())
	require.NoError(t, err)
	var totals []int64
	for _, v := range []int64{5, -2, 10} {
		require.NoError(t, stream.Send(&calculatorv1.Number{Value: v}))
		res, err := stream.Recv()
		require.NoError(t, err)
		totals = append(totals, res.GetValue())
	}
	require.NoError(t, stream.CloseSend())
	_, err = stream.Recv()
	require.ErrorIs(t, err, io.EOF)
	assert.Equal(t, []int64{5, 3, 13}, totals)

	spans := h.spans(t, 2)
	sent, received := messageEvents(one(t, spans, trace.SpanKindClient))
	assert.Equal(t, [2]int{3, 3}, [2]int{sent, received})
	sent, received = messageEvents(one(t, spans, trace.SpanKindServer))
	assert.Equal(t, [2]int{3, 3}, [2]int{sent, received})
}

// A client that stops listening mid-stream cancels the call: the server's stream context ends,
// its loop stops, and both spans end. goleak in TestMain checks that no goroutine is left.
func TestClientCancelMidStreamEndsBothSpans(t *testing.T) {
	h := newHarness(t, calcgrpc.ServerConfig{Delay: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := h.client.Fibonacci(ctx, &calculatorv1.FibonacciRequest{N: calcgrpc.MaxFibonacci})
	require.NoError(t, err)
	_, err = stream.Recv()
	require.NoError(t, err)
	cancel()
	for err == nil {
		_, err = stream.Recv()
	}
	assert.Equal(t, codes.Canceled, status.Code(err))

	spans := h.spans(t, 2)
	assert.Equal(t, "CANCELLED", attrOf(one(t, spans, trace.SpanKindClient), "rpc.response.status_code"))
	assert.Equal(t, "CANCELLED", attrOf(one(t, spans, trace.SpanKindServer), "rpc.response.status_code"))
}
