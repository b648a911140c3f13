package bugcheck_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/internal/bugcheck"
)

// span is a hand-made span for the checker's tests. IDs are small numbers: trace 1, span 2
// become 01000000000000000000000000000000 and 0200000000000000. Times are offsets from t0; an
// end of -1 means the span never ended.
type span struct {
	trace, id, parent byte
	remote            bool // the parent is in another process
	service, name     string
	instance          string
	start, end        time.Duration
}

var t0 = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

const ms = time.Millisecond

func build(spans ...span) []sdktrace.ReadOnlySpan {
	stubs := make(tracetest.SpanStubs, len(spans))
	for i, s := range spans {
		tid := trace.TraceID{s.trace}
		stubs[i] = tracetest.SpanStub{
			Name:        s.name,
			SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: trace.SpanID{s.id}}),
			StartTime:   t0.Add(s.start),
			Resource: resource.NewSchemaless(
				semconv.ServiceName(s.service), semconv.ServiceInstanceID(s.instance+s.service)),
		}
		if s.end >= 0 {
			stubs[i].EndTime = t0.Add(s.end)
		}
		if s.parent != 0 {
			stubs[i].Parent = trace.NewSpanContext(trace.SpanContextConfig{
				TraceID: tid, SpanID: trace.SpanID{s.parent}, Remote: s.remote})
		}
	}
	return stubs.Snapshots()
}

// A whole trace: a caller's work, its call, and the callee's handling of it, which ends a
// moment after the call does (allowed: it is in another process).
var (
	work  = span{trace: 1, id: 1, service: "caller", name: "work", start: 0, end: 10 * ms}
	call  = span{trace: 1, id: 2, parent: 1, service: "caller", name: "call", start: 1 * ms, end: 8 * ms}
	serve = span{trace: 1, id: 3, parent: 2, remote: true, service: "callee", name: "serve", start: 2 * ms, end: 8*ms + 100*time.Microsecond}
)

var whole = bugcheck.Expect{Spans: map[string]int{"caller": 2, "callee": 1}, OneProviderPerService: true}

func with(s span, change func(*span)) span {
	change(&s)
	return s
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		spans  []span
		expect bugcheck.Expect
		want   []bugcheck.Problem
	}{
		{name: "whole trace", spans: []span{work, call, serve}, expect: whole},
		{name: "nothing expected of counts", spans: []span{work}},
		{name: "no spans", expect: whole, want: []bugcheck.Problem{
			{Rule: bugcheck.NoSpans, Text: "no spans at all: nothing of the request reached the backend"},
		}},
		{name: "split", spans: []span{work, call, with(serve, func(s *span) { s.trace, s.parent = 2, 0 })}, want: []bugcheck.Problem{
			{Rule: bugcheck.SplitTrace, Text: `trace split in 2: 01000000… has caller "work", caller "call"; 02000000… has callee "serve"`},
		}},
		{name: "missing parent", spans: []span{serve}, expect: whole, want: []bugcheck.Problem{
			{Rule: bugcheck.MissingParent, Text: `span callee "serve" has parent 02000000…, which is not in the trace: lost, or never exported`},
			{Rule: bugcheck.SpanCount, Text: "caller: 2 spans expected, 0 arrived"},
		}},
		{name: "two roots", spans: []span{work, with(call, func(s *span) { s.parent = 0 })}, want: []bugcheck.Problem{
			{Rule: bugcheck.RootCount, Text: `trace 01000000… has 2 roots (caller "work", caller "call"): a request has one`},
		}},
		{name: "cycle", spans: []span{with(work, func(s *span) { s.parent = 2 }), call}, want: []bugcheck.Problem{
			{Rule: bugcheck.RootCount, Text: "trace 01000000… has no root: its spans' parents form a cycle"},
			{Rule: bugcheck.StartsBeforeParent, Text: `span caller "work" started 1ms before its parent caller "call"`},
		}},
		{name: "not ended", spans: []span{work, with(call, func(s *span) { s.end = -1 }), serve}, want: []bugcheck.Problem{
			{Rule: bugcheck.NotEnded, Text: `span caller "call" never ended`},
		}},
		{name: "child starts before parent", spans: []span{work, call, with(serve, func(s *span) { s.start = 0 })}, want: []bugcheck.Problem{
			{Rule: bugcheck.StartsBeforeParent, Text: `span callee "serve" started 1ms before its parent caller "call"`},
		}},
		{name: "parent ended before child started", spans: []span{work, with(call, func(s *span) { s.end = 1 * ms }), serve}, want: []bugcheck.Problem{
			{Rule: bugcheck.ParentEndedFirst, Text: `span caller "call" ended 1ms before its child callee "serve" started`},
		}},
		{name: "local child outlives parent", spans: []span{work, with(call, func(s *span) { s.end = 12 * ms })}, want: []bugcheck.Problem{
			{Rule: bugcheck.OutlivesParent, Text: `span caller "call" ended 2ms after its parent caller "work"`},
		}},
		{name: "counts", spans: []span{work, serve, with(serve, func(s *span) { s.id, s.service = 4, "stranger" })},
			expect: bugcheck.Expect{Spans: map[string]int{"caller": 2, "callee": 1}}, want: []bugcheck.Problem{
				{Rule: bugcheck.MissingParent, Text: `span callee "serve" has parent 02000000…, which is not in the trace: lost, or never exported`},
				{Rule: bugcheck.MissingParent, Text: `span stranger "serve" has parent 02000000…, which is not in the trace: lost, or never exported`},
				{Rule: bugcheck.SpanCount, Text: "caller: 2 spans expected, 1 arrived"},
				{Rule: bugcheck.SpanCount, Text: "stranger: 0 spans expected, 1 arrived"},
			}},
		{name: "many providers", spans: []span{work, call, with(call, func(s *span) { s.id, s.instance = 4, "other-" })},
			expect: bugcheck.Expect{OneProviderPerService: true}, want: []bugcheck.Problem{
				{Rule: bugcheck.ManyProviders, Text: "caller: 3 spans from 2 TracerProviders (service.instance.id caller, other-ca…) where one process has one"},
			}},
		{name: "many providers allowed", spans: []span{work, call, with(call, func(s *span) { s.id, s.instance = 4, "other-" })}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bugcheck.Check(build(tt.spans...), tt.expect)
			assert.Equal(t, tt.want, got)
			// The order spans arrive in (exporters send them as they end) changes nothing.
			reversed := build(tt.spans...)
			slices.Reverse(reversed)
			assert.Equal(t, got, bugcheck.Check(reversed, tt.expect), "reversed input")
		})
	}
}
