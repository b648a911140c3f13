package otelnetrpc

import (
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

// CodecKey records which wire format a call used: "gob" or "json".
const CodecKey = attribute.Key("rpc.go_netrpc.codec")

// unknownMethodPrefix starts the errors net/rpc returns for a service or method it does not have.
const unknownMethodPrefix = "rpc: can't find "

// startOptions are the span options shared by every call on one connection: the kind and the
// attributes that do not depend on the method. They are built once per connection, not per call.
func startOptions(kind trace.SpanKind, f Format, peer net.Addr, keys peerKeys) []trace.SpanStartOption {
	attrs := []attribute.KeyValue{
		semconv.RPCSystemNameKey.String(SystemName),
		CodecKey.String(string(f)),
	}
	attrs = append(attrs, peerAttributes(peer, keys)...)
	return []trace.SpanStartOption{trace.WithSpanKind(kind), trace.WithAttributes(attrs...)}
}

// peerKeys picks server.* attributes for a client and network.peer.* for a server.
type peerKeys struct{ host, port attribute.Key }

var (
	clientPeer = peerKeys{semconv.ServerAddressKey, semconv.ServerPortKey}
	serverPeer = peerKeys{semconv.NetworkPeerAddressKey, semconv.NetworkPeerPortKey}
)

func peerAttributes(addr net.Addr, keys peerKeys) []attribute.KeyValue {
	if addr == nil {
		return nil
	}
	host, portText, err := net.SplitHostPort(addr.String())
	if err != nil {
		return nil
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return []attribute.KeyValue{keys.host.String(host)}
	}
	return []attribute.KeyValue{keys.host.String(host), keys.port.Int(port)}
}

// endSpan records the outcome of a call and ends its span. net/rpc carries errors as text only,
// so the status description is that text.
func endSpan(span trace.Span, serviceMethod, errText string) {
	if errText != "" {
		if strings.HasPrefix(errText, unknownMethodPrefix) {
			// The conventions ask for "_OTHER" when the server does not know the method, so
			// callers cannot create an unbounded number of distinct values.
			span.SetAttributes(semconv.RPCMethodKey.String("_OTHER"), semconv.RPCMethodOriginal(serviceMethod))
		}
		span.SetStatus(codes.Error, errText)
		span.AddEvent("exception", trace.WithAttributes(semconv.ExceptionMessage(errText)))
	}
	span.End()
}
