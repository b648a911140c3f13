// Package check holds the assertions of chapter 5's exemplars exercise. The learner's stub
// (ch05-monitoring/exercises/exemplars) and the reference solution
// (ch05-monitoring/solutions/exemplars) both run them: `make exercise EX=ch05/exemplars` against
// the stub, `go test` against the solution.
package check

import (
	"context"
	"errors"
	"testing"

	"github.com/rpc-tracing/workbook/ch05-monitoring/internal/scrape"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch05-monitoring/metrics"
	"github.com/rpc-tracing/workbook/internal/exercise"
)

// Exemplars is the function the exercise writes: every exemplar of a scrape, on histogram
// buckets and on counters alike.
type Exemplars func(families []*dto.MetricFamily) []*dto.Exemplar

// calls are what record measured: three calls whose durations fall in buckets of their own, so
// that each bucket's exemplar can only be one call's, and words counted in the sampled call and
// in the untraced one.
type calls struct {
	sampled, unsampled trace.SpanContext
}

// The measurements, each in a bucket of metrics.DurationBuckets of its own.
const (
	sampledSeconds   = 0.002 // le="0.0025"
	unsampledSeconds = 0.02  // le="0.025"
	untracedSeconds  = 0.2   // le="0.25"
	sampledWords     = 9
	untracedWords    = 4
)

// OnlySampledRequests checks that, with the SDK's default exemplar filter, a scrape has exactly
// three exemplars, on the duration histogram's bucket, on its native twin and on the words
// counter, and all name the call made in a sampled trace: the unsampled and the untraced calls
// leave none.
func OnlySampledRequests(t *testing.T, exemplarsOf Exemplars) {
	t.Helper()
	exercise.NoLeaks(t)
	c, families := record(t)
	got := exemplarsOf(families)
	index(t, got)
	if vs := values(got); len(got) != 3 || count(vs, sampledSeconds) != 2 || count(vs, sampledWords) != 1 {
		t.Fatalf("got %d exemplars with values %v, want 3: the sampled call's duration (%v s) on a "+
			"bucket of rpc_server_call_duration_seconds and on the native histogram "+
			"rpc_server_call_duration_native_seconds, and its words (%v) on study_words_total\n"+
			"hint: look in every family's metrics, at each histogram bucket (GetHistogram().GetBucket()) "+
			"and at the counter (GetCounter()), each of which may hold one exemplar (GetExemplar()), "+
			"and at a native histogram's list (GetHistogram().GetExemplars())",
			len(got), vs, sampledSeconds, sampledWords)
	}
	for _, ex := range got {
		labels := labelsOf(ex)
		if labels["trace_id"] != c.sampled.TraceID().String() || labels["span_id"] != c.sampled.SpanID().String() {
			t.Errorf("the exemplar of value %v has labels %v, want trace_id=%s span_id=%s, the sampled call's span\n"+
				"hint: return the exemplars as the scrape holds them; do not build new ones",
				ex.GetValue(), labels, c.sampled.TraceID(), c.sampled.SpanID())
		}
	}
}

// count returns how many of vs are v.
func count(vs []float64, v float64) int {
	n := 0
	for _, x := range vs {
		if x == v {
			n++
		}
	}
	return n
}

// AlwaysOnFilter checks that with OTEL_METRICS_EXEMPLAR_FILTER=always_on every call becomes an
// exemplar: the unsampled call's names a trace nobody recorded, and the untraced call's names no
// trace at all. Both lead nowhere, which is why the default filter keeps only sampled calls.
func AlwaysOnFilter(t *testing.T, exemplarsOf Exemplars) {
	t.Helper()
	exercise.NoLeaks(t)
	t.Setenv("OTEL_METRICS_EXEMPLAR_FILTER", "always_on")
	c, families := record(t)
	byValue := index(t, exemplarsOf(families))
	bucket, counter := "the duration histogram's buckets", "the words counter (GetCounter().GetExemplar())"
	want := []struct {
		value   float64
		traceID string
		where   string
	}{
		{sampledSeconds, c.sampled.TraceID().String(), bucket},
		{unsampledSeconds, c.unsampled.TraceID().String(), bucket},
		{untracedSeconds, "", bucket},
		{sampledWords, c.sampled.TraceID().String(), counter},
	}
	for _, w := range want {
		v, traceID := w.value, w.traceID
		ex := byValue[v]
		if ex == nil {
			t.Errorf("with the always_on filter, no exemplar of value %v (found values %v)\n"+
				"hint: every call leaves an exemplar now, this one on %s; return each of them", v, values(exemplarsOf(families)), w.where)
			continue
		}
		if got := labelsOf(ex)["trace_id"]; got != traceID {
			t.Errorf("the exemplar of value %v has trace_id %q, want %q\nhint: return the exemplars as the scrape holds them", v, got, traceID)
		}
	}
}

// record measures the three calls on the chapter's own pipeline (metrics.New) and scrapes it as
// Prometheus can, in the protobuf format that carries exemplars as fields.
func record(t *testing.T) (calls, []*dto.MetricFamily) {
	t.Helper()
	ctx := context.Background()
	mp, handler, err := metrics.New(ctx, "read")
	require.NoError(t, err)
	defer func() { require.NoError(t, mp.Shutdown(ctx)) }()
	meter := mp.Meter("check")
	duration, err := meter.Float64Histogram("rpc.server.call.duration", metric.WithUnit("s"))
	require.NoError(t, err)
	words, err := meter.Int64Counter("study.words")
	require.NoError(t, err)

	keep := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	drop := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()))
	defer func() { require.NoError(t, errors.Join(keep.Shutdown(ctx), drop.Shutdown(ctx))) }()

	// The sampled call is to one method, the others to another that sorts first: each family
	// has two metrics, and the sampled call's exemplars are not in the first.
	toRead := metric.WithAttributes(attribute.String("rpc.method", "study.v1.ReadService/Read"))
	toCount := metric.WithAttributes(attribute.String("rpc.method", "study.v1.ReadService/Count"))

	var c calls
	sampledCtx, sampled := keep.Tracer("check").Start(ctx, "sampled call")
	c.sampled = sampled.SpanContext()
	duration.Record(sampledCtx, sampledSeconds, toRead)
	words.Add(sampledCtx, sampledWords, toRead)
	sampled.End()

	unsampledCtx, unsampled := drop.Tracer("check").Start(ctx, "unsampled call")
	c.unsampled = unsampled.SpanContext()
	duration.Record(unsampledCtx, unsampledSeconds, toCount)
	unsampled.End()

	duration.Record(ctx, untracedSeconds, toCount)
	words.Add(ctx, untracedWords, toCount)
	return c, scrape.Protobuf(t, handler)
}

// index returns the exemplars by value, failing on a nil one.
func index(t *testing.T, exemplars []*dto.Exemplar) map[float64]*dto.Exemplar {
	t.Helper()
	out := map[float64]*dto.Exemplar{}
	for i, ex := range exemplars {
		if ex == nil {
			t.Fatalf("exemplar %d of %d is nil\nhint: append an exemplar only when GetExemplar() returns one", i, len(exemplars))
		}
		out[ex.GetValue()] = ex
	}
	return out
}

func values(exemplars []*dto.Exemplar) []float64 {
	out := []float64{}
	for _, ex := range exemplars {
		out = append(out, ex.GetValue())
	}
	return out
}

func labelsOf(ex *dto.Exemplar) map[string]string {
	out := map[string]string{}
	for _, l := range ex.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}
