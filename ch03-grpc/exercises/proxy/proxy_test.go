//go:build exercise

package proxy_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch03-grpc/exercises/proxy"
	"github.com/rpc-tracing/workbook/ch03-grpc/exercises/proxy/check"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestProxy(t *testing.T) {
	check.All(t, func(b calculatorv1.CalculatorServiceClient) calculatorv1.CalculatorServiceServer { return proxy.New(b) })
}
