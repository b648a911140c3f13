//go:build e2e

package production

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/internal/demo"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/launch"
	"github.com/rpc-tracing/workbook/internal/stack"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	bin                   = "../../../bin"
	configDir             = "../../production" // collector.yaml, storage.yaml, strategies.json
	storageHealth         = "http://127.0.0.1:24133/status"
	collectorHealth       = "http://127.0.0.1:14133/status"
	keepPercent           = 10 // collector.yaml's probabilistic policy
	edgeAddr              = "127.0.0.1:18080"
	normal, slow, failing = 300, 20, 20
)

var (
	storage = jaegerapi.Client{URL: "http://127.0.0.1:26686"}
	client  = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	// The chain on ports of its own, so this topology never meets chapter 4's default one.
	serviceArgs = []string{"-listen", edgeAddr, "-speak", "127.0.0.1:18061", "-read", "127.0.0.1:18062",
		"-write", "127.0.0.1:18063", "-sing", "127.0.0.1:18081"}
)

type topology struct {
	st        *stack.Stack
	storage   *launch.Proc
	collector *launch.Proc
	badgerDir string
}

func (tp *topology) startStorage(t *testing.T) {
	t.Helper()
	p, err := tp.st.StartBackend(context.Background(), "storage", "jaeger", []string{"--config", filepath.Join(configDir, "storage.yaml")},
		StorageEnv(configDir, tp.badgerDir), storageHealth)
	require.NoError(t, err)
	tp.storage = p
}

func (tp *topology) startCollector(t *testing.T) {
	t.Helper()
	p, err := tp.st.StartBackend(context.Background(), "collector", "jaeger", []string{"--config", filepath.Join(configDir, "collector.yaml")}, nil, collectorHealth)
	require.NoError(t, err)
	tp.collector = p
}

// start starts storage, the collector tier unless the services' env sends them elsewhere, and
// the five services with env.
func start(t *testing.T, withCollector bool, env ...string) *topology {
	t.Helper()
	st, err := stack.New(stack.Config{Bin: bin, Env: append(env, "OTEL_BSP_SCHEDULE_DELAY=200"), Program: demo.Program})
	require.NoError(t, err, "an end-to-end test fails without its backends")
	tp := &topology{st: st, badgerDir: t.TempDir()}
	t.Cleanup(func() { assert.NoError(t, st.Stop()) })
	tp.startStorage(t)
	if withCollector {
		tp.startCollector(t)
	}
	for _, s := range chain.Services {
		require.NoError(t, st.StartService(context.Background(), s, serviceArgs...))
	}
	return tp
}

// send makes one request with the query's knobs and returns its trace ID and latency.
func send(query string) (string, time.Duration, error) {
	body, _ := json.Marshal(listen.StudyRequest{Student: "Lin", Text: "Lin studies the logs. Then she writes it up."})
	start := time.Now()
	resp, err := client.Post("http://"+edgeAddr+"/api/study"+query, "application/json", bytes.NewReader(body))
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", 0, err
	}
	var out struct {
		TraceID string `json:"trace_id"`
	}
	if err := json.Unmarshal(data, &out); err != nil || out.TraceID == "" {
		return "", 0, fmt.Errorf("%s: %s", resp.Status, data)
	}
	return out.TraceID, time.Since(start), nil
}

func sendMany(t *testing.T, query string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		id, _, err := send(query)
		require.NoError(t, err)
		ids[i] = id
	}
	return ids
}

// stored returns how many spans storage has for the trace (0 if none), waiting up to wait for
// want spans.
func stored(t *testing.T, id string, want int, wait time.Duration) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	spans, _ := storage.WaitForTrace(ctx, id, func(s []jaegerapi.Span) bool { return len(s) >= want })
	return len(spans)
}

// lookup returns the spans storage has for the trace right now (none if it has not kept it).
func lookup(t *testing.T, id string) []jaegerapi.Span {
	t.Helper()
	spans, err := storage.Trace(context.Background(), id)
	if errors.Is(err, jaegerapi.ErrNotFound) {
		return nil
	}
	require.NoError(t, err)
	return spans
}

// storedWhole waits up to wait for storage to have the trace whole (see Whole) and returns what
// it has then.
func storedWhole(t *testing.T, id string, failing bool, wait time.Duration) []jaegerapi.Span {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	spans, _ := storage.WaitForTrace(ctx, id, func(s []jaegerapi.Span) bool { return Whole(s, failing) })
	return spans
}
