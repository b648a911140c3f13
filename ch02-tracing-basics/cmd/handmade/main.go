// Command handmade is chapter 2, step 1's demo: a client and a server in one process, talking
// over a real TCP connection on loopback, each logging the trace IDs it sees. It makes an Add and
// a division by zero, so the reader sees one trace ID on both sides of each call, the client's
// span ID come back as the server's parent_id, and a failed call traced like a good one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/handmade"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	os.Exit(cmdkit.Run("handmade", os.Stderr, func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Stdout) }))
}

// run parses the flags, runs the demo and writes everything both sides log to stdout.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("handmade", flag.ContinueOnError)
	fs.SetOutput(stdout)
	codecName := fs.String("codec", "gob", "wire format: gob or json (the envelope works with both)")
	timeout := fs.Duration("timeout", 5*time.Second, "limit for the whole demo")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	codec, err := calc.ParseCodec(*codecName)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	sides := cmdkit.Sides(stdout, "client", "server")
	clientOut, serverOut := sides[0], sides[1]

	addr, stopServer, err := startServer(ctx, codec, cmdkit.Logger(serverOut))
	if err != nil {
		return err
	}
	err = callServer(ctx, addr, codec, clientOut)
	return errors.Join(err, stopServer())
}

// startServer serves a handmade Calculator on a free loopback port. stop ends it and returns
// Serve's error, so a shutdown problem fails the demo instead of vanishing.
func startServer(ctx context.Context, codec calc.Codec, logger *slog.Logger) (addr string, stop func() error, err error) {
	srv, err := calc.NewServer(
		calc.WithCodec(codec),
		calc.WithReceiver(handmade.NewCalculator(logger)),
		// Chapter 1's connection and shutdown messages would only crowd the trace lines out.
		calc.WithLogger(slog.New(slog.DiscardHandler)),
	)
	if err != nil {
		return "", nil, err
	}
	return cmdkit.Serve(ctx, srv.Serve)
}

// callServer is the client side: each call starts a trace of its own. A call's expected error
// is part of the demo; any other outcome fails it.
func callServer(ctx context.Context, addr string, codec calc.Codec, out io.Writer) error {
	conn, err := calc.Dial(ctx, addr, codec)
	if err != nil {
		return err
	}
	defer conn.Close()
	client := handmade.NewClient(conn, cmdkit.Logger(out))
	calls := []struct {
		op      calc.Op
		a, b    int
		wantErr error
	}{
		{op: calc.OpAdd, a: 2, b: 3},
		{op: calc.OpDiv, a: 7, b: 0, wantErr: calc.ErrDivisionByZero},
	}
	for i, c := range calls {
		end := "\n\n" // a blank line between calls, none after the last
		if i == len(calls)-1 {
			end = "\n"
		}
		result, err := client.Do(ctx, c.op, c.a, c.b)
		switch {
		case !errors.Is(err, c.wantErr): // also catches a call that should have failed and did not
			return fmt.Errorf("%d %s %d: got error %v, want %v", c.a, c.op.Symbol(), c.b, err, c.wantErr)
		case err != nil:
			fmt.Fprintf(out, "%d %s %d: %v%s", c.a, c.op.Symbol(), c.b, err, end)
		default:
			fmt.Fprintf(out, "%s%s", c.op.Format(c.a, c.b, result), end)
		}
	}
	return nil
}
