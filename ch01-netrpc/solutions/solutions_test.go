// Package solutions_test runs each exercise's check, the one `make exercise` runs on the stub a
// learner edits, against the chapter's reference solution.
package solutions_test

import (
	"context"
	"testing"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	modcheck "github.com/rpc-tracing/workbook/ch01-netrpc/exercises/mod/check"
	retrycheck "github.com/rpc-tracing/workbook/ch01-netrpc/exercises/retry/check"
	"github.com/rpc-tracing/workbook/ch01-netrpc/solutions/mod"
	"github.com/rpc-tracing/workbook/ch01-netrpc/solutions/retry"
)

func TestMod(t *testing.T) {
	modcheck.Mod(t, mod.Mod)
	t.Run("over the wire", func(t *testing.T) {
		modcheck.OverTheWire(t, mod.NewServer, func(ctx context.Context, c *calc.Client, a, b int) (int, error) {
			return mod.Client{Client: c}.Mod(ctx, a, b)
		})
	})
}

func TestRetry(t *testing.T) {
	dial := func(ctx context.Context, addr string, codec calc.Codec) (retrycheck.Client, error) {
		return retry.Dial(ctx, addr, codec)
	}
	retrycheck.Broken(t, retry.Broken)
	t.Run("redial after a server restart", func(t *testing.T) { retrycheck.RedialAfterServerRestart(t, dial) })
	t.Run("concurrent calls share one redial", func(t *testing.T) { retrycheck.ConcurrentCallsShareOneRedial(t, dial) })
	t.Run("no retry after Close", func(t *testing.T) { retrycheck.NoRetry(t, dial, retry.ErrClosed) })
}
