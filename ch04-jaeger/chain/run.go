package chain

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/rpc-tracing/workbook/ch02-tracing-basics/telemetry"
)

// Setup builds one service's telemetry: the Tracing its instrumentation uses, the logger it
// logs to, and a shutdown that flushes everything. Chapter 4's (OTLPSetup) exports traces;
// chapter 5's adds metrics and trace-correlated logs, with no change to the services.
type Setup func(ctx context.Context, service string, logger *slog.Logger) (Tracing, *slog.Logger, func(context.Context) error, error)

// OTLPSetup is chapter 4's Setup: traces over OTLP (see NewOTLPExporter), logs unchanged.
func OTLPSetup(ctx context.Context, service string, logger *slog.Logger) (Tracing, *slog.Logger, func(context.Context) error, error) {
	exp, err := NewOTLPExporter(ctx, logger)
	if err != nil {
		return Tracing{}, nil, nil, err
	}
	tp, shutdown, err := NewTracerProvider(ctx, service, exp)
	if err != nil {
		return Tracing{}, nil, nil, err
	}
	return Tracing{Provider: tp, Propagators: telemetry.Propagator()}, logger, shutdown, nil
}

// Program is a command that runs some of the services: one (cmd/read) or all five (cmd/all).
type Program struct {
	Name     string
	Services []string
	Setup    Setup
	// Flags, if set, adds flags of its own to the program's.
	Flags func(*flag.FlagSet)
}

// Run parses the flags, starts the program's services and serves until ctx ends, then drains
// them and flushes their telemetry: every way out goes through the deferred shutdowns, so no
// span is lost. Running all five services in one process (cmd/all, like HotROD's "all") keeps a
// listener, a TracerProvider and a service.name per service: the traces look the same.
func (p Program) Run(ctx context.Context, args []string, logOut io.Writer) error {
	cfg, err := p.parseFlags(args, logOut)
	if err != nil || cfg == nil {
		return err // nil, nil: -h printed the usage
	}
	return p.serve(ctx, *cfg)
}

func (p Program) parseFlags(args []string, logOut io.Writer) (*Config, error) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet(p.Name, flag.ContinueOnError)
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
	if p.Flags != nil {
		p.Flags(fs)
	}
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

// FlushTimeout bounds how long a stopping program waits to hand its last spans to the collector.
const FlushTimeout = 5 * time.Second

// node is one running service: its listener, its telemetry and the config it serves with.
type node struct {
	name     string
	ln       net.Listener
	tracing  Tracing
	cfg      Config
	shutdown func(context.Context) error
}

// serve starts the services, serves until ctx ends, and shuts each one's telemetry down
// whatever happens.
func (p Program) serve(ctx context.Context, cfg Config) (err error) {
	var nodes []*node
	// region: flush
	defer func() {
		// The flush gets a deadline of its own: with the collector gone, the OTLP exporter would
		// retry for a minute and hold the process up; past FlushTimeout the spans are given up.
		// A flush that fails loses spans but not the service's work: it is logged, and the
		// program still exits 0 if serving went well.
		// Every service flushes at the same time, each with the whole FlushTimeout.
		flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), FlushTimeout)
		defer cancel()
		var wg sync.WaitGroup
		for _, n := range nodes {
			wg.Go(func() {
				if closeErr := n.close(flushCtx); closeErr != nil {
					n.cfg.Logger.Warn("telemetry not flushed at exit: the last spans are lost", "error", closeErr)
				}
			})
		}
		wg.Wait()
	}()
	// endregion
	for _, name := range p.Services {
		n, err := p.startNode(ctx, name, cfg)
		if err != nil {
			return err
		}
		nodes = append(nodes, n)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(nodes))
	for i, n := range nodes {
		wg.Go(func() { errs[i] = Serve(ctx, n.name, n.ln, n.tracing, n.cfg) })
	}
	wg.Wait()
	cfg.Logger.Info("stopped", "services", p.Services)
	return errors.Join(errs...)
}

func (p Program) startNode(ctx context.Context, name string, cfg Config) (*node, error) {
	t, logger, shutdown, err := p.Setup(ctx, name, cfg.Logger.With("service", name))
	if err != nil {
		return nil, err
	}
	cfg.Logger = logger
	n := &node{name: name, tracing: t, cfg: cfg, shutdown: shutdown}
	if n.ln, err = net.Listen("tcp", cfg.Addrs.Of(name)); err != nil {
		return nil, errors.Join(err, shutdown(ctx))
	}
	return n, nil
}

// close flushes the node's telemetry and closes its listener if Serve never ran.
func (n *node) close(ctx context.Context) error {
	n.ln.Close()
	return n.shutdown(ctx)
}

// Main is the whole of a service program's main: it runs p with the command line's arguments
// until SIGINT or SIGTERM, prints an error if there was one, and returns the exit status for
// main to pass to os.Exit (after every deferred shutdown inside Run has finished).
func Main(p Program) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := p.Run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", p.Name, err)
		return 1
	}
	return 0
}

// ProgramOf is chapter 4's program for one service, or for all five when service is "all".
func ProgramOf(service string) Program {
	if service == "all" {
		return Program{Name: "all", Services: Services, Setup: OTLPSetup}
	}
	return Program{Name: service, Services: []string{service}, Setup: OTLPSetup}
}
