package otelnetrpc

import (
	"context"
	"net"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// SystemName is the rpc.system.name of every span. The semantic conventions list no value for
// Go's net/rpc, so the workbook uses "go_netrpc", which no registered system uses.
const SystemName = "go_netrpc"

// region: start-span

// startSpan starts the span of one call to method, child of the span in ctx (or, on the server,
// of the caller's span that the propagator extracted into ctx). The attributes follow
// OpenTelemetry's RPC semantic conventions; peer describes the other end of the connection.
func startSpan(ctx context.Context, tracer trace.Tracer, kind trace.SpanKind, method string, peer []attribute.KeyValue) (context.Context, trace.Span) {
	attrs := []attribute.KeyValue{semconv.RPCSystemNameKey.String(SystemName), semconv.RPCMethod(method)}
	return tracer.Start(ctx, method, trace.WithSpanKind(kind), trace.WithAttributes(append(attrs, peer...)...))
}

// endregion

// region: end-span

// endSpan records the outcome of a call and ends its span. net/rpc carries errors as text only,
// so the text is all there is to record: the status description and an "exception" event.
func endSpan(span trace.Span, method, errText string) {
	if errText != "" {
		if strings.HasPrefix(errText, "rpc: can't find ") {
			// The server does not know the method. The conventions ask for "_OTHER", so that
			// callers cannot create an unbounded number of distinct values.
			span.SetAttributes(semconv.RPCMethodKey.String("_OTHER"), semconv.RPCMethodOriginal(method))
		}
		span.SetStatus(codes.Error, errText)
		span.AddEvent("exception", trace.WithAttributes(semconv.ExceptionMessage(errText)))
	}
	span.End()
}

// endregion

// peerAttributes describes addr with the keys host and port: server.address and server.port on
// the client, network.peer.address and network.peer.port on the server.
func peerAttributes(addr net.Addr, host, port attribute.Key) []attribute.KeyValue {
	if addr == nil {
		return nil
	}
	h, p, err := net.SplitHostPort(addr.String())
	if err != nil {
		return nil
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return []attribute.KeyValue{host.String(h)}
	}
	return []attribute.KeyValue{host.String(h), port.Int(n)}
}
