//go:build exercise

package proxy_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/ch03-grpc/exercises/proxy"
	"github.com/rpc-tracing/workbook/ch03-grpc/exercises/proxy/check"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
)

func TestProxy(t *testing.T) {
	check.All(t, func(b calculatorv1.CalculatorServiceClient) calculatorv1.CalculatorServiceServer { return proxy.New(b) })
}
