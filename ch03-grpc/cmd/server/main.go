// Command server serves chapter 3's calculator over gRPC, traced with otelgrpc, until SIGINT or
// SIGTERM; then it drains (health NOT_SERVING, in-flight calls finish) and flushes its spans.
//
// Spans are written by stdouttrace, one JSON object per line, to -spans or stdout. The standard
// OTEL_* variables apply (OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER, …).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	os.Exit(cmdkit.Run("server", os.Stderr, func(ctx context.Context) error { return run(ctx, os.Args[1:]) }))
}

func run(ctx context.Context, args []string) (err error) {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:50051", "address to listen on (loopback by default)")
	delay := fs.Duration("delay", 0, "wait this long before answering each call (clients can ask for more, up to "+calcgrpc.MaxDelay.String()+")")
	grace := fs.Duration("shutdown-timeout", 5*time.Second, "how long in-flight calls get to finish on shutdown")
	spansPath := fs.String("spans", "", "file to write spans to as JSON lines (default stdout)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: everything is set with flags", fs.Args())
	}
	if *delay < 0 {
		return fmt.Errorf("-delay %s: want zero or more", *delay)
	}
	if *grace <= 0 {
		return fmt.Errorf("-shutdown-timeout %s: want a positive duration, e.g. 5s", *grace)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))

	spans, closeSpans, err := cmdkit.Output(*spansPath)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeSpans()) }()
	tp, shutdown, err := telemetry.NewTracerProvider(ctx, telemetry.Config{ServiceName: "calc-grpc-server", Writer: spans})
	if err != nil {
		return err
	}
	// Flush the spans on every way out, even after ctx is cancelled by the signal.
	defer func() { err = errors.Join(err, shutdown(context.WithoutCancel(ctx))) }()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := calcgrpc.NewServer(calcgrpc.ServerConfig{
		TracerProvider:  tp,
		Propagators:     telemetry.Propagator(),
		Logger:          logger,
		Delay:           *delay,
		ShutdownTimeout: *grace,
	})
	err = srv.Serve(ctx, ln)
	logger.Info("stopped")
	return err
}
