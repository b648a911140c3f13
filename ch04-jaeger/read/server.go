// Package read is the service that measures a text: words, sentences, the longest word, and how
// long reading it aloud takes. speak calls it over gRPC through Client.
package read

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/serve"
)

// Name is the service's service.name in traces, and the value the fault knobs take for it.
const Name = "read"

// ScopeName is the instrumentation scope of read's own metric, study.words.
const ScopeName = "github.com/rpc-tracing/workbook/ch04-jaeger/read"

// Server is the read service: it measures a text.
type Server struct {
	studyv1.UnimplementedReadServiceServer
	Faults faults.Knob
	// Words counts the words read: the chain's one business metric (chapter 5). Nil counts nothing.
	Words metric.Int64Counter
}

// Read answers with the text's measurements, recorded on the span as well.
func (s *Server) Read(ctx context.Context, req *studyv1.ReadRequest) (*studyv1.ReadResponse, error) {
	if err := s.Faults.Apply(ctx); err != nil {
		return nil, serve.GRPCStatus(err)
	}
	resp, err := Analyze(req.GetText())
	if err != nil {
		return nil, serve.GRPCStatus(err)
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

// NewServer returns read's gRPC server: every call traced, and the words read counted on the
// providers' MeterProvider (a no-op one unless chapter 5 gives one).
func NewServer(p otelsetup.Providers, knob faults.Knob) (*grpc.Server, error) {
	words, err := p.MeterProvider().Meter(ScopeName).Int64Counter("study.words",
		metric.WithUnit("{word}"), metric.WithDescription("Words read by the read service."))
	if err != nil {
		return nil, err
	}
	srv := otelsetup.NewGRPCServer(p)
	studyv1.RegisterReadServiceServer(srv, &Server{Faults: knob, Words: words})
	return srv, nil
}
