package chain

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
)

// Run is the whole program of one service (cmd/listen … cmd/sing): it reads the flags, sets up
// tracing with an OTLP exporter, serves until ctx ends, then drains and flushes. Every way out
// goes through the deferred shutdown, so no span is lost.
func Run(ctx context.Context, service string, args []string, logOut io.Writer) error {
	cfg, err := parseFlags(service, args, logOut)
	if err != nil || cfg == nil {
		return err // nil, nil: -h printed the usage
	}
	return runServices(ctx, []string{service}, *cfg)
}

// RunAll runs the five services in one process (cmd/all), like HotROD's "all": each keeps its own
// listener, TracerProvider and service.name, so the traces look exactly as with five programs.
func RunAll(ctx context.Context, args []string, logOut io.Writer) error {
	cfg, err := parseFlags("all", args, logOut)
	if err != nil || cfg == nil {
		return err
	}
	return runServices(ctx, Services, *cfg)
}

func parseFlags(program string, args []string, logOut io.Writer) (*Config, error) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet(program, flag.ContinueOnError)
	fs.SetOutput(logOut)
	fs.StringVar(&cfg.Addrs.Listen, "listen", cfg.Addrs.Listen, "listen's address (HTTP edge)")
	fs.StringVar(&cfg.Addrs.Speak, "speak", cfg.Addrs.Speak, "speak's address (gRPC)")
	fs.StringVar(&cfg.Addrs.Read, "read", cfg.Addrs.Read, "read's address (gRPC)")
	fs.StringVar(&cfg.Addrs.Write, "write", cfg.Addrs.Write, "write's address (gRPC)")
	fs.StringVar(&cfg.Addrs.Sing, "sing", cfg.Addrs.Sing, "sing's address (HTTP)")
	fs.DurationVar(&cfg.Delay, "delay", cfg.Delay, "how long a service waits when a request's ?slow= names it")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "end-to-end limit of each request at the edge")
	fs.DurationVar(&cfg.Grace, "shutdown-timeout", cfg.Grace, "how long in-flight requests get to finish on shutdown")
	fs.BoolVar(&cfg.PublicEndpoint, "public-endpoint", false, "edge: start a new trace per request, linked to the caller's, instead of continuing it")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q: everything is set with flags", fs.Args())
	}
	cfg.Logger = slog.New(slog.NewTextHandler(logOut, nil))
	return &cfg, nil
}

// node is one running service: its listener and its tracing.
type node struct {
	name     string
	ln       net.Listener
	tp       *sdktrace.TracerProvider
	shutdown func(context.Context) error
}

// runServices starts the named services, serves until ctx ends, and shuts each one's tracing
// down whatever happens.
func runServices(ctx context.Context, names []string, cfg Config) (err error) {
	var nodes []*node
	defer func() {
		for _, n := range nodes {
			err = errors.Join(err, n.close(context.WithoutCancel(ctx)))
		}
	}()
	for _, name := range names {
		n, err := startNode(ctx, name, cfg)
		if err != nil {
			return err
		}
		nodes = append(nodes, n)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(nodes))
	for i, n := range nodes {
		t := Tracing{Provider: n.tp, Propagators: telemetry.Propagator()}
		wg.Go(func() { errs[i] = Serve(ctx, n.name, n.ln, t, cfg) })
	}
	wg.Wait()
	cfg.Logger.Info("stopped", "services", names)
	return errors.Join(errs...)
}

func startNode(ctx context.Context, name string, cfg Config) (*node, error) {
	logger := cfg.Logger.With("service", name)
	exp, err := NewOTLPExporter(ctx, logger)
	if err != nil {
		return nil, err
	}
	tp, shutdown, err := NewTracerProvider(ctx, name, exp)
	if err != nil {
		return nil, err
	}
	n := &node{name: name, tp: tp, shutdown: shutdown}
	if n.ln, err = net.Listen("tcp", cfg.Addrs.Of(name)); err != nil {
		return nil, errors.Join(err, shutdown(ctx))
	}
	return n, nil
}

// close flushes the node's spans and closes its listener if Serve never ran.
func (n *node) close(ctx context.Context) error {
	n.ln.Close()
	return n.shutdown(ctx)
}
