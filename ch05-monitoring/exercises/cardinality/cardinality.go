// Package cardinality is chapter 5's cardinality exercise: add an attribute to the chain's RPC
// metrics, count what it costs, and take it away again with a View.
//
// Check your work with `make exercise EX=ch05/cardinality`.
package cardinality

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
)

// FromBaggage returns a function for otelgrpc.WithMetricAttributesFn that labels a call's
// metrics with the baggage member key, which the chain's edge sets for every request and
// propagates to every service. A call without the member gets no extra attribute.
func FromBaggage(key string) func(context.Context) []attribute.KeyValue {
	return func(ctx context.Context) []attribute.KeyValue {
		// TODO: read the member key of the context's baggage (go.opentelemetry.io/otel/baggage)
		// and return it as one string attribute named key; return nil when it is missing.
		return nil
	}
}

// Student labels a call's metrics with the student the request is for.
var Student = FromBaggage(listen.BaggageStudent)

// RequestID labels a call's metrics with the request's ID: the attribute never to add.
var RequestID = FromBaggage(listen.BaggageRequestID)

// DropView returns a View that removes keys from the attributes of the instrument named
// instrument, whoever added them.
func DropView(instrument string, keys ...attribute.Key) sdkmetric.View {
	// TODO: give the Stream an AttributeFilter that denies keys.
	return sdkmetric.NewView(sdkmetric.Instrument{Name: instrument}, sdkmetric.Stream{})
}

// PrometheusSeries counts the series that the metrics named name in rm would have on a
// Prometheus /metrics page.
func PrometheusSeries(rm metricdata.ResourceMetrics, name string) int {
	// TODO: for every metric named name, add up its data points: a sum or a gauge point is one
	// series; a histogram point is one per bucket (its Bounds, then +Inf) plus _sum and _count.
	return 0
}
