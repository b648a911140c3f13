// Package mod is the solution to chapter 1's first exercise: add a remainder operation,
// Calculator.Mod, without touching package calc.
//
// The new service embeds calc.Calculator, so Add, Sub, Mul and Div come along unchanged, and is
// registered with calc.WithReceiver under the same "Calculator" name: old clients keep working
// and new ones can call "Calculator.Mod".
package mod

import (
	"context"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// Mod returns the remainder of a / b with the sign of a, as Go's % does. A zero divisor returns
// calc.ErrDivisionByZero: a remainder is what a division leaves over, so it is the same mistake,
// and reusing the sentinel means the calc.Client already recognises it with errors.Is. Unlike
// Div, no result overflows: MinInt % -1 is 0.
func Mod(a, b int) (int, error) {
	if b == 0 {
		return 0, calc.ErrDivisionByZero
	}
	return a % b, nil
}

// Calculator is calc.Calculator plus Mod.
type Calculator struct {
	calc.Calculator
}

// Mod stores args.A % args.B in reply. Like every net/rpc method it is exported, takes the
// arguments and a pointer for the reply, and returns an error.
func (Calculator) Mod(args *calc.Args, reply *calc.Reply) error {
	result, err := Mod(args.A, args.B)
	if err != nil {
		return err
	}
	reply.Result = result
	return nil
}

// NewServer returns a calc.Server that serves Calculator, Mod included.
func NewServer(opts ...calc.Option) (*calc.Server, error) {
	return calc.NewServer(append(opts, calc.WithReceiver(Calculator{}))...)
}

// Client adds Mod to a calc.Client.
type Client struct {
	*calc.Client
}

// Mod returns a % b computed by the server.
func (c Client) Mod(ctx context.Context, a, b int) (int, error) {
	var reply calc.Reply
	if err := c.Call(ctx, "Calculator.Mod", &calc.Args{A: a, B: b}, &reply); err != nil {
		return 0, err
	}
	return reply.Result, nil
}
