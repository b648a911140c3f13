package chain

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
)

// ParseCommandLine reads a command line `all|listen|speak|read|write|sing [flags]`: the services
// to run, and the config as the flags change it. fs may already hold flags of the program's own
// (chapter 5 adds its /metrics addresses). With -h it prints the usage and returns flag.ErrHelp.
func ParseCommandLine(fs *flag.FlagSet, args []string) (services []string, cfg Config, err error) {
	cfg = DefaultConfig()
	cfg.RegisterFlags(fs)
	usage := fmt.Sprintf("usage: %s all|%s [flags]", fs.Name(), strings.Join(Services, "|"))
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\n`all` runs the five services in one process, a service's name runs it alone.\n\n", usage)
		fs.PrintDefaults()
	}
	if len(args) == 0 {
		return nil, cfg, errors.New(usage)
	}
	switch {
	case args[0] == "-h" || args[0] == "-help" || args[0] == "--help":
		fs.Usage()
		return nil, cfg, flag.ErrHelp
	case args[0] == "all":
		services = Services
	case slices.Contains(Services, args[0]):
		services = []string{args[0]}
	default:
		return nil, cfg, fmt.Errorf("unknown command %q; %s", args[0], usage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return nil, cfg, err
	}
	if fs.NArg() > 0 {
		return nil, cfg, fmt.Errorf("unexpected arguments %q: everything is set with flags", fs.Args())
	}
	return services, cfg, nil
}

// RunCommandLine is a whole program over the chain: it reads the command line with fs (see
// ParseCommandLine), logs to fs's output, and runs the services it names with newTelemetry until
// ctx ends. With -h it prints the usage and returns nil.
func RunCommandLine(ctx context.Context, fs *flag.FlagSet, args []string,
	newTelemetry func(ctx context.Context, service string, logger *slog.Logger) (otelsetup.Telemetry, error)) error {
	services, cfg, err := ParseCommandLine(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	cfg.Logger = slog.New(slog.NewTextHandler(fs.Output(), nil))
	return Run(ctx, services, cfg, newTelemetry)
}

// FlushTimeout bounds how long a stopping program waits to hand its last spans to the collector.
const FlushTimeout = 5 * time.Second

// running is one started service: its listener and its telemetry.
type running struct {
	name string
	ln   net.Listener
	tel  otelsetup.Telemetry
}

// Run starts the named services, each with the telemetry newTelemetry gives it
// (otelsetup.Traces in chapter 4), serves until ctx ends, then drains them and flushes their
// telemetry: every way out goes through the deferred flush, so no span is lost. Running all five
// services in one process (like HotROD's "all") keeps a listener, a TracerProvider and a
// service.name per service: the traces look the same.
func Run(ctx context.Context, services []string, cfg Config,
	newTelemetry func(ctx context.Context, service string, logger *slog.Logger) (otelsetup.Telemetry, error)) (err error) {
	var started []running
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
		for _, r := range started {
			wg.Go(func() {
				r.ln.Close() // in case Serve never ran
				if closeErr := r.tel.Shutdown(flushCtx); closeErr != nil {
					r.tel.Logger.Warn("telemetry not flushed at exit: the last spans are lost", "error", closeErr)
				}
			})
		}
		wg.Wait()
	}()
	// endregion
	for _, name := range services {
		tel, err := newTelemetry(ctx, name, cfg.Logger.With("service", name))
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", cfg.Addrs.Of(name))
		if err != nil {
			return errors.Join(err, tel.Shutdown(ctx))
		}
		started = append(started, running{name: name, ln: ln, tel: tel})
	}
	var wg sync.WaitGroup
	errs := make([]error, len(started))
	for i, r := range started {
		svcCfg := cfg
		svcCfg.Logger = r.tel.Logger
		wg.Go(func() { errs[i] = Serve(ctx, r.name, r.ln, r.tel.Providers, svcCfg) })
	}
	wg.Wait()
	cfg.Logger.Info("stopped", "services", services)
	return errors.Join(errs...)
}
