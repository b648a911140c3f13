// Command otelsdk is chapter 2, step 2's demo: step 1's Add again, now with the OpenTelemetry
// SDK making the IDs, timing the spans and exporting them with stdouttrace. Client and server
// run in one process, over a real TCP connection, each with a TracerProvider of its own.
//
// The SDK reads the standard environment variables, so OTEL_TRACES_SAMPLER=always_off shows a
// call whose IDs still travel while nothing is exported.
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

	"go.opentelemetry.io/otel/trace"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelcalc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	os.Exit(cmdkit.Run("otelsdk", os.Stderr, func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Stdout) }))
}

func run(ctx context.Context, args []string, stdout io.Writer) (err error) {
	fs := flag.NewFlagSet("otelsdk", flag.ContinueOnError)
	fs.SetOutput(stdout)
	a := fs.Int("a", 2, "first operand")
	b := fs.Int("b", 3, "second operand")
	timeout := fs.Duration("timeout", 5*time.Second, "limit for the whole demo")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	sides := cmdkit.Sides(stdout, "client", "server")
	// Spans are printed when each provider shuts down, after the call, so they do not interleave
	// with the log lines; indented JSON is easier to read than one line per span.
	clientTP, shutdownClient, err := telemetry.NewTracerProvider(ctx, telemetry.Config{ServiceName: "calc-client", Writer: stdout, PrettyPrint: true})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, shutdownClient(context.WithoutCancel(ctx))) }()
	serverTP, shutdownServer, err := telemetry.NewTracerProvider(ctx, telemetry.Config{ServiceName: "calc-server", Writer: stdout, PrettyPrint: true})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, shutdownServer(context.WithoutCancel(ctx))) }()

	srv, err := calc.NewServer(
		calc.WithReceiver(otelcalc.NewCalculator(serverTP, telemetry.Propagator(), cmdkit.Logger(sides[1]))),
		calc.WithLogger(slog.New(slog.DiscardHandler)),
	)
	if err != nil {
		return err
	}
	addr, stopServer, err := cmdkit.Serve(ctx, srv.Serve)
	if err != nil {
		return err
	}
	callErr := call(ctx, addr, clientTP, cmdkit.Logger(sides[0]), *a, *b, sides[0])
	if err := errors.Join(callErr, stopServer()); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\n# the client's span, as stdouttrace exports it")
	if err := shutdownClient(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\n# the server's span")
	return shutdownServer(ctx)
}

// call is the client side: one traced Add, its result printed.
func call(ctx context.Context, addr string, tp trace.TracerProvider, logger *slog.Logger, a, b int, out io.Writer) error {
	conn, err := calc.Dial(ctx, addr, calc.Gob)
	if err != nil {
		return err
	}
	defer conn.Close()
	client := otelcalc.NewClient(conn, tp, telemetry.Propagator(), logger)
	sum, err := client.Do(ctx, calc.OpAdd, a, b)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, calc.OpAdd.Format(a, b, sum))
	return nil
}
