package production

import (
	"bytes"
	"context"
	"encoding/json"
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
	"github.com/rpc-tracing/workbook/internal/stack"
)

// The topology's addresses: ports of its own, so it can run beside chapter 4's single Jaeger.
const (
	CollectorOTLP   = "http://127.0.0.1:14317"
	CollectorHealth = "http://127.0.0.1:14133/status"
	StorageHealth   = "http://127.0.0.1:24133/status"
	StorageQuery    = "http://127.0.0.1:26686"
	EdgeAddr        = "127.0.0.1:18080"
)

// ServiceArgs put the five services on ports of their own too.
var ServiceArgs = []string{"-listen", EdgeAddr, "-speak", "127.0.0.1:18061", "-read", "127.0.0.1:18062",
	"-write", "127.0.0.1:18063", "-sing", "127.0.0.1:18081"}

// StorageEnv is the storage Jaeger's environment: its Badger directory and its sampling
// strategies file (configDir is ch04-jaeger/production, with strategies.json).
func StorageEnv(configDir, badgerDir string) []string {
	strategies, err := filepath.Abs(filepath.Join(configDir, "strategies.json"))
	if err != nil {
		strategies = filepath.Join(configDir, "strategies.json")
	}
	return []string{"JAEGER_BADGER_DIR=" + badgerDir, "JAEGER_STRATEGIES=" + strategies}
}

// Config says where the binaries and this package's configs are.
type Config struct {
	Bin string // the Makefile's bin/
	Dir string // ch04-jaeger/production: collector.yaml, storage.yaml and strategies.json
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
	dir, err := os.MkdirTemp("", "workbook-badger-")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	st, err := stack.New(stack.Config{Bin: cfg.Bin, Env: []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + CollectorOTLP, "OTEL_BSP_SCHEDULE_DELAY=200"},
		Program: demo.Program})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Stop()) }()
	fmt.Fprintln(out, "# starting storage (Jaeger on Badger), the collector tier (tail sampling) and the five services")
	if _, err := st.StartBackend(ctx, "storage", "jaeger", []string{"--config", filepath.Join(cfg.Dir, "storage.yaml")},
		StorageEnv(cfg.Dir, dir), StorageHealth); err != nil {
		return err
	}
	if _, err := st.StartBackend(ctx, "collector", "jaeger", []string{"--config", filepath.Join(cfg.Dir, "collector.yaml")}, nil, CollectorHealth); err != nil {
		return err
	}
	for _, s := range chain.Services {
		if err := st.StartService(ctx, s, ServiceArgs...); err != nil {
			return err
		}
	}
	sent, err := sendMix(ctx, out)
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
	storage := jaegerapi.Client{URL: StorageQuery}
	if _, err := storage.WaitForTrace(waitCtx, ids[len(ids)-1], func(s []jaegerapi.Span) bool { return len(s) >= last.spans }); err != nil {
		return err
	}
	return report(ctx, out, sent)
}

// sendMix sends every category's requests and returns their trace IDs.
func sendMix(ctx context.Context, out io.Writer) (map[string][]string, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	sent := map[string][]string{}
	for _, c := range Mix {
		fmt.Fprintf(out, "sending %d %s requests\n", c.count, c.name)
		for range c.count {
			id, err := study(ctx, client, c.query)
			if err != nil {
				return nil, err
			}
			sent[c.name] = append(sent[c.name], id)
		}
	}
	return sent, nil
}

func study(ctx context.Context, client *http.Client, query string) (string, error) {
	body, _ := json.Marshal(listen.StudyRequest{Student: "Lin", Text: "Lin studies the logs. Then she writes it up."})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+EdgeAddr+"/api/study"+query, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var r struct {
		TraceID string `json:"trace_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.TraceID == "" {
		return "", fmt.Errorf("%s: no trace ID in the answer (%v)", resp.Status, err)
	}
	return r.TraceID, nil
}

// report looks each trace up in storage and prints what was kept, and whether it was whole.
func report(ctx context.Context, out io.Writer, sent map[string][]string) error {
	storage := jaegerapi.Client{URL: StorageQuery}
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
