//go:build exercise

package dialpercall_test

import (
	"testing"

	"google.golang.org/grpc"

	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/dialpercall"
	"github.com/rpc-tracing/workbook/ch04-jaeger/exercises/dialpercall/check"
)

// TestOneConnection runs the check against the Client in this folder, the one you edit.
func TestOneConnection(t *testing.T) {
	check.OneConnection(t, func(target string, opts ...grpc.DialOption) (check.Reader, error) {
		return dialpercall.New(target, opts...)
	})
}
