package bugs

import (
	"context"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
)

// brokenSpeaker is speak's side of the speak → read hop, built once at startup with the
// startup context, which it keeps. The original demo did the same in its gRPC client
// interceptor, handed a context when the connection was dialled.
type brokenSpeaker struct {
	ctx  context.Context
	read studyv1.ReadServiceClient
}

// newBrokenSpeaker keeps ctx for every call to come.
func newBrokenSpeaker(ctx context.Context, read studyv1.ReadServiceClient) *brokenSpeaker {
	return &brokenSpeaker{ctx: ctx, read: read}
}

// Speak is given the request's context and calls read with the one from startup. The trace
// lives in the context, and the startup context holds none: the call's client span has no
// parent, so it starts a trace of its own, and read's span follows it there. The request's
// deadline and cancellation are lost the same way.
func (s *brokenSpeaker) Speak(ctx context.Context, text string) (int64, error) {
	resp, err := s.read.Read(s.ctx, &studyv1.ReadRequest{Text: text})
	return resp.GetWords(), err
}

// fixedSpeaker keeps no context: only the client, which is safe to share.
type fixedSpeaker struct {
	read studyv1.ReadServiceClient
}

// newFixedSpeaker keeps the client only.
func newFixedSpeaker(read studyv1.ReadServiceClient) *fixedSpeaker {
	return &fixedSpeaker{read: read}
}

// Speak calls read with the context of the request it serves, so the call's span is a child of
// the request's.
func (s *fixedSpeaker) Speak(ctx context.Context, text string) (int64, error) {
	resp, err := s.read.Read(ctx, &studyv1.ReadRequest{Text: text})
	return resp.GetWords(), err
}

// BrokenCtxCapture runs one request through speak → read and returns its spans. speak's client
// of read was built at startup with the startup context and uses it for every call
// (brokenSpeaker), so the trace splits in two: speak's request in one, the call and read's
// handling of it in another.
func BrokenCtxCapture(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	return grpcLab(ctx, func(startup context.Context, read studyv1.ReadServiceClient) speaker {
		return newBrokenSpeaker(startup, read)
	})
}

// FixedCtxCapture runs the same request with a client of read that keeps no context and calls
// with each request's (fixedSpeaker): one trace, read's span under speak's call.
func FixedCtxCapture(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	return grpcLab(ctx, func(_ context.Context, read studyv1.ReadServiceClient) speaker {
		return newFixedSpeaker(read)
	})
}
