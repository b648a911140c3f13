package retry_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/exercises/retry/check"
	"github.com/rpc-tracing/workbook/ch01-netrpc/solutions/retry"
)

// TestMain fails the package if a test leaves a goroutine behind, such as an old connection's
// reader that nobody closed after a redial.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func dial(ctx context.Context, addr string, codec calc.Codec) (check.Client, error) {
	return retry.Dial(ctx, addr, codec)
}

// The solution passes the same checks a learner's stub is run against.

func TestBroken(t *testing.T) { check.Broken(t, retry.Broken) }

func TestRedialAfterServerRestart(t *testing.T) { check.RedialAfterServerRestart(t, dial) }

func TestConcurrentCallsShareOneRedial(t *testing.T) { check.ConcurrentCallsShareOneRedial(t, dial) }

func TestNoRetry(t *testing.T) { check.NoRetry(t, dial, retry.ErrClosed) }
