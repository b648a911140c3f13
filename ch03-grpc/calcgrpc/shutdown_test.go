package calcgrpc_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace/noop"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

// tcpServer serves on a loopback port and returns its address, a connection to it and a stop
// function that ends Serve and returns its error.
func tcpServer(t *testing.T, cfg calcgrpc.ServerConfig, opts ...grpc.ServerOption) (string, *grpc.ClientConn, func() error) {
	t.Helper()
	cfg.TracerProvider, cfg.Propagators = noop.NewTracerProvider(), propagators()
	cfg.Logger = slog.New(slog.DiscardHandler)
	cfg.Options = opts
	srv := calcgrpc.NewServer(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	conn, err := calcgrpc.NewClient(ln.Addr().String(), noop.NewTracerProvider(), propagators())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-served
	}
	t.Cleanup(func() { require.NoError(t, stop()) })
	return ln.Addr().String(), conn, stop
}

func TestGarbageOnThePortLeavesTheServerServing(t *testing.T) {
	addr, conn, _ := tcpServer(t, calcgrpc.ServerConfig{})
	raw, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	_, err = raw.Write([]byte("GET / HTTP/1.1\r\nHost: calculator\r\n\r\n\x00\xff garbage"))
	require.NoError(t, err)
	require.NoError(t, raw.SetReadDeadline(time.Now().Add(5*time.Second)))
	// The server hangs up: a clean close (EOF) or a reset, never a read that waits for more.
	if _, err = io.ReadAll(raw); err != nil {
		require.ErrorIs(t, err, syscall.ECONNRESET)
	}
	raw.Close()

	got, err := calculatorv1.NewCalculatorServiceClient(conn).Add(context.Background(), &calculatorv1.Operands{A: 20, B: 22})
	require.NoError(t, err)
	assert.Equal(t, int64(42), got.GetValue())
}

// started tells when the server is running a call.
func started(ch chan<- struct{}) grpc.ServerOption {
	return grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ch <- struct{}{}
		return handler(ctx, req)
	})
}

func TestGracefulStopDrainsInFlightCallsAndReportsNotServing(t *testing.T) {
	running := make(chan struct{}, 1)
	_, conn, stop := tcpServer(t, calcgrpc.ServerConfig{ShutdownTimeout: 5 * time.Second}, started(running))

	watchCtx, stopWatching := context.WithCancel(context.Background())
	defer stopWatching()
	watch, err := healthpb.NewHealthClient(conn).Watch(watchCtx, &healthpb.HealthCheckRequest{})
	require.NoError(t, err)
	first, err := watch.Recv()
	require.NoError(t, err)
	require.Equal(t, healthpb.HealthCheckResponse_SERVING, first.GetStatus())

	type result struct {
		value int64
		err   error
	}
	slow := make(chan result, 1)
	go func() {
		ctx := calcgrpc.WithDelay(context.Background(), 300*time.Millisecond)
		r, err := calculatorv1.NewCalculatorServiceClient(conn).Add(ctx, &calculatorv1.Operands{A: 1, B: 2})
		slow <- result{r.GetValue(), err}
	}()
	<-running

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	next, err := watch.Recv()
	require.NoError(t, err)
	assert.Equal(t, healthpb.HealthCheckResponse_NOT_SERVING, next.GetStatus(), "draining: load balancers must stop sending")
	stopWatching() // a real load balancer drops the stream once it sees NOT_SERVING

	r := <-slow
	require.NoError(t, r.err, "the in-flight call finished")
	assert.Equal(t, int64(3), r.value)
	require.NoError(t, <-stopped)
}

// finished tells what the server's unary handler returned.
func finished(ch chan<- error) grpc.ServerOption {
	return grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		ch <- err
		return resp, err
	})
}

// A call that would outlast the graceful stop is cut off: after ShutdownTimeout, Serve falls
// back from GracefulStop to Stop, the handler's context is cancelled, the caller's connection
// breaks, and Serve returns an error that says so. The call asks for the longest delay the
// server allows (10s) and every wait below is bounded at 5s, so a Serve that kept draining, or
// a handler that kept sleeping, fails the test instead of passing late.
func TestShutdownTimeoutCutsOffCallsStillRunning(t *testing.T) {
	running, handled := make(chan struct{}, 1), make(chan error, 1)
	_, conn, stop := tcpServer(t, calcgrpc.ServerConfig{ShutdownTimeout: 50 * time.Millisecond},
		started(running), finished(handled))

	callErr := make(chan error, 1)
	go func() {
		ctx := calcgrpc.WithDelay(context.Background(), calcgrpc.MaxDelay)
		_, err := calculatorv1.NewCalculatorServiceClient(conn).Add(ctx, &calculatorv1.Operands{A: 1, B: 2})
		callErr <- err
	}()
	<-running

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	select {
	case err := <-stopped:
		require.ErrorContains(t, err, "shutdown timed out: calls in flight were cut off")
	case <-time.After(5 * time.Second):
		require.FailNow(t, "Serve did not return: the call in flight was not cut off")
	}
	select {
	case err := <-handled:
		assert.Equal(t, codes.Canceled, status.Code(err), "the handler stopped waiting: %v", err)
	case <-time.After(5 * time.Second):
		require.FailNow(t, "the handler did not return after Stop")
	}
	select {
	case err := <-callErr:
		assert.Equal(t, codes.Unavailable, status.Code(err), "the caller's connection broke: %v", err)
	case <-time.After(5 * time.Second):
		require.FailNow(t, "the caller did not hear that its call was cut off")
	}
}
