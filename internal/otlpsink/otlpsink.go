// Package otlpsink is the smallest OTLP trace receiver: it counts the spans it is sent and keeps
// none. Benchmarks export to it over real OTLP gRPC on loopback, so they pay an exporter's true
// cost without a backend. It is plumbing, not a lesson.
package otlpsink

import (
	"context"
	"errors"
	"net"
	"sync/atomic"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/mem"
)

// Sink is a running receiver.
type Sink struct {
	collectortrace.UnimplementedTraceServiceServer
	// Addr is where it listens, e.g. 127.0.0.1:40123.
	Addr  string
	spans atomic.Int64
	srv   *grpc.Server
	done  chan error
}

// Start serves a sink on a loopback port the system picks. It decodes every request to count
// its spans.
func Start() (*Sink, error) { return start() }

// StartDiscarding serves a sink that does not even decode what it is sent: Spans stays 0, and
// a CPU profile of the sender's process (a benchmark running the sink in-process) shows the
// sender's cost, not the receiver's.
func StartDiscarding() (*Sink, error) { return start(grpc.ForceServerCodecV2(discardCodec{})) }

func start(opts ...grpc.ServerOption) (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Sink{Addr: ln.Addr().String(), srv: grpc.NewServer(opts...), done: make(chan error, 1)}
	collectortrace.RegisterTraceServiceServer(s.srv, s)
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// Export counts the request's spans.
func (s *Sink) Export(_ context.Context, req *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	var n int64
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			n += int64(len(ss.Spans))
		}
	}
	s.spans.Add(n)
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

// Spans is how many spans the sink has received.
func (s *Sink) Spans() int64 { return s.spans.Load() }

// Stop stops serving and returns why Serve ended, nil for a clean stop.
func (s *Sink) Stop() error {
	s.srv.Stop()
	err := <-s.done
	if errors.Is(err, grpc.ErrServerStopped) {
		return nil
	}
	return err
}

// discardCodec reads nothing into requests and writes empty responses.
type discardCodec struct{}

func (discardCodec) Marshal(any) (mem.BufferSlice, error) { return nil, nil }
func (discardCodec) Unmarshal(mem.BufferSlice, any) error { return nil }
func (discardCodec) Name() string                         { return "proto" }
