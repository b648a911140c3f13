//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/internal/demo"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/stack"
)

var (
	jaeger = jaegerapi.Client{URL: jaegerapi.DefaultURL}
	// edge is listen's API, on the free port startStack chose.
	edge string
	// No keep-alive: no idle connection outlives the test for goleak to find.
	client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
)

// startStack starts Jaeger and the five services, all on free ports so a demo may hold the
// documented ones; it fails the test if a binary is missing.
func startStack(t *testing.T, env ...string) *stack.Stack {
	t.Helper()
	st, err := stack.New(stack.Config{Bin: "../../../bin", JaegerConfig: "../../jaeger/config.yaml", Env: env, Program: demo.Program, FreePorts: true})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, st.StartJaeger(ctx))
	jaeger.URL = st.JaegerAddrs.QueryURL()
	t.Cleanup(func() { assert.NoError(t, st.Stop()) })
	free, err := stack.FreeAddrsFor(chain.Services)
	require.NoError(t, err)
	services := chain.AddrsOf(free)
	edge = "http://" + services.Listen + "/api/study"
	for _, s := range chain.Services {
		require.NoError(t, st.StartService(ctx, s, services.Flags()...))
	}
	return st
}

// study sends one request, with a traceparent if given, and returns its trace ID and latency.
// It may be called on the test's goroutine only; trySend is for other goroutines.
func study(t *testing.T, query, traceparent string) (string, time.Duration) {
	t.Helper()
	id, d, err := trySend(query, traceparent)
	require.NoError(t, err)
	return id, d
}

// trySend is study without the test: it returns what went wrong instead of failing.
func trySend(query, traceparent string) (string, time.Duration, error) {
	body, err := json.Marshal(listen.StudyRequest{Student: "Grace", Text: "Grace debugs the compiler. It works!"})
	if err != nil {
		return "", 0, err
	}
	req, err := http.NewRequest(http.MethodPost, edge+query, bytes.NewReader(body))
	if err != nil {
		return "", 0, err
	}
	if traceparent != "" {
		req.Header.Set("traceparent", traceparent)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return "", 0, fmt.Errorf("%s: %s", resp.Status, data)
	}
	var out listen.StudyResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return "", 0, err
	}
	return out.TraceID, time.Since(start), nil
}

// whole waits until Jaeger has all nine spans of the trace, from all five services.
func whole(t *testing.T, traceID string, wait time.Duration) []jaegerapi.Span {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	spans, err := jaeger.WaitForTrace(ctx, traceID, func(s []jaegerapi.Span) bool { return len(s) >= 9 })
	require.NoError(t, err)
	require.Len(t, spans, 9)
	return spans
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func TestEndToEnd(t *testing.T) {
	if _, err := os.Stat("../../../bin/jaeger"); err != nil {
		t.Fatalf("bin/jaeger is missing: run `make backends` (an end-to-end test fails without its backend): %v", err)
	}
	st := startStack(t)
	t.Run("one request is one whole trace in Jaeger", func(t *testing.T) { wholeTrace(t) })
	t.Run("requests do not notice Jaeger going away", func(t *testing.T) { outage(t, st) })
	t.Run("SIGTERM after a burst loses no span", func(t *testing.T) { flushOnShutdown(t, st) })
}

func wholeTrace(t *testing.T) {
	traceID, callerSpan := randomHex(t, 16), randomHex(t, 8)
	got, _ := study(t, "", fmt.Sprintf("00-%s-%s-01", traceID, callerSpan))
	require.Equal(t, traceID, got, "the edge continued the caller's trace")

	spans := whole(t, traceID, 30*time.Second)
	services := map[string]bool{}
	for _, s := range spans {
		services[s.Service] = true
		assert.Equal(t, "Grace", s.Attributes[listen.BaggageStudent], "baggage on %s/%s", s.Service, s.Name)
		if s.Service == listen.Name && s.Kind == "server" {
			assert.Equal(t, callerSpan, s.ParentSpanID, "the edge's parent is the caller")
		}
	}
	assert.Len(t, services, 5, "spans from all five services: %v", services)
	assert.ElementsMatch(t, chain.AnsweredTrace, jaegerapi.Paths(spans), "every span under the parent it should have: HTTP → gRPC → (gRPC ‖ gRPC → HTTP)")
}

// TestJaegerConfigsAreValid checks every Jaeger config with the real binary, including the
// Docker ones, which nothing here runs.
func TestJaegerConfigsAreValid(t *testing.T) {
	// The production storage config reads these (the demo and the tests set them).
	env := append(os.Environ(), "JAEGER_BADGER_DIR="+t.TempDir(), "JAEGER_STRATEGIES=../../production/strategies.json")
	for _, cfg := range []string{
		"../../jaeger/config.yaml", "../../jaeger/config-docker.yaml",
		"../../production/collector.yaml", "../../production/storage.yaml",
		"../../production/collector-docker.yaml", "../../production/storage-docker.yaml",
	} {
		cmd := exec.Command("../../../bin/jaeger", "validate", "--config", cfg)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s:\n%s", cfg, out)
	}
}
