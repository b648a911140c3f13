package tuned

import (
	"context"
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

// startCache holds what a span starts with: its kind, and per method the attributes known at
// the start. Building them once per connection and method, instead of once per call, saves
// allocations on every call (see BenchmarkCall).
type startCache struct {
	options []trace.SpanStartOption // the kind: the same for every call
	shared  []attribute.KeyValue    // the same for every method
	mu      sync.Mutex
	methods map[string][]attribute.KeyValue
}

func newStartCache(kind trace.SpanKind, f Format, peer net.Addr, keys peerKeys) *startCache {
	shared := []attribute.KeyValue{
		semconv.RPCSystemNameKey.String(SystemName),
		CodecKey.String(string(f)),
	}
	shared = append(shared, peerAttributes(peer, keys)...)
	return &startCache{
		options: []trace.SpanStartOption{trace.WithSpanKind(kind)},
		shared:  shared,
		methods: make(map[string][]attribute.KeyValue),
	}
}

// region: start

// start starts the span of a call to serviceMethod. The attributes are set right after Start,
// and only on a span that records, rather than passed to Start with trace.WithAttributes: the
// SDK copies start attributes into a fresh slice on every call, sampled or not, which is two of
// a traced call's allocations (one per side). The price is that a sampler sees only the span's
// name and kind; the name is the method, which is what an RPC sampler usually decides on.
func (c *startCache) start(ctx context.Context, tracer trace.Tracer, serviceMethod string) (context.Context, trace.Span) {
	ctx, span := tracer.Start(ctx, serviceMethod, c.options...)
	if span.IsRecording() {
		span.SetAttributes(c.forMethod(serviceMethod)...)
	}
	return ctx, span
}

// endregion

// forMethod returns the attributes of a call to serviceMethod.
func (c *startCache) forMethod(serviceMethod string) []attribute.KeyValue {
	c.mu.Lock()
	defer c.mu.Unlock()
	if attrs, ok := c.methods[serviceMethod]; ok {
		return attrs
	}
	attrs := append(slices.Clip(c.shared), semconv.RPCMethod(serviceMethod))
	if len(c.methods) < maxCachedMethods {
		c.methods[serviceMethod] = attrs
	}
	return attrs
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
