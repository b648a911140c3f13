// Package tracelog adds the current trace and span IDs to every log record written with a
// context: a log line then leads to its trace, and a trace to its log lines (search the logs for
// the trace ID).
//
// OpenTelemetry's slog bridge (go.opentelemetry.io/contrib/bridges/otelslog) sends records to an
// OpenTelemetry log pipeline; this workbook keeps logs on stderr, where a reader sees them, so a
// small handler that decorates records is the better fit.
package tracelog

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// The attribute keys, as OpenTelemetry's log data model names them.
const (
	TraceIDKey = "trace_id"
	SpanIDKey  = "span_id"
)

// Handler wraps another slog.Handler and adds trace_id and span_id, at the top level, to each
// record whose context carries a span. Records logged without a context (slog.Info rather than
// slog.InfoContext) have no span to name, which is why the chain always logs with the request's
// context.
type Handler struct {
	slog.Handler // base with every With/WithGroup applied: used for records without a span
	base         slog.Handler
	// steps replays the logger's With and WithGroup calls on top of the IDs, so the IDs stay at
	// the top level even in a group.
	steps []func(slog.Handler) slog.Handler
}

// New returns a Handler around next.
func New(next slog.Handler) *Handler { return &Handler{Handler: next, base: next} }

// Handle adds the span's IDs, then passes the record on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return h.Handler.Handle(ctx, r)
	}
	next := h.base.WithAttrs([]slog.Attr{
		slog.String(TraceIDKey, sc.TraceID().String()), slog.String(SpanIDKey, sc.SpanID().String()),
	})
	for _, step := range h.steps {
		next = step(next)
	}
	return next.Handle(ctx, r)
}

// WithAttrs keeps the wrapping for loggers made with logger.With.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return h.with(func(next slog.Handler) slog.Handler { return next.WithAttrs(attrs) })
}

// WithGroup keeps the wrapping for loggers made with logger.WithGroup.
func (h *Handler) WithGroup(name string) slog.Handler {
	return h.with(func(next slog.Handler) slog.Handler { return next.WithGroup(name) })
}

func (h *Handler) with(step func(slog.Handler) slog.Handler) *Handler {
	return &Handler{Handler: step(h.Handler), base: h.base, steps: append(h.steps[:len(h.steps):len(h.steps)], step)}
}
