package chainload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/internal/launch"
	"github.com/rpc-tracing/workbook/internal/stack"
)

// The services' addresses in a bench run: apart from chapter 4's defaults, so a bench run and a
// demo left running do not collide, and below 32768, out of Linux's range of ephemeral ports
// (an outgoing connection's local port could take one just when a service wants to listen).
var benchServices = chain.Addrs{Listen: "127.0.0.1:28080", Speak: "127.0.0.1:28061", Read: "127.0.0.1:28062",
	Write: "127.0.0.1:28063", Sing: "127.0.0.1:28081"}

// Plan is what a bench run does and where things are.
type Plan struct {
	Bin          string // the Makefile's bin/: jaeger and bin/ch04-chain, the services' program
	JaegerConfig string // perf/jaeger.yaml
	// JaegerCPUs and ServiceCPUs pin Jaeger and the services (and this process, which drives
	// the load, should run on ServiceCPUs too: `taskset -c 0 chainbench`).
	JaegerCPUs, ServiceCPUs string
	// Flood is the command that floods Jaeger until SIGTERM (chainbench's "flood" subcommand).
	Flood []string
	// Load drives every closed-loop run and the overload run.
	Load    Load
	Repeats int
	// ServiceEnv is added to every service's environment, e.g. a smaller OTEL_BSP_MAX_QUEUE_SIZE.
	ServiceEnv []string
	// CapacityWindow is how long the flood is measured; LossDuration how long the loss run lasts.
	CapacityWindow, LossDuration time.Duration
	Log                          io.Writer
	// FreePorts puts Jaeger, its flood receiver and the services on ports free at the time (the
	// end-to-end test sets it, so it runs while a demo holds the usual ones).
	FreePorts bool
}

// bench is a Plan being run.
type bench struct {
	Plan
	client *http.Client
	jaeger *stack.Stack
	// Where things are in this run: listen's API, the flood receiver, the services' flags.
	edgeURL, floodEndpoint string
	serviceFlags           []string
}

// settleAddrs chooses where the flood receiver and the services listen.
func (b *bench) settleAddrs() ([]string, error) {
	services, flood := benchServices, FloodEndpoint
	var sets []string
	if b.FreePorts {
		free, err := stack.FreeAddrsFor(append(slices.Clone(chain.Services), "flood"))
		if err != nil {
			return nil, err
		}
		services, flood = chain.AddrsOf(free), free["flood"]
		sets = []string{"--set=receivers::otlp/flood::protocols::grpc::endpoint=" + flood}
	}
	b.floodEndpoint, b.edgeURL, b.serviceFlags = flood, "http://"+services.Listen+"/api/study", services.Flags()
	return sets, nil
}

// Run measures the chain as the plan says and returns the report.
func (p Plan) Run(ctx context.Context) (rep Report, err error) {
	b := &bench{Plan: p, client: &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256},
	}}
	defer b.client.CloseIdleConnections()
	sets, err := b.settleAddrs()
	if err != nil {
		return rep, err
	}
	b.jaeger, err = stack.New(stack.Config{Bin: p.Bin, JaegerConfig: p.JaegerConfig, JaegerCPUs: p.JaegerCPUs,
		FreePorts: p.FreePorts, JaegerSets: sets})
	if err != nil {
		return rep, err
	}
	b.logf("starting Jaeger on CPU %s", p.JaegerCPUs)
	if err := b.jaeger.StartJaeger(ctx); err != nil {
		return rep, err
	}
	defer func() {
		if stopErr := b.jaeger.StopJaeger(); stopErr != nil && err == nil {
			err = stopErr
		}
	}()
	rep = Report{Date: time.Now().UTC().Format(time.DateOnly), Machine: ThisMachine(), Setup: Setup{JaegerCPUs: p.JaegerCPUs, ServiceCPUs: p.ServiceCPUs, Load: p.Load, Repeats: p.Repeats}}
	steps := []func(context.Context, *Report) error{b.capacity, b.spansPerTrace, b.closedLoops, b.loss, b.shared, b.stall}
	for _, step := range steps {
		if err := step(ctx, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func (b *bench) logf(format string, args ...any) {
	if b.Log != nil {
		fmt.Fprintf(b.Log, "# "+format+"\n", args...)
	}
}

// counts reads Jaeger's span counters.
func (b *bench) counts(ctx context.Context) (SpanCounts, error) {
	return ReadSpanCounts(ctx, b.client, b.jaeger.JaegerAddrs.MetricsURL())
}

// capacity floods Jaeger from the services' CPUs (nothing else runs there meanwhile) and
// measures how many spans per second it accepts.
func (b *bench) capacity(ctx context.Context, rep *Report) error {
	b.logf("measuring Jaeger's ingest capacity: flooding it for %v", b.CapacityWindow)
	stop, err := b.startFlood(b.ServiceCPUs)
	if err != nil {
		return err
	}
	rate, err := b.floodRate(ctx, b.CapacityWindow)
	rep.JaegerCapacity = rate
	if stopErr := stop(); err == nil {
		err = stopErr
	}
	b.logf("Jaeger accepted %.0f spans/s", rate)
	return err
}

// floodRate measures the flood's accepted spans per second over window, after a warm-up.
func (b *bench) floodRate(ctx context.Context, window time.Duration) (float64, error) {
	if err := sleep(ctx, 3*time.Second); err != nil { // connections up, queues full
		return 0, err
	}
	before, err := b.counts(ctx)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := sleep(ctx, window); err != nil {
		return 0, err
	}
	after, err := b.counts(ctx)
	if err != nil {
		return 0, err
	}
	// Stored, not accepted: Jaeger accepts into its batch processor's queue, and only what
	// reaches storage was really ingested. Nothing but the flood sends meanwhile.
	return after.Since(before).Stored / time.Since(start).Seconds(), nil
}

// startFlood starts the flood command pinned to cpus; stop ends it.
func (b *bench) startFlood(cpus string) (stop func() error, err error) {
	bin, args := stack.Pinned(cpus, b.Flood[0], append(slices.Clone(b.Flood[1:]), "-endpoint", b.floodEndpoint)...)
	p, err := launch.Start("flood", bin, args, nil, nil)
	if err != nil {
		return nil, err
	}
	return func() error { return p.Stop(30 * time.Second) }, nil
}

// withServices starts the five services sampling as s, runs do, stops the services (so their
// last spans are flushed) and returns how many spans Jaeger accepted from them meanwhile.
func (b *bench) withServices(ctx context.Context, s Sampling, do func() error) (received float64, err error) {
	env := append([]string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + b.jaeger.JaegerAddrs.OTLPEndpoint()}, b.ServiceEnv...)
	env = append(env, s.Env...)
	st, err := stack.New(stack.Config{Bin: b.Bin, Env: env, ServiceCPUs: b.ServiceCPUs, Program: "ch04-chain"})
	if err != nil {
		return 0, err
	}
	before, err := b.counts(ctx)
	if err != nil {
		return 0, err
	}
	for _, name := range chain.Services {
		if err := st.StartService(ctx, name, b.serviceFlags...); err != nil {
			return 0, errors.Join(fmt.Errorf("%w\n%s", err, st.Services[name].Logs()), st.StopServices(30*time.Second))
		}
	}
	err = do()
	if stopErr := st.StopServices(30 * time.Second); err == nil {
		err = stopErr
	}
	if err != nil {
		return 0, err
	}
	after, err := b.counts(ctx)
	return after.Since(before).Accepted[ServicesReceiver], err
}

// spansPerTrace sends one request at 100% and counts what arrives.
func (b *bench) spansPerTrace(ctx context.Context, rep *Report) error {
	var stats Stats
	received, err := b.withServices(ctx, Full, func() error {
		var err error
		stats, err = Drive(ctx, b.client, b.edgeURL, Load{Concurrency: 1, Rate: 1, Duration: 1500 * time.Millisecond})
		return err
	})
	if err != nil {
		return err
	}
	if stats.OK != 1 || stats.Failed != 0 {
		return fmt.Errorf("chainload: the single request: %+v, want one OK", stats)
	}
	rep.SpansPerTrace = int(received)
	b.logf("one request = %d spans", rep.SpansPerTrace)
	return nil
}

// closedLoops runs every configuration Repeats times, interleaved so that a slow minute of the
// shared machine spreads over all of them instead of landing on one.
func (b *bench) closedLoops(ctx context.Context, rep *Report) error {
	for i := range b.Repeats {
		for _, s := range []Sampling{Off, OnePercent, Full} {
			run, err := b.closedLoop(ctx, s)
			if err != nil {
				return err
			}
			b.logf("run %d/%d %-6s %6.0f req/s  p50 %v  p99 %v  spans received %.0f", i+1, b.Repeats, s.Name,
				run.Stats.Throughput, run.Stats.P50, run.Stats.P99, run.SpansReceived)
			rep.Runs = append(rep.Runs, run)
		}
	}
	return nil
}

func (b *bench) closedLoop(ctx context.Context, s Sampling) (Run, error) {
	run := Run{Sampling: s.Name}
	received, err := b.withServices(ctx, s, func() error {
		// Warm-up: connections, goroutines and the services' caches, not counted.
		if _, err := Drive(ctx, b.client, b.edgeURL, Load{Concurrency: b.Load.Concurrency, Duration: 2 * time.Second}); err != nil {
			return err
		}
		var err error
		run.Stats, err = Drive(ctx, b.client, b.edgeURL, b.Load)
		return err
	})
	run.SpansReceived = received
	return run, err
}

// loss runs at 100% at half of Jaeger's capacity (or 70% of what the chain manages at 100%,
// whichever is lower) for LossDuration, and compares spans produced with spans received.
func (b *bench) loss(ctx context.Context, rep *Report) error {
	rate := 0.5 * rep.JaegerCapacity / float64(rep.SpansPerTrace)
	if most := 0.7 * meanThroughput(rep.Runs, Full.Name); most < rate {
		rate = most
	}
	b.logf("loss run: %.0f requests/s (%.0f spans/s) for %v at 100%%", rate, rate*float64(rep.SpansPerTrace), b.LossDuration)
	rep.Loss.Rate = rate
	received, err := b.withServices(ctx, Full, func() error {
		var err error
		rep.Loss.Stats, err = Drive(ctx, b.client, b.edgeURL, Load{Concurrency: 64, Rate: rate, Duration: b.LossDuration})
		return err
	})
	rep.Loss.SpansReceived = received
	rep.Loss.SpansProduced = float64(rep.Loss.Stats.OK * rep.SpansPerTrace)
	b.logf("loss run: %d OK, %d failed, %d missed; spans produced %.0f, received %.0f",
		rep.Loss.Stats.OK, rep.Loss.Stats.Failed, rep.Loss.Stats.Missed, rep.Loss.SpansProduced, received)
	return err
}

// shared runs the chain at 100% while the flood, on Jaeger's CPUs, takes all the capacity the
// services leave.
func (b *bench) shared(ctx context.Context, rep *Report) error {
	b.logf("shared run: 100%% while the flood saturates Jaeger")
	stop, err := b.startFlood(b.JaegerCPUs)
	if err != nil {
		return err
	}
	defer func() { _ = stop() }()
	received, err := b.withServices(ctx, Full, func() error {
		if err := sleep(ctx, 3*time.Second); err != nil { // the flood at full speed first
			return err
		}
		before, err := b.counts(ctx)
		if err != nil {
			return err
		}
		start := time.Now()
		rep.Shared.Stats, err = Drive(ctx, b.client, b.edgeURL, b.Load)
		if err != nil {
			return err
		}
		after, err := b.counts(ctx)
		rep.Shared.FloodSpansRate = after.Since(before).Accepted[FloodReceiver] / time.Since(start).Seconds()
		return err
	})
	b.finish(&rep.Shared, received, rep.SpansPerTrace, "shared")
	return err
}

// StallFor is how long the stall run freezes Jaeger.
const StallFor = 5 * time.Second

// stall runs the chain at 100% and freezes Jaeger for StallFor in the middle: no span can be
// exported meanwhile, so the services' batch processors queue them, and drop what does not fit.
func (b *bench) stall(ctx context.Context, rep *Report) error {
	b.logf("stall run: 100%%, Jaeger frozen for %v in the middle", StallFor)
	rep.Stall.Stalled = StallFor
	received, err := b.withServices(ctx, Full, func() error {
		done := make(chan error, 1)
		go func() {
			var err error
			rep.Stall.Stats, err = Drive(ctx, b.client, b.edgeURL, b.Load)
			done <- err
		}()
		freezeErr := b.freezeJaeger(ctx, (b.Load.Duration-StallFor)/2)
		return errors.Join(<-done, freezeErr)
	})
	b.finish(&rep.Stall, received, rep.SpansPerTrace, "stall")
	return err
}

// freezeJaeger waits for after, then pauses Jaeger for StallFor.
func (b *bench) freezeJaeger(ctx context.Context, after time.Duration) error {
	if err := sleep(ctx, after); err != nil {
		return err
	}
	if err := b.jaeger.Jaeger.Pause(); err != nil {
		return err
	}
	slept := sleep(ctx, StallFor)
	return errors.Join(slept, b.jaeger.Jaeger.Resume())
}

func (b *bench) finish(o *Overload, received float64, spansPerTrace int, name string) {
	o.SpansReceived = received
	o.SpansProduced = float64(o.Stats.OK * spansPerTrace)
	b.logf("%s run: %.0f req/s, p50 %v, p99 %v; spans produced %.0f, received %.0f; flood %.0f spans/s", name,
		o.Stats.Throughput, o.Stats.P50, o.Stats.P99, o.SpansProduced, received, o.FloodSpansRate)
}

func meanThroughput(runs []Run, sampling string) float64 {
	var sum float64
	var n int
	for _, r := range runs {
		if r.Sampling == sampling {
			sum += r.Stats.Throughput
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d): // an unfired timer is collected without Stop since Go 1.23
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Executable is the running program's path, to start its flood subcommand.
func Executable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(exe)
}
