package metrics_test

import (
	"context"
	"math"
	"testing"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/scrape"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
)

// demoDurations records what the chapter's load makes a service see, in seconds: healthy calls
// of a few milliseconds and one in ten slowed to about 503ms.
func demoDurations(t *testing.T, mp metric.MeterProvider, name string) {
	t.Helper()
	hist, err := mp.Meter("test").Float64Histogram(name, metric.WithUnit("s"))
	require.NoError(t, err)
	for i := range 90 {
		hist.Record(context.Background(), 0.0015+float64(i%9)*0.0005)
	}
	for i := range 10 {
		hist.Record(context.Background(), 0.5015+float64(i)*0.0005)
	}
}

func TestViewsRecordServerDurationsAlsoAsExponentialHistograms(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithView(metrics.Views()...))
	defer func() { require.NoError(t, mp.Shutdown(context.Background())) }()
	demoDurations(t, mp, "rpc.server.call.duration")
	demoDurations(t, mp, "rpc.client.call.duration")

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	got := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			got[m.Name] = m.Data
		}
	}
	require.Len(t, got, 3, "the server duration twice, the client duration once: %v", got)

	explicit, ok := got["rpc.server.call.duration"].(metricdata.Histogram[float64])
	require.True(t, ok, "the server duration keeps its explicit buckets: %T", got["rpc.server.call.duration"])
	assert.Equal(t, metrics.DurationBuckets, explicit.DataPoints[0].Bounds)
	_, ok = got["rpc.client.call.duration"].(metricdata.Histogram[float64])
	assert.True(t, ok, "the client duration has explicit buckets only")

	native, ok := got["rpc.server.call.duration"+metrics.NativeSuffix].(metricdata.ExponentialHistogram[float64])
	require.True(t, ok, "the .native stream is an exponential histogram: %T", got["rpc.server.call.duration.native"])
	require.Len(t, native.DataPoints, 1)
	dp := native.DataPoints[0]
	assert.Equal(t, uint64(100), dp.Count, "the same measurements as the explicit histogram")
	assert.Equal(t, explicit.DataPoints[0].Count, dp.Count)

	// The slow calls' bucket: (base^i, base^(i+1)] with base = 2^(2^-scale).
	base := math.Pow(2, math.Pow(2, -float64(dp.Scale)))
	i := math.Ceil(math.Log(0.503)/math.Log(base)) - 1
	lower, upper := math.Pow(base, i), math.Pow(base, i+1)
	assert.Less(t, upper-lower, (1.0-0.5)/10,
		"at scale %d the bucket of a 503ms call, (%.4f, %.4f], is narrower than a tenth of the explicit (0.5, 1]", dp.Scale, lower, upper)
	assert.LessOrEqual(t, len(dp.PositiveBucket.Counts), 160, "at most MaxSize buckets")
}

func TestPrometheusGetsANativeHistogramInProtobuf(t *testing.T) {
	mp, handler, err := metrics.New(context.Background(), "read")
	require.NoError(t, err)
	defer func() { require.NoError(t, mp.Shutdown(context.Background())) }()
	demoDurations(t, mp, "rpc.server.call.duration")

	families := scrape.ByName(scrape.Protobuf(t, handler))
	require.Contains(t, families, "rpc_server_call_duration_native_seconds", "the .native stream, Prometheus conventions")
	native := families["rpc_server_call_duration_native_seconds"].GetMetric()[0].GetHistogram()
	require.NotNil(t, native.Schema, "a schema makes it a native histogram")
	assert.Positive(t, native.GetSchema(), "finer than doubling buckets")
	assert.LessOrEqual(t, native.GetSchema(), int32(8), "Prometheus's finest schema")
	assert.Empty(t, native.GetBucket(), "no classic buckets")
	assert.NotEmpty(t, native.GetPositiveSpan(), "the populated buckets")
	assert.Equal(t, uint64(100), native.GetSampleCount())

	explicit := families["rpc_server_call_duration_seconds"].GetMetric()[0].GetHistogram()
	assert.Nil(t, explicit.Schema, "the explicit-bucket histogram stays a classic one")
	assert.Len(t, explicit.GetBucket(), len(metrics.DurationBuckets))
}
