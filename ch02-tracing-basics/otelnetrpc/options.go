package otelnetrpc

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans this package creates.
const ScopeName = "github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"

// Option configures a Client or a server codec, like the options of the OpenTelemetry contrib
// instrumentations.
type Option func(*config)

type config struct {
	provider    trace.TracerProvider
	propagators propagation.TextMapPropagator
}

func newConfig(opts []Option) config {
	c := config{provider: otel.GetTracerProvider(), propagators: otel.GetTextMapPropagator()}
	for _, opt := range opts {
		opt(&c)
	}
	return c
}

// WithTracerProvider sets the provider spans come from (the global one otherwise). Pass it
// explicitly: tests inject their own, and programs keep control of what is exported.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.provider = tp }
}

// WithPropagators sets how the context is written to and read from the wire (the global
// propagator otherwise, which propagates nothing until a program installs one).
func WithPropagators(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.propagators = p }
}
