// Package solutions_test runs each exercise's check, the one `make exercise` runs on the stub a
// learner edits, against the chapter's reference solution.
package solutions_test

import (
	"testing"

	"go.opentelemetry.io/otel/trace"

	operandscheck "github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/operands/check"
	propagatecheck "github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/propagate/check"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/solutions/operands"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/solutions/propagate"
)

func TestOperands(t *testing.T) {
	operandscheck.All(t, func(tp trace.TracerProvider) operandscheck.Calculator { return operands.New(tp) })
}

func TestPropagate(t *testing.T) {
	propagatecheck.All(t, propagatecheck.Impl{Call: propagate.Call, Handle: propagate.Handle})
}
