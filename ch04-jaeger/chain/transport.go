package chain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// Tracing is what every service passes to its instrumentation: explicitly, never through globals,
// so that the five services of cmd/all (or of a test) each keep their own providers.
type Tracing struct {
	Provider    trace.TracerProvider
	Propagators propagation.TextMapPropagator
	// Meters, when set, receives the instrumentation's metrics (chapter 5 sets it); without it
	// nothing is measured.
	Meters metric.MeterProvider
}

// meters returns the MeterProvider to use: a no-op one unless metrics were asked for.
func (t Tracing) meters() metric.MeterProvider {
	if t.Meters == nil {
		return noop.NewMeterProvider()
	}
	return t.Meters
}

func (t Tracing) grpcOptions() []otelgrpc.Option {
	return []otelgrpc.Option{otelgrpc.WithTracerProvider(t.Provider), otelgrpc.WithPropagators(t.Propagators),
		otelgrpc.WithMeterProvider(t.meters())}
}

func (t Tracing) httpOptions() []otelhttp.Option {
	return []otelhttp.Option{otelhttp.WithTracerProvider(t.Provider), otelhttp.WithPropagators(t.Propagators),
		otelhttp.WithMeterProvider(t.meters())}
}

// newGRPCServer returns a gRPC server whose calls are traced.
func newGRPCServer(t Tracing) *grpc.Server {
	return grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(t.grpcOptions()...)))
}

// dialGRPC returns a traced client connection. It connects on first use; the context of each
// call, not one captured here, carries the trace (the original demo's first bug).
func dialGRPC(target string, t Tracing) (*grpc.ClientConn, error) {
	return grpc.NewClient(target,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(t.grpcOptions()...)))
}

// newHTTPClient returns a client whose requests are traced and carry the trace context.
func newHTTPClient(t Tracing) *http.Client {
	return &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport, t.httpOptions()...)}
}

// serveGRPC serves until ctx ends, then stops gracefully: in-flight calls get grace to finish.
func serveGRPC(ctx context.Context, srv *grpc.Server, ln net.Listener, grace time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stopped := make(chan struct{})
	go func() {
		srv.GracefulStop()
		close(stopped)
	}()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-stopped:
	case <-timer.C:
		srv.Stop()
		<-stopped
	}
	if err := <-served; !errors.Is(err, grpc.ErrServerStopped) {
		return err // ErrServerStopped only means ctx ended before Serve had begun: not a failure
	}
	return nil
}

// serveHTTP serves until ctx ends, then shuts down gracefully: in-flight requests get grace to
// finish.
func serveHTTP(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration) error {
	var inFlight atomic.Int64
	next := srv.Handler
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		next.ServeHTTP(w, r)
	})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		// Shutdown waits for connections that never sent a request until they are 5 s old; a
		// client's spare connections are such. Only a request still running is a failure.
		_ = srv.Close()
		if n := inFlight.Load(); n == 0 {
			err = nil
		} else {
			err = fmt.Errorf("shutdown: %d requests still running after %s", n, grace)
		}
	}
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

// grpcError turns a service's error into a status: a deadline or cancellation keeps its meaning,
// an injected failure is UNAVAILABLE (what a crashed dependency looks like), anything else INTERNAL.
func grpcError(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return status.FromContextError(err).Err()
	case errors.Is(err, ErrInjected):
		return status.Error(codes.Unavailable, err.Error())
	case status.Code(err) != codes.Unknown:
		return err // already a status from a downstream call: pass it on
	default:
		return status.Error(codes.Internal, err.Error())
	}
}
