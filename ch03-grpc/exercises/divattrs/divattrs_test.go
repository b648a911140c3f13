//go:build exercise

package divattrs_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	"github.com/rpc-tracing/workbook/ch03-grpc/exercises/divattrs"
	"github.com/rpc-tracing/workbook/ch03-grpc/exercises/divattrs/check"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

func TestDivAttrs(t *testing.T) {
	check.All(t, func() calculatorv1.CalculatorServiceServer {
		return divattrs.Service{Service: calcgrpc.NewService(0)}
	})
}
