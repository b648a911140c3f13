// Package grpctest serves gRPC inside a test over an in-memory listener (bufconn), so a test
// needs no port: the dial option it returns connects a client to the server through memory.
package grpctest

import (
	"context"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/test/bufconn"
)

// Target is the target to give grpc.NewClient with the option InMemory returns: passthrough
// hands it to the dialer unresolved.
const Target = "passthrough:///bufconn"

// InMemory runs serve on an in-memory listener and returns the dial option that connects to it.
// When the test ends, stop is called and serve must return nil. Close the client's connection in
// a cleanup registered after this call, so that it closes first (cleanups run last in, first out).
func InMemory(t testing.TB, serve func(net.Listener) error, stop func()) grpc.DialOption {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	served := make(chan error, 1)
	go func() { served <- serve(lis) }()
	t.Cleanup(func() {
		stop()
		require.NoError(t, <-served, "the in-memory server stopped with an error")
	})
	return grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) })
}
