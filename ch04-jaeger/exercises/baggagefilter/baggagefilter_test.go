//go:build exercise

package baggagefilter_test

import (
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/baggagefilter"
	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/baggagefilter/check"
)

// TestAllowed runs the check of the filter in this folder, the one you edit.
func TestAllowed(t *testing.T) {
	check.Allowed(t, baggagefilter.Allowed)
}

// TestOnlyAllowedMembersBecomeAttributes runs the check of the span processor in this folder.
func TestOnlyAllowedMembersBecomeAttributes(t *testing.T) {
	check.OnlyAllowedMembersBecomeAttributes(t, func() sdktrace.SpanProcessor { return baggagefilter.NewSpanProcessor() })
}
