// Package solutions_test runs each exercise's check, the one `make exercise` runs on the stub a
// learner edits, against the chapter's reference solution.
package solutions_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	divattrscheck "github.com/rpc-tracing/workbook/ch03-grpc/exercises/divattrs/check"
	proxycheck "github.com/rpc-tracing/workbook/ch03-grpc/exercises/proxy/check"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/ch03-grpc/solutions/divattrs"
	"github.com/rpc-tracing/workbook/ch03-grpc/solutions/proxy"
)

func TestDivAttrs(t *testing.T) {
	divattrscheck.All(t, func() calculatorv1.CalculatorServiceServer {
		return divattrs.Service{Service: calcgrpc.NewService(0)}
	})
}

func TestProxy(t *testing.T) {
	proxycheck.All(t, func(b calculatorv1.CalculatorServiceClient) calculatorv1.CalculatorServiceServer { return proxy.New(b) })
}
