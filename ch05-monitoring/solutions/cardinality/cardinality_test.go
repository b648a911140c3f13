package cardinality_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
	"github.com/rpc-tracing/workbook/ch05-monitoring/solutions/cardinality"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// seriesPerPoint is what one histogram data point costs on /metrics: otelgrpc advises 14 bucket
// bounds for its durations, so 15 buckets with +Inf, then _sum and _count.
const seriesPerPoint = 17

// countsBy returns the histogram's call count per value of key ("" when a point lacks it).
func countsBy(dps []metricdata.HistogramDataPoint[float64], key string) map[string]uint64 {
	out := map[string]uint64{}
	for _, dp := range dps {
		var value string
		if v, ok := dp.Attributes.Value(attribute.Key(key)); ok {
			value = v.String()
		}
		out[value] += dp.Count
	}
	return out
}

// TestStudentAttributeCostsASeriesPerStudent: six calls by three students make one data point
// without the attribute, three with it, and one again once a View drops it; every call is
// counted each time.
func TestStudentAttributeCostsASeriesPerStudent(t *testing.T) {
	tests := []struct {
		name string
		opts []sdkmetric.Option
		attr bool
		want map[string]uint64 // calls per student
	}{
		{"without the attribute", nil, false, map[string]uint64{"": 6}},
		{"with the student", nil, true, map[string]uint64{"Ada": 2, "Grace": 2, "Alan": 2}},
		{"with the student, dropped by a View",
			[]sdkmetric.Option{sdkmetric.WithView(cardinality.DropView(duration, listen.BaggageStudent))}, true,
			map[string]uint64{"": 6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			attrs := cardinality.Student
			if !tc.attr {
				attrs = nil
			}
			rm, err := readAs(attrs, tc.opts, students(6)...)
			require.NoError(t, err)
			dps := points(rm, duration)
			assert.Equal(t, tc.want, countsBy(dps, listen.BaggageStudent))
			assert.Len(t, dps, len(tc.want))
			assert.Equal(t, seriesPerPoint*len(tc.want), cardinality.PrometheusSeries(rm, duration))
		})
	}
}

// TestBreakItRequestIDCostsASeriesPerRequest is the chapter's "break it and see": with the
// request ID as an attribute the series grow with the traffic, one data point per request,
// until the SDK's cardinality limit folds every new one into a single overflow point.
func TestBreakItRequestIDCostsASeriesPerRequest(t *testing.T) {
	// region: grows-with-requests
	for _, n := range []int{10, 100, 500} {
		rm, err := readAs(cardinality.RequestID, nil, students(n)...)
		require.NoError(t, err)
		assert.Len(t, points(rm, duration), n, "%d requests", n)
		assert.Equal(t, seriesPerPoint*n, cardinality.PrometheusSeries(rm, duration), "%d requests", n)
	}
	// endregion

	t.Run("the SDK's cardinality limit caps it", func(t *testing.T) {
		// The default limit is 2000 data points per instrument; 50 shows the same with less traffic.
		rm, err := readAs(cardinality.RequestID, []sdkmetric.Option{sdkmetric.WithCardinalityLimit(50)}, students(200)...)
		require.NoError(t, err)
		dps := points(rm, duration)
		require.Len(t, dps, 50, "49 request IDs and one overflow point")
		overflow := countsBy(dps, "otel.metric.overflow")
		assert.Equal(t, map[string]uint64{"": 49, "true": 151}, overflow, "every call still counted, most of them anonymously")
	})
}

// TestOnlyTheFirstOfTwoViewsApplies: metrics.New already has a View for each duration histogram
// (its buckets). A second View for the same instrument makes a stream with the same name, which
// the SDK merges into the first (after a "duplicate metric stream definitions" warning): one of
// the two Views is silently lost. The filter belongs in the existing View's Stream.
func TestOnlyTheFirstOfTwoViewsApplies(t *testing.T) {
	buckets := sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: metrics.DurationBuckets}}
	bucketView := sdkmetric.NewView(sdkmetric.Instrument{Name: duration}, buckets)
	dropView := cardinality.DropView(duration, listen.BaggageStudent)
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
		{"one View with both", []sdkmetric.View{sdkmetric.NewView(sdkmetric.Instrument{Name: duration}, merged)}, 1, metrics.DurationBuckets},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rm, err := readAs(cardinality.Student, []sdkmetric.Option{sdkmetric.WithView(tc.views...)}, students(6)...)
			require.NoError(t, err)
			dps := points(rm, duration)
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
