package chain_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
)

const (
	callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	callerSpan  = "00f067aa0ba902b7"
	traceparent = "00-" + callerTrace + "-" + callerSpan + "-01"
)

func TestEdgeContinuesAnIncomingTraceparent(t *testing.T) {
	c := startChain(t, chain.DefaultConfig())
	status, body := c.post(t, "", ada, http.Header{"Traceparent": {traceparent}})
	require.Equal(t, http.StatusOK, status)
	resp := decode(t, body)
	assert.Equal(t, callerTrace, resp.TraceID, "the caller's trace goes on")
	listen := server(c.spansOf(t, callerTrace, 9), chain.Listen)
	require.NotNil(t, listen)
	assert.Equal(t, callerSpan, listen.Parent().SpanID().String())
}

func TestMalformedTraceparentStartsANewTrace(t *testing.T) {
	c := startChain(t, chain.DefaultConfig())
	status, body := c.post(t, "", ada, http.Header{"Traceparent": {"00-zzzz-not-a-trace-01"}})
	require.Equal(t, http.StatusOK, status, "a bad header never fails the request")
	resp := decode(t, body)
	require.Len(t, resp.TraceID, 32)
	listen := server(c.spansOf(t, resp.TraceID, 9), chain.Listen)
	require.NotNil(t, listen)
	assert.False(t, listen.Parent().IsValid(), "a new root")
}

func TestPublicEdgeStartsANewTraceLinkedToTheCallers(t *testing.T) {
	cfg := chain.DefaultConfig()
	cfg.PublicEndpoint = true
	c := startChain(t, cfg)
	status, body := c.post(t, "", ada, http.Header{"Traceparent": {traceparent}})
	require.Equal(t, http.StatusOK, status)
	resp := decode(t, body)
	assert.NotEqual(t, callerTrace, resp.TraceID, "an outsider does not choose our trace IDs")
	listen := server(c.spansOf(t, resp.TraceID, 9), chain.Listen)
	require.NotNil(t, listen)
	assert.False(t, listen.Parent().IsValid())
	require.Len(t, listen.Links(), 1, "the caller's context is kept as a link")
	assert.Equal(t, callerTrace, listen.Links()[0].SpanContext.TraceID().String())
	assert.Equal(t, callerSpan, listen.Links()[0].SpanContext.SpanID().String())
}
