package operands_test

import (
	"testing"

	"go.opentelemetry.io/otel/trace"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/operands/check"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/solutions/operands"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestOperands(t *testing.T) {
	check.All(t, func(tp trace.TracerProvider) check.Calculator { return operands.New(tp) })
}
