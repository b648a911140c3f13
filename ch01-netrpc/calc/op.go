package calc

import (
	"context"
	"fmt"
)

// Op is one of the four operations, named as on the command line: add, sub, mul, div.
type Op string

// The operations a Calculator offers.
const (
	OpAdd Op = "add"
	OpSub Op = "sub"
	OpMul Op = "mul"
	OpDiv Op = "div"
)

var opInfo = map[Op]struct {
	method, symbol string
	fn             func(a, b int) (int, error)
}{
	OpAdd: {"Add", "+", Add},
	OpSub: {"Sub", "-", Sub},
	OpMul: {"Mul", "*", Mul},
	OpDiv: {"Div", "/", Div},
}

// ParseOp turns a flag value into an Op.
func ParseOp(name string) (Op, error) {
	o := Op(name)
	if err := o.check(); err != nil {
		return "", err
	}
	return o, nil
}

// check rejects an Op that is not one of the four, such as Op("pow") built by a conversion
// instead of ParseOp, before it is looked up: its table entry would have no function to call.
func (o Op) check() error {
	if _, ok := opInfo[o]; !ok {
		return fmt.Errorf("unknown operation %q: want add, sub, mul or div", string(o))
	}
	return nil
}

// Method is the net/rpc name of the operation, e.g. "Calculator.Add".
func (o Op) Method() string { return ServiceName + "." + opInfo[o].method }

// Symbol is the operator's sign, e.g. "+".
func (o Op) Symbol() string { return opInfo[o].symbol }

// Apply computes the operation locally.
func (o Op) Apply(a, b int) (int, error) {
	if err := o.check(); err != nil {
		return 0, err
	}
	return opInfo[o].fn(a, b)
}

// Format writes the operation as the client prints it, e.g. "2 + 3 = 5".
func (o Op) Format(a, b, result int) string {
	return fmt.Sprintf("%d %s %d = %d", a, o.Symbol(), b, result)
}

// Do runs the operation on the server.
func (c *Client) Do(ctx context.Context, o Op, a, b int) (int, error) {
	if err := o.check(); err != nil {
		return 0, err
	}
	var reply Reply
	if err := c.Call(ctx, o.Method(), &Args{A: a, B: b}, &reply); err != nil {
		return 0, err
	}
	return reply.Result, nil
}
