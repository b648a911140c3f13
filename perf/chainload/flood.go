package chainload

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// FloodEndpoint is the bench Jaeger's flood receiver (perf/jaeger.yaml).
const FloodEndpoint = "127.0.0.1:4319"

// SpansPerFloodTrace is the size of the flood's traces: a root and its children, about the
// chain's own trace size, so Jaeger's storage does the same work per span.
const SpansPerFloodTrace = 8

// Flood sends synthetic spans to endpoint over OTLP gRPC as fast as Jaeger takes them, until
// ctx ends: streams TracerProviders, each with its own exporter connection and a batch
// processor that blocks instead of dropping when its queue is full, so the rate is set by
// Jaeger and not by the generator. Jaeger's accepted-span counter then measures its capacity.
func Flood(ctx context.Context, endpoint string, streams int) error {
	var wg sync.WaitGroup
	errs := make([]error, streams)
	for i := range streams {
		wg.Go(func() { errs[i] = floodStream(ctx, endpoint, i) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func floodStream(ctx context.Context, endpoint string, n int) (err error) {
	exp, err := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint(endpoint), otlptracegrpc.WithInsecure())
	if err != nil {
		return err
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName(fmt.Sprintf("flood-%d", n)))),
		sdktrace.WithBatcher(exp, sdktrace.WithBlocking(), sdktrace.WithMaxQueueSize(8192), sdktrace.WithMaxExportBatchSize(512)),
	)
	defer func() {
		// The last batches are not waited for: the flood is over, what matters is what Jaeger
		// accepted while it lasted.
		shutdownCtx, cancel := context.WithCancel(context.Background())
		cancel()
		_ = tp.Shutdown(shutdownCtx)
	}()
	tracer := tp.Tracer("flood")
	for ctx.Err() == nil {
		floodTrace(ctx, tracer)
	}
	return nil
}

var floodAttrs = []attribute.KeyValue{
	attribute.String("rpc.system.name", "grpc"),
	attribute.String("rpc.method", "study.v1.ReadService/Read"),
	attribute.String("student", "Ada"),
	attribute.Int("words", 9),
}

// floodTrace is one trace of SpansPerFloodTrace spans.
func floodTrace(ctx context.Context, tracer trace.Tracer) {
	ctx, root := tracer.Start(ctx, "flood", trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(floodAttrs...))
	for range SpansPerFloodTrace - 1 {
		_, child := tracer.Start(ctx, "child", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(floodAttrs...))
		child.End()
	}
	root.End()
}
