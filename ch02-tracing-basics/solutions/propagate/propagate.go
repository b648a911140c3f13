// Package propagate is chapter 2's second exercise: carry a trace across one hop by hand. A
// request's metadata travels as header lines ("key: value"), and the client's span context has
// to ride in them so that the server's span becomes its child, in the same trace.
package propagate

import (
	"context"
	"strings"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// headerCarrier lets a propagator read and write header lines of the form "key: value".
type headerCarrier struct{ lines *[]string }

// headerCarrier is what propagators write to and read from.
var _ propagation.TextMapCarrier = headerCarrier{}

// Get returns the value of the line whose key is key, or "" if there is none.
func (c headerCarrier) Get(key string) string {
	for _, line := range *c.lines {
		if k, v, ok := strings.Cut(line, ": "); ok && k == key {
			return v
		}
	}
	return ""
}

// Set writes the line "key: value", replacing an earlier line with the same key.
func (c headerCarrier) Set(key, value string) {
	for i, line := range *c.lines {
		if k, _, ok := strings.Cut(line, ": "); ok && k == key {
			(*c.lines)[i] = key + ": " + value
			return
		}
	}
	*c.lines = append(*c.lines, key+": "+value)
}

// Keys lists the keys of the lines, in order.
func (c headerCarrier) Keys() []string {
	var keys []string
	for _, line := range *c.lines {
		if k, _, ok := strings.Cut(line, ": "); ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// Call is the client side of one call to method: a CLIENT span around send, with the span's
// context written into the header lines that send carries to the server.
func Call(ctx context.Context, tracer trace.Tracer, p propagation.TextMapPropagator, method string, send func(ctx context.Context, header []string) error) error {
	ctx, span := tracer.Start(ctx, method, trace.WithSpanKind(trace.SpanKindClient))
	defer span.End()
	var header []string
	p.Inject(ctx, headerCarrier{&header})
	err := send(ctx, header)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	return err
}

// Handle is the server side: a SERVER span around work, child of the span whose context the
// header lines carry, or the root of a new trace when they carry none.
func Handle(tracer trace.Tracer, p propagation.TextMapPropagator, method string, header []string, work func(ctx context.Context) error) error {
	ctx := p.Extract(context.Background(), headerCarrier{&header})
	ctx, span := tracer.Start(ctx, method, trace.WithSpanKind(trace.SpanKindServer))
	defer span.End()
	err := work(ctx)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	return err
}
