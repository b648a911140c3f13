package production

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/rpc-tracing/workbook/ch04-jaeger/chain"
	"github.com/rpc-tracing/workbook/ch04-jaeger/internal/demo"
	"github.com/rpc-tracing/workbook/ch04-jaeger/listen"
	"github.com/rpc-tracing/workbook/internal/jaegerapi"
	"github.com/rpc-tracing/workbook/internal/launch"
	"github.com/rpc-tracing/workbook/internal/stack"
)

// The topology's documented addresses: ports of its own, so it can run beside chapter 4's single
// Jaeger. The Jaegers' ports are in their configs (collector.yaml, storage.yaml).
var documentedServices = chain.Addrs{Listen: "127.0.0.1:18080", Speak: "127.0.0.1:18061", Read: "127.0.0.1:18062",
	Write: "127.0.0.1:18063", Sing: "127.0.0.1:18081"}

// Config says where the binaries and this package's configs are.
type Config struct {
	Bin string // the Makefile's bin/
	Dir string // ch04-jaeger/production: collector.yaml, storage.yaml and strategies.json
	// FreePorts puts the Jaegers and the services on ports free at the time (the tests set it, so
	// they run while the demo holds the documented ones).
	FreePorts bool
}

// A category of requests the demo sends: its requests fail or not (see Whole), and a trace of
// it has at least spans spans.
type category struct {
	name, query string
	count       int
	failing     bool
	spans       int
}

// Mix is the demo's known mix: what tail sampling must keep is known in advance.
var Mix = []category{
	{"normal", "", 200, false, 9},
	{"slow (read +500 ms)", "?slow=read", 20, false, 9},
	{"failing (write)", "?fail=write", 20, true, 5}, // 5 to 7: the read call may be cancelled first
}

// Run starts the tier (storage on Badger in a temporary directory, the collector, the five
// services sending to it), sends the mix, and prints per category what storage kept.
func Run(ctx context.Context, cfg Config, out io.Writer) (err error) {
	fmt.Fprintln(out, "# starting storage (Jaeger on Badger), the collector tier (tail sampling) and the five services")
	tp, err := Start(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, tp.Stop()) }()
	if err := tp.StartServices(ctx, "OTEL_EXPORTER_OTLP_ENDPOINT="+tp.CollectorAddrs.OTLPEndpoint()); err != nil {
		return err
	}
	sent, err := tp.sendMix(ctx, out)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "# waiting for the collector's decisions (decision_wait 8 s) and the export")
	// The last request sent fails, so it is certainly kept: once it is stored, every earlier
	// trace has been decided too.
	last := Mix[len(Mix)-1]
	ids := sent[last.name]
	waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := tp.StorageAPI().WaitForTrace(waitCtx, ids[len(ids)-1], func(s []jaegerapi.Span) bool { return len(s) >= last.spans }); err != nil {
		return err
	}
	return tp.report(ctx, out, sent)
}

// Topology is the tier while it runs: the storage Jaeger, the collector tier (when started) and
// the five services.
type Topology struct {
	cfg       Config
	st        *stack.Stack
	badgerDir string
	// Storage and Collector are the two Jaegers' processes (Collector is nil until started).
	Storage, Collector *launch.Proc
	// StorageAddrs and CollectorAddrs are where each listens.
	StorageAddrs, CollectorAddrs stack.JaegerAddrs
	storageArgs, collectorArgs   []string
	// Services are the five services' addresses.
	Services chain.Addrs
}

// Start starts storage on Badger in a temporary directory and, withCollector, the collector tier
// in front of it; StartServices starts the services.
func Start(ctx context.Context, cfg Config, withCollector bool) (_ *Topology, err error) {
	st, err := stack.New(stack.Config{Bin: cfg.Bin, Program: demo.Program, FreePorts: cfg.FreePorts})
	if err != nil {
		return nil, err
	}
	tp := &Topology{cfg: cfg, st: st, Services: documentedServices}
	defer func() {
		if err != nil {
			err = errors.Join(err, tp.Stop())
		}
	}()
	if tp.badgerDir, err = os.MkdirTemp("", "workbook-badger-"); err != nil {
		return nil, err
	}
	if err := tp.settleAddrs(); err != nil {
		return nil, err
	}
	if err := tp.StartStorage(ctx); err != nil {
		return nil, err
	}
	if withCollector {
		if err := tp.StartCollector(ctx); err != nil {
			return nil, err
		}
	}
	return tp, nil
}

// settleAddrs chooses every address once, so a Jaeger started again listens where it did.
func (tp *Topology) settleAddrs() (err error) {
	if tp.StorageAddrs, tp.storageArgs, err = tp.st.JaegerBackend(filepath.Join(tp.cfg.Dir, "storage.yaml")); err != nil {
		return err
	}
	if tp.CollectorAddrs, tp.collectorArgs, err = tp.st.JaegerBackend(filepath.Join(tp.cfg.Dir, "collector.yaml")); err != nil {
		return err
	}
	// The collector forwards what it keeps to storage, wherever storage listens.
	tp.collectorArgs = append(tp.collectorArgs, "--set=exporters::otlp::endpoint="+tp.StorageAddrs.OTLPGRPC)
	if tp.cfg.FreePorts {
		free, err := stack.FreeAddrsFor(chain.Services)
		if err != nil {
			return err
		}
		tp.Services = chain.AddrsOf(free)
	}
	return nil
}

// StartStorage starts the storage Jaeger (again, after a stop: its traces are on disk).
func (tp *Topology) StartStorage(ctx context.Context) (err error) {
	tp.Storage, err = tp.st.StartBackend(ctx, "storage", "jaeger", tp.storageArgs,
		StorageEnv(tp.cfg.Dir, tp.badgerDir), tp.StorageAddrs.HealthURL())
	return err
}

// StartCollector starts the collector tier (again, after a stop).
func (tp *Topology) StartCollector(ctx context.Context) (err error) {
	tp.Collector, err = tp.st.StartBackend(ctx, "collector", "jaeger", tp.collectorArgs, nil, tp.CollectorAddrs.HealthURL())
	return err
}

// StartServices starts the five services with env added to their environment, which says where
// they send their spans (OTEL_EXPORTER_OTLP_ENDPOINT). They send their batches every 200ms, not
// every 5 s, as in chapter 4's demo.
func (tp *Topology) StartServices(ctx context.Context, env ...string) error {
	env = append([]string{"OTEL_BSP_SCHEDULE_DELAY=200"}, env...)
	for _, s := range chain.Services {
		if err := tp.st.StartServiceWithEnv(ctx, s, env, tp.Services.Flags()...); err != nil {
			return err
		}
	}
	return nil
}

// StorageAPI is storage's query API.
func (tp *Topology) StorageAPI() jaegerapi.Client {
	return jaegerapi.Client{URL: tp.StorageAddrs.QueryURL()}
}

// Stop stops everything and deletes storage's Badger directory.
func (tp *Topology) Stop() error {
	err := tp.st.Stop()
	if tp.badgerDir != "" {
		err = errors.Join(err, os.RemoveAll(tp.badgerDir))
	}
	return err
}

// StorageEnv is the storage Jaeger's environment: its Badger directory and its sampling
// strategies file (configDir is ch04-jaeger/production, with strategies.json).
func StorageEnv(configDir, badgerDir string) []string {
	strategies, err := filepath.Abs(filepath.Join(configDir, "strategies.json"))
	if err != nil {
		strategies = filepath.Join(configDir, "strategies.json")
	}
	return []string{"JAEGER_BADGER_DIR=" + badgerDir, "JAEGER_STRATEGIES=" + strategies}
}

// sendMix sends every category's requests and returns their trace IDs.
func (tp *Topology) sendMix(ctx context.Context, out io.Writer) (map[string][]string, error) {
	sent := map[string][]string{}
	for _, c := range Mix {
		fmt.Fprintf(out, "sending %d %s requests\n", c.count, c.name)
		for range c.count {
			id, _, err := tp.Study(ctx, c.query)
			if err != nil {
				return nil, err
			}
			sent[c.name] = append(sent[c.name], id)
		}
	}
	return sent, nil
}

// client sends the requests; no keep-alive, so no idle connection outlives a test for goleak.
var client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

// Study sends one request to listen with the query's knobs and returns its trace ID and latency.
func (tp *Topology) Study(ctx context.Context, query string) (string, time.Duration, error) {
	edge := listen.Client{URL: "http://" + tp.Services.Listen + "/api/study", HTTP: client}
	start := time.Now()
	a, err := edge.Study(ctx, query, listen.StudyRequest{Student: "Lin", Text: "Lin studies the logs. Then she writes it up."})
	if err != nil {
		return "", 0, err
	}
	if a.TraceID == "" {
		return "", 0, fmt.Errorf("%d %s: no trace ID in the answer (%s)", a.Status, http.StatusText(a.Status), a.Error)
	}
	return a.TraceID, time.Since(start), nil
}

// report looks each trace up in storage and prints what was kept, and whether it was whole.
func (tp *Topology) report(ctx context.Context, out io.Writer, sent map[string][]string) error {
	storage := tp.StorageAPI()
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "category\tsent\tkept\tkept %\twhole\tpolicy\t")
	policies := map[string]string{"normal": "10% of the rest", "slow (read +500 ms)": "latency > 250 ms", "failing (write)": "status ERROR"}
	for _, c := range Mix {
		kept, whole := 0, 0
		for _, id := range sent[c.name] {
			spans, err := storage.Trace(ctx, id)
			if errors.Is(err, jaegerapi.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			kept++
			if Whole(spans, c.failing) {
				whole++
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f%%\t%d\t%s\t\n", c.name, c.count, kept, 100*float64(kept)/float64(c.count), whole, policies[c.name])
	}
	return tw.Flush()
}
