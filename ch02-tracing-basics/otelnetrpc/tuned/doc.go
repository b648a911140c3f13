// Package tuned is chapter 2's otelnetrpc made cheap: the same spans and the same behaviour,
// proved by the same test suite, with fewer allocations per call (at most 12 more than an
// untraced call) and both of net/rpc's codecs. The lesson version is the one to read first; the
// deeper page of chapter 2 explains each change made here as a difference from it.
//
// Its gob header carries the trace context as length-prefixed bytes where otelnetrpc carries a
// map, so a tuned peer and an otelnetrpc peer cannot share a connection; each still talks to
// untraced net/rpc peers.
//
// Like otelnetrpc, it traces Go's net/rpc with OpenTelemetry: a CLIENT span for every call a
// Client makes, a SERVER span for every request a server codec reads, and the trace context
// carried between them on the wire.
//
// net/rpc has neither a context nor request metadata, so the package brings both:
//
//   - On the wire, the request header gains one optional field of string pairs (the
//     propagator's carrier). Gob matches struct fields by name and JSON ignores unknown keys, so
//     traced and untraced peers still understand each other: an untraced server ignores the
//     field, and a request from an untraced client starts a new trace.
//   - On the client, Client.Call takes a context: its span becomes the parent of the call.
//   - On the server, a method cannot take a context, so ContextFromArgs(args) looks up the
//     server span's context by the args pointer net/rpc passes to the method. It works for
//     methods that take their args as a pointer (as chapter 1's do); a method that takes them by
//     value gets a copy, which the lookup cannot recognise, and context.Background().
//
// Both of net/rpc's codecs are supported: Gob (the default) and JSON (net/rpc/jsonrpc).
package tuned
