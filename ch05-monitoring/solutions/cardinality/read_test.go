package cardinality_test

import (
	"context"
	"errors"
	"fmt"
	"net"

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
)

// duration is the instrument the exercise labels: otelgrpc's server call duration.
const duration = "rpc.server.call.duration"

// readAs serves chapter 4's read service behind otelgrpc's server handler, in memory, with attrs
// as its WithMetricAttributesFn (nil: none) and a MeterProvider made with opts and a
// ManualReader. It makes one Read call per entry of students, each carrying that student and a
// request ID of its own in baggage, as the chain's edge sets them, and stops the server, which
// waits for every call's metrics to be recorded. It returns what the reader collects.
func readAs(attrs func(context.Context) []attribute.KeyValue, opts []sdkmetric.Option, students ...string) (rm metricdata.ResourceMetrics, err error) {
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

// points returns the data points of the histogram named name: one per distinct attribute set.
func points(rm metricdata.ResourceMetrics, name string) []metricdata.HistogramDataPoint[float64] {
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

// students is n calls from the three students of the examples, in turn.
func students(n int) []string {
	names := []string{"Ada", "Grace", "Alan"}
	out := make([]string, n)
	for i := range out {
		out[i] = names[i%len(names)]
	}
	return out
}
