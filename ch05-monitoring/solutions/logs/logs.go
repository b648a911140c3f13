// Package logs is the solution to chapter 5's logs exercise: a log/slog handler that writes the
// current trace and span IDs into every record logged in a request.
//
// It is the plain version: the IDs are added to the record, so under logger.WithGroup they land
// inside the group. The chapter's tracelog package keeps them at the top level in a group too, at
// the price of replaying the logger's With and WithGroup calls.
package logs

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// Handler wraps another slog.Handler and adds trace_id and span_id to each record whose context
// carries a span.
type Handler struct {
	slog.Handler
}

// New returns a Handler around next.
func New(next slog.Handler) slog.Handler { return Handler{Handler: next} }

// Handle adds the span's IDs, then passes the record on.
func (h Handler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs returns the handler for a logger made with logger.With: the same wrapping around
// next's, so that its records are named too.
func (h Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return Handler{Handler: h.Handler.WithAttrs(attrs)}
}

// WithGroup returns the handler for a logger made with logger.WithGroup, wrapped likewise.
func (h Handler) WithGroup(name string) slog.Handler {
	return Handler{Handler: h.Handler.WithGroup(name)}
}
