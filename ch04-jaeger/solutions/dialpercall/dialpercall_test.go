package dialpercall_test

import (
	"testing"

	"go.uber.org/goleak"
	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/dialpercall/check"
	"github.com/rpc-tracing/workbook/ch04-jaeger/solutions/dialpercall"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestOneConnection runs the exercise's check against the reference solution.
func TestOneConnection(t *testing.T) {
	check.OneConnection(t, func(target string, opts ...grpc.DialOption) (check.Reader, error) {
		return dialpercall.New(target, opts...)
	})
}
