package monitor_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
	"github.com/rpc-tracing/workbook/ch04-jaeger/speak"
	"github.com/rpc-tracing/workbook/ch04-jaeger/write"
	"github.com/rpc-tracing/workbook/ch05-monitoring/tracelog"
)

func TestRequestsAreCountedByServiceMethodAndStatus(t *testing.T) {
	m := start(t)
	for range 3 {
		require.NotEmpty(t, m.study(t, "").TraceID)
	}
	m.study(t, "?fail=listen") // fails at the edge: nothing downstream runs

	m.eventually(t, listen.Name, "http.server.request.duration", "http.response.status_code", map[string]uint64{"200": 3, "500": 1})
	for _, s := range []string{speak.Name, read.Name, write.Name} {
		m.eventually(t, s, "rpc.server.call.duration", "rpc.response.status_code", map[string]uint64{"OK": 3})
	}
	m.eventually(t, sing.Name, "http.server.request.duration", "http.response.status_code", map[string]uint64{"200": 3})
	m.eventually(t, read.Name, "rpc.server.call.duration", "rpc.method", map[string]uint64{"study.v1.ReadService/Read": 3})

	words, ok := m.collect(t, read.Name)["study.words"].Data.(metricdata.Sum[int64])
	require.True(t, ok)
	require.Len(t, words.DataPoints, 1)
	assert.Equal(t, int64(27), words.DataPoints[0].Value, "three texts of nine words")
}

func TestFailuresShowInTheStatusCodes(t *testing.T) {
	m := start(t)
	m.study(t, "?fail=write")
	m.eventually(t, write.Name, "rpc.server.call.duration", "rpc.response.status_code", map[string]uint64{"UNAVAILABLE": 1})
	m.eventually(t, listen.Name, "http.server.request.duration", "http.response.status_code", map[string]uint64{"502": 1})
}

func TestDurationsCarryExemplarsOfRecordedTraces(t *testing.T) {
	m := start(t)
	var traces = map[string]bool{}
	for range 3 {
		traces[m.study(t, "").TraceID] = true
	}
	m.eventually(t, read.Name, "rpc.server.call.duration", "rpc.method", map[string]uint64{"study.v1.ReadService/Read": 3})
	recorded := map[string]bool{}
	for _, s := range m.spans.Ended() {
		recorded[s.SpanContext().TraceID().String()] = true
	}
	for _, service := range []string{listen.Name, read.Name} {
		name := map[string]string{listen.Name: "http.server.request.duration", read.Name: "rpc.server.call.duration"}[service]
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

// loggedIn is a log line as a test sees it: its message, and the name of the recorded span its
// trace_id and span_id lead to.
type loggedIn struct{ msg, span string }

// TestEveryLogRecordInARequestCarriesItsSpansIDs matches each line logged during a request to the
// span that was current when it was written: its trace_id is the request's, its span_id is the ID
// of a recorded span of that trace, and that span is the server span of the service that logged
// the line. Requests are sent one at a time, so the lines that appear while one is in flight are
// that request's: all of them are logged before the edge answers.
func TestEveryLogRecordInARequestCarriesItsSpansIDs(t *testing.T) {
	m := start(t)
	listen, write := serverSpan[listen.Name], serverSpan[write.Name]
	requests := []struct {
		query string
		want  []loggedIn
	}{
		{"", []loggedIn{{"study answered", listen}}},
		{"?fail=write", []loggedIn{{"injected failure", write}, {"study failed", listen}}},
		{"?fail=listen", []loggedIn{{"injected failure", listen}}},
	}
	for _, r := range requests {
		before := len(records(t, m.logs))
		traceID := m.study(t, r.query).TraceID
		var got []loggedIn
		for _, rec := range records(t, m.logs)[before:] {
			msg, _ := rec["msg"].(string)
			if msg == "serving" {
				assert.NotContains(t, rec, tracelog.TraceIDKey, "a service starting is in no request")
				continue
			}
			require.Equal(t, traceID, rec[tracelog.TraceIDKey], "%q in request %q names the request's trace", msg, r.query)
			spanID, _ := rec[tracelog.SpanIDKey].(string)
			_, err := trace.SpanIDFromHex(spanID)
			require.NoError(t, err, "%q in request %q has a valid span_id", msg, r.query)
			span := m.endedSpan(t, traceID, spanID)
			got = append(got, loggedIn{msg, span.Name()})
		}
		assert.Equal(t, r.want, got, "request %q: each line and the span it names", r.query)
	}
}
