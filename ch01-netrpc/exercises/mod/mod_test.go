//go:build exercise

package mod_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/exercises/mod"
	"github.com/rpc-tracing/workbook/ch01-netrpc/exercises/mod/check"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestMod(t *testing.T) { check.Mod(t, mod.Mod) }

func TestModOverTheWire(t *testing.T) {
	check.OverTheWire(t, mod.NewServer, func(ctx context.Context, c *calc.Client, a, b int) (int, error) {
		return mod.Client{Client: c}.Mod(ctx, a, b)
	})
}
