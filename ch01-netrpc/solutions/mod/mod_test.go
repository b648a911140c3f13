package mod_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/solutions/mod"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// cases are checked locally and over the wire. The signs follow Go's %: the remainder takes the
// sign of the dividend.
var cases = []struct {
	a, b    int
	want    int
	wantErr error
}{
	{7, 3, 1, nil},
	{-7, 3, -1, nil},
	{7, -3, 1, nil},
	{6, 3, 0, nil},
	{7, 0, 0, calc.ErrDivisionByZero},
	{math.MinInt, -1, 0, nil},
	{math.MaxInt, math.MinInt, math.MaxInt, nil},
}

// TestMod checks the plain function.
func TestMod(t *testing.T) {
	for _, tc := range cases {
		t.Run(caseName(tc.a, tc.b), func(t *testing.T) {
			got, err := mod.Mod(tc.a, tc.b)
			assertResult(t, tc.want, tc.wantErr, got, err)
		})
	}
}

// TestModOverTheWire serves the extended Calculator on a loopback port, for both codecs, and
// checks Mod, its remote error, and that the embedded operations still answer.
func TestModOverTheWire(t *testing.T) {
	for _, codec := range []calc.Codec{calc.Gob, calc.JSON} {
		t.Run(codec.String(), func(t *testing.T) {
			client := mod.Client{Client: serve(t, codec)}
			for _, tc := range cases {
				t.Run(caseName(tc.a, tc.b), func(t *testing.T) {
					got, err := client.Mod(callCtx(t), tc.a, tc.b)
					assertResult(t, tc.want, tc.wantErr, got, err)
				})
			}
			sum, err := client.Add(callCtx(t), 2, 3)
			require.NoError(t, err)
			assert.Equal(t, 5, sum, "the embedded Add is still served")
		})
	}
}

// TestPlainServerHasNoMod is the control: calc's own server does not know Mod, so the test
// above proves the solution, not something that was there already.
func TestPlainServerHasNoMod(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv, err := calc.NewServer(calc.WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	run(t, srv, ln)
	client := dial(t, ln.Addr().String(), calc.Gob)
	_, err = mod.Client{Client: client}.Mod(callCtx(t), 7, 3)
	assert.EqualError(t, err, "rpc: can't find method Calculator.Mod")
}

// serve starts mod's server on 127.0.0.1:0 and returns a client connected to it.
func serve(t *testing.T, codec calc.Codec) *calc.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv, err := mod.NewServer(calc.WithCodec(codec), calc.WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	run(t, srv, ln)
	return dial(t, ln.Addr().String(), codec)
}

// run serves on ln until the test ends, then checks that Serve stopped cleanly.
func run(t *testing.T, srv *calc.Server, ln net.Listener) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-served)
	})
}

// dial connects to addr and closes the client when the test ends.
func dial(t *testing.T, addr string, codec calc.Codec) *calc.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	client, err := calc.Dial(ctx, addr, codec)
	require.NoError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	return client
}

func caseName(a, b int) string { return fmt.Sprintf("%d %% %d", a, b) }

// callCtx bounds one call, so a hang fails the test instead of stalling it.
func callCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// assertResult checks one outcome: the sentinel error when one is expected, else the value.
func assertResult(t *testing.T, want int, wantErr error, got int, err error) {
	t.Helper()
	if wantErr != nil {
		assert.ErrorIs(t, err, wantErr)
		return
	}
	if assert.NoError(t, err) {
		assert.Equal(t, want, got)
	}
}
