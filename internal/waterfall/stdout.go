package waterfall

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// stdoutSpan is the part of stdouttrace's JSON the renderer needs. stdouttrace writes one JSON
// object per span, so a file of them can be read back after the programs that wrote it are gone.
type stdoutSpan struct {
	Name        string
	SpanContext struct{ TraceID, SpanID string }
	Parent      struct{ SpanID string }
	SpanKind    int
	StartTime   time.Time
	EndTime     time.Time
	Status      struct{ Code, Description string }
	Resource    []struct {
		Key   string
		Value struct{ Value any }
	}
}

// kinds maps OpenTelemetry's SpanKind numbers, as stdouttrace writes them, to their names.
var kinds = map[int]string{1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}

// ReadStdout reads the spans a stdouttrace exporter wrote (compact or indented) from r, in order.
// Several programs' files can be read and their spans rendered together, which is how one trace
// is drawn from a client and a server that ran as separate processes.
func ReadStdout(r io.Reader) ([]Span, error) {
	dec := json.NewDecoder(r)
	var spans []Span
	for {
		var s stdoutSpan
		err := dec.Decode(&s)
		if errors.Is(err, io.EOF) {
			return spans, nil
		}
		if err != nil {
			return spans, fmt.Errorf("read stdouttrace span %d: %w", len(spans)+1, err)
		}
		spans = append(spans, s.toSpan())
	}
}

func (s stdoutSpan) toSpan() Span {
	parent := s.Parent.SpanID
	if strings.Trim(parent, "0") == "" {
		parent = "" // stdouttrace writes an all-zero ID for "no parent"
	}
	span := Span{
		TraceID:      s.SpanContext.TraceID,
		SpanID:       s.SpanContext.SpanID,
		ParentSpanID: parent,
		Name:         s.Name,
		Kind:         kinds[s.SpanKind],
		Start:        s.StartTime,
		Duration:     s.EndTime.Sub(s.StartTime),
		Error:        s.Status.Code == "Error",
		ErrorMessage: s.Status.Description,
	}
	for _, kv := range s.Resource {
		if kv.Key == "service.name" {
			span.Service, _ = kv.Value.Value.(string)
		}
	}
	return span
}
