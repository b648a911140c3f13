package chain_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
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
	listenSpan := server(c.spansOf(t, callerTrace, 9), listen.Name)
	require.NotNil(t, listenSpan)
	assert.Equal(t, callerSpan, listenSpan.Parent().SpanID().String())
}

func TestMalformedTraceparentStartsANewTrace(t *testing.T) {
	c := startChain(t, chain.DefaultConfig())
	status, body := c.post(t, "", ada, http.Header{"Traceparent": {"00-zzzz-not-a-trace-01"}})
	require.Equal(t, http.StatusOK, status, "a bad header never fails the request")
	resp := decode(t, body)
	require.Len(t, resp.TraceID, 32)
	listenSpan := server(c.spansOf(t, resp.TraceID, 9), listen.Name)
	require.NotNil(t, listenSpan)
	assert.False(t, listenSpan.Parent().IsValid(), "a new root")
}

func TestPublicEdgeStartsANewTraceLinkedToTheCallers(t *testing.T) {
	cfg := chain.DefaultConfig()
	cfg.PublicEndpoint = true
	c := startChain(t, cfg)
	status, body := c.post(t, "", ada, http.Header{"Traceparent": {traceparent}})
	require.Equal(t, http.StatusOK, status)
	resp := decode(t, body)
	assert.NotEqual(t, callerTrace, resp.TraceID, "an outsider does not choose our trace IDs")
	listenSpan := server(c.spansOf(t, resp.TraceID, 9), listen.Name)
	require.NotNil(t, listenSpan)
	assert.False(t, listenSpan.Parent().IsValid())
	require.Len(t, listenSpan.Links(), 1, "the caller's context is kept as a link")
	assert.Equal(t, callerTrace, listenSpan.Links()[0].SpanContext.TraceID().String())
	assert.Equal(t, callerSpan, listenSpan.Links()[0].SpanContext.SpanID().String())
}
