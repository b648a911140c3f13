// Package propagate is chapter 2's second exercise, the file you edit: carry a trace across one
// hop by hand. A request's metadata travels as header lines ("key: value"), and the client's
// span context has to ride in them so that the server's span becomes its child, in the same
// trace. Check your work with `make exercise EX=ch02/propagate`.
package propagate

import (
	"context"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// headerCarrier lets a propagator read and write header lines of the form "key: value".
type headerCarrier struct {
	//lint:ignore U1000 your Get, Set and Keys will use it
	lines *[]string
}

// headerCarrier is what propagators write to and read from.
var _ propagation.TextMapCarrier = headerCarrier{}

// Get returns the value of the line whose key is key, or "" if there is none.
func (c headerCarrier) Get(key string) string {
	// TODO: find the line "key: value" (strings.Cut(line, ": ") splits one) and return its value.
	return ""
}

// Set writes the line "key: value", replacing an earlier line with the same key.
func (c headerCarrier) Set(key, value string) {
	// TODO: replace the line with this key if there is one, or append key + ": " + value to
	// *c.lines.
}

// Keys lists the keys of the lines, in order.
func (c headerCarrier) Keys() []string {
	// TODO: return the key of every line.
	return nil
}

// Call is the client side of one call to method: a CLIENT span around send, with the span's
// context written into the header lines that send carries to the server.
func Call(ctx context.Context, tracer trace.Tracer, p propagation.TextMapPropagator, method string, send func(ctx context.Context, header []string) error) error {
	ctx, span := tracer.Start(ctx, method, trace.WithSpanKind(trace.SpanKindClient))
	defer span.End()
	var header []string
	// TODO: inject ctx, which now holds the CLIENT span, into header with p, through a
	// headerCarrier{&header}.
	err := send(ctx, header)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	return err
}

// Handle is the server side: a SERVER span around work, child of the span whose context the
// header lines carry, or the root of a new trace when they carry none.
func Handle(tracer trace.Tracer, p propagation.TextMapPropagator, method string, header []string, work func(ctx context.Context) error) error {
	ctx := context.Background()
	// TODO: extract the caller's span context from header with p (through a headerCarrier), so
	// that the span started below is its child.
	ctx, span := tracer.Start(ctx, method, trace.WithSpanKind(trace.SpanKindServer))
	defer span.End()
	err := work(ctx)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	return err
}
