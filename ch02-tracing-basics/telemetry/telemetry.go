// Package telemetry is the one place a chapter 2 program builds its OpenTelemetry
// TracerProvider: a resource, a batch span processor and an exporter, and a shutdown function
// that flushes what is still buffered. It changes no process-wide state: each program passes the
// provider and the propagator to its instrumentation itself, where a reader can see them.
//
// It leaves every knob the SDK already reads from the environment to the environment:
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (resource), OTEL_TRACES_SAMPLER and
// OTEL_TRACES_SAMPLER_ARG (sampler), OTEL_BSP_* (batching).
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Config says what NewTracerProvider builds. The zero value is usable: spans go to os.Stdout as JSON.
type Config struct {
	// ServiceName is the resource's service.name unless OTEL_SERVICE_NAME overrides it.
	ServiceName string
	// Exporter receives finished spans. Nil means stdouttrace writing to Writer.
	Exporter sdktrace.SpanExporter
	// Writer is where the default stdouttrace exporter writes (os.Stdout if nil).
	Writer io.Writer
	// PrettyPrint indents the default exporter's JSON, one field per line, for reading.
	PrettyPrint bool
	// Sampler, when set, wins over OTEL_TRACES_SAMPLER. Leave it nil to let the environment
	// decide (the SDK's default is ParentBased(AlwaysOn)).
	Sampler sdktrace.Sampler
	// BatchOptions, e.g. sdktrace.WithBatchTimeout, configure the batch span processor.
	BatchOptions []sdktrace.BatchSpanProcessorOption
	// Processors are added before the batch processor, e.g. one that copies baggage onto spans
	// as they start.
	Processors []sdktrace.SpanProcessor
}

// NewTracerProvider builds a TracerProvider from cfg. Call shutdown before the program exits, on
// every path: spans are batched, and whatever is still in the batch is lost otherwise. It
// installs nothing globally; pass the provider, and Propagator's propagators, to the
// instrumentation explicitly.
func NewTracerProvider(ctx context.Context, cfg Config) (tp *sdktrace.TracerProvider, shutdown func(context.Context) error, err error) {
	res, err := newResource(ctx, cfg.ServiceName)
	if err != nil {
		return nil, nil, err
	}
	exporter := cfg.Exporter
	if exporter == nil {
		if exporter, err = newStdout(cfg.Writer, cfg.PrettyPrint); err != nil {
			return nil, nil, err
		}
	}
	// region: processors
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	for _, p := range cfg.Processors {
		opts = append(opts, sdktrace.WithSpanProcessor(p))
	}
	opts = append(opts, sdktrace.WithBatcher(exporter, cfg.BatchOptions...))
	if cfg.Sampler != nil {
		opts = append(opts, sdktrace.WithSampler(cfg.Sampler))
	}
	tp = sdktrace.NewTracerProvider(opts...)
	return tp, tp.Shutdown, nil
	// endregion
}

// Propagator returns the composite propagator every program of the workbook uses: W3C
// traceparent/tracestate and W3C baggage. The global default propagates nothing, so a program
// that gives its instrumentation no propagator splits every trace at every hop.
func Propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// newResource describes the service. Detectors run in order and later ones win, so the
// environment (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) overrides the name in code.
func newResource(ctx context.Context, serviceName string) (*resource.Resource, error) {
	if serviceName == "" {
		serviceName = "unknown_service"
	}
	res, err := resource.New(ctx,
		resource.WithSchemaURL(semconv.SchemaURL),
		resource.WithAttributes(semconv.ServiceName(serviceName)),
		resource.WithFromEnv(),
		resource.WithTelemetrySDK(),
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("build resource: %w", err)
	}
	return res, nil
}

func newStdout(w io.Writer, pretty bool) (sdktrace.SpanExporter, error) {
	if w == nil {
		w = os.Stdout
	}
	opts := []stdouttrace.Option{stdouttrace.WithWriter(w)}
	if pretty {
		opts = append(opts, stdouttrace.WithPrettyPrint())
	}
	exp, err := stdouttrace.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("stdout exporter: %w", err)
	}
	return exp, nil
}
