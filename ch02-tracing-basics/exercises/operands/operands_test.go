//go:build exercise

package operands_test

import (
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/operands"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/operands/check"
)

func TestOperands(t *testing.T) {
	check.All(t, func(tp trace.TracerProvider) check.Calculator { return operands.New(tp) })
}
