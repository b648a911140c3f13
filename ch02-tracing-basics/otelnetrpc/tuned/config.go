package tuned

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans this package creates.
const ScopeName = "github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc/tuned"

// Option configures a Client or a server codec, like the options of the OpenTelemetry contrib
// instrumentations.
type Option func(*config)

// Filter reports whether a call to serviceMethod (e.g. "Calculator.Add") gets a span. A call
// that is filtered out still carries the trace context, so the trace continues downstream.
type Filter func(serviceMethod string) bool

type config struct {
	provider    trace.TracerProvider
	propagators propagation.TextMapPropagator
	filter      Filter
}

func newConfig(opts []Option) *config {
	c := &config{
		provider:    otel.GetTracerProvider(),
		propagators: otel.GetTextMapPropagator(),
		filter:      func(string) bool { return true },
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

func (c *config) tracer() trace.Tracer { return c.provider.Tracer(ScopeName) }

// WithTracerProvider sets the provider spans come from (the global one otherwise). Pass it
// explicitly: tests inject their own, and programs keep control of what is exported.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.provider = tp }
}

// WithPropagators sets how the context is written to and read from the wire (the global
// propagator otherwise, which is a no-op until a program installs one).
func WithPropagators(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.propagators = p }
}

// WithFilter skips spans for the calls f rejects, e.g. health checks.
func WithFilter(f Filter) Option {
	return func(c *config) { c.filter = f }
}
