// Command traced is chapter 2's step 3: chapter 1's calculator with otelnetrpc on both sides.
// It starts a traced server on a loopback port, makes three requests through a traced client (an
// Add, a Div by zero, and a "mean" that makes two calls under one parent span), then flushes the
// spans and draws each trace as a waterfall.
//
// Client and server run in one process to keep the demo to one command, but they talk over a
// real TCP connection and have a TracerProvider each, as two services would.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/otelnetrpc"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch02-tracing-basics/tracedcalc"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
	"github.com/rpc-tracing/workbook/internal/waterfall"
)

func main() {
	os.Exit(cmdkit.Run("traced", os.Stderr, func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Stdout) }))
}

func run(ctx context.Context, args []string, out io.Writer) (err error) {
	fs := flag.NewFlagSet("traced", flag.ContinueOnError)
	noPropagation := fs.Bool("break-propagation", false, "use a propagator that carries nothing, to see each trace split in two")
	fs.SetOutput(out)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	// region: propagator
	// Both sides are given the propagator explicitly: the W3C trace context and baggage.
	propagator := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	if *noPropagation {
		propagator = propagation.NewCompositeTextMapPropagator() // injects and extracts nothing
	}
	// endregion

	// Spans are kept in memory so they can be drawn at the end; a real service exports them.
	spans := tracetest.NewInMemoryExporter()
	serverTP, shutdownServer, err := telemetry.NewTracerProvider(ctx, telemetry.Config{ServiceName: "calc-server", Exporter: spans})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, shutdownServer(context.WithoutCancel(ctx))) }()
	clientTP, shutdownClient, err := telemetry.NewTracerProvider(ctx, telemetry.Config{ServiceName: "calc-client", Exporter: spans})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, shutdownClient(context.WithoutCancel(ctx))) }()

	if err := serveAndCall(ctx, propagator, serverTP, clientTP, out); err != nil {
		return err
	}
	// Flush both providers before drawing: the batch processors may still hold spans.
	if err := errors.Join(clientTP.ForceFlush(ctx), serverTP.ForceFlush(ctx)); err != nil {
		return err
	}
	fmt.Fprintln(out)
	return waterfall.Render(out, waterfall.FromSDK(spans.GetSpans().Snapshots()))
}

// serveAndCall runs a traced server until the client's requests are done.
func serveAndCall(ctx context.Context, propagator propagation.TextMapPropagator, serverTP, clientTP *sdktrace.TracerProvider, out io.Writer) error {
	// region: server-codecs
	codecs := otelnetrpc.ServerCodecs(otelnetrpc.WithTracerProvider(serverTP), otelnetrpc.WithPropagators(propagator))
	srv, err := calc.NewServer(calc.WithServerCodec(codecs), calc.WithReceiver(tracedcalc.New(serverTP)),
		calc.WithLogger(slog.New(slog.DiscardHandler)))
	// endregion
	if err != nil {
		return err
	}
	addr, stopServer, err := cmdkit.Serve(ctx, srv.Serve)
	if err != nil {
		return err
	}
	return errors.Join(callAll(ctx, addr, propagator, clientTP, out), stopServer())
}
