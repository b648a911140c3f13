// Package check is the check of chapter 2's first exercise, shared by the stub you edit
// (exercises/operands, run with `make exercise EX=ch02/operands`) and the reference solution
// (solutions/operands). It calls the Calculator's methods directly, outside any RPC, so each
// call's span is a root span, and reads the span from an in-memory recorder.
package check

import (
	"context"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/internal/exercise"
)

// The attribute keys and the event name the exercise asks for.
const (
	KeyA          = attribute.Key("calc.a")
	KeyB          = attribute.Key("calc.b")
	EventOverflow = "overflow"
)

// Calculator is the part of the exercise's Calculator the check calls.
type Calculator interface {
	Add(args *calc.Args, reply *calc.Reply) error
	Mul(args *calc.Args, reply *calc.Reply) error
	Div(args *calc.Args, reply *calc.Reply) error
}

// All runs every check of the exercise on the Calculator that newCalculator builds from a
// TracerProvider.
func All(t *testing.T, newCalculator func(tp trace.TracerProvider) Calculator) {
	t.Helper()
	t.Run("operands are attributes", func(t *testing.T) { OperandsAreAttributes(t, newCalculator) })
	t.Run("the sampler sees the operands", func(t *testing.T) { SamplerSeesOperands(t, newCalculator) })
	t.Run("an overflow adds an event", func(t *testing.T) { OverflowAddsAnEvent(t, newCalculator) })
	t.Run("other errors add no overflow event", func(t *testing.T) { OtherErrorsAddNoOverflowEvent(t, newCalculator) })
}

// OperandsAreAttributes adds 2 and 3 and checks the span: calc.a = 2, calc.b = 3, no events.
func OperandsAreAttributes(t *testing.T, newCalculator func(trace.TracerProvider) Calculator) {
	t.Helper()
	exercise.NoLeaks(t)
	span, err := callOnce(t, newCalculator, nil, func(c Calculator, reply *calc.Reply) error {
		return c.Add(&calc.Args{A: 2, B: 3}, reply)
	})
	require.NoError(t, err, "2 + 3 must still succeed")
	for key, want := range map[attribute.Key]int64{KeyA: 2, KeyB: 3} {
		got, ok := find(span.Attributes(), key)
		if !ok {
			t.Errorf("span %q has no attribute %q (want %d)\nhint: pass trace.WithAttributes(KeyA.Int(args.A), KeyB.Int(args.B)) to c.tracer.Start in compute", span.Name(), key, want)
			continue
		}
		if got.Type() != attribute.INT64 || got.AsInt64() != want {
			t.Errorf("span %q: attribute %q is %s %q, want the integer %d\nhint: use KeyA.Int(args.A), not a string", span.Name(), key, got.Type(), got.String(), want)
		}
	}
	if len(span.Events()) != 0 {
		t.Errorf("span %q has events %v, want none: nothing overflowed\nhint: add the event only when errors.Is(err, calc.ErrOverflow)", span.Name(), eventNames(span))
	}
}

// SamplerSeesOperands checks that the operands are given to Start, where a sampler sees them,
// rather than set on the span afterwards.
func SamplerSeesOperands(t *testing.T, newCalculator func(trace.TracerProvider) Calculator) {
	t.Helper()
	exercise.NoLeaks(t)
	sampler := &recordingSampler{}
	_, err := callOnce(t, newCalculator, sampler, func(c Calculator, reply *calc.Reply) error {
		return c.Add(&calc.Args{A: 2, B: 3}, reply)
	})
	require.NoError(t, err)
	seen := sampler.seen()
	for _, key := range []attribute.Key{KeyA, KeyB} {
		if _, ok := find(seen, key); !ok {
			t.Errorf("the sampler saw span \"calc.Add\" start with attributes %v, without %q\nhint: a sampler sees only what Start is given: pass the operands with trace.WithAttributes(…) as an option of Start, not with span.SetAttributes after it", keys(seen), key)
		}
	}
}

// OverflowAddsAnEvent multiplies math.MaxInt by 2 and checks the span: status Error, and an
// "overflow" event carrying the operands, before the "exception" event of the recorded error.
func OverflowAddsAnEvent(t *testing.T, newCalculator func(trace.TracerProvider) Calculator) {
	t.Helper()
	exercise.NoLeaks(t)
	for _, tc := range []struct {
		name string
		a, b int
		call func(Calculator, *calc.Args, *calc.Reply) error
	}{
		{"MaxInt * 2", math.MaxInt, 2, Calculator.Mul},
		{"MaxInt + 1", math.MaxInt, 1, Calculator.Add},
	} {
		t.Run(tc.name, func(t *testing.T) {
			span, err := callOnce(t, newCalculator, nil, func(c Calculator, reply *calc.Reply) error {
				return tc.call(c, &calc.Args{A: tc.a, B: tc.b}, reply)
			})
			require.ErrorIs(t, err, calc.ErrOverflow, "%s must still fail with calc.ErrOverflow", tc.name)
			checkOverflowEvent(t, span, tc.a, tc.b)
		})
	}
}

// checkOverflowEvent checks the span of a call that overflowed: status Error, an overflow event
// beside the exception event, and the operands a and b on the overflow event.
func checkOverflowEvent(t *testing.T, span sdktrace.ReadOnlySpan, a, b int) {
	t.Helper()
	if span.Status().Code != codes.Error {
		t.Errorf("span %q has status %v, want Error\nhint: keep span.SetStatus(codes.Error, err.Error()) for every error", span.Name(), span.Status().Code)
	}
	names := eventNames(span)
	overflow := slices.Index(names, EventOverflow)
	if len(names) != 2 || overflow < 0 || !slices.Contains(names, "exception") {
		t.Fatalf("span %q has events %q, want %q and \"exception\" (in either order)\nhint: whenever errors.Is(err, calc.ErrOverflow), in every method, call span.AddEvent(EventOverflow, …) beside span.RecordError(err)", span.Name(), names, EventOverflow)
	}
	attrs := span.Events()[overflow].Attributes
	for key, want := range map[attribute.Key]int64{KeyA: int64(a), KeyB: int64(b)} {
		got, ok := find(attrs, key)
		switch {
		case !ok:
			t.Errorf("event %q of span %q has no attribute %q (it has %q), want %d\nhint: give the event the operands: trace.WithAttributes(KeyA.Int(args.A), KeyB.Int(args.B))", EventOverflow, span.Name(), key, keys(attrs), want)
		case got.AsInt64() != want:
			t.Errorf("event %q of span %q: attribute %q is %s, want %d\nhint: give the event the operands: trace.WithAttributes(KeyA.Int(args.A), KeyB.Int(args.B))", EventOverflow, span.Name(), key, got.String(), want)
		}
	}
}

// OtherErrorsAddNoOverflowEvent divides by zero: an error, but not an overflow.
func OtherErrorsAddNoOverflowEvent(t *testing.T, newCalculator func(trace.TracerProvider) Calculator) {
	t.Helper()
	exercise.NoLeaks(t)
	span, err := callOnce(t, newCalculator, nil, func(c Calculator, reply *calc.Reply) error {
		return c.Div(&calc.Args{A: 7, B: 0}, reply)
	})
	require.ErrorIs(t, err, calc.ErrDivisionByZero)
	for _, name := range eventNames(span) {
		if name == EventOverflow {
			t.Errorf("span %q (7 / 0) has an %q event, but nothing overflowed\nhint: test the error with errors.Is(err, calc.ErrOverflow), not err != nil", span.Name(), EventOverflow)
		}
	}
}

// callOnce builds a Calculator on a recording provider (with sampler, if not nil), makes one
// call, and returns the one span it recorded and the call's error.
func callOnce(t *testing.T, newCalculator func(trace.TracerProvider) Calculator, sampler sdktrace.Sampler, call func(Calculator, *calc.Reply) error) (sdktrace.ReadOnlySpan, error) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	opts := []sdktrace.TracerProviderOption{sdktrace.WithSpanProcessor(rec)}
	if sampler != nil {
		opts = append(opts, sdktrace.WithSampler(sampler))
	}
	tp := sdktrace.NewTracerProvider(opts...)
	t.Cleanup(func() { require.NoError(t, tp.Shutdown(context.Background())) })
	var reply calc.Reply
	err := call(newCalculator(tp), &reply)
	spans := rec.Ended()
	require.Len(t, spans, 1, "one call makes one span (its child span); keep c.tracer.Start and defer span.End()")
	return spans[0], err
}

// recordingSampler samples everything and remembers the attributes spans started with.
type recordingSampler struct {
	mu    sync.Mutex
	attrs []attribute.KeyValue
}

func (s *recordingSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attrs = append(s.attrs, p.Attributes...)
	return sdktrace.AlwaysSample().ShouldSample(p)
}

func (s *recordingSampler) Description() string { return "recordingSampler" }

func (s *recordingSampler) seen() []attribute.KeyValue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]attribute.KeyValue(nil), s.attrs...)
}

func find(attrs []attribute.KeyValue, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range attrs {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func keys(attrs []attribute.KeyValue) []string {
	out := []string{}
	for _, kv := range attrs {
		out = append(out, string(kv.Key))
	}
	return out
}

func eventNames(span sdktrace.ReadOnlySpan) []string {
	var names []string
	for _, e := range span.Events() {
		names = append(names, e.Name)
	}
	return names
}
