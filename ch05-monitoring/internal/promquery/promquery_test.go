package promquery_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/promquery"
)

// fake answers in the shape of Prometheus 3's API (the end-to-end tests ask the real one).
// client_golang sends a query as a POST form and falls back to GET: FormValue reads either.
func fake(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/query", func(w http.ResponseWriter, r *http.Request) {
		switch q := r.FormValue("query"); {
		case q == "bad(":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"}`))
		case q == "42":
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"scalar","result":[1795643270.5,"42"]}}`))
		case r.FormValue("time") != "": // echo the evaluation time back as the value
			at := r.FormValue("time")
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[` + at + `,"` + at + `"]}]}}`))
		default:
			_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"read"},"value":[1795643270.5,"12.5"]}]}}`))
		}
	})
	mux.HandleFunc("/api/v1/targets", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"success","data":{"activeTargets":[` +
			`{"labels":{"job":"read"},"scrapePool":"read","scrapeUrl":"http://127.0.0.1:9103/metrics","health":"up"},` +
			`{"labels":{"job":"sing"},"scrapePool":"sing","scrapeUrl":"http://127.0.0.1:9105/metrics","health":"down","lastError":"connection refused"},` +
			`{"labels":{"job":"write"},"scrapePool":"write","scrapeUrl":"http://127.0.0.1:9104/metrics","health":"unknown"}` +
			`],"droppedTargets":[]}}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestVector(t *testing.T) {
	prom, err := promquery.New(fake(t))
	require.NoError(t, err)
	ctx := context.Background()

	got, err := promquery.Vector(ctx, prom, "job:requests:rate1m", time.Time{})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, model.LabelValue("read"), got[0].Metric["job"])
	assert.Equal(t, model.SampleValue(12.5), got[0].Value)

	_, err = promquery.Vector(ctx, prom, "bad(", time.Time{})
	assert.ErrorContains(t, err, "unclosed left parenthesis", "Prometheus's own message")

	_, err = promquery.Vector(ctx, prom, "42", time.Time{})
	assert.ErrorContains(t, err, "want an instant vector, got a scalar")
}

func TestVectorAsksForThatTime(t *testing.T) {
	prom, err := promquery.New(fake(t))
	require.NoError(t, err)
	got, err := promquery.Vector(context.Background(), prom, "up", time.UnixMilli(1795643270250))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.InDelta(t, 1795643270.25, float64(got[0].Value), 1e-3, "the time parameter, in seconds")
}

func TestTargetsUp(t *testing.T) {
	prom, err := promquery.New(fake(t))
	require.NoError(t, err)
	up, total, err := promquery.TargetsUp(context.Background(), prom)
	require.NoError(t, err)
	assert.Equal(t, 1, up, "only read answered its last scrape")
	assert.Equal(t, 3, total)
}
