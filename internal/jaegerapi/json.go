package jaegerapi

import (
	"time"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/waterfall"
)

// The JSON of GET /api/traces/{id}: the fields this package reads.
type tracesResponse struct {
	Data []jaegerTrace `json:"data"`
}

type jaegerTrace struct {
	Spans     []jaegerSpan             `json:"spans"`
	Processes map[string]jaegerProcess `json:"processes"`
}

type jaegerProcess struct {
	ServiceName string `json:"serviceName"`
}

type jaegerSpan struct {
	TraceID       string `json:"traceID"`
	SpanID        string `json:"spanID"`
	OperationName string `json:"operationName"`
	References    []struct {
		RefType string `json:"refType"`
		SpanID  string `json:"spanID"`
	} `json:"references"`
	StartTime int64 `json:"startTime"` // µs since the epoch
	Duration  int64 `json:"duration"`  // µs
	Tags      []struct {
		Key   string `json:"key"`
		Value any    `json:"value"`
	} `json:"tags"`
	ProcessID string `json:"processID"`
}

func (t jaegerTrace) spans() []Span {
	out := make([]Span, 0, len(t.Spans))
	for _, s := range t.Spans {
		out = append(out, s.toSpan(t.Processes[s.ProcessID].ServiceName))
	}
	return out
}

// toSpan converts one span. Jaeger keeps OpenTelemetry's span kind and status as tags:
// span.kind, error, otel.status_description.
func (s jaegerSpan) toSpan(service string) Span {
	tags := make(map[string]any, len(s.Tags))
	for _, t := range s.Tags {
		tags[t.Key] = t.Value
	}
	span := Span{Tags: tags, Span: waterfall.Span{
		TraceID:  s.TraceID,
		SpanID:   s.SpanID,
		Service:  service,
		Name:     s.OperationName,
		Kind:     stringTag(tags, "span.kind", "internal"),
		Start:    time.UnixMicro(s.StartTime),
		Duration: time.Duration(s.Duration) * time.Microsecond,
	}}
	for _, r := range s.References {
		if r.RefType == "CHILD_OF" {
			span.ParentSpanID = r.SpanID
		}
	}
	if errTag, _ := tags["error"].(bool); errTag {
		span.Error = true
		span.ErrorMessage = stringTag(tags, "otel.status_description", "")
	}
	return span
}

func stringTag(tags map[string]any, key, def string) string {
	if v, ok := tags[key].(string); ok {
		return v
	}
	return def
}
