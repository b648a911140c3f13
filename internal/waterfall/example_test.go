package waterfall_test

import (
	"fmt"
	"os"
	"time"

	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// Example draws the trace of a Div by zero: the client's call, and inside it the server's handling,
// which failed. The server's bar starts later and ends sooner than the client's: the gaps are the
// time spent on the network and in encoding.
func Example() {
	start := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	spans := []waterfall.Span{
		{
			TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "00f067aa0ba902b7",
			Service: "calc-client", Name: "Calculator.Div", Kind: "client",
			Start: start, Duration: 1200 * time.Microsecond,
		},
		{
			TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "53995c3f42cd8ad8",
			ParentSpanID: "00f067aa0ba902b7",
			Service:      "calc-server", Name: "Calculator.Div", Kind: "server",
			Start: start.Add(150 * time.Microsecond), Duration: 900 * time.Microsecond,
			Error: true, ErrorMessage: "division by zero",
		},
	}
	r := waterfall.Renderer{Width: 24}
	if err := r.Render(os.Stdout, spans); err != nil {
		fmt.Println(err)
	}
	// Output:
	// trace 4bf92f3577b34da6a3ce929d0e0e4736  1.2ms  2 spans
	// Calculator.Div     calc-client  client  ████████████████████████  1.2ms
	// └─ Calculator.Div  calc-server  server     ██████████████████     900µs  ERROR division by zero
}
