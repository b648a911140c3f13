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
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/spantest"
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

	spans := spantest.Wait(t, h.rec, 2)
	cs, ss := spantest.OfKind(t, spans, trace.SpanKindClient), spantest.OfKind(t, spans, trace.SpanKindServer)
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

	spans := spantest.Wait(t, h.rec, 2)
	sent, received := messageEvents(spantest.OfKind(t, spans, trace.SpanKindClient))
	assert.Equal(t, [2]int{4, 1}, [2]int{sent, received})
	sent, received = messageEvents(spantest.OfKind(t, spans, trace.SpanKindServer))
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

	spans := spantest.Wait(t, h.rec, 2)
	sent, received := messageEvents(spantest.OfKind(t, spans, trace.SpanKindClient))
	assert.Equal(t, [2]int{3, 3}, [2]int{sent, received})
	sent, received = messageEvents(spantest.OfKind(t, spans, trace.SpanKindServer))
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

	spans := spantest.Wait(t, h.rec, 2)
	assert.Equal(t, "CANCELLED", spantest.Attr(spantest.OfKind(t, spans, trace.SpanKindClient), "rpc.response.status_code"))
	assert.Equal(t, "CANCELLED", spantest.Attr(spantest.OfKind(t, spans, trace.SpanKindServer), "rpc.response.status_code"))
}

// streamWatch lets a test see a streaming handler from the server's side: each message it has
// received, and what it returned. The client's view alone cannot show that the handler stopped:
// a cancelled client gets CANCELLED at once, whatever the server goes on doing.
type streamWatch struct {
	method   string        // the full method to watch, e.g. "/calculator.v1.CalculatorService/Sum"
	received chan struct{} // one value per message the handler has received
	returned chan error    // the handler's result, once it returns
}

func watchStream(method string) *streamWatch {
	return &streamWatch{method: method, received: make(chan struct{}, 64), returned: make(chan error, 1)}
}

// option is the server option that installs the watch, after NewServer's own interceptors.
func (w *streamWatch) option() grpc.ServerOption {
	return grpc.ChainStreamInterceptor(func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if info.FullMethod != w.method {
			return handler(srv, ss)
		}
		err := handler(srv, countingStream{ServerStream: ss, received: w.received})
		w.returned <- err
		return err
	})
}

// waitReceived waits until the handler has received n messages.
func (w *streamWatch) waitReceived(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		select {
		case <-w.received:
		case <-time.After(5 * time.Second):
			require.FailNow(t, "the handler did not receive its messages", "%d of %d received", i, n)
		}
	}
}

// handlerResult waits for the handler to return and gives its error. The bound only proves
// that it returns: a handler still blocked in Recv would never get there.
func (w *streamWatch) handlerResult(t *testing.T) error {
	t.Helper()
	select {
	case err := <-w.returned:
		return err
	case <-time.After(5 * time.Second):
		require.FailNow(t, "the handler did not return after the client cancelled")
		return nil
	}
}

// countingStream is a ServerStream that reports each message the handler receives.
type countingStream struct {
	grpc.ServerStream
	received chan<- struct{}
}

func (s countingStream) RecvMsg(m any) error {
	err := s.ServerStream.RecvMsg(m)
	if err == nil {
		s.received <- struct{}{}
	}
	return err
}

// A client that cancels a Sum before closing its side ends the call: the handler, waiting in
// Recv for the next number, gets CANCELLED and returns without answering, both spans end with
// CANCELLED and record the three numbers that got through, and (goleak in TestMain) no
// goroutine is left behind.
func TestClientCancelMidSumEndsTheHandlerAndBothSpans(t *testing.T) {
	watch := watchStream(calculatorv1.CalculatorService_Sum_FullMethodName)
	h := newHarness(t, calcgrpc.ServerConfig{Options: []grpc.ServerOption{watch.option()}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := h.client.Sum(ctx)
	require.NoError(t, err)
	for _, v := range []int64{1, 2, 3} {
		require.NoError(t, stream.Send(&calculatorv1.Number{Value: v}))
	}
	watch.waitReceived(t, 3)
	cancel()

	// Not CloseAndRecv: it would half-close the stream, and that end-of-stream can reach the
	// server before the cancellation does, which then answers the three numbers as a finished
	// Sum. RecvMsg waits for the call's end without sending anything.
	err = stream.RecvMsg(new(calculatorv1.Result))
	assert.Equal(t, codes.Canceled, status.Code(err), "the client: %v", err)
	assert.Equal(t, codes.Canceled, status.Code(watch.handlerResult(t)), "the handler saw the cancellation")

	// Client: three numbers out, no answer; server: three numbers in, no answer.
	assertCancelledSpans(t, h, [2]int{3, 0}, [2]int{0, 3})
}

// assertCancelledSpans checks a cancelled stream's two spans: both end with CANCELLED, and the
// message events (sent, received) on each side count what was exchanged before it.
func assertCancelledSpans(t *testing.T, h *harness, client, server [2]int) {
	t.Helper()
	spans := spantest.Wait(t, h.rec, 2)
	cs, ss := spantest.OfKind(t, spans, trace.SpanKindClient), spantest.OfKind(t, spans, trace.SpanKindServer)
	assert.Equal(t, "CANCELLED", spantest.Attr(cs, "rpc.response.status_code"))
	assert.Equal(t, "CANCELLED", spantest.Attr(ss, "rpc.response.status_code"))
	sent, received := messageEvents(cs)
	assert.Equal(t, client, [2]int{sent, received}, "client's message events: sent, received")
	sent, received = messageEvents(ss)
	assert.Equal(t, server, [2]int{sent, received}, "server's message events: sent, received")
}

// The same for RunningTotal, cancelled after three exchanges: the handler, back in Recv, gets
// CANCELLED and returns; both spans end with CANCELLED and the three messages each way.
func TestClientCancelMidRunningTotalEndsTheHandlerAndBothSpans(t *testing.T) {
	watch := watchStream(calculatorv1.CalculatorService_RunningTotal_FullMethodName)
	h := newHarness(t, calcgrpc.ServerConfig{Options: []grpc.ServerOption{watch.option()}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := h.client.RunningTotal(ctx)
	require.NoError(t, err)
	var totals []int64
	for _, v := range []int64{5, -2, 10} {
		require.NoError(t, stream.Send(&calculatorv1.Number{Value: v}))
		res, err := stream.Recv()
		require.NoError(t, err)
		totals = append(totals, res.GetValue())
	}
	require.Equal(t, []int64{5, 3, 13}, totals)
	cancel()

	_, err = stream.Recv()
	assert.Equal(t, codes.Canceled, status.Code(err), "the client: %v", err)
	assert.Equal(t, codes.Canceled, status.Code(watch.handlerResult(t)), "the handler saw the cancellation")

	assertCancelledSpans(t, h, [2]int{3, 3}, [2]int{3, 3})
}
