package baggagefilter_test

import (
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/baggagefilter/check"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/baggagefilter"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestAllowed runs the exercise's check of the filter, the one `make exercise
// EX=ch04/baggagefilter` runs on the stub, on the reference solution.
func TestAllowed(t *testing.T) {
	check.Allowed(t, baggagefilter.Allowed)
}

// TestOnlyAllowedMembersBecomeAttributes runs the exercise's check of the span processor on the
// reference solution: of a caller's four baggage members, only the student and the request ID
// reach the spans.
func TestOnlyAllowedMembersBecomeAttributes(t *testing.T) {
	check.OnlyAllowedMembersBecomeAttributes(t, func() sdktrace.SpanProcessor { return baggagefilter.NewSpanProcessor() })
}
