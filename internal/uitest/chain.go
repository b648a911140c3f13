package uitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/rpc-tracing/workbook/internal/stack"
)

// Chapter 4's services, the program in bin/ that runs them, and the edge they answer on (the
// services' default addresses).
var (
	Services = []string{"listen", "speak", "read", "write", "sing"}
	// program is chapter 4's services' binary in bin/ (make ch04-bins): `ch04-chain <service>`.
	program = "ch04-chain"
	edgeURL = "http://127.0.0.1:8080/api/study"
)

// Chain is chapter 4's stack run for the UI: Jaeger serving the UI, and the five services.
type Chain struct {
	Stack  *stack.Stack
	client *http.Client
}

// StartChain starts Jaeger and the five services from root's bin/, with chapter 4's Jaeger
// config. freePorts moves Jaeger to free ports (tests); the pictures use the documented ones. It
// fails, with the command to fix it, when the UI has not been built.
func StartChain(ctx context.Context, root string, freePorts bool, echo io.Writer) (_ *Chain, err error) {
	bin := filepath.Join(root, "bin")
	if !stack.HasUI(bin) {
		return nil, fmt.Errorf("%s has no Jaeger UI: run make jaeger-ui (it needs Node.js and npm)", filepath.Join(bin, stack.UIDir))
	}
	st, err := stack.New(stack.Config{
		Bin: bin, JaegerConfig: filepath.Join(root, "ch04-jaeger", "jaeger", "config.yaml"), Echo: echo,
		Env: []string{"OTEL_BSP_SCHEDULE_DELAY=200"}, FreePorts: freePorts, Program: program,
	})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, st.Stop())
		}
	}()
	if err := st.StartJaeger(ctx); err != nil {
		return nil, err
	}
	for _, s := range Services {
		if err := st.StartService(ctx, s); err != nil {
			return nil, err
		}
	}
	// No keep-alive: no idle connection outlives a test for goleak to find.
	return &Chain{Stack: st, client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}, nil
}

// Stop stops the services and Jaeger.
func (c *Chain) Stop() error { return c.Stack.Stop() }

// UI is the base URL of the Jaeger UI.
func (c *Chain) UI() string { return c.Stack.JaegerAddrs.QueryURL() }

// Study sends one request to the edge with query's knobs ("?slow=read", "?fail=write") and
// returns its trace ID and HTTP status.
func (c *Chain) Study(ctx context.Context, query string) (string, int, error) {
	body := []byte(`{"student":"Ada","text":"Ada reads the notes. Then she writes a program!"}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, edgeURL+query, bytes.NewReader(body))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	var out struct {
		TraceID string `json:"trace_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.TraceID == "" {
		return "", resp.StatusCode, fmt.Errorf("POST %s%s: %s, no trace ID (%v)", edgeURL, query, resp.Status, err)
	}
	return out.TraceID, resp.StatusCode, nil
}

// WaitForSpans waits until Jaeger has at least n spans of the trace, so the UI shows all of them.
func (c *Chain) WaitForSpans(ctx context.Context, traceID string, n int) error {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	got := 0
	for {
		if got = c.spans(ctx, traceID); got >= n {
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("trace %s: Jaeger has %d spans, want %d: %w", traceID, got, n, ctx.Err())
		}
	}
}

// spans counts the spans Jaeger has of a trace (0 while it has none).
func (c *Chain) spans(ctx context.Context, traceID string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.UI()+"/api/traces/"+traceID, nil)
	if err != nil {
		return 0
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	var out struct {
		Data []struct{ Spans []json.RawMessage }
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&out) != nil || len(out.Data) == 0 {
		return 0
	}
	return len(out.Data[0].Spans)
}
