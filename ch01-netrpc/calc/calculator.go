// Package calc is chapter 1's calculator: plain arithmetic functions, the same operations as a
// net/rpc service, a server with graceful shutdown and a context-aware client.
//
// The arithmetic lives in plain functions (Add, Sub, Mul, Div) so later chapters can serve it over
// gRPC and in the five-service chain without touching net/rpc.
package calc

// Args are the two operands of every operation. The field names and types match the source
// article, so its client works unchanged against this server.
type Args struct {
	A, B int
}

// Reply carries the result of an operation.
type Reply struct {
	Result int
}

// ServiceName is the name the Calculator is registered under, so methods are called as
// "Calculator.Add", "Calculator.Div", and so on.
const ServiceName = "Calculator"

// region: calculator-add

// Calculator is the net/rpc service. Each method has the shape net/rpc requires: exported, two
// arguments (the second a pointer), both of exported or builtin types, and an error result.
type Calculator struct{}

// Add stores args.A + args.B in reply.
func (Calculator) Add(args *Args, reply *Reply) error {
	return apply(Add, args, reply)
}

// endregion

// Sub stores args.A - args.B in reply.
func (Calculator) Sub(args *Args, reply *Reply) error {
	return apply(Sub, args, reply)
}

// Mul stores args.A * args.B in reply.
func (Calculator) Mul(args *Args, reply *Reply) error {
	return apply(Mul, args, reply)
}

// Div stores args.A / args.B in reply.
func (Calculator) Div(args *Args, reply *Reply) error {
	return apply(Div, args, reply)
}

func apply(op func(a, b int) (int, error), args *Args, reply *Reply) error {
	result, err := op(args.A, args.B)
	if err != nil {
		return err
	}
	reply.Result = result
	return nil
}
