package calcgrpc

import (
	"context"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/stats"
)

// Message event attributes, as the RPC semantic conventions named them.
const (
	messageTypeKey = attribute.Key("rpc.message.type")
	messageIDKey   = attribute.Key("rpc.message.id")
	messageSizeKey = attribute.Key("rpc.message.uncompressed_size")
)

// MessageEvents is a gRPC stats handler that adds one "message" event per message sent or
// received to the call's span. otelgrpc used to do this (WithMessageEvents), but its current
// stats handler no longer records them, and on a stream they are what shows each message on the
// timeline. Install it after otelgrpc's handler, so the span already exists:
//
//	grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler()), grpc.StatsHandler(calcgrpc.MessageEvents{}))
type MessageEvents struct{}

// counters number a call's messages in each direction, starting at 1.
type counters struct{ sent, received atomic.Int64 }

type countersKey struct{}

// TagRPC gives each recorded call its own counters. A call whose span is not recorded (not
// sampled, or filtered out) gets none, and costs nothing more.
func (MessageEvents) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx
	}
	return context.WithValue(ctx, countersKey{}, &counters{})
}

// HandleRPC adds an event for each message payload.
func (MessageEvents) HandleRPC(ctx context.Context, s stats.RPCStats) {
	c, ok := ctx.Value(countersKey{}).(*counters)
	if !ok {
		return
	}
	span := trace.SpanFromContext(ctx)
	switch p := s.(type) {
	case *stats.OutPayload:
		addMessageEvent(span, "SENT", c.sent.Add(1), p.Length)
	case *stats.InPayload:
		addMessageEvent(span, "RECEIVED", c.received.Add(1), p.Length)
	}
}

func addMessageEvent(span trace.Span, kind string, id int64, size int) {
	span.AddEvent("message", trace.WithAttributes(
		messageTypeKey.String(kind), messageIDKey.Int64(id), messageSizeKey.Int(size)))
}

// TagConn is part of stats.Handler; connections are not traced.
func (MessageEvents) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }

// HandleConn is part of stats.Handler; connections are not traced.
func (MessageEvents) HandleConn(context.Context, stats.ConnStats) {}
