package check

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/stats"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// fakeRead is read: it counts words.
type fakeRead struct {
	studyv1.UnimplementedReadServiceServer
}

func (fakeRead) Read(_ context.Context, req *studyv1.ReadRequest) (*studyv1.ReadResponse, error) {
	return &studyv1.ReadResponse{Words: int64(len(strings.Fields(req.GetText())))}, nil
}

// connCounter is a gRPC stats handler that counts the connections a server begins and ends: the
// server's own view of how many connections its clients opened, whatever dialled them.
type connCounter struct {
	begun, ended atomic.Int64
}

func (c *connCounter) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }

func (c *connCounter) HandleConn(_ context.Context, s stats.ConnStats) {
	switch s.(type) {
	case *stats.ConnBegin:
		c.begun.Add(1)
	case *stats.ConnEnd:
		c.ended.Add(1)
	}
}

func (c *connCounter) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context { return ctx }

func (c *connCounter) HandleRPC(context.Context, stats.RPCStats) {}

// method is the name otelgrpc gives the spans of a call to read.
const method = "study.v1.ReadService/Read"

// checkSpans checks the trace of each call: the root span "study N", a client span for the call
// under it, and read's server span under that.
func checkSpans(t *testing.T, spans []sdktrace.ReadOnlySpan) {
	t.Helper()
	roots := map[trace.SpanID]string{}
	clients := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		switch {
		case s.Name() != method:
			roots[s.SpanContext().SpanID()] = s.Name()
		case s.SpanKind() == trace.SpanKindClient:
			clients[s.SpanContext().SpanID()] = s
		}
	}
	under := map[string]int{}
	for _, c := range clients {
		under[roots[c.Parent().SpanID()]]++
	}
	for _, root := range roots {
		if under[root] != 1 {
			t.Errorf("span %q has %d client spans %q under it; want 1, one per call\n"+
				"hint: call read with the options New is given (they trace the call) and the ctx Read is given", root, under[root], method)
		}
	}
	for _, s := range spans {
		if s.Name() != method || s.SpanKind() != trace.SpanKindServer {
			continue
		}
		c, ok := clients[s.Parent().SpanID()]
		if !ok || c.SpanContext().TraceID() != s.SpanContext().TraceID() {
			t.Errorf("read's server span %q (trace %s) is not under a client span of the same trace\n"+
				"hint: call read with the options New is given: they send the trace along", s.Name(), s.SpanContext().TraceID())
		}
	}
}
