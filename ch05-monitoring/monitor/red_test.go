package monitor_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
)

func TestRequestsAreCountedByServiceMethodAndStatus(t *testing.T) {
	m := start(t)
	for range 3 {
		require.NotEmpty(t, m.study(t, "").TraceID)
	}
	m.study(t, "?fail=listen") // fails at the edge: nothing downstream runs

	m.eventually(t, chain.Listen, "http.server.request.duration", "http.response.status_code", map[string]uint64{"200": 3, "500": 1})
	for _, s := range []string{chain.Speak, chain.Read, chain.Write} {
		m.eventually(t, s, "rpc.server.call.duration", "rpc.response.status_code", map[string]uint64{"OK": 3})
	}
	m.eventually(t, chain.Sing, "http.server.request.duration", "http.response.status_code", map[string]uint64{"200": 3})
	m.eventually(t, chain.Read, "rpc.server.call.duration", "rpc.method", map[string]uint64{"study.v1.ReadService/Read": 3})

	words, ok := m.collect(t, chain.Read)["study.words"].Data.(metricdata.Sum[int64])
	require.True(t, ok)
	require.Len(t, words.DataPoints, 1)
	assert.Equal(t, int64(27), words.DataPoints[0].Value, "three texts of nine words")
}

func TestFailuresShowInTheStatusCodes(t *testing.T) {
	m := start(t)
	m.study(t, "?fail=write")
	m.eventually(t, chain.Write, "rpc.server.call.duration", "rpc.response.status_code", map[string]uint64{"UNAVAILABLE": 1})
	m.eventually(t, chain.Listen, "http.server.request.duration", "http.response.status_code", map[string]uint64{"502": 1})
}

func TestDurationsCarryExemplarsOfRecordedTraces(t *testing.T) {
	m := start(t)
	var traces = map[string]bool{}
	for range 3 {
		traces[m.study(t, "").TraceID] = true
	}
	m.eventually(t, chain.Read, "rpc.server.call.duration", "rpc.method", map[string]uint64{"study.v1.ReadService/Read": 3})
	recorded := map[string]bool{}
	for _, s := range m.spans.Ended() {
		recorded[s.SpanContext().TraceID().String()] = true
	}
	for _, service := range []string{chain.Listen, chain.Read} {
		name := map[string]string{chain.Listen: "http.server.request.duration", chain.Read: "rpc.server.call.duration"}[service]
		h := m.collect(t, service)[name].Data.(metricdata.Histogram[float64])
		var n int
		for _, dp := range h.DataPoints {
			for _, ex := range dp.Exemplars {
				id := hex.EncodeToString(ex.TraceID)
				assert.True(t, traces[id], "%s exemplar %s is one of the requests' traces", service, id)
				assert.True(t, recorded[id], "and its trace was recorded")
				n++
			}
		}
		assert.Positive(t, n, "%s has exemplars", service)
	}
}

func TestLogRecordsInARequestNameItsTrace(t *testing.T) {
	m := start(t)
	ok := m.study(t, "")
	failed := m.study(t, "?fail=write")
	byMsg := map[string][]map[string]any{}
	for _, r := range m.logs.records(t) {
		byMsg[r["msg"].(string)] = append(byMsg[r["msg"].(string)], r)
	}
	require.Len(t, byMsg["study answered"], 1)
	assert.Equal(t, ok.TraceID, byMsg["study answered"][0]["trace_id"])
	require.Len(t, byMsg["injected failure"], 1, "write's own log line")
	assert.Equal(t, failed.TraceID, byMsg["injected failure"][0]["trace_id"])
	require.Len(t, byMsg["study failed"], 1)
	assert.Equal(t, failed.TraceID, byMsg["study failed"][0]["trace_id"])
	for msg, recs := range byMsg {
		if msg == "serving" {
			continue // startup, outside any request
		}
		for _, r := range recs {
			assert.Regexp(t, `^[0-9a-f]{16}$`, r["span_id"], msg)
		}
	}
}
