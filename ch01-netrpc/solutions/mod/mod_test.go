package mod_test

import (
	"context"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/exercises/mod/check"
	"github.com/rpc-tracing/workbook/ch01-netrpc/solutions/mod"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestMod runs the exercise's check of the plain function against the solution.
func TestMod(t *testing.T) { check.Mod(t, mod.Mod) }

// TestModOverTheWire runs the exercise's check of the served method against the solution.
func TestModOverTheWire(t *testing.T) {
	check.OverTheWire(t, mod.NewServer, func(ctx context.Context, c *calc.Client, a, b int) (int, error) {
		return mod.Client{Client: c}.Mod(ctx, a, b)
	})
}

// TestPlainServerHasNoMod is the control: calc's own server does not know Mod, so the check
// above proves the solution, not something that was there already.
func TestPlainServerHasNoMod(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv, err := calc.NewServer(calc.WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	defer func() {
		cancel()
		assert.NoError(t, <-served)
	}()
	callCtx, cancelCall := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancelCall()
	client, err := calc.Dial(callCtx, ln.Addr().String(), calc.Gob)
	require.NoError(t, err)
	defer client.Close()
	_, err = mod.Client{Client: client}.Mod(callCtx, 7, 3)
	assert.EqualError(t, err, "rpc: can't find method Calculator.Mod")
}
