package otelcalc_test

import (
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/handmade"
)

func handmadeRequest(traceparent string, a, b int) *handmade.Request {
	return &handmade.Request{TraceParent: traceparent, Args: calc.Args{A: a, B: b}}
}
