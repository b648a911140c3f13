package divattrs_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	"github.com/rpc-tracing/workbook/ch03-grpc/exercises/divattrs/check"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/ch03-grpc/solutions/divattrs"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestDivAttrs runs the exercise's check, the one `make exercise EX=ch03/divattrs` runs on the
// stub, on the reference solution.
func TestDivAttrs(t *testing.T) {
	check.All(t, func() calculatorv1.CalculatorServiceServer {
		return divattrs.Service{Service: calcgrpc.NewService(0)}
	})
}
