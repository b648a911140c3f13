package chain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// SingRequest is the body of POST /sing.
type SingRequest struct {
	Text string `json:"text"`
}

// SingResponse is its answer.
type SingResponse struct {
	Song string `json:"song"`
}

// NewSingHandler is the sing service, over HTTP: POST /sing turns a text into a song. otelhttp
// wraps it, so each request gets a SERVER span, child of the caller's span if the request
// carries a traceparent header.
func NewSingHandler(t Tracing, faults Faults) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /sing", func(w http.ResponseWriter, r *http.Request) {
		var req SingRequest
		if !decodeJSON(w, r, &req) {
			return
		}
		if err := faults.Apply(r.Context()); err != nil {
			writeError(w, r, http.StatusInternalServerError, err)
			return
		}
		song := Song(req.Text)
		trace.SpanFromContext(r.Context()).SetAttributes(attribute.Int("study.song_length", len(song)))
		writeJSON(w, http.StatusOK, SingResponse{Song: song})
	})
	return otelhttp.NewHandler(mux, Sing, t.httpOptions()...)
}

// SingClient calls the sing service.
type SingClient struct {
	base string
	http *http.Client
}

// NewSingClient returns a client for the sing service at base (e.g. "http://127.0.0.1:8081").
// Its transport is traced: each request gets a CLIENT span and carries the trace context.
func NewSingClient(base string, t Tracing) *SingClient {
	return &SingClient{base: base, http: newHTTPClient(t)}
}

// Sing asks for a song. The request is made with ctx, so its span is a child of the caller's and
// it ends when the response has been read, not before the request is even sent (the original
// demo's second bug).
func (c *SingClient) Sing(ctx context.Context, text string) (string, error) {
	body, err := json.Marshal(SingRequest{Text: text})
	if err != nil {
		return "", err
	}
	// region: sing-request
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/sing", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	// endregion
	if err != nil {
		return "", fmt.Errorf("sing: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes))
	if err != nil {
		return "", fmt.Errorf("sing: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e errorBody
		_ = json.Unmarshal(data, &e)
		return "", fmt.Errorf("sing: %s: %w", resp.Status, errors.New(e.Error))
	}
	var out SingResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return "", fmt.Errorf("sing: %w", err)
	}
	return out.Song, nil
}
