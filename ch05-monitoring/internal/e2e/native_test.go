//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/demo"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/load"
	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/promquery"
	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
)

// nativeRequests is the load of TestNativeHistogramsEndToEnd, in the demo's 80/10/10 mix: 40
// requests slowed to about 500ms put the p99 inside the slow requests, where the explicit
// buckets have one bucket from 500ms to 1s.
const nativeRequests = 400

// TestNativeHistogramsEndToEnd sends the demo's mix of requests and asks the real Prometheus for
// the p99 from the explicit buckets and from the native histogram of the same measurements: the
// native one is closer to the p99 the load generator timed, and it costs one series per label
// set where the explicit buckets cost len(DurationBuckets)+3.
func TestNativeHistogramsEndToEnd(t *testing.T) {
	startStack(t)
	t.Run("Prometheus scrapes every target", targetsUp)
	warmUp(t)
	res, err := load.Run(context.Background(), load.Config{
		Target: edgeURL(), Requests: nativeRequests, Concurrency: 4, Mix: demo.Mix,
	})
	require.NoError(t, err)
	require.Equal(t, nativeRequests, res.Overall.Sent)
	require.Less(t, res.Elapsed, 30*time.Second, "the load must fit in the 1m rate window with time to spare")
	total := float64(nativeRequests + warmUpRequests)
	eventuallyValue(t, `sum(http_server_request_duration_seconds_count{job="listen"})`, func(v float64) bool { return v == total })
	eventuallyValue(t, `sum(histogram_count(http_server_request_duration_native_seconds{job="listen"}))`, func(v float64) bool { return v == total })

	t.Run("Prometheus stores a native histogram", nativeIsAHistogram)
	t.Run("the native p99 is closer to the load's own p99", func(t *testing.T) { nativeQuantileIsCloser(t, res) })
	t.Run("a native histogram is one series per label set", seriesCost)
	t.Run("bytes per scrape", scrapeBytes)
}

// nativeIsAHistogram checks that the query answers a histogram, not a number, and logs the
// bucket that holds the slow requests.
func nativeIsAHistogram(t *testing.T) {
	samples, err := promquery.Vector(context.Background(), prom, `http_server_request_duration_native_seconds{job="listen",http_response_status_code="200"}`, time.Time{})
	require.NoError(t, err)
	require.Len(t, samples, 1)
	h := samples[0].Histogram
	require.NotNil(t, h, "a native histogram sample: %v", samples[0])
	assert.EqualValues(t, nativeRequests*9/10+1, h.Count, "the 200s, the warm-up's included")
	for _, b := range h.Buckets {
		if float64(b.Lower) < 0.503 && 0.503 <= float64(b.Upper) {
			ratio := float64(b.Upper / b.Lower)
			t.Logf("%d buckets; the one of the slow requests is (%.4f, %.4f] with %v requests: schema %.0f",
				len(h.Buckets), b.Lower, b.Upper, b.Count, -math.Log2(math.Log2(ratio)))
			assert.Less(t, float64(b.Upper-b.Lower), 0.05, "far narrower than the explicit (0.5, 1]")
			return
		}
	}
	t.Errorf("no bucket holds 503ms: %v", h.Buckets)
}

// nativeQuantileIsCloser compares, for the three services the slow requests go through, the p99
// of the explicit buckets and of the native histogram, asked in the same query at the same time,
// with the p99 the load generator timed from the client's side.
func nativeQuantileIsCloser(t *testing.T, res load.Result) {
	truth := res.Overall.Latency.P99.Seconds()
	at := time.Now()
	for _, q := range []struct{ job, explicit, native string }{
		{"listen", "http_server_request_duration_seconds_bucket", "http_server_request_duration_native_seconds"},
		{"speak", "rpc_server_call_duration_seconds_bucket", "rpc_server_call_duration_native_seconds"},
		{"read", "rpc_server_call_duration_seconds_bucket", "rpc_server_call_duration_native_seconds"},
	} {
		explicit := quantile(t, fmt.Sprintf(`histogram_quantile(0.99, sum by (le) (rate(%s{job=%q}[1m])))`, q.explicit, q.job), at)
		native := quantile(t, fmt.Sprintf(`histogram_quantile(0.99, sum(rate(%s{job=%q}[1m])))`, q.native, q.job), at)
		t.Logf("%s p99: explicit %.1fms, native %.1fms, the load's own %.1fms", q.job, explicit*1000, native*1000, truth*1000)
		assert.Less(t, math.Abs(native-truth), math.Abs(explicit-truth), "%s: the native p99 %v is closer to the load's %v than the explicit %v", q.job, native, truth, explicit)
	}
	p50 := func(q string) float64 { return quantile(t, q, at) }
	t.Logf("listen p50: explicit %.2fms, native %.2fms, the load's own %.2fms",
		1000*p50(`histogram_quantile(0.5, sum by (le) (rate(http_server_request_duration_seconds_bucket{job="listen"}[1m])))`),
		1000*p50(`histogram_quantile(0.5, sum(rate(http_server_request_duration_native_seconds{job="listen"}[1m])))`),
		1000*res.Overall.Latency.P50.Seconds())
}

func quantile(t *testing.T, promql string, at time.Time) float64 {
	t.Helper()
	samples, err := promquery.Vector(context.Background(), prom, promql, at)
	require.NoError(t, err)
	require.Len(t, samples, 1, promql)
	return float64(samples[0].Value)
}

// seriesCost counts listen's series of each histogram: len(DurationBuckets)+1 buckets, _sum
// and _count per label set, against one.
func seriesCost(t *testing.T) {
	explicit := eventuallyValue(t, `count({__name__=~"http_server_request_duration_seconds_(bucket|sum|count)",job="listen"})`, func(v float64) bool { return v > 0 })
	native := eventuallyValue(t, `count(http_server_request_duration_native_seconds{job="listen"})`, func(v float64) bool { return v > 0 })
	t.Logf("listen's series: explicit %.0f, native %.0f", explicit, native)
	assert.Equal(t, 2.0, native, "one series per status code, 200 and 502")
	assert.Equal(t, float64(len(metrics.DurationBuckets)+3)*native, explicit)
}

// scrapeBytes logs what each histogram family of listen's and read's /metrics weighs in the
// protobuf format Prometheus asks for, and checks that the native family carries as many
// observations as the explicit one.
func scrapeBytes(t *testing.T) {
	for _, s := range []struct{ service, explicit, native string }{
		{listen.Name, "http_server_request_duration_seconds", "http_server_request_duration_native_seconds"},
		{"read", "rpc_server_call_duration_seconds", "rpc_server_call_duration_native_seconds"},
	} {
		families, page := scrapeProtobuf(t, "http://"+metricsAddrs[s.service]+"/metrics")
		explicit, native := families[s.explicit], families[s.native]
		require.NotNil(t, explicit, s.explicit)
		require.NotNil(t, native, s.native)
		assert.Equal(t, sampleCount(explicit), sampleCount(native), "%s: the same observations", s.service)
		t.Logf("%s (%d label sets each; bytes with exemplars, without): %s %d, %d; %s %d, %d; whole page %d",
			s.service, len(native.GetMetric()), s.explicit, encodedSize(t, explicit), encodedSize(t, withoutExemplars(explicit)),
			s.native, encodedSize(t, native), encodedSize(t, withoutExemplars(native)), page)
		for _, m := range native.GetMetric() {
			h := m.GetHistogram()
			t.Logf("%s: schema %d, %d exemplars, %d observations", s.native, h.GetSchema(), len(h.GetExemplars()), h.GetSampleCount())
		}
	}
}

func sampleCount(f *dto.MetricFamily) uint64 {
	var n uint64
	for _, m := range f.GetMetric() {
		n += m.GetHistogram().GetSampleCount()
	}
	return n
}

// withoutExemplars is a copy of f with no exemplars, to weigh the buckets alone.
func withoutExemplars(f *dto.MetricFamily) *dto.MetricFamily {
	f = proto.Clone(f).(*dto.MetricFamily)
	for _, m := range f.GetMetric() {
		h := m.GetHistogram()
		h.Exemplars = nil
		for _, b := range h.GetBucket() {
			b.Exemplar = nil
		}
	}
	return f
}

// encodedSize is the family's size in the delimited protobuf format.
func encodedSize(t *testing.T, f *dto.MetricFamily) int {
	var buf bytes.Buffer
	require.NoError(t, expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeProtoDelim)).Encode(f))
	return buf.Len()
}

// scrapeProtobuf GETs url as Prometheus does, in the delimited protobuf format, and decodes it
// into families by name; page is the body's size in bytes.
func scrapeProtobuf(t *testing.T, url string) (families map[string]*dto.MetricFamily, page int) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", string(expfmt.NewFormat(expfmt.TypeProtoDelim)))
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	format := expfmt.ResponseFormat(resp.Header)
	require.Equal(t, expfmt.TypeProtoDelim, format.FormatType())
	families = map[string]*dto.MetricFamily{}
	dec := expfmt.NewDecoder(bytes.NewReader(body), format)
	for {
		var f dto.MetricFamily
		err := dec.Decode(&f)
		if errors.Is(err, io.EOF) {
			return families, len(body)
		}
		require.NoError(t, err)
		families[f.GetName()] = &f
	}
}
