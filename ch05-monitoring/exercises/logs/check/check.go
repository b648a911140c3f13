// Package check holds the assertions of chapter 5's logs exercise. The learner's stub
// (ch05-monitoring/exercises/logs) and the reference solution (ch05-monitoring/solutions/logs)
// both run them: `make exercise EX=ch05/logs` against the stub, `go test` against the solution.
package check

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rpc-tracing/workbook/internal/exercise"
)

// NewHandler is what the exercise writes: a handler around next that names the current span.
type NewHandler = func(next slog.Handler) slog.Handler

// RecordsInASpanNameIt checks that a record logged with a span's context carries the span's
// trace_id and span_id, at the top level, also from a logger made with With; from a logger made
// with WithGroup, at the top level or inside the group; and that a record logged without a span
// carries neither.
func RecordsInASpanNameIt(t *testing.T, newHandler NewHandler) {
	t.Helper()
	exercise.NoLeaks(t)
	var out bytes.Buffer
	logger := slog.New(newHandler(slog.NewJSONHandler(&out, nil)))
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tracetest.NewSpanRecorder()))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	ctx, span := tp.Tracer("check").Start(context.Background(), "read")
	defer span.End()
	sc := span.SpanContext()

	cases := []struct {
		name string
		log  func()
		ids  bool // whether the line must name the span
		// group is the logger's group, if any: the IDs may also be inside it.
		group string
		hint  string
		// kept, when set, says what of the logger's own attributes or group the line must still
		// hold, and checks it.
		kept  string
		holds func(line map[string]any) bool
	}{
		{name: "logger.InfoContext in a span", log: func() { logger.InfoContext(ctx, "reading") }, ids: true,
			hint: "in Handle, take the span from the record's context (trace.SpanContextFromContext) and, when it is valid, " +
				"add slog.String(\"trace_id\", …) and slog.String(\"span_id\", …) to the record (r.AddAttrs)"},
		{name: "a logger made with With, in a span", log: func() { logger.With("service", "read").InfoContext(ctx, "reading") }, ids: true,
			hint: "logger.With calls the handler's WithAttrs; the handler it returns must still add the IDs: " +
				"wrap the result of next.WithAttrs in your handler (and the same for WithGroup)",
			kept: "service=read", holds: func(line map[string]any) bool { return line["service"] == "read" }},
		{name: "a logger made with WithGroup, in a span", log: func() { logger.WithGroup("req").InfoContext(ctx, "reading", "n", 1) }, ids: true,
			group: "req", hint: "logger.WithGroup calls the handler's WithGroup; the handler it returns must still add the IDs: " +
				"wrap the result of next.WithGroup in your handler, as for WithAttrs",
			kept: "n=1 inside the group req", holds: func(line map[string]any) bool {
				g, ok := line["req"].(map[string]any)
				return ok && g["n"] != nil
			}},
		{name: "logger.Info without a context", log: func() { logger.Info("starting") },
			hint: "a record without a valid span names no trace: add nothing (check sc.IsValid())"},
	}
	for _, c := range cases {
		out.Reset()
		c.log()
		line := decode(t, out.String())
		if c.holds != nil && !c.holds(line) {
			t.Errorf("%s: the line lost what the logger carries, %s\nline: %s\nhint: WithAttrs and WithGroup must return your "+
				"handler around next.WithAttrs(attrs) or next.WithGroup(name), not your handler unchanged",
				c.name, c.kept, strings.TrimSpace(out.String()))
		}
		if inner, ok := line[c.group].(map[string]any); ok && line["trace_id"] == nil {
			line = inner // the plain way to wrap WithGroup puts the IDs inside the group
		}
		if c.ids {
			if line["trace_id"] != sc.TraceID().String() || line["span_id"] != sc.SpanID().String() {
				t.Errorf("%s: the line has trace_id=%v span_id=%v, want trace_id=%s span_id=%s (the current span)\nline: %s\nhint: %s",
					c.name, line["trace_id"], line["span_id"], sc.TraceID(), sc.SpanID(), strings.TrimSpace(out.String()), c.hint)
			}
			continue
		}
		if _, ok := line["trace_id"]; ok {
			t.Errorf("%s: the line has a trace_id, want none\nline: %s\nhint: %s", c.name, strings.TrimSpace(out.String()), c.hint)
		}
	}
}

// decode parses one JSON log line.
func decode(t *testing.T, text string) map[string]any {
	t.Helper()
	var line map[string]any
	if err := json.Unmarshal([]byte(text), &line); err != nil {
		t.Fatalf("the handler wrote %q, not one JSON line: %v\nhint: pass the record on to next.Handle", text, err)
	}
	return line
}
