// Package write is the service that summarises a text and has sing make a song of it, over HTTP:
// the gRPC-to-HTTP step. speak calls it over gRPC through Client.
package write

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/serve"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
)

// Name is the service's service.name in traces, and the value the fault knobs take for it.
const Name = "write"

// Server is the write service.
type Server struct {
	studyv1.UnimplementedWriteServiceServer
	Faults faults.Knob
	Sing   *sing.Client
}

// Write answers with the summary and its song.
func (s *Server) Write(ctx context.Context, req *studyv1.WriteRequest) (*studyv1.WriteResponse, error) {
	if err := s.Faults.Apply(ctx); err != nil {
		return nil, serve.GRPCStatus(err)
	}
	summary := Summarize(req.GetText())
	trace.SpanFromContext(ctx).SetAttributes(attribute.Int("study.summary_length", len(summary)))
	// ctx is this call's context: the HTTP request below becomes a child of this span.
	song, err := s.Sing.Sing(ctx, summary)
	if err != nil {
		return nil, serve.GRPCStatus(err)
	}
	return &studyv1.WriteResponse{Summary: summary, Song: song}, nil
}

// NewServer returns write's gRPC server, every call traced, calling sing with singClient.
func NewServer(p otelsetup.Providers, knob faults.Knob, singClient *sing.Client) *grpc.Server {
	srv := otelsetup.NewGRPCServer(p)
	studyv1.RegisterWriteServiceServer(srv, &Server{Faults: knob, Sing: singClient})
	return srv
}
