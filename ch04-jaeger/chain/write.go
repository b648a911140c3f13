package chain

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// WriteServer is the write service: it summarises a text and has sing make a song of it, over
// HTTP: the gRPC-to-HTTP step.
type WriteServer struct {
	studyv1.UnimplementedWriteServiceServer
	Faults Faults
	Sing   *SingClient
}

// Write answers with the summary and its song.
func (s *WriteServer) Write(ctx context.Context, req *studyv1.WriteRequest) (*studyv1.WriteResponse, error) {
	if err := s.Faults.Apply(ctx); err != nil {
		return nil, grpcError(err)
	}
	summary := Summarize(req.GetText())
	trace.SpanFromContext(ctx).SetAttributes(attribute.Int("study.summary_length", len(summary)))
	// ctx is this call's context: the HTTP request below becomes a child of this span.
	song, err := s.Sing.Sing(ctx, summary)
	if err != nil {
		return nil, grpcError(err)
	}
	return &studyv1.WriteResponse{Summary: summary, Song: song}, nil
}
