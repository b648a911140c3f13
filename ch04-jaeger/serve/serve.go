// Package serve runs the services' servers until their context ends, then stops them gracefully:
// requests in flight get a grace period to finish.
package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/internal/grpcstop"
)

// GRPC serves srv on ln until ctx ends, then stops gracefully: in-flight calls get grace to
// finish, and are cut off after it.
func GRPC(ctx context.Context, srv *grpc.Server, ln net.Listener, grace time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	grpcstop.Graceful(srv, grace)
	if err := <-served; !errors.Is(err, grpc.ErrServerStopped) {
		return err // ErrServerStopped only means ctx ended before Serve had begun: not a failure
	}
	return nil
}

// NewHTTPServer returns a server for h that bounds how long a client may take to send its
// headers, so a slow client cannot hold a connection open forever.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
}

// HTTP serves srv on ln until ctx ends, then shuts down gracefully: in-flight requests get grace
// to finish.
func HTTP(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration) error {
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

// GRPCStatus turns a service's error into the status its gRPC handler returns: a deadline or
// cancellation keeps its meaning, an injected failure is UNAVAILABLE (what a crashed dependency
// looks like), anything else INTERNAL.
func GRPCStatus(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return status.FromContextError(err).Err()
	case errors.Is(err, faults.ErrInjected):
		return status.Error(codes.Unavailable, err.Error())
	case status.Code(err) != codes.Unknown:
		return err // already a status from a downstream call: pass it on
	default:
		return status.Error(codes.Internal, err.Error())
	}
}
