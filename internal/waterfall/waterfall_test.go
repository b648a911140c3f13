package waterfall

import (
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// t0 is the start of every test trace. Fixed times make the output, bars included, the same on
// every run.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// at returns the time offset after t0.
func at(offset time.Duration) time.Time {
	return t0.Add(offset)
}

// Trace IDs in the W3C form, so the fixtures look like what a reader sees from a real tracer.
const (
	traceA = "4bf92f3577b34da6a3ce929d0e0e4736"
	traceB = "0af7651916cd43dd8448eb211c80319c"
	traceC = "5b8efff798038103d269b633813fc60c"
)

// divByZero is the example: a client call whose server side fails.
func divByZero() []Span {
	return []Span{
		{TraceID: traceA, SpanID: "00f067aa0ba902b7", Service: "calc-client", Name: "Calculator.Div",
			Kind: "client", Start: at(0), Duration: 1200 * time.Microsecond},
		{TraceID: traceA, SpanID: "53995c3f42cd8ad8", ParentSpanID: "00f067aa0ba902b7",
			Service: "calc-server", Name: "Calculator.Div", Kind: "server",
			Start: at(150 * time.Microsecond), Duration: 900 * time.Microsecond,
			Error: true, ErrorMessage: "division by zero"},
	}
}

// chain is a five-service request like chapter 4's: a frontend fans out to two services at once
// (their bars overlap), one of which calls two more in turn.
func chain() []Span {
	ms := time.Millisecond
	return []Span{
		{TraceID: traceB, SpanID: "a000000000000001", Service: "frontend", Name: "GET /dispatch",
			Kind: "server", Start: at(0), Duration: 40 * ms},
		{TraceID: traceB, SpanID: "a000000000000002", ParentSpanID: "a000000000000001", Service: "frontend",
			Name: "Customer.Get", Kind: "client", Start: at(1 * ms), Duration: 14 * ms},
		{TraceID: traceB, SpanID: "a000000000000003", ParentSpanID: "a000000000000002", Service: "customer",
			Name: "Customer.Get", Kind: "server", Start: at(2 * ms), Duration: 12 * ms},
		{TraceID: traceB, SpanID: "a000000000000004", ParentSpanID: "a000000000000003", Service: "customer",
			Name: "SELECT customers", Kind: "client", Start: at(3 * ms), Duration: 10 * ms},
		{TraceID: traceB, SpanID: "a000000000000005", ParentSpanID: "a000000000000001", Service: "frontend",
			Name: "Route.Find", Kind: "client", Start: at(1 * ms), Duration: 35 * ms},
		{TraceID: traceB, SpanID: "a000000000000006", ParentSpanID: "a000000000000005", Service: "route",
			Name: "Route.Find", Kind: "server", Start: at(2 * ms), Duration: 33 * ms},
		{TraceID: traceB, SpanID: "a000000000000007", ParentSpanID: "a000000000000006", Service: "route",
			Name: "Driver.Nearest", Kind: "client", Start: at(3 * ms), Duration: 12 * ms},
		{TraceID: traceB, SpanID: "a000000000000008", ParentSpanID: "a000000000000006", Service: "route",
			Name: "Cache.Get", Kind: "client", Start: at(16 * ms), Duration: 18 * ms,
			Error: true, ErrorMessage: "timeout"},
	}
}

// nested is a chain of n spans, each the only child of the one before, all in traceC.
func nested(n int) []Span {
	spans := make([]Span, n)
	for i := range spans {
		spans[i] = Span{TraceID: traceC, SpanID: spanID(i + 1), Service: "deep", Name: fmt.Sprintf("step-%d", i+1),
			Kind: "internal", Start: at(time.Duration(i) * time.Millisecond),
			Duration: time.Duration(2*(n-i)-1) * time.Millisecond}
		if i > 0 {
			spans[i].ParentSpanID = spanID(i)
		}
	}
	return spans
}

// spanID returns a span ID in the W3C form (16 hex digits) numbered n.
func spanID(n int) string {
	return fmt.Sprintf("%016x", n)
}
