package calc_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

// The plain functions are the calculator without any network: later chapters serve these same
// functions over gRPC.
func ExampleAdd() {
	sum, err := calc.Add(2, 3)
	fmt.Println(sum, err)

	_, err = calc.Add(math.MaxInt, 1)
	fmt.Println(err)
	// Output:
	// 5 <nil>
	// integer overflow
}

// Div refuses what Go's own / would panic on (a zero divisor) or get wrong (MinInt / -1).
func ExampleDiv() {
	fmt.Println(calc.Div(7, 2))
	fmt.Println(calc.Div(7, 0))
	fmt.Println(calc.Div(math.MinInt, -1))
	// Output:
	// 3 <nil>
	// 0 division by zero
	// 0 integer overflow
}

// A whole round trip: a server on a free loopback port, a client that dials it, one call that
// succeeds and one whose error comes back over the wire and still matches with errors.Is.
func ExampleDial() {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // port 0: the system picks a free port
	if err != nil {
		fmt.Println(err)
		return
	}
	srv, err := calc.NewServer(calc.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop() // ending ctx is what stops the server
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()

	client, err := calc.Dial(ctx, ln.Addr().String(), calc.Gob)
	if err != nil {
		fmt.Println(err)
		return
	}
	sum, err := client.Add(ctx, 2, 3)
	fmt.Println(calc.OpAdd.Format(2, 3, sum), err)
	_, err = client.Div(ctx, 7, 0)
	fmt.Println(err, errors.Is(err, calc.ErrDivisionByZero))

	client.Close()
	stop()
	fmt.Println("Serve returned", <-served)
	// Output:
	// 2 + 3 = 5 <nil>
	// division by zero true
	// Serve returned <nil>
}
