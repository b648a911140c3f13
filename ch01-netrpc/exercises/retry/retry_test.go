//go:build exercise

package retry_test

import (
	"context"
	"testing"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/exercises/retry"
	"github.com/rpc-tracing/workbook/ch01-netrpc/exercises/retry/check"
)

func dial(ctx context.Context, addr string, codec calc.Codec) (check.Client, error) {
	return retry.Dial(ctx, addr, codec)
}

func TestBroken(t *testing.T) { check.Broken(t, retry.Broken) }

func TestRedialAfterServerRestart(t *testing.T) { check.RedialAfterServerRestart(t, dial) }

func TestConcurrentCallsShareOneRedial(t *testing.T) { check.ConcurrentCallsShareOneRedial(t, dial) }

func TestNoRetry(t *testing.T) { check.NoRetry(t, dial, retry.ErrClosed) }
