// Package cardinality is the solution to chapter 5's cardinality exercise, and its "break it and
// see": add an attribute to the chain's RPC metrics, count what it costs, and take it away again
// with a View.
//
// Every distinct set of attribute values is a series of its own, in the SDK's memory and in
// Prometheus's, and a histogram series is not one series on /metrics but one per bucket plus
// _sum and _count. An attribute is worth adding when its values are few and known in advance
// (a method, a status code, a tier); the student's name multiplies the series by the number of
// students; the request ID by the number of requests, without end.
package cardinality

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
)

// FromBaggage returns a function for otelgrpc.WithMetricAttributesFn that labels a call's
// metrics with the baggage member key, which the chain's edge sets for every request and
// propagates to every service. A call without the member gets no extra attribute.
func FromBaggage(key string) func(context.Context) []attribute.KeyValue {
	return func(ctx context.Context) []attribute.KeyValue {
		v := baggage.FromContext(ctx).Member(key).Value()
		if v == "" {
			return nil
		}
		return []attribute.KeyValue{attribute.String(key, v)}
	}
}

// Student labels a call's metrics with the student the request is for: the exercise's
// attribute. Its cost is one series per student per existing series.
var Student = FromBaggage(listen.BaggageStudent)

// RequestID labels a call's metrics with the request's ID: the attribute never to add. Its cost
// is one series per request, for as long as the process runs.
var RequestID = FromBaggage(listen.BaggageRequestID)

// DropView returns a View that removes keys from the attributes of the instrument named
// instrument, whoever added them: the series that differed only by those keys merge back into
// one. The instrumentation keeps adding the attribute; the SDK drops it before aggregating, so
// the cost is gone from memory and from /metrics alike.
//
// Only one View can shape an instrument's stream: when two match it, both make a stream of the
// same name, and the SDK keeps the first (logging "duplicate metric stream definitions"). So to
// drop an attribute in chapter 5's metrics.Views, which already has a View for each duration
// histogram (its buckets) and one for each server duration's .native stream, set AttributeFilter
// in those Views' Streams; do not add DropView beside them.
func DropView(instrument string, keys ...attribute.Key) sdkmetric.View {
	return sdkmetric.NewView(
		sdkmetric.Instrument{Name: instrument},
		sdkmetric.Stream{AttributeFilter: attribute.NewDenyKeysFilter(keys...)},
	)
}

// PrometheusSeries counts the series that the metrics named name in rm would have on a
// Prometheus /metrics page: one per data point of a sum or a gauge; for a histogram, one per
// bucket (its bounds, then +Inf) plus _sum and _count, per data point.
func PrometheusSeries(rm metricdata.ResourceMetrics, name string) int {
	n := 0
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				n += seriesOf(m.Data)
			}
		}
	}
	return n
}

func seriesOf(data metricdata.Aggregation) int {
	switch d := data.(type) {
	case metricdata.Histogram[float64]:
		return histogramSeries(d.DataPoints)
	case metricdata.Histogram[int64]:
		return histogramSeries(d.DataPoints)
	case metricdata.Sum[int64]:
		return len(d.DataPoints)
	case metricdata.Sum[float64]:
		return len(d.DataPoints)
	case metricdata.Gauge[int64]:
		return len(d.DataPoints)
	case metricdata.Gauge[float64]:
		return len(d.DataPoints)
	}
	return 0
}

func histogramSeries[N int64 | float64](points []metricdata.HistogramDataPoint[N]) int {
	n := 0
	for _, dp := range points {
		n += len(dp.Bounds) + 1 + 2 // the buckets with +Inf, then _sum and _count
	}
	return n
}
