package handmade_test

import (
	"errors"
	"fmt"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/handmade"
)

// The header from the W3C spec: a sampled request whose caller's span is 00f067aa0ba902b7.
func ExampleParseTraceParent() {
	tp, err := handmade.ParseTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("trace: ", tp.TraceID)
	fmt.Println("parent:", tp.ParentID)
	fmt.Println("sampled:", tp.Sampled())
	// Output:
	// trace:  4bf92f3577b34da6a3ce929d0e0e4736
	// parent: 00f067aa0ba902b7
	// sampled: true
}

// A version from the future is read as far as version 00 goes, and passed on as version 00.
func ExampleParseTraceParent_higherVersion() {
	tp, err := handmade.ParseTraceParent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("received version %02x\n", tp.Version)
	fmt.Println("propagated:", tp)
	// Output:
	// received version cc
	// propagated: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
}

// Each malformed header is rejected with the rule it broke and where.
func ExampleParseTraceParent_errors() {
	for _, h := range []string{
		"",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
		"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
		"00-00000000000000000000000000000000-00f067aa0ba902b7-01",
		"00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
	} {
		_, err := handmade.ParseTraceParent(h)
		fmt.Println(err)
	}
	_, err := handmade.ParseTraceParent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")
	fmt.Println("uppercase?", errors.Is(err, handmade.ErrUppercase))
	// Output:
	// traceparent: empty: no trace context
	// traceparent: wrong length: 61 characters, version 00 is exactly 55
	// traceparent: version ff is invalid
	// traceparent: trace-id: uppercase hex digit (only lowercase is allowed): 'B' at offset 4
	// traceparent: trace-id: all-zero trace ID
	// traceparent: missing '-' separator: '_' at offset 35
	// uppercase? true
}

// A server continues the caller's trace: same trace, the caller's span as parent, and a span ID
// of its own (random, so not printed here).
func ExampleNewChildSpan() {
	tp, err := handmade.ParseTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if err != nil {
		fmt.Println(err)
		return
	}
	span := handmade.NewChildSpan(tp)
	fmt.Println("trace: ", span.TraceID)
	fmt.Println("parent:", span.ParentID)
	fmt.Println("own span differs from parent:", span.SpanID != tp.ParentID)
	// Output:
	// trace:  4bf92f3577b34da6a3ce929d0e0e4736
	// parent: 00f067aa0ba902b7
	// own span differs from parent: true
}
