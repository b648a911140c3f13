// Package check holds the assertions of chapter 5's cardinality exercise. The learner's stub
// (ch05-monitoring/exercises/cardinality) and the reference solution
// (ch05-monitoring/solutions/cardinality) both run them: `make exercise EX=ch05/cardinality`
// against the stub, `go test` against the solution.
//
// Read serves chapter 4's read service behind otelgrpc, in memory, with a ManualReader: the
// checks count the data points and series each attribute costs, with no port and no backend.
package check

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	studyv1 "github.com/rpc-tracing/workbook/ch04-jaeger/proto/study/v1"
	"github.com/rpc-tracing/workbook/ch04-jaeger/read"
	"github.com/rpc-tracing/workbook/internal/exercise"
)

// Duration is the instrument the exercise labels: otelgrpc's server call duration.
const Duration = "rpc.server.call.duration"

// SeriesPerPoint is what one histogram data point costs on /metrics: otelgrpc advises 14 bucket
// bounds for its durations, so 15 buckets with +Inf, then _sum and _count.
const SeriesPerPoint = 17

// The functions the exercise writes.
type (
	// Attributes is a function for otelgrpc.WithMetricAttributesFn: extra attributes for a
	// call's metrics, from its context.
	Attributes = func(context.Context) []attribute.KeyValue
	// DropViewFunc returns a View that removes keys from an instrument's attributes.
	DropViewFunc = func(instrument string, keys ...attribute.Key) sdkmetric.View
	// SeriesFunc counts the series the metrics named name would have on /metrics.
	SeriesFunc = func(rm metricdata.ResourceMetrics, name string) int
)

// StudentAttribute checks that labelling read's calls with the student (from baggage) makes
// one data point per student, each counting that student's calls.
func StudentAttribute(t *testing.T, student Attributes) {
	t.Helper()
	exercise.NoLeaks(t)
	rm := readAll(t, student, nil, Students(6)...)
	got := countsBy(Points(rm, Duration), listen.BaggageStudent)
	want := map[string]uint64{"Ada": 2, "Grace": 2, "Alan": 2}
	if !equal(got, want) {
		t.Errorf("six calls by Ada, Grace and Alan: %s has calls per %s %v, want %v\n"+
			"hint: read the member %q of the call's baggage (baggage.FromContext(ctx).Member(key).Value()) "+
			"and return it as attribute.String(key, value); a missing member (\"\" above) means no attribute",
			Duration, listen.BaggageStudent, got, want, listen.BaggageStudent)
	}
	t.Run("a call without the member gets no attribute", func(t *testing.T) {
		if attrs := student(context.Background()); len(attrs) != 0 {
			t.Errorf("a context without baggage got the attributes %v, want none\n"+
				"hint: an empty attribute value is still a value, and a series of its own: return nil", attrs)
		}
	})
}

// RequestIDAttribute is the chapter's "break it and see": with the request ID as an attribute
// the series grow with the traffic, one data point per request.
func RequestIDAttribute(t *testing.T, requestID Attributes) {
	t.Helper()
	exercise.NoLeaks(t)
	// region: grows-with-requests
	for _, n := range []int{10, 100, 500} {
		rm := readAll(t, requestID, nil, Students(n)...)
		if got := len(Points(rm, Duration)); got != n {
			t.Errorf("data points of %s after %d requests: %d, want %d, one per request ID\n"+
				"hint: RequestID labels each call with the baggage member %q", Duration, n, got, n, listen.BaggageRequestID)
		}
	}
	// endregion
}

// DropView checks that the View the exercise writes removes the student again: six calls by
// three students, labelled with the student, make one data point counting all six. Then it
// removes two keys at once, the student and the request ID.
func DropView(t *testing.T, dropView DropViewFunc) {
	t.Helper()
	exercise.NoLeaks(t)
	view := sdkmetric.WithView(dropView(Duration, listen.BaggageStudent))
	rm := readAll(t, student, []sdkmetric.Option{view}, Students(6)...)
	got := countsBy(Points(rm, Duration), listen.BaggageStudent)
	if want := map[string]uint64{"": 6}; !equal(got, want) {
		t.Errorf("with DropView(%q, %q): calls per %s %v, want %v (one data point, no student)\n"+
			"hint: the View's Stream needs an AttributeFilter that denies the keys (attribute.NewDenyKeysFilter)",
			Duration, listen.BaggageStudent, listen.BaggageStudent, got, want)
	}
	view = sdkmetric.WithView(dropView(Duration, listen.BaggageStudent, listen.BaggageRequestID))
	rm = readAll(t, studentAndRequest, []sdkmetric.Option{view}, Students(6)...)
	if points := Points(rm, Duration); len(points) != 1 {
		t.Errorf("with DropView(%q, %q, %q): %d data points, want 1: the View must deny every key it is given\n"+
			"hint: pass all of keys to the AttributeFilter, not only the first",
			Duration, listen.BaggageStudent, listen.BaggageRequestID, len(points))
	}
}

// PrometheusSeries checks the series count of real data points: one data point of read's
// duration histogram without an extra attribute, three with the student; and of a made-up
// collection with histograms, sums and gauges of both number types, one name in two scopes.
func PrometheusSeries(t *testing.T, series SeriesFunc) {
	t.Helper()
	exercise.NoLeaks(t)
	hint := "hint: a histogram data point is one series per bucket (its Bounds, then +Inf) plus _sum and _count; " +
		"a sum or a gauge data point is one series"
	plain := series(readAll(t, nil, nil, Students(6)...), Duration)
	if plain != SeriesPerPoint {
		t.Errorf("no extra attribute: PrometheusSeries(rm, %q) = %d, want %d\n%s", Duration, plain, SeriesPerPoint, hint)
	}
	if got := series(readAll(t, student, nil, Students(6)...), Duration); got != 3*SeriesPerPoint {
		t.Errorf("the student (three of them): PrometheusSeries(rm, %q) = %d, want %d: three times the %d without "+
			"the attribute, one data point per student\n%s", Duration, got, 3*SeriesPerPoint, SeriesPerPoint, hint)
	}
	// Made-up points, shaped as the SDK makes them: a histogram point has a count per bucket, one
	// more than its bounds (the +Inf bucket).
	made := metricdata.ResourceMetrics{ScopeMetrics: []metricdata.ScopeMetrics{{Metrics: []metricdata.Metrics{
		{Name: "h", Data: metricdata.Histogram[float64]{DataPoints: []metricdata.HistogramDataPoint[float64]{
			{Bounds: []float64{1, 2, 3}, BucketCounts: make([]uint64, 4)}, {Bounds: []float64{1, 2, 3}, BucketCounts: make([]uint64, 4)}}}},
		{Name: "s", Data: metricdata.Sum[int64]{DataPoints: []metricdata.DataPoint[int64]{{}, {}, {}}}},
		{Name: "g", Data: metricdata.Gauge[float64]{DataPoints: []metricdata.DataPoint[float64]{{}}}},
		{Name: "hi", Data: metricdata.Histogram[int64]{DataPoints: []metricdata.HistogramDataPoint[int64]{
			{Bounds: []float64{1, 2}, BucketCounts: make([]uint64, 3)}, {Bounds: []float64{1, 2}, BucketCounts: make([]uint64, 3)}}}},
		{Name: "sf", Data: metricdata.Sum[float64]{DataPoints: []metricdata.DataPoint[float64]{{}, {}}}},
		{Name: "gi", Data: metricdata.Gauge[int64]{DataPoints: []metricdata.DataPoint[int64]{{}, {}}}},
	}}, {Metrics: []metricdata.Metrics{ // another instrumentation scope with an "s" of its own: one metric on /metrics
		{Name: "s", Data: metricdata.Sum[int64]{DataPoints: []metricdata.DataPoint[int64]{{}, {}}}},
	}}}}
	for _, tc := range []struct {
		name string
		want int
	}{{"h", 12}, {"s", 5}, {"g", 1}, {"hi", 10}, {"sf", 2}, {"gi", 2}, {"none", 0}} {
		if got := series(made, tc.name); got != tc.want {
			t.Errorf("PrometheusSeries of %q = %d, want %d\n%s", tc.name, got, tc.want, hint)
		}
	}
}

// student labels a call with its student, as the exercise's Student does: the checks of DropView
// and PrometheusSeries use it, so that each part of the exercise is checked on its own.
func student(ctx context.Context) []attribute.KeyValue {
	v := baggage.FromContext(ctx).Member(listen.BaggageStudent).Value()
	return []attribute.KeyValue{attribute.String(listen.BaggageStudent, v)}
}

// studentAndRequest labels a call with its student and its request ID.
func studentAndRequest(ctx context.Context) []attribute.KeyValue {
	b := baggage.FromContext(ctx)
	return []attribute.KeyValue{attribute.String(listen.BaggageStudent, b.Member(listen.BaggageStudent).Value()),
		attribute.String(listen.BaggageRequestID, b.Member(listen.BaggageRequestID).Value())}
}

// readAll runs Read and fails the test on an error.
func readAll(t *testing.T, attrs Attributes, opts []sdkmetric.Option, students ...string) metricdata.ResourceMetrics {
	t.Helper()
	rm, err := Read(attrs, opts, students...)
	if err != nil {
		t.Fatalf("serving read in memory: %v", err)
	}
	return rm
}

// Read serves chapter 4's read service behind otelgrpc's server handler, in memory, with attrs
// as its WithMetricAttributesFn (nil: none) and a MeterProvider made with opts and a
// ManualReader. It makes one Read call per entry of students, each carrying that student and a
// request ID of its own in baggage, as the chain's edge sets them, and stops the server, which
// waits for every call's metrics to be recorded. It returns what the reader collects.
func Read(attrs Attributes, opts []sdkmetric.Option, students ...string) (rm metricdata.ResourceMetrics, err error) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(append(opts, sdkmetric.WithReader(reader))...)
	defer func() { err = errors.Join(err, mp.Shutdown(context.Background())) }()

	handler := []otelgrpc.Option{otelgrpc.WithMeterProvider(mp), otelgrpc.WithPropagators(telemetry.Propagator())}
	if attrs != nil {
		handler = append(handler, otelgrpc.WithMetricAttributesFn(attrs))
	}
	srv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(handler...)))
	// A Faults with no Service would match a request without a fail knob and fail it: name it.
	studyv1.RegisterReadServiceServer(srv, &read.Server{Faults: faults.Knob{Service: read.Name}})
	lis := bufconn.Listen(1 << 16)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()

	err = call(lis, students)
	srv.GracefulStop() // returns once every call has ended, and so has been measured
	if err = errors.Join(err, <-served); err != nil {
		return rm, err
	}
	return rm, reader.Collect(context.Background(), &rm)
}

// call makes one Read call per student over lis.
func call(lis *bufconn.Listener, students []string) error {
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		// The client's handler is what sends the baggage: its propagator writes the header.
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelgrpc.WithPropagators(telemetry.Propagator()))))
	if err != nil {
		return err
	}
	client := studyv1.NewReadServiceClient(conn)
	for i, student := range students {
		ctx, err := withBaggage(student, fmt.Sprintf("R%05d", i))
		if err == nil {
			_, err = client.Read(ctx, &studyv1.ReadRequest{Text: "Ada reads the notes."})
		}
		if err != nil {
			return errors.Join(err, conn.Close())
		}
	}
	return conn.Close()
}

// withBaggage is a context carrying the student and the request ID as the edge's baggage.
func withBaggage(student, requestID string) (context.Context, error) {
	s, err := baggage.NewMemberRaw(listen.BaggageStudent, student)
	if err != nil {
		return nil, err
	}
	r, err := baggage.NewMemberRaw(listen.BaggageRequestID, requestID)
	if err != nil {
		return nil, err
	}
	b, err := baggage.New(s, r)
	if err != nil {
		return nil, err
	}
	return baggage.ContextWithBaggage(context.Background(), b), nil
}

// Points returns the data points of the histogram named name: one per distinct attribute set.
func Points(rm metricdata.ResourceMetrics, name string) []metricdata.HistogramDataPoint[float64] {
	var out []metricdata.HistogramDataPoint[float64]
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if h, ok := m.Data.(metricdata.Histogram[float64]); ok && m.Name == name {
				out = append(out, h.DataPoints...)
			}
		}
	}
	return out
}

// Students is n calls from the three students of the examples, in turn.
func Students(n int) []string {
	names := []string{"Ada", "Grace", "Alan"}
	out := make([]string, n)
	for i := range out {
		out[i] = names[i%len(names)]
	}
	return out
}

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

func equal(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
