// Package metrics gives each of the chain's services an OpenTelemetry MeterProvider whose
// metrics Prometheus scrapes from the service's own /metrics listener. Duration histograms carry
// exemplars: the trace ID of a sampled request that fell in each bucket, the link from a latency
// panel to the trace behind it. Server durations are recorded twice, with the chapter's explicit
// buckets and as an exponential histogram, which Prometheus stores as a native histogram.
package metrics

import (
	"context"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/otlptranslator"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// DurationBuckets are the bounds, in seconds, of every duration histogram. A healthy request
// through the chain takes 1–20 ms and a slowed one ~500 ms, and the edge gives up at 3 s: the
// buckets are dense where the healthy traffic is (so p50 and p99 are precise) and reach past the
// timeout (so a slow request is not merely "more than the last bucket").
var DurationBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// durationHistograms are the instruments DurationBuckets apply to: the server and client call
// durations that otelgrpc and otelhttp record.
var durationHistograms = []string{
	"rpc.server.call.duration", "rpc.client.call.duration",
	"http.server.request.duration", "http.client.request.duration",
}

// serverDurations are the durations the RED rules read, the ones Views also records as
// exponential histograms.
var serverDurations = []string{"rpc.server.call.duration", "http.server.request.duration"}

// NativeSuffix ends the name of each server duration's exponential stream:
// rpc.server.call.duration.native, which Prometheus names rpc_server_call_duration_native_seconds.
const NativeSuffix = ".native"

// Views are the MeterProvider's Views. Every duration histogram gets DurationBuckets. Each server
// duration is also recorded a second time, under its name with NativeSuffix, as an exponential
// histogram: bounds a constant factor apart, chosen by the SDK to fit the values recorded
// (at most MaxSize buckets, at the finest scale that allows). Prometheus stores it as one native
// histogram series per label set, where the explicit buckets are a series per bucket.
func Views() []metric.View {
	var views []metric.View
	for _, name := range durationHistograms {
		views = append(views, metric.NewView(metric.Instrument{Name: name},
			metric.Stream{Aggregation: metric.AggregationExplicitBucketHistogram{Boundaries: DurationBuckets}}))
	}
	for _, name := range serverDurations {
		views = append(views, metric.NewView(metric.Instrument{Name: name}, metric.Stream{
			Name:        name + NativeSuffix,
			Aggregation: metric.AggregationBase2ExponentialHistogram{MaxSize: 160, MaxScale: 20},
		}))
	}
	return views
}

// New returns a MeterProvider for service and the /metrics handler that exposes it, with Go
// runtime and process metrics alongside. Metric names follow Prometheus conventions
// (otlptranslator.UnderscoreEscapingWithSuffixes, chosen explicitly so names do not change with a
// library default): rpc.server.call.duration becomes rpc_server_call_duration_seconds.
func New(ctx context.Context, service string) (*metric.MeterProvider, http.Handler, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	exp, err := otelprom.New(
		otelprom.WithRegisterer(reg),
		otelprom.WithTranslationStrategy(otlptranslator.UnderscoreEscapingWithSuffixes),
		otelprom.WithoutScopeInfo(),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("prometheus exporter: %w", err)
	}
	res, err := resource.New(ctx, resource.WithAttributes(semconv.ServiceName(service)), resource.WithFromEnv())
	if err != nil {
		return nil, nil, err
	}
	// The handler answers in the format the scraper asks for. Prometheus asks for protobuf, the
	// one format with native histograms (prometheus.yml); OpenMetrics is the text format with
	// exemplars, for a scraper or a reader that wants text.
	handler := promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true})
	mp := metric.NewMeterProvider(metric.WithResource(res), metric.WithReader(exp), metric.WithView(Views()...))
	return mp, handler, nil
}
