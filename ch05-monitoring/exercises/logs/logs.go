// Package logs is chapter 5's logs exercise: a log/slog handler that writes the current trace
// and span IDs into every record logged in a request, so a log line leads to its trace.
//
// Check your work with `make exercise EX=ch05/logs`.
package logs

import (
	"context"
	"log/slog"
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
	// TODO: when ctx holds a valid span (trace.SpanContextFromContext), add its IDs to r as
	// trace_id and span_id.
	return h.Handler.Handle(ctx, r)
}

// WithAttrs returns the handler for a logger made with logger.With.
func (h Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	// TODO: keep the wrapping: the handler returned must add the IDs too.
	return h.Handler.WithAttrs(attrs)
}

// WithGroup returns the handler for a logger made with logger.WithGroup.
func (h Handler) WithGroup(name string) slog.Handler {
	// TODO: keep the wrapping, as in WithAttrs.
	return h.Handler.WithGroup(name)
}
