package chain_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/httpjson"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
	"github.com/rpc-tracing/workbook/internal/spantest"
)

// server returns the SERVER span of the named service, if the trace has one.
func server(spans []sdktrace.ReadOnlySpan, name string) sdktrace.ReadOnlySpan {
	for _, s := range spans {
		if service(s) == name && s.SpanKind().String() == "server" {
			return s
		}
	}
	return nil
}

func hasEvent(s sdktrace.ReadOnlySpan, name string) bool {
	for _, e := range s.Events() {
		if e.Name == name {
			return true
		}
	}
	return false
}

func TestFailingServiceIsWhereTheErrorStarts(t *testing.T) {
	c := startChain(t, chain.DefaultConfig())
	status, body := c.post(t, "?fail=write", ada, nil)
	require.Equal(t, http.StatusBadGateway, status)
	resp := decode(t, body)
	require.NotEmpty(t, resp.TraceID, "the error names its trace")

	// listen, speak (server and two clients), write, and read unless the failure cancelled its
	// call (the fan-out's errgroup cancels the other branch): before it arrived, read's server
	// span is missing; before it started, speak's client span to read too. sing is never called.
	spans := c.atLeast(t, resp.TraceID, 5, write.Name)
	writeSpan := server(spans, write.Name)
	require.NotNil(t, writeSpan)
	assert.Equal(t, codes.Error, writeSpan.Status().Code)
	assert.Contains(t, writeSpan.Status().Description, "injected failure")
	assert.True(t, hasEvent(writeSpan, "injected failure"), "the culprit says what happened to it")
	assert.Nil(t, server(spans, sing.Name))
	if readSpan := server(spans, read.Name); readSpan != nil {
		assert.NotEqual(t, codes.Error, readSpan.Status().Code, "the healthy branch stays healthy")
	}
	assert.Equal(t, "write", spantest.Attr(writeSpan, faults.BaggageFail), "the knob is in the trace too")
}

func TestFailingHTTPServiceAtTheEndOfTheChain(t *testing.T) {
	c := startChain(t, chain.DefaultConfig())
	status, body := c.post(t, "?fail=sing", ada, nil)
	require.Equal(t, http.StatusBadGateway, status)
	// Every span of the chain, but for the read branch when sing's failure, coming back through
	// write, made the fan-out's errgroup cancel the read call first: read's server span is missing
	// when it was cancelled before it arrived, speak's client span to read too when it was
	// cancelled before it started (both seen in tests).
	spans := c.atLeast(t, decode(t, body).TraceID, 7, sing.Name)
	singSpan := server(spans, sing.Name)
	require.NotNil(t, singSpan)
	assert.Equal(t, codes.Error, singSpan.Status().Code, "HTTP 500 marks the server span")
	assert.True(t, hasEvent(singSpan, "injected failure"))
}

func TestSlowServiceMissesTheEdgeDeadline(t *testing.T) {
	cfg := chain.DefaultConfig()
	cfg.Timeout, cfg.Delay = 200*time.Millisecond, 5*time.Second
	c := startChain(t, cfg)
	start := time.Now()
	status, body := c.post(t, "?slow=read", ada, nil)
	require.Equal(t, http.StatusGatewayTimeout, status, "%s", body)
	assert.Less(t, time.Since(start), cfg.Delay, "nobody waited for the slow service")

	spans := c.spansOf(t, decode(t, body).TraceID, 9)
	readSpan := server(spans, read.Name)
	require.NotNil(t, readSpan)
	assert.True(t, hasEvent(readSpan, "injected delay"))
	assert.Less(t, readSpan.EndTime().Sub(readSpan.StartTime()), cfg.Delay, "read stopped when the deadline passed: it reached read as its gRPC deadline")
	// Its context ended by its own copy of the deadline or by speak's cancellation: a race. That
	// the copy is there at all, TestEdgeTimeoutArrivesDownstreamAsTheGRPCDeadline proves.
	assert.Contains(t, []string{"DEADLINE_EXCEEDED", "CANCELLED"}, spantest.Attr(readSpan, "rpc.response.status_code"))
}

func TestBadRequestsGetClearErrors(t *testing.T) {
	c := startChain(t, chain.DefaultConfig())
	cases := []struct {
		name   string
		query  string
		body   any
		status int
		want   string
	}{
		{"no student", "", listen.StudyRequest{Text: "x"}, http.StatusBadRequest, "student is required"},
		{"no text", "", listen.StudyRequest{Student: "Ada"}, http.StatusBadRequest, "text is required"},
		{"long name", "", listen.StudyRequest{Student: strings.Repeat("a", 65), Text: "x"}, http.StatusBadRequest, "longer than 64"},
		{"unknown field", "", map[string]string{"student": "Ada", "text": "x", "grade": "A"}, http.StatusBadRequest, `unknown field "grade"`},
		{"not an object", "", []int{1, 2}, http.StatusBadRequest, "not the JSON expected"},
		{"unknown knob target", "?slow=db", ada, http.StatusBadRequest, `slow="db": want one of`},
		{"too large", "", listen.StudyRequest{Student: "Ada", Text: strings.Repeat("a", httpjson.MaxBodyBytes)}, http.StatusRequestEntityTooLarge, "larger than 65536 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := c.post(t, tc.query, tc.body, nil)
			assert.Equal(t, tc.status, status)
			var e struct{ Error, TraceID string }
			require.NoError(t, json.Unmarshal(body, &e), "%s", body)
			assert.Contains(t, e.Error, tc.want)
			assert.Regexp(t, `"trace_id":"[0-9a-f]{32}"`, string(body), "even a rejected request names its trace")
		})
	}
	// And the edge still serves.
	status, _ := c.post(t, "", ada, nil)
	assert.Equal(t, http.StatusOK, status)
}

func TestWrongMethodIsRejected(t *testing.T) {
	c := startChain(t, chain.DefaultConfig())
	resp, err := http.Get(c.url)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}
