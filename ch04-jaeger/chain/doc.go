// Package chain wires chapter 4's five services into one call chain, rebuilt from the source
// article's go-jaeger-demo with OpenTelemetry:
//
//	client ─HTTP─▶ listen ─gRPC─▶ speak ─┬─gRPC─▶ read
//	                                     └─gRPC─▶ write ─HTTP─▶ sing
//
// Each service is a package of its own (listen, speak, read, write, sing) with its server and the
// client its callers use; this package says where each listens, connects each to the services it
// calls, and runs one of them or all five (Run), each with its own telemetry and service.name,
// exporting over OTLP to Jaeger. The program cmd/chain and chapter 5's cmd/chain are thin
// commands over Run.
//
// The edge puts the student and a request ID in baggage, and every service copies baggage onto
// its spans. Two more baggage members are the fault knobs (package faults): study.slow and
// study.fail name a service to slow down or to fail for that one request.
package chain

import "github.com/rpc-tracing/workbook/ch04-jaeger/listen"

// Services lists the five in the order a request reaches them.
var Services = listen.Services

// AnsweredTrace is the tree of spans one answered request makes: each span named by its service
// and kind after its ancestors', root first ("listen/server > listen/client > …"), nine in all.
// HTTP → gRPC → (gRPC ‖ gRPC → HTTP): speak calls read and write side by side, and write calls
// sing over HTTP. The tests compare a trace's tree with it, in process and in Jaeger.
var AnsweredTrace = []string{
	"listen/server",
	"listen/server > listen/client",
	"listen/server > listen/client > speak/server",
	"listen/server > listen/client > speak/server > speak/client",
	"listen/server > listen/client > speak/server > speak/client",
	"listen/server > listen/client > speak/server > speak/client > read/server",
	"listen/server > listen/client > speak/server > speak/client > write/server",
	"listen/server > listen/client > speak/server > speak/client > write/server > write/client",
	"listen/server > listen/client > speak/server > speak/client > write/server > write/client > sing/server",
}
