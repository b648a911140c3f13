package calc_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// arithmetic is the table every layer is checked against: the plain functions, the Calculator's
// methods, and (in wire_test.go) the same operations over both codecs. The boundaries are the
// places where Go's own integers would silently wrap around.
var arithmetic = []struct {
	op      calc.Op
	a, b    int
	want    int
	wantErr error
}{
	{calc.OpAdd, 2, 3, 5, nil},
	{calc.OpAdd, -2, -3, -5, nil},
	{calc.OpAdd, math.MaxInt - 1, 1, math.MaxInt, nil},
	{calc.OpAdd, math.MaxInt, 1, 0, calc.ErrOverflow},
	{calc.OpAdd, math.MinInt, -1, 0, calc.ErrOverflow},
	{calc.OpAdd, math.MaxInt, math.MinInt, -1, nil},
	{calc.OpAdd, math.MaxInt, math.MaxInt, 0, calc.ErrOverflow},

	{calc.OpSub, 2, 3, -1, nil},
	{calc.OpSub, math.MinInt + 1, 1, math.MinInt, nil},
	{calc.OpSub, math.MinInt, 1, 0, calc.ErrOverflow},
	{calc.OpSub, math.MaxInt, -1, 0, calc.ErrOverflow},
	{calc.OpSub, 0, math.MinInt, 0, calc.ErrOverflow},
	{calc.OpSub, -1, math.MinInt, math.MaxInt, nil},
	{calc.OpSub, math.MinInt, math.MinInt, 0, nil},

	{calc.OpMul, 6, 7, 42, nil},
	{calc.OpMul, -6, 7, -42, nil},
	{calc.OpMul, 0, math.MinInt, 0, nil},
	{calc.OpMul, math.MinInt, 1, math.MinInt, nil},
	{calc.OpMul, math.MaxInt, -1, -math.MaxInt, nil},
	{calc.OpMul, math.MinInt, -1, 0, calc.ErrOverflow},
	{calc.OpMul, -1, math.MinInt, 0, calc.ErrOverflow},
	{calc.OpMul, math.MaxInt, 2, 0, calc.ErrOverflow},
	{calc.OpMul, -(1 << 32), 1 << 31, math.MinInt, nil},
	{calc.OpMul, 1 << 32, 1 << 31, 0, calc.ErrOverflow},
	{calc.OpMul, 3037000499, 3037000499, 9223372030926249001, nil},
	{calc.OpMul, 3037000500, 3037000500, 0, calc.ErrOverflow},

	{calc.OpDiv, 7, 2, 3, nil},
	{calc.OpDiv, -7, 2, -3, nil},
	{calc.OpDiv, 7, 0, 0, calc.ErrDivisionByZero},
	{calc.OpDiv, 0, 0, 0, calc.ErrDivisionByZero},
	{calc.OpDiv, math.MinInt, 1, math.MinInt, nil},
	{calc.OpDiv, math.MaxInt, -1, -math.MaxInt, nil},
	{calc.OpDiv, math.MinInt, -1, 0, calc.ErrOverflow},
	{calc.OpDiv, math.MinInt, math.MinInt, 1, nil},
}

// name is how a case of the arithmetic table shows up in go test -v: "7 / 0".
func name(op calc.Op, a, b int) string { return fmt.Sprintf("%d %s %d", a, op.Symbol(), b) }

// TestArithmetic checks each operation three ways that must agree: the plain function, Op.Apply
// and the Calculator method net/rpc calls, which must leave the reply alone on error.
func TestArithmetic(t *testing.T) {
	plain := map[calc.Op]func(a, b int) (int, error){
		calc.OpAdd: calc.Add, calc.OpSub: calc.Sub, calc.OpMul: calc.Mul, calc.OpDiv: calc.Div,
	}
	method := map[calc.Op]func(calc.Calculator, *calc.Args, *calc.Reply) error{
		calc.OpAdd: calc.Calculator.Add, calc.OpSub: calc.Calculator.Sub,
		calc.OpMul: calc.Calculator.Mul, calc.OpDiv: calc.Calculator.Div,
	}
	for _, tc := range arithmetic {
		t.Run(name(tc.op, tc.a, tc.b), func(t *testing.T) {
			got, err := plain[tc.op](tc.a, tc.b)
			assertResult(t, tc.want, tc.wantErr, got, err)

			got, err = tc.op.Apply(tc.a, tc.b)
			assertResult(t, tc.want, tc.wantErr, got, err)

			reply := calc.Reply{Result: -999}
			err = method[tc.op](calc.Calculator{}, &calc.Args{A: tc.a, B: tc.b}, &reply)
			if tc.wantErr != nil {
				assert.Equal(t, calc.Reply{Result: -999}, reply, "reply written despite the error")
			}
			assertResult(t, tc.want, tc.wantErr, reply.Result, err)
		})
	}
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

// TestErrorTexts pins the sentinels' text: net/rpc sends only the text, so it is the wire
// contract the Client's errors.Is matching depends on.
func TestErrorTexts(t *testing.T) {
	assert.EqualError(t, calc.ErrDivisionByZero, "division by zero")
	assert.EqualError(t, calc.ErrOverflow, "integer overflow")
}

// TestParseOp checks the command-line names of the operations and how each one is printed.
func TestParseOp(t *testing.T) {
	tests := []struct {
		name, method, formatted string
	}{
		{"add", "Calculator.Add", "2 + 3 = 5"},
		{"sub", "Calculator.Sub", "2 - 3 = 5"},
		{"mul", "Calculator.Mul", "2 * 3 = 5"},
		{"div", "Calculator.Div", "2 / 3 = 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			op, err := calc.ParseOp(tc.name)
			require.NoError(t, err)
			assert.Equal(t, tc.method, op.Method())
			assert.Equal(t, tc.formatted, op.Format(2, 3, 5))
		})
	}
}

// TestUnknownOp checks that a name that is not an operation is refused with a message listing
// the real ones, whether it comes from a flag (ParseOp) or a conversion (Op("pow").Apply).
func TestUnknownOp(t *testing.T) {
	for _, name := range []string{"pow", "", "Add", "ADD"} {
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			want := fmt.Sprintf("unknown operation %q: want add, sub, mul or div", name)
			_, err := calc.ParseOp(name)
			assert.EqualError(t, err, want)
			_, err = calc.Op(name).Apply(1, 2)
			assert.EqualError(t, err, want)
		})
	}
}

// TestParseCodec checks the -codec flag's values.
func TestParseCodec(t *testing.T) {
	tests := []struct {
		name    string
		want    calc.Codec
		wantErr string
	}{
		{"gob", calc.Gob, ""},
		{"json", calc.JSON, ""},
		{"xml", "", `unknown codec "xml": want "gob" or "json"`},
		{"", "", `unknown codec "": want "gob" or "json"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := calc.ParseCodec(tc.name)
			if tc.wantErr != "" {
				assert.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.name, got.String())
		})
	}
}
