// Package baggagefilter is the solution to chapter 4's first exercise: copy only the baggage
// members meant for spans. The chain copies every member (baggagecopy.AllowAllMembers), knobs
// included; anything a caller puts in baggage then lands in every span of every service, which is
// how a session token ends up in a trace backend. An allow-list keeps that in check.
package baggagefilter

import (
	"go.opentelemetry.io/contrib/processors/baggagecopy"
	"go.opentelemetry.io/otel/baggage"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
)

// region: allow-list

// SpanAttributes is the allow-list: who the request is for, and which request it is.
var SpanAttributes = map[string]bool{listen.BaggageStudent: true, listen.BaggageRequestID: true}

// Allowed is a baggagecopy filter that keeps only SpanAttributes' members.
func Allowed(m baggage.Member) bool { return SpanAttributes[m.Key()] }

// NewSpanProcessor copies the allowed baggage members onto every span as it starts. In the chain,
// the same filter belongs in otelsetup.NewTracerProvider, in place of baggagecopy.AllowAllMembers
// (otelsetup cannot import this package, which imports listen, which imports otelsetup).
func NewSpanProcessor() *baggagecopy.SpanProcessor {
	return baggagecopy.NewSpanProcessor(Allowed)
}

// endregion
