// Package mod is chapter 1's first exercise: add a remainder operation, Calculator.Mod, without
// touching package calc. Fill in the TODOs, then check your work with
//
//	make exercise EX=ch01/mod
package mod

import (
	"context"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// Mod returns the remainder of a / b, or calc.ErrDivisionByZero when b is 0.
func Mod(a, b int) (int, error) {
	// TODO: return a % b, and calc.ErrDivisionByZero when b is 0 (reusing calc's error means
	// calc.Client already recognises it with errors.Is).
	return 0, nil
}

// Calculator is calc.Calculator plus Mod. Embedding brings Add, Sub, Mul and Div along.
type Calculator struct {
	calc.Calculator
}

// TODO: give Calculator a method Mod in the shape net/rpc serves:
//
//	func (Calculator) Mod(args *calc.Args, reply *calc.Reply) error
//
// It stores Mod(args.A, args.B) in reply.Result, or returns Mod's error.

// NewServer returns a calc.Server that serves Calculator, Mod included.
func NewServer(opts ...calc.Option) (*calc.Server, error) {
	// TODO: serve this package's Calculator instead of calc's own, with
	// calc.WithReceiver(Calculator{}) after opts.
	return calc.NewServer(opts...)
}

// Client adds Mod to a calc.Client. It is written for you: it calls "Calculator.Mod", which
// answers once the server has the method.
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
