// Command client takes chapter 3's tour of the calculator: every kind of gRPC call, including a
// failing Div and a missed deadline, each under its own trace, printing the result and the trace
// ID. With -health it only asks the server's health service and prints the answer.
//
// Spans are written by stdouttrace, one JSON object per line, to -spans or stdout.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
	"github.com/rpc-tracing/workbook/ch03-grpc/calcgrpc"
	"github.com/rpc-tracing/workbook/ch03-grpc/internal/tour"
	calculatorv1 "github.com/rpc-tracing/workbook/ch03-grpc/proto/calculator/v1"
	"github.com/rpc-tracing/workbook/internal/cmdkit"
)

func main() {
	os.Exit(cmdkit.Run("client", os.Stderr, func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Stdout) }))
}

func run(ctx context.Context, args []string, out io.Writer) (err error) {
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:50051", "server address")
	timeout := fs.Duration("timeout", time.Second, "deadline of each call")
	slow := fs.Duration("slow", 2*time.Second, "how long the deadline step asks the server to wait (longer than -timeout)")
	health := fs.Bool("health", false, "only check the server's health and print it")
	spansPath := fs.String("spans", "", "file to write spans to as JSON lines (default stdout)")
	noHandler := fs.Bool("no-client-handler", false, "leave out otelgrpc's client stats handler, to see the server start traces of its own")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: everything is set with flags", fs.Args())
	}
	if err := checkDurations(*timeout, *slow); err != nil {
		return err
	}

	spans, closeSpans, err := cmdkit.Output(*spansPath)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeSpans()) }()
	tp, shutdown, err := telemetry.NewTracerProvider(ctx, telemetry.Config{ServiceName: "calc-grpc-client", Writer: spans})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, shutdown(context.WithoutCancel(ctx))) }()

	conn, err := dial(*addr, tp, *noHandler)
	if err != nil {
		return err
	}
	defer conn.Close()
	if *health {
		return checkHealth(ctx, conn, *timeout, out)
	}
	cfg := tour.Config{Timeout: *timeout, SlowDelay: *slow}
	return tour.Run(ctx, calculatorv1.NewCalculatorServiceClient(conn), tp.Tracer("calc-grpc-client"), cfg, out)
}

// checkDurations refuses timings that would make the tour fail for the wrong reason: a deadline
// that has passed before the first call, or a "slow" answer that still arrives in time, or one
// the server refuses to wait for.
func checkDurations(timeout, slow time.Duration) error {
	switch {
	case timeout <= 0:
		return fmt.Errorf("-timeout %s: want a positive duration, e.g. 1s", timeout)
	case slow <= timeout:
		return fmt.Errorf("-slow %s: want more than -timeout (%s), or the deadline step cannot miss its deadline", slow, timeout)
	case slow > calcgrpc.MaxDelay:
		return fmt.Errorf("-slow %s: the server waits at most %s", slow, calcgrpc.MaxDelay)
	}
	return nil
}

// checkHealth asks the standard health service about the calculator and fails unless it is
// SERVING.
func checkHealth(ctx context.Context, conn *grpc.ClientConn, timeout time.Duration, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	service := calculatorv1.CalculatorService_ServiceDesc.ServiceName
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	fmt.Fprintf(out, "health of %s: %s\n", service, resp.GetStatus())
	if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return errors.New("not serving")
	}
	return nil
}

// dial connects to the calculator, traced unless noHandler is set: then no span is made for the
// call and no trace context is sent, so the server's spans start new traces of their own.
func dial(addr string, tp trace.TracerProvider, noHandler bool) (*grpc.ClientConn, error) {
	if noHandler {
		return grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	}
	return calcgrpc.NewClient(addr, tp, telemetry.Propagator())
}
