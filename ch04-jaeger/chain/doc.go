// Package chain is chapter 4's five-service call chain, rebuilt from the source article's
// go-jaeger-demo with OpenTelemetry:
//
//	client ─HTTP─▶ listen ─gRPC─▶ speak ─┬─gRPC─▶ read
//	                                     └─gRPC─▶ write ─HTTP─▶ sing
//
// listen is the HTTP edge (POST /api/study); speak fans out to read and write in parallel; write
// calls sing over HTTP, the gRPC-to-HTTP step where traces most often split. Each service is a
// program of its own (cmd/listen … cmd/sing), or all five run in one process (cmd/all), each
// with its own TracerProvider and service.name either way, exporting over OTLP to Jaeger.
//
// The edge puts the student and a request ID in baggage, and every service copies baggage onto
// its spans. Two more baggage members are knobs for the "find it in the trace" lesson:
// study.slow and study.fail name a service to slow down or to fail for that one request.
package chain

// The five services' names: their service.name in traces, and the values the fault knobs take.
const (
	Listen = "listen"
	Speak  = "speak"
	Read   = "read"
	Write  = "write"
	Sing   = "sing"
)

// Services lists the five in the order a request reaches them.
var Services = []string{Listen, Speak, Read, Write, Sing}

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
