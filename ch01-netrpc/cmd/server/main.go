// Command server serves chapter 1's Calculator over net/rpc until SIGINT or SIGTERM, then lets
// in-flight calls finish and exits.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rpc-tracing/workbook/ch01-netrpc/calc"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:1234", "address to listen on (loopback by default: nothing else can reach it)")
	codecName := fs.String("codec", "gob", "wire format: gob or json")
	grace := fs.Duration("shutdown-timeout", calc.DefaultShutdownTimeout, "how long to wait for in-flight calls on shutdown")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h asked for the usage text, which fs has printed: not a failure
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: everything is set with flags", fs.Args())
	}
	codec, err := calc.ParseCodec(*codecName)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := calc.NewServer(calc.WithCodec(codec), calc.WithLogger(logger), calc.WithShutdownTimeout(*grace))
	if err != nil {
		return err
	}
	// Catch the signals before listening, so a stop request that comes early is not fatal.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger.Info("serving Calculator", "addr", ln.Addr().String(), "codec", codec)
	start := time.Now()
	err = srv.Serve(ctx, ln)
	logger.Info("stopped", "uptime", time.Since(start).Round(time.Millisecond))
	return err
}
