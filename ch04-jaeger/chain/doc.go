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
