// Command client makes one call to chapter 1's Calculator and prints it, e.g. "2 + 3 = 5". On
// failure it prints the error and exits with status 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:1234", "server address")
	codecName := fs.String("codec", "gob", "wire format: gob or json (must match the server)")
	opName := fs.String("op", "add", "operation: add, sub, mul or div")
	a := fs.Int("a", 2, "first operand")
	b := fs.Int("b", 3, "second operand")
	timeout := fs.Duration("timeout", 2*time.Second, "limit for dialling and for the call")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h asked for the usage text, which fs has printed: not a failure
		}
		return err
	}
	if fs.NArg() > 0 {
		// Without this check "client -op add 4 5" would quietly compute the defaults, 2 + 3.
		return fmt.Errorf("unexpected arguments %q: operands are flags, e.g. -a 4 -b 5", fs.Args())
	}
	codec, err := calc.ParseCodec(*codecName)
	if err != nil {
		return err
	}
	op, err := calc.ParseOp(*opName)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	client, err := calc.Dial(ctx, *addr, codec)
	if err != nil {
		return err
	}
	defer client.Close()
	result, err := client.Do(ctx, op, *a, *b)
	if err != nil {
		return fmt.Errorf("%d %s %d: %w", *a, op.Symbol(), *b, err)
	}
	fmt.Println(op.Format(*a, *b, result))
	return nil
}
