package grpcstop_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/rpc-tracing/workbook/internal/grpcstop"
)

func TestGracefulStopsAnIdleServerAtOnce(t *testing.T) {
	srv := grpc.NewServer()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	assert.False(t, grpcstop.Graceful(srv, time.Minute))
	if err := <-served; err != nil {
		assert.ErrorIs(t, err, grpc.ErrServerStopped, "stopped before Serve began: the only error allowed")
	}
}

func TestGracefulCutsOffACallThatOutlivesTheTimeout(t *testing.T) {
	srv := grpc.NewServer()
	hs := health.NewServer()
	healthpb.RegisterHealthServer(srv, hs)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	// A Watch stream never ends by itself: the call a graceful stop would wait for forever.
	stream, err := healthpb.NewHealthClient(conn).Watch(context.Background(), &healthpb.HealthCheckRequest{})
	require.NoError(t, err)
	_, err = stream.Recv()
	require.NoError(t, err)

	start := time.Now()
	assert.True(t, grpcstop.Graceful(srv, 100*time.Millisecond), "the stream was cut off")
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.NoError(t, <-served)
}
