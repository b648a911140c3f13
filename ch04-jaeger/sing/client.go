package sing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

	"github.com/rpc-tracing/workbook/ch04-jaeger/httpjson"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
)

// Client calls the sing service.
type Client struct {
	base string
	http *http.Client
}

// NewClient returns a client for the sing service at base (e.g. "http://127.0.0.1:8081").
// Its transport is traced: each request gets a CLIENT span and carries the trace context.
func NewClient(base string, p otelsetup.Providers) *Client {
	return &Client{base: base, http: &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport, p.HTTP()...)}}
}

// Sing asks for a song. The request is made with ctx, so its span is a child of the caller's and
// it ends when the response has been read, not before the request is even sent (the original
// demo's second bug).
func (c *Client) Sing(ctx context.Context, text string) (string, error) {
	body, err := json.Marshal(Request{Text: text})
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
	data, err := io.ReadAll(io.LimitReader(resp.Body, httpjson.MaxBodyBytes))
	if err != nil {
		return "", fmt.Errorf("sing: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e httpjson.ErrorBody
		_ = json.Unmarshal(data, &e)
		return "", fmt.Errorf("sing: %s: %w", resp.Status, errors.New(e.Error))
	}
	var out Response
	if err := json.Unmarshal(data, &out); err != nil {
		return "", fmt.Errorf("sing: %w", err)
	}
	return out.Song, nil
}
