package jaegerapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/waterfall"
)

// failingWrite is a real answer of Jaeger v2 (v2.12.0) to GET /api/v3/traces/{id}, for a request
// made with ?fail=write, saved from the chapter's chain: the OTLP the services sent, as OTLP/JSON
// (IDs in hex, enums as numbers) inside the API's {"result": …}.
const failingWrite = "2367d3fd230ecf2334a6db0ca201c82d"

func fixture(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/failing-write.json")
	require.NoError(t, err)
	return data
}

func TestTraceDecodesJaegersOTLP(t *testing.T) {
	data := fixture(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/api/v3/traces/"+failingWrite, r.URL.Path)
		_, _ = w.Write(data)
	}))
	defer srv.Close()

	spans, err := jaegerapi.Client{URL: srv.URL}.Trace(context.Background(), failingWrite)
	require.NoError(t, err)
	require.Len(t, spans, 7)
	byID := map[string]jaegerapi.Span{}
	services := map[string]bool{}
	for _, s := range spans {
		byID[s.SpanID] = s
		services[s.Service] = true
		assert.Equal(t, failingWrite, s.TraceID)
		assert.Equal(t, "Ada", s.Attributes["study.student"], "baggage copied onto %s %s", s.Service, s.Name)
	}
	assert.Equal(t, map[string]bool{"listen": true, "speak": true, "read": true, "write": true}, services)
	roots := 0
	for _, s := range spans {
		if s.ParentSpanID == "" {
			roots++
			assert.Equal(t, "listen", s.Service)
			assert.Equal(t, "server", s.Kind)
			continue
		}
		_, ok := byID[s.ParentSpanID]
		assert.True(t, ok, "parent of %s is in the trace", s.Name)
	}
	assert.Equal(t, 1, roots)
	for _, s := range spans {
		if s.Service == "write" && s.Kind == "server" {
			assert.True(t, s.Error)
			assert.Equal(t, "write: injected failure", s.ErrorMessage)
			assert.Positive(t, s.Duration)
		}
	}
	assert.Len(t, jaegerapi.Waterfall(spans), 7)
}

func TestMissingTraceIsErrNotFound(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := jaegerapi.Client{URL: srv.URL}.Trace(context.Background(), "0123")
	require.ErrorIs(t, err, jaegerapi.ErrNotFound)
}

func TestWaitForTracePollsUntilComplete(t *testing.T) {
	data := fixture(t)
	var calls atomic.Int64
	spans, err := waitOn(t, func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) < 3 { // not stored yet, as right after the request
			http.NotFound(w, nil)
			return
		}
		_, _ = w.Write(data)
	}, 10*time.Second, 7)
	require.NoError(t, err)
	assert.Len(t, spans, 7)
	assert.GreaterOrEqual(t, calls.Load(), int64(3))
}

// TestWaitForTraceGivesUpWithWhatItHas: when the deadline ends the wait, what the last complete
// look found is reported with the error, whether the deadline falls between two looks or in the
// middle of one (a slow Jaeger).
func TestWaitForTraceGivesUpWithWhatItHas(t *testing.T) {
	data := fixture(t)
	tests := []struct {
		name string
		slow bool // every look after the first outlasts the deadline
	}{
		{"between two looks", false},
		{"in the middle of a look", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int64
			spans, err := waitOn(t, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) > 1 && tc.slow {
					<-r.Context().Done()
					return
				}
				_, _ = w.Write(data)
			}, 500*time.Millisecond, 9)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), "incomplete (7 spans)")
			assert.Len(t, spans, 7)
		})
	}
}

// waitOn serves handler as Jaeger's API and waits on it, for at most timeout, until failingWrite's
// trace has want spans.
func waitOn(t *testing.T, handler http.HandlerFunc, timeout time.Duration, want int) ([]jaegerapi.Span, error) {
	t.Helper()
	srv := httptest.NewServer(handler)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return jaegerapi.Client{URL: srv.URL}.WaitForTrace(ctx, failingWrite, func(s []jaegerapi.Span) bool { return len(s) == want })
}

func TestTraceURL(t *testing.T) {
	assert.Equal(t, "http://127.0.0.1:16686/trace/abc", jaegerapi.Client{URL: jaegerapi.DefaultURL}.TraceURL("abc"))
}

func TestPathsNameEachSpanByItsAncestry(t *testing.T) {
	span := func(id, parent, service, kind string) jaegerapi.Span {
		return jaegerapi.Span{Span: waterfall.Span{SpanID: id, ParentSpanID: parent, Service: service, Kind: kind}}
	}
	spans := []jaegerapi.Span{
		span("b", "a", "listen", "client"),
		span("a", "caller", "listen", "server"), // its parent is outside the trace: a root
		span("c", "b", "speak", "server"),
		span("x", "lost", "read", "server"), // an orphan
		span("l1", "l2", "loop", "server"),
		span("l2", "l1", "loop", "client"),
	}
	assert.Equal(t, []string{
		"listen/server > listen/client",
		"listen/server",
		"listen/server > listen/client > speak/server",
		"read/server",
		"loop/client > loop/server",
		"loop/server > loop/client",
	}, jaegerapi.Paths(spans))
}

// The v3 API writes IDs as hex and enums as numbers, as Jaeger's own snapshot of GetTrace shows;
// kind and status come from the span's fields.
func TestDecodeReadsKindAndStatusFromTheOTLPFields(t *testing.T) {
	body := `{"result":{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"write"}}]},
		"scopeSpans":[{"scope":{},"spans":[{"kind":2,"name":"study.v1.WriteService/Write","spanId":"0000000000000002",
		"parentSpanId":"0000000000000001","traceId":"00000000000000000000000000000001",
		"startTimeUnixNano":"1000","endTimeUnixNano":"3000","status":{"code":2,"message":"write: injected failure"},
		"attributes":[{"key":"rpc.response.status_code","value":{"stringValue":"UNAVAILABLE"}},{"key":"n","value":{"intValue":"7"}}]}]}]}]}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }))
	defer srv.Close()
	spans, err := jaegerapi.Client{URL: srv.URL}.Trace(context.Background(), "00000000000000000000000000000001")
	require.NoError(t, err)
	require.Len(t, spans, 1)
	s := spans[0]
	assert.Equal(t, "00000000000000000000000000000001", s.TraceID)
	assert.Equal(t, "0000000000000002", s.SpanID)
	assert.Equal(t, "0000000000000001", s.ParentSpanID)
	assert.Equal(t, "write", s.Service)
	assert.Equal(t, "server", s.Kind)
	assert.Equal(t, 2*time.Microsecond, s.Duration)
	assert.True(t, s.Error)
	assert.Equal(t, "write: injected failure", s.ErrorMessage)
	assert.Equal(t, "UNAVAILABLE", s.Attributes["rpc.response.status_code"])
	assert.Equal(t, int64(7), s.Attributes["n"])
}

func TestServices(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/api/v3/services", r.URL.Path)
		_, _ = w.Write([]byte(`{"services":["listen","read"]}`))
	}))
	defer srv.Close()
	services, err := jaegerapi.Client{URL: srv.URL}.Services(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"listen", "read"}, services)
}
