package listen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/rpc-tracing/workbook/ch04-jaeger/httpjson"
)

// Client is what listen's callers use: a user's program, the demo, a test.
type Client struct {
	// URL is the edge's endpoint, e.g. "http://127.0.0.1:8080/api/study".
	URL  string
	HTTP *http.Client
}

// Answer is the edge's answer to one request: its HTTP status and, on success, the study
// response; on failure, the edge's error. Either way TraceID names the request's trace.
type Answer struct {
	Status int `json:"-"`
	StudyResponse
	Error string `json:"error"`
}

// Study sends req, with query's fault knobs ("?slow=read"). A failure the edge reports is an
// Answer like any other; err is for not getting one.
func (c Client) Study(ctx context.Context, query string, req StudyRequest) (Answer, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return Answer{}, err
	}
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL+query, bytes.NewReader(body))
	if err != nil {
		return Answer{}, err
	}
	httpReq.Header.Set("Content-Type", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(httpReq)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, httpjson.MaxBodyBytes))
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Status: resp.StatusCode}
	if err := json.Unmarshal(data, &a); err != nil {
		return a, fmt.Errorf("%s: %w: %s", resp.Status, err, data)
	}
	return a, nil
}
