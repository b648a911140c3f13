// Package check holds the assertions of chapter 1's exercise "mod". The learner's stub and the
// reference solution are both run against them, so passing here means the same as the solution
// passing.
package check

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch01-netrpc/calc/calctest"
	"github.com/rpc-tracing/workbook/internal/exercise"
)

// cases follow Go's %: the remainder takes the sign of the dividend.
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

// Mod checks the plain function mod against the table.
func Mod(t *testing.T, mod func(a, b int) (int, error)) {
	t.Helper()
	exercise.NoLeaks(t)
	for _, tc := range cases {
		t.Run(name(tc.a, tc.b), func(t *testing.T) {
			got, err := callMod(t, mod, tc.a, tc.b)
			checkResult(t, fmt.Sprintf("Mod(%d, %d)", tc.a, tc.b), false, tc.want, tc.wantErr, got, err)
		})
	}
}

// callMod calls mod and turns a panic into a failure with a hint, so that the rest of the table
// still runs: % by zero panics in Go, the first thing most people write.
func callMod(t *testing.T, mod func(a, b int) (int, error), a, b int) (got int, err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Mod(%d, %d) panicked: %v\n"+
				"hint: %% by zero panics in Go (and would stop the whole server); when b is 0, return "+
				"calc.ErrDivisionByZero before dividing", a, b, p)
		}
	}()
	return mod(a, b)
}

// OverTheWire serves the calculator that newServer builds on a loopback port, for both codecs,
// and checks that call (the exercise's Client.Mod) gets the table's answers and errors from it,
// and that the embedded Add still answers.
func OverTheWire(t *testing.T, newServer func(...calc.Option) (*calc.Server, error),
	call func(ctx context.Context, c *calc.Client, a, b int) (int, error)) {
	t.Helper()
	exercise.NoLeaks(t)
	for _, codec := range []calc.Codec{calc.Gob, calc.JSON} {
		t.Run(codec.String(), func(t *testing.T) {
			client := serve(t, newServer, codec)
			_, err := call(calctest.CallCtx(t), client, 7, 3)
			if err != nil && err.Error() == "rpc: can't find method Calculator.Mod" {
				t.Fatalf("the server does not serve Calculator.Mod (%v)\n"+
					"hint: give Calculator a method Mod(args *calc.Args, reply *calc.Reply) error, and make "+
					"NewServer pass calc.WithReceiver(Calculator{}) so that Calculator is what is served "+
					"(a method on *Calculator needs calc.WithReceiver(&Calculator{}))", err)
			}
			for _, tc := range cases {
				t.Run(name(tc.a, tc.b), func(t *testing.T) {
					got, err := call(calctest.CallCtx(t), client, tc.a, tc.b)
					checkResult(t, fmt.Sprintf("Calculator.Mod(%d, %d) over %s", tc.a, tc.b, codec), true, tc.want, tc.wantErr, got, err)
				})
			}
			sum, err := client.Add(calctest.CallCtx(t), 2, 3)
			if err != nil || sum != 5 {
				t.Errorf("Calculator.Add(2, 3) = %d, %v; want 5, <nil>\n"+
					"hint: embed calc.Calculator in Calculator, so Add, Sub, Mul and Div come along", sum, err)
			}
		})
	}
}

// checkResult reports one outcome in a learner's words: the call, what came back, what was
// expected, and a hint; overTheWire says the call went through a server, where only an error's
// text crosses.
func checkResult(t *testing.T, call string, overTheWire bool, want int, wantErr error, got int, err error) {
	t.Helper()
	switch {
	case wantErr != nil && !errors.Is(err, wantErr):
		hint := "a zero divisor is the same mistake as in Div: return calc.ErrDivisionByZero"
		if err != nil && overTheWire {
			hint = "only the error's text crosses the wire, and the client knows calc.ErrDivisionByZero by its exact " +
				"text: return the error Mod gave, unwrapped"
		}
		t.Errorf("%s returned %d, %v; want the error %q\nhint: %s", call, got, err, wantErr, hint)
	case wantErr == nil && err != nil:
		t.Errorf("%s returned the error %q; want %d\nhint: only a zero divisor is an error", call, err, want)
	case wantErr == nil && got != want:
		t.Errorf("%s = %d; want %d\n"+
			"hint: Go's %% operator gives the remainder, with the sign of the dividend (a)", call, got, want)
	}
}

func name(a, b int) string { return fmt.Sprintf("%d %% %d", a, b) }

// serve starts the server newServer builds on 127.0.0.1:0 until the test ends, and returns a
// client connected to it.
func serve(t *testing.T, newServer func(...calc.Option) (*calc.Server, error), codec calc.Codec) *calc.Client {
	t.Helper()
	srv, err := newServer(calc.WithCodec(codec), calctest.Quiet)
	require.NoError(t, err, "NewServer")
	return calctest.Dial(t, calctest.Start(t, srv), codec)
}
