package bugs

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"sync"

	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch04-jaeger/faults"
	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/ch04-jaeger/sing"
)

// newProvider returns a TracerProvider for service. Its resource names the service and this one
// provider: service.instance.id is random, like the UUID the SDK's resource.WithService makes,
// so every span says which provider recorded it (bug 3 is why that matters).
//
// It sets no global propagator: bug 5 needs the global left as the SDK's default.
func newProvider(service string, opts ...sdktrace.TracerProviderOption) *sdktrace.TracerProvider {
	res := resource.NewSchemaless(semconv.ServiceName(service), semconv.ServiceInstanceID(strings.ToLower(rand.Text())))
	return sdktrace.NewTracerProvider(append([]sdktrace.TracerProviderOption{sdktrace.WithResource(res)}, opts...)...)
}

// tracing is what a service of the labs hands its instrumentation: its provider and the W3C
// propagators, explicitly, as chapter 4's chain does.
func tracing(tp trace.TracerProvider) otelsetup.Providers {
	return otelsetup.Providers{Tracer: tp, Propagator: telemetry.Propagator()}
}

// singFaults is sing's fault knob, never turned on here: the labs break tracing, not services.
var singFaults = faults.Knob{Service: sing.Name}

// lab is one run of an in-process lab: the providers of its services, all recording into one
// SpanRecorder, which stands for the tracing backend. The recorder takes each span as it ends,
// with no batching in between.
type lab struct {
	rec       *tracetest.SpanRecorder
	mu        sync.Mutex
	providers []*sdktrace.TracerProvider
}

func newLab() *lab {
	return &lab{rec: tracetest.NewSpanRecorder()}
}

// provider returns a new TracerProvider for service, recording into the lab's recorder. The lab
// shuts it down when it ends.
func (l *lab) provider(service string) *sdktrace.TracerProvider {
	tp := newProvider(service, sdktrace.WithSpanProcessor(l.rec))
	l.mu.Lock()
	defer l.mu.Unlock()
	l.providers = append(l.providers, tp)
	return tp
}

// end shuts every provider down and returns the spans recorded, in the order they ended.
func (l *lab) end(ctx context.Context) ([]sdktrace.ReadOnlySpan, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var err error
	for _, tp := range l.providers {
		err = errors.Join(err, tp.Shutdown(ctx))
	}
	return l.rec.Ended(), err
}
