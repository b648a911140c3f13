package promapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch05-monitoring/promapi"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fake answers in the shape of Prometheus 3's API (the end-to-end tests ask the real one).
func fake(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/query", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("query") == "bad(" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"}`))
			return
		}
		if at := r.URL.Query().Get("time"); at != "" { // echo the evaluation time back as the value
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[` + at + `,"` + at + `"]}]}}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"read"},"value":[1795643270.5,"12.5"]}]}}`))
	})
	mux.HandleFunc("GET /api/v1/alerts", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"success","data":{"alerts":[{"labels":{"alertname":"HighErrorRatio","job":"write"},"annotations":{"summary":"write fails"},"state":"firing","activeAt":"2026-11-25T21:50:00Z","value":"1e-01"}]}}`))
	})
	mux.HandleFunc("GET /api/v1/query_exemplars", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"success","data":[{"seriesLabels":{"__name__":"http_server_request_duration_seconds_bucket","job":"listen","le":"0.5"},"exemplars":[{"labels":{"span_id":"090e66ce17f7fc28","trace_id":"3d79a3206113cbb8bb8cdb7c44eafa13"},"value":"0.503","timestamp":1795643270.502}]}]}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestQuery(t *testing.T) {
	c := promapi.Client{URL: fake(t).URL}
	got, err := c.Query(context.Background(), "job:requests:rate1m")
	require.NoError(t, err)
	assert.Equal(t, []promapi.Sample{{Labels: map[string]string{"job": "read"}, Value: 12.5}}, got)

	_, err = c.Query(context.Background(), "bad(")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unclosed left parenthesis", "Prometheus's own message")
}

func TestQueryAtAsksForThatTime(t *testing.T) {
	c := promapi.Client{URL: fake(t).URL}
	got, err := c.QueryAt(context.Background(), "up", time.UnixMilli(1795643270250))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, 1795643270.25, got[0].Value, "the time parameter, in seconds with milliseconds")
}

func TestAlerts(t *testing.T) {
	got, err := promapi.Client{URL: fake(t).URL}.Alerts(context.Background())
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "firing", got[0].State)
	assert.Equal(t, "write", got[0].Labels["job"])
}

func TestExemplars(t *testing.T) {
	got, err := promapi.Client{URL: fake(t).URL}.Exemplars(context.Background(), `http_server_request_duration_seconds_bucket{job="listen"}`, time.Now().Add(-time.Hour), time.Now())
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "3d79a3206113cbb8bb8cdb7c44eafa13", got[0].Labels["trace_id"])
	assert.Equal(t, 0.503, got[0].Value)
	assert.Equal(t, "listen", got[0].SeriesLabels["job"])
	assert.Equal(t, int64(1795643270), got[0].Time.Unix())
}
