// Package handmade is chapter 2, step 1: distributed tracing with nothing but the standard
// library, so every moving part is visible before OpenTelemetry hides it.
//
// A trace is one request's whole journey; a span is one piece of work inside it. The entry point
// of a request starts a trace by drawing a random TraceID and a SpanID for its own work. Every call
// it makes downstream carries both in a W3C Trace Context "traceparent" string
// (https://www.w3.org/TR/trace-context/#traceparent-header):
//
//	00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
//	|  |                                |                |
//	|  trace-id: the whole request      |                trace-flags: 01 = sampled
//	version                             parent-id: the caller's span
//
// The callee keeps the trace ID, records the caller's span ID as its parent and draws a span ID of
// its own. Logging those three IDs on both sides is enough to find every line one request wrote,
// in every process it touched.
//
// net/rpc has no headers, so Request carries the traceparent next to chapter 1's calc.Args;
// Calculator is the server side and Client the entry point.
package handmade
