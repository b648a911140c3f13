package cardinality_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch05-monitoring/exercises/cardinality/check"
	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/cardinality"
)

// TestTheSDKsCardinalityLimitCapsIt: with the request ID as an attribute, the SDK's cardinality
// limit folds every data point past the limit into a single overflow point. The default limit is
// 2000 data points per instrument; 50 shows the same with less traffic.
func TestTheSDKsCardinalityLimitCapsIt(t *testing.T) {
	rm, err := check.Read(cardinality.RequestID, []sdkmetric.Option{sdkmetric.WithCardinalityLimit(50)}, check.Students(200)...)
	require.NoError(t, err)
	dps := check.Points(rm, check.Duration)
	require.Len(t, dps, 50, "49 request IDs and one overflow point")
	overflow := map[string]uint64{}
	for _, dp := range dps {
		v, _ := dp.Attributes.Value("otel.metric.overflow")
		overflow[v.String()] += dp.Count
	}
	assert.Equal(t, map[string]uint64{"": 49, "true": 151}, overflow, "every call still counted, most of them anonymously")
}

// TestOnlyTheFirstOfTwoViewsApplies: metrics.New already has a View for each duration histogram
// (its buckets). A second View for the same instrument makes a stream with the same name, which
// the SDK merges into the first (after a "duplicate metric stream definitions" warning): one of
// the two Views is silently lost. The filter belongs in the existing View's Stream.
func TestOnlyTheFirstOfTwoViewsApplies(t *testing.T) {
	buckets := sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: metrics.DurationBuckets}}
	bucketView := sdkmetric.NewView(sdkmetric.Instrument{Name: check.Duration}, buckets)
	dropView := cardinality.DropView(check.Duration, listen.BaggageStudent)
	merged := buckets
	merged.AttributeFilter = attribute.NewDenyKeysFilter(listen.BaggageStudent)
	tests := []struct {
		name       string
		views      []sdkmetric.View
		wantPoints int
		wantBounds []float64
	}{
		{"buckets, then the filter: the student stays", []sdkmetric.View{bucketView, dropView}, 3, metrics.DurationBuckets},
		{"the filter, then buckets: the buckets are lost", []sdkmetric.View{dropView, bucketView}, 1,
			[]float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}}, // otelgrpc's advice
		{"one View with both", []sdkmetric.View{sdkmetric.NewView(sdkmetric.Instrument{Name: check.Duration}, merged)}, 1, metrics.DurationBuckets},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rm, err := check.Read(cardinality.Student, []sdkmetric.Option{sdkmetric.WithView(tc.views...)}, check.Students(6)...)
			require.NoError(t, err)
			dps := check.Points(rm, check.Duration)
			require.Len(t, dps, tc.wantPoints)
			assert.Equal(t, uint64(6), total(dps), "one stream: every call counted once")
			for _, dp := range dps {
				assert.Equal(t, tc.wantBounds, dp.Bounds)
			}
		})
	}
}

func total(dps []metricdata.HistogramDataPoint[float64]) uint64 {
	var n uint64
	for _, dp := range dps {
		n += dp.Count
	}
	return n
}
