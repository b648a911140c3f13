//go:build exercise

package propagate_test

import (
	"testing"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/propagate"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/exercises/propagate/check"
)

func TestPropagate(t *testing.T) {
	check.All(t, check.Impl{Call: propagate.Call, Handle: propagate.Handle})
}
