package handmade

import "log/slog"

// Span is one unit of work as this step sees it: no name, no timings (OpenTelemetry adds those in
// step 2), only the IDs that tie one request's log lines together across processes.
type Span struct {
	// TraceID is shared by every span of the request.
	TraceID TraceID
	// SpanID is this span's own ID; its children name it as their parent.
	SpanID SpanID
	// ParentID is the caller's span, or zero when this span is the root of its trace.
	ParentID SpanID
	// Flags are the trace-flags, passed down the trace unchanged.
	Flags byte
}

// NewRootSpan starts a new trace, as the entry point of a request does: a fresh trace ID, a fresh
// span ID, no parent. It is always sampled; choosing not to record is a sampler's job (step 2).
func NewRootSpan() Span {
	return Span{TraceID: NewTraceID(), SpanID: NewSpanID(), Flags: FlagSampled}
}

// region: child-span

// NewChildSpan continues the trace a caller sent: the same trace ID and flags, the caller's span
// as parent, and a span ID of its own, so the two sides' work can be told apart.
func NewChildSpan(parent TraceParent) Span {
	return Span{TraceID: parent.TraceID, SpanID: NewSpanID(), ParentID: parent.ParentID, Flags: parent.Flags}
}

// ContinueOrStart is what a server does with the traceparent it received: continue the caller's
// trace, or, when the header is missing or malformed, start a new root trace and return the parse
// error too, so the server can log it. Never failing the call over a bad header is the spec's
// rule: tracing must not break the traffic it observes.
func ContinueOrStart(traceparent string) (Span, error) {
	parent, err := ParseTraceParent(traceparent)
	if err != nil {
		return NewRootSpan(), err
	}
	return NewChildSpan(parent), nil
}

// endregion

// IsRoot reports whether s started its trace (it has no parent).
func (s Span) IsRoot() bool { return !s.ParentID.IsValid() }

// TraceParent returns what to send with a call made as part of s, so the callee's span becomes
// s's child.
func (s Span) TraceParent() TraceParent {
	return TraceParent{Version: SupportedVersion, TraceID: s.TraceID, ParentID: s.SpanID, Flags: s.Flags}
}

// LogArgs returns s as the slog attributes trace_id, parent_id and span_id, ready for
// logger.With(s.LogArgs()...). Every side logs the same keys, so one search for a trace ID finds
// the request everywhere. A root span's parent_id is empty rather than sixteen zeros, which would
// look like an ID.
func (s Span) LogArgs() []any {
	parent := ""
	if !s.IsRoot() {
		parent = s.ParentID.String()
	}
	return []any{
		slog.String("trace_id", s.TraceID.String()),
		slog.String("parent_id", parent),
		slog.String("span_id", s.SpanID.String()),
	}
}
