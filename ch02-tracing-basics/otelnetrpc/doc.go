// Package otelnetrpc traces Go's net/rpc with OpenTelemetry: a CLIENT span for every call a
// Client makes, a SERVER span for every request a server codec reads, and the trace context
// carried between them on the wire.
//
// net/rpc has neither a context nor request metadata, so the package brings both:
//
//   - On the wire, the gob request header gains one field, Meta, holding the propagator's
//     fields (the carrier). Gob matches struct fields by name, so traced and untraced peers
//     still understand each other: an untraced server ignores the field, and a request from an
//     untraced client starts a new trace.
//   - On the client, Client.Call takes a context: its span becomes the parent of the call.
//   - On the server, a method cannot take a context, so ContextFromArgs(args) looks up the
//     server span's context by the args pointer net/rpc passes to the method. It works for
//     methods that take their args as a pointer (as chapter 1's do); a method that takes them by
//     value gets a copy, which the lookup cannot recognise, and context.Background().
//
// This is the plain version that chapter 2 teaches. Package otelnetrpc/tuned behaves the same,
// passes the same tests, also speaks JSON-RPC, and allocates less per call.
package otelnetrpc
