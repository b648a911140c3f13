package calcgrpc_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc/filters"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	experimental "google.golang.org/grpc/experimental/opentelemetry"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	grpcotel "google.golang.org/grpc/stats/opentelemetry"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/cpubench"
)

// benchMode is one way of running the calculator: which tracing and metrics it has.
type benchMode struct {
	name    string
	sampler sdktrace.Sampler // nil: not traced at all (no stats handler)
	metrics bool             // record otelgrpc's RPC metrics into an SDK MeterProvider
	// noEvents leaves out MessageEvents, this chapter's own addition, to measure what it costs.
	noEvents bool
	// plugin traces with grpc-go's own OpenTelemetry plugin instead of otelgrpc.
	plugin bool
}

// benchModes are BenchmarkUnary's and BenchmarkUnaryParallel's modes. The sub-benchmark names
// are key=value so that `benchstat -col /mode` compares them.
var benchModes = []benchMode{
	{name: "untraced"},
	{name: "traced", sampler: sdktrace.AlwaysSample()},
	{name: "sampled-1pct", sampler: unsampled},
	{name: "traced+metrics", sampler: sdktrace.AlwaysSample(), metrics: true},
	{name: "traced-without-events", sampler: sdktrace.AlwaysSample(), noEvents: true},
	{name: "grpcotel-traced", sampler: sdktrace.AlwaysSample(), plugin: true},
	{name: "grpcotel-sampled-1pct", sampler: unsampled, plugin: true},
}

// unsampled is the 1% head sampler of the sampled-1pct modes: a trace is kept if its ID falls in
// the lowest 1%, and every service downstream follows the caller's decision.
var unsampled = sdktrace.ParentBased(sdktrace.TraceIDRatioBased(0.01))

// BenchmarkUnary measures one Add over loopback TCP, one call at a time: a call's latency. Every
// mode has the same server (the calculator, the logging interceptor, message size limits, and
// NewServer's options) and differs only in what NewServer and NewClient add for telemetry:
// otelgrpc's stats handlers and the message events, with every trace sampled, 1% sampled, or
// every trace sampled and RPC metrics aggregated by the metrics SDK; traced-without-events
// leaves out the message events, the chapter's own addition; the grpcotel modes trace with
// grpc-go's own plugin (google.golang.org/grpc/stats/opentelemetry) instead, at 100% and 1%.
// Spans go through the batch processor to an exporter that drops them, so the figure is the
// instrumentation's cost, not an exporter's I/O.
func BenchmarkUnary(b *testing.B) {
	for _, m := range benchModes {
		b.Run("mode="+m.name, func(b *testing.B) { runUnary(b, benchClient(b, m)) })
	}
}

// BenchmarkUnaryParallel is BenchmarkUnary under load: cpubench.Parallelism × GOMAXPROCS goroutines
// call at once over one connection (b.RunParallel). Besides ns/op, the wall time per call with
// every core busy, it reports cpu-ns/op, the process's CPU time per call, client and server
// together (internal/cpubench): what a call costs when the cores are the limit.
func BenchmarkUnaryParallel(b *testing.B) {
	for _, m := range benchModes {
		b.Run("mode="+m.name, func(b *testing.B) {
			client := benchClient(b, m)
			ctx := context.Background()
			cpubench.RunParallel(b, func(pb *testing.PB) {
				for i := int64(0); pb.Next(); i++ {
					if _, err := client.Add(ctx, &calculatorv1.Operands{A: i, B: 1}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// benchClient serves the calculator with mode m's telemetry on a loopback port and returns a
// client with the same; both stop when the benchmark ends.
func benchClient(b *testing.B, m benchMode) calculatorv1.CalculatorServiceClient {
	b.Helper()
	return benchClientWith(b, m, nil, nil)
}

// benchClientWith is benchClient with extra server and dial options before mode m's.
func benchClientWith(b *testing.B, m benchMode, srvOpts []grpc.ServerOption, dialOpts []grpc.DialOption) calculatorv1.CalculatorServiceClient {
	b.Helper()
	s, d := telemetryOptions(b, m)
	srvOpts, dialOpts = append(srvOpts, s...), append(dialOpts, d...)
	srv := grpc.NewServer(append(srvOpts,
		grpc.ChainUnaryInterceptor(calcgrpc.LogUnary(slog.New(slog.DiscardHandler))),
		grpc.MaxRecvMsgSize(calcgrpc.MaxMessageSize),
		grpc.MaxSendMsgSize(calcgrpc.MaxMessageSize),
	)...)
	calculatorv1.RegisterCalculatorServiceServer(srv, calcgrpc.NewService(0))
	addr := serveBench(b, func(ln net.Listener) error { return srv.Serve(ln) }, srv.Stop)
	conn, err := grpc.NewClient(addr, append(dialOpts,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(calcgrpc.MaxMessageSize)),
	)...)
	require.NoError(b, err)
	b.Cleanup(func() { conn.Close() })
	return calculatorv1.NewCalculatorServiceClient(conn)
}

// telemetryOptions returns the stats handlers NewServer and NewClient install for mode m, with
// providers that live until the benchmark ends.
func telemetryOptions(b *testing.B, m benchMode) ([]grpc.ServerOption, []grpc.DialOption) {
	if m.sampler == nil {
		return nil, nil
	}
	// The no-op exporter drops what it is sent: the figures are the SDK's, not an exporter's I/O.
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(m.sampler), sdktrace.WithBatcher(tracetest.NewNoopExporter()))
	b.Cleanup(func() { require.NoError(b, tp.Shutdown(context.Background())) })
	if m.plugin {
		// No MeterProvider: the plugin records no metrics, as otelgrpc with the no-op one.
		opts := grpcotel.Options{TraceOptions: experimental.TraceOptions{TracerProvider: tp, TextMapPropagator: propagators()}}
		return []grpc.ServerOption{grpcotel.ServerOption(opts)}, []grpc.DialOption{grpcotel.DialOption(opts)}
	}
	opts := []otelgrpc.Option{
		otelgrpc.WithTracerProvider(tp),
		otelgrpc.WithPropagators(propagators()),
		otelgrpc.WithFilter(filters.Not(filters.HealthCheck())),
		otelgrpc.WithMeterProvider(meterProvider(b, m.metrics)),
	}
	srv := []grpc.ServerOption{grpc.StatsHandler(otelgrpc.NewServerHandler(opts...))}
	dial := []grpc.DialOption{grpc.WithStatsHandler(otelgrpc.NewClientHandler(opts...))}
	if !m.noEvents {
		srv = append(srv, grpc.StatsHandler(calcgrpc.MessageEvents{}))
		dial = append(dial, grpc.WithStatsHandler(calcgrpc.MessageEvents{}))
	}
	return srv, dial
}

var noopMeters = metricnoop.NewMeterProvider()

// meterProvider is an SDK MeterProvider read by a ManualReader (aggregation happens on every
// call; collection, which a Prometheus scrape would do, never does) when on, else the no-op one.
func meterProvider(b *testing.B, on bool) metric.MeterProvider {
	if !on {
		return noopMeters
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() { require.NoError(b, mp.Shutdown(context.Background())) })
	return mp
}

// serveBench runs serve on a loopback port until the benchmark ends.
func serveBench(b *testing.B, serve func(net.Listener) error, stop func()) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	done := make(chan error, 1)
	go func() { done <- serve(ln) }()
	b.Cleanup(func() {
		stop()
		require.NoError(b, <-done)
	})
	return ln.Addr().String()
}

func runUnary(b *testing.B, client calculatorv1.CalculatorServiceClient) {
	b.Helper()
	ctx := context.Background()
	b.ReportAllocs()
	for i := int64(0); b.Loop(); i++ {
		if _, err := client.Add(ctx, &calculatorv1.Operands{A: i, B: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHealthCheck measures a grpc.health.v1 Check, the call a load balancer or Kubernetes
// makes every few seconds, with every trace sampled: with the health-check filter NewServer and
// NewClient install (no span), and without it (two spans per probe, as otelgrpc does by
// default).
func BenchmarkHealthCheck(b *testing.B) {
	for _, filtered := range []bool{true, false} {
		b.Run(fmt.Sprintf("filtered=%t", filtered), func(b *testing.B) {
			// The no-op exporter drops what it is sent: the figures are the SDK's, not an exporter's I/O.
			tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()))
			b.Cleanup(func() { require.NoError(b, tp.Shutdown(context.Background())) })
			opts := []otelgrpc.Option{otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(propagators())}
			if filtered {
				opts = append(opts, otelgrpc.WithFilter(filters.Not(filters.HealthCheck())))
			}
			srv := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(opts...)))
			healthpb.RegisterHealthServer(srv, health.NewServer())
			addr := serveBench(b, func(ln net.Listener) error { return srv.Serve(ln) }, srv.Stop)
			conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
				grpc.WithStatsHandler(otelgrpc.NewClientHandler(opts...)))
			require.NoError(b, err)
			defer conn.Close()
			client := healthpb.NewHealthClient(conn)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := client.Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
