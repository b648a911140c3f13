// Package jaegerapi reads traces back from Jaeger's query API, so a program or a test can check
// what Jaeger really stored and draw it with chapter 2's waterfall. It uses the v3 API, whose
// answer is OTLP: what Jaeger stores is the OTLP the services sent, and it decodes with protojson
// into the same go.opentelemetry.io/proto/otlp types the exporters encode.
package jaegerapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// DefaultURL is the query API of chapter 4's Jaeger.
const DefaultURL = "http://127.0.0.1:16686"

// ErrNotFound is returned for a trace Jaeger does not have (yet: spans arrive in batches).
var ErrNotFound = errors.New("trace not found")

// Client queries one Jaeger.
type Client struct {
	// URL is the query API's base, e.g. DefaultURL.
	URL  string
	HTTP *http.Client
}

// Span is a span as Jaeger returns it: what the waterfall draws, plus its attributes.
type Span struct {
	waterfall.Span
	Attributes map[string]any
}

// TraceURL is where the trace is in Jaeger's UI.
func (c Client) TraceURL(traceID string) string { return c.URL + "/trace/" + traceID }

// Trace fetches one trace: GET /api/v3/traces/{traceID}.
func (c Client) Trace(ctx context.Context, traceID string) ([]Span, error) {
	body, err := c.get(ctx, "/api/v3/traces/"+url.PathEscape(traceID))
	if err != nil {
		return nil, err
	}
	spans, err := decodeTraces(body)
	if err != nil {
		return nil, fmt.Errorf("jaeger trace %s: %w", traceID, err)
	}
	if len(spans) == 0 {
		return nil, ErrNotFound
	}
	return spans, nil
}

// WaitForTrace polls Trace until done says the spans are all there, ctx ends, or Jaeger fails.
// Spans reach Jaeger in batches from each service, so a trace fills in over a few seconds.
func (c Client) WaitForTrace(ctx context.Context, traceID string, done func([]Span) bool) ([]Span, error) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	var last []Span
	for {
		spans, err := c.Trace(ctx, traceID)
		switch {
		case err == nil && done(spans):
			return spans, nil
		case err == nil:
			last = spans
		case ctx.Err() != nil:
			// The deadline ended the request itself: report what the last look found.
			return last, fmt.Errorf("trace %s incomplete (%d spans): %w", traceID, len(last), ctx.Err())
		case !errors.Is(err, ErrNotFound):
			return nil, err
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return last, fmt.Errorf("trace %s incomplete (%d spans): %w", traceID, len(last), ctx.Err())
		}
	}
}

// Services lists the services Jaeger has spans from: GET /api/v3/services.
func (c Client) Services(ctx context.Context) ([]string, error) {
	body, err := c.get(ctx, "/api/v3/services")
	if err != nil {
		return nil, err
	}
	var out struct {
		Services []string `json:"services"`
	}
	err = json.Unmarshal(body, &out)
	return out.Services, err
}

func (c Client) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL+path, nil)
	if err != nil {
		return nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, ErrNotFound
	}
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("jaeger %s: %s: %s", path, resp.Status, msg)
	}
	return io.ReadAll(resp.Body)
}

// Waterfall returns the spans as the waterfall renderer takes them.
func Waterfall(spans []Span) []waterfall.Span {
	out := make([]waterfall.Span, len(spans))
	for i, s := range spans {
		out[i] = s.Span
	}
	return out
}

// Paths names each span by its ancestry, root first: "listen/server > listen/client > …", one
// "service/kind" per level. Comparing a trace's paths with the ones a request should make checks
// its tree: every span present, under the parent it should have. A parent that is not in the
// trace (a caller's span, or a span that was lost) ends the path, so an orphan shows as a path
// that does not start at the root.
func Paths(spans []Span) []string {
	byID := make(map[string]Span, len(spans))
	for _, s := range spans {
		byID[s.SpanID] = s
	}
	out := make([]string, 0, len(spans))
	for _, s := range spans {
		p := s.Service + "/" + s.Kind
		seen := map[string]bool{s.SpanID: true} // a malformed trace may loop
		for parent, ok := byID[s.ParentSpanID]; ok && !seen[parent.SpanID]; parent, ok = byID[parent.ParentSpanID] {
			seen[parent.SpanID] = true
			p = parent.Service + "/" + parent.Kind + " > " + p
		}
		out = append(out, p)
	}
	return out
}
