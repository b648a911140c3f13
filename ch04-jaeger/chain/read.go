package chain

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// ReadServer is the read service: it measures a text.
type ReadServer struct {
	studyv1.UnimplementedReadServiceServer
	Faults Faults
	// Words counts the words read: the chain's one business metric (chapter 5). Nil counts nothing.
	Words metric.Int64Counter
}

// Read answers with the text's measurements, recorded on the span as well.
func (s *ReadServer) Read(ctx context.Context, req *studyv1.ReadRequest) (*studyv1.ReadResponse, error) {
	if err := s.Faults.Apply(ctx); err != nil {
		return nil, grpcError(err)
	}
	resp, err := Analyze(req.GetText())
	if err != nil {
		return nil, grpcError(err)
	}
	// region: words
	if s.Words != nil {
		// Recorded with the call's context: a sampled trace becomes this measurement's exemplar.
		s.Words.Add(ctx, resp.GetWords())
	}
	// endregion
	trace.SpanFromContext(ctx).SetAttributes(
		attribute.Int64("study.words", resp.GetWords()),
		attribute.Int64("study.sentences", resp.GetSentences()),
		attribute.Int64("study.reading_seconds", resp.GetReadingSeconds()))
	return resp, nil
}
