// Package scrape reads a /metrics handler the way Prometheus does, for tests: it asks for the
// delimited protobuf format, the one that carries native histograms and exemplars, and decodes
// the answer with expfmt, the decoder Prometheus's client libraries share.
package scrape

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/require"
)

// Protobuf GETs /metrics from handler in the delimited protobuf format and returns the metric
// families in the order the handler wrote them.
func Protobuf(t testing.TB, handler http.Handler) []*dto.MetricFamily {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", string(expfmt.NewFormat(expfmt.TypeProtoDelim)))
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	format := expfmt.ResponseFormat(rec.Header())
	require.Equal(t, expfmt.TypeProtoDelim, format.FormatType(), "answered in the format asked for: %s", format)
	var families []*dto.MetricFamily
	dec := expfmt.NewDecoder(rec.Body, format)
	for {
		var family dto.MetricFamily
		err := dec.Decode(&family)
		if errors.Is(err, io.EOF) {
			return families
		}
		require.NoError(t, err)
		families = append(families, &family)
	}
}

// ByName indexes metric families by their name.
func ByName(families []*dto.MetricFamily) map[string]*dto.MetricFamily {
	byName := make(map[string]*dto.MetricFamily, len(families))
	for _, f := range families {
		byName[f.GetName()] = f
	}
	return byName
}
