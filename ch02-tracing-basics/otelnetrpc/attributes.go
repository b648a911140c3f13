package otelnetrpc

import (
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"

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

// maxCachedMethods bounds a startCache: a server cannot be made to remember every method name a
// client invents.
const maxCachedMethods = 64

// startCache holds, per method, the options a span starts with: the kind and all the attributes
// known at the start. Building them once per connection and method, instead of once per call,
// saves allocations on every call (see BenchmarkCall).
type startCache struct {
	kind    trace.SpanKind
	shared  []attribute.KeyValue // the same for every method
	mu      sync.Mutex
	methods map[string][]trace.SpanStartOption
}

func newStartCache(kind trace.SpanKind, f Format, peer net.Addr, keys peerKeys) *startCache {
	shared := []attribute.KeyValue{
		semconv.RPCSystemNameKey.String(SystemName),
		CodecKey.String(string(f)),
	}
	shared = append(shared, peerAttributes(peer, keys)...)
	return &startCache{kind: kind, shared: shared, methods: make(map[string][]trace.SpanStartOption)}
}

// forMethod returns the start options of a call to serviceMethod.
func (c *startCache) forMethod(serviceMethod string) []trace.SpanStartOption {
	c.mu.Lock()
	defer c.mu.Unlock()
	if opts, ok := c.methods[serviceMethod]; ok {
		return opts
	}
	attrs := append(slices.Clip(c.shared), semconv.RPCMethod(serviceMethod))
	opts := []trace.SpanStartOption{trace.WithSpanKind(c.kind), trace.WithAttributes(attrs...)}
	if len(c.methods) < maxCachedMethods {
		c.methods[serviceMethod] = opts
	}
	return opts
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
