//go:build exercise

package mod_test

import (
	"context"
	"testing"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/exercises/mod"
	"github.com/rpc-tracing/workbook/ch01-netrpc/exercises/mod/check"
)

func TestMod(t *testing.T) { check.Mod(t, mod.Mod) }

func TestModOverTheWire(t *testing.T) {
	check.OverTheWire(t, mod.NewServer, func(ctx context.Context, c *calc.Client, a, b int) (int, error) {
		return mod.Client{Client: c}.Mod(ctx, a, b)
	})
}
