//go:build exercise

package propagate_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/propagate"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/propagate/check"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestPropagate(t *testing.T) {
	check.All(t, check.Impl{Call: propagate.Call, Handle: propagate.Handle})
}
