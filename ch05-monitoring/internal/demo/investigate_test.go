package demo

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/promquery"
)

// fakePrometheus answers the demo's questions in the shape of Prometheus 3's API, with values
// from a real run (the end-to-end TestDemo asks the real one).
func fakePrometheus(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/query", func(w http.ResponseWriter, r *http.Request) {
		values := map[string]string{
			"job:requests:rate1m": "50.6", "job:error_ratio:rate1m": "0.1",
			"job:latency_seconds:p50_1m": "0.0019", "job:latency_seconds:p90_1m": "0.0094", "job:latency_seconds:p99_1m": "0.9496",
		}
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"listen"},"value":[1795643270.5,"` +
			values[r.FormValue("query")] + `"]}]}}`))
	})
	mux.HandleFunc("/api/v1/alerts", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"success","data":{"alerts":[` +
			`{"labels":{"alertname":"HighLatencyP99","job":"read"},"annotations":{"summary":"read: p99 latency 950ms"},"state":"firing","activeAt":"2026-11-25T21:50:00Z","value":"9.5e-01"},` +
			`{"labels":{"alertname":"HighErrorRatio","job":"write"},"annotations":{"summary":"write: 9.987% of requests fail"},"state":"firing","activeAt":"2026-11-25T21:50:00Z","value":"9.987e-02"}]}}`))
	})
	mux.HandleFunc("/api/v1/query_exemplars", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"success","data":[` +
			`{"seriesLabels":{"__name__":"http_server_request_duration_seconds_bucket","job":"listen","le":"0.005","http_response_status_code":"200"},` +
			`"exemplars":[{"labels":{"span_id":"84d821ae9b0d340d","trace_id":"7053486d98b6589754a6e527234322de"},"value":"0.0019","timestamp":1795643270.1}]},` +
			`{"seriesLabels":{"__name__":"http_server_request_duration_seconds_bucket","job":"listen","le":"1.0","http_response_status_code":"200"},` +
			`"exemplars":[{"labels":{"span_id":"d7183f3819520673","trace_id":"b3aa8f2ca531d46fcb3413be829c666b"},"value":"0.506","timestamp":1795643270.5}]}]}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestTheWalkReadsPrometheusThroughTheClient: the RED row, the alerts (sorted), and the slowest
// exemplar with its bucket, as the demo prints them from client_golang's answers.
func TestTheWalkReadsPrometheusThroughTheClient(t *testing.T) {
	prom, err := promquery.New(fakePrometheus(t))
	require.NoError(t, err)
	ctx := context.Background()
	var out bytes.Buffer

	require.NoError(t, redTable(ctx, &out, prom))
	assert.Regexp(t, `(?m)^ +listen +50\.6 +10\.0% +1\.9ms +9\.4ms +949\.6ms$`, out.String())

	out.Reset()
	require.NoError(t, alerts(ctx, &out, prom))
	assert.Equal(t, "\n# alerts (2)\n"+
		"firing   HighErrorRatio  job=write   write: 9.987% of requests fail\n"+
		"firing   HighLatencyP99  job=read    read: p99 latency 950ms\n", out.String())

	out.Reset()
	traceID, spans, err := p99Exemplar(ctx, &out, prom, time.Now().Add(-time.Minute))
	require.NoError(t, err)
	assert.Equal(t, "b3aa8f2ca531d46fcb3413be829c666b", traceID, "the slowest of the exemplars")
	assert.Equal(t, 9, spans, "an answered request's trace is whole at nine spans")
	assert.Contains(t, out.String(), "(2 exemplars kept)")
	assert.Contains(t, out.String(), "bucket le=1.0  value 506ms  trace_id=b3aa8f2ca531d46fcb3413be829c666b\n")
}
