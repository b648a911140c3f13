package report

import (
	"fmt"
	"strings"

	"github.com/rpc-tracing/workbook/ch04-jaeger/otelsetup"
	"github.com/rpc-tracing/workbook/internal/cpubench"
)

// The benchmarks under load (b.RunParallel, CPU per call) the page reads, and the other new
// families: the unsampled call's layers and the exporter's settings.
const (
	netrpcLoadUntraced = "BenchmarkTunedCallParallel/mode=untraced"
	netrpcLoadTraced   = "BenchmarkTunedCallParallel/mode=traced"
	netrpcLoadSampled  = "BenchmarkTunedCallParallel/mode=sampled-1pct"
	grpcLoadUntraced   = "BenchmarkUnaryParallel/mode=untraced"
	grpcLoadTraced     = "BenchmarkUnaryParallel/mode=traced"
	grpcLoadSampled    = "BenchmarkUnaryParallel/mode=sampled-1pct"
	grpcLoadNoEvents   = "BenchmarkUnaryParallel/mode=traced-without-events"
	pluginLoadTraced   = "BenchmarkUnaryParallel/mode=grpcotel-traced"
	pluginLoadSampled  = "BenchmarkUnaryParallel/mode=grpcotel-sampled-1pct"
	pluginTraced       = "BenchmarkUnary/mode=grpcotel-traced"
	pluginSampled      = "BenchmarkUnary/mode=grpcotel-sampled-1pct"
	netrpcTunedTraced  = "BenchmarkTunedCall/mode=traced"
	netrpcTunedBase    = "BenchmarkTunedCall/mode=untraced"
	exporterDefault    = "BenchmarkExporter/protocol=grpc/compression=none/batch=512"
)

// loadSpecs are the rows of the table under load: each with the untraced baseline of its family.
var loadSpecs = []rowSpec{
	{"BenchmarkCallParallel/mode=untraced", "BenchmarkCallParallel/mode=untraced"},
	{"BenchmarkCallParallel/mode=sampled-1pct", "BenchmarkCallParallel/mode=untraced"},
	{"BenchmarkCallParallel/mode=traced", "BenchmarkCallParallel/mode=untraced"},
	{netrpcLoadUntraced, netrpcLoadUntraced}, {netrpcLoadSampled, netrpcLoadUntraced}, {netrpcLoadTraced, netrpcLoadUntraced},
	{grpcLoadUntraced, grpcLoadUntraced}, {grpcLoadSampled, grpcLoadUntraced}, {grpcLoadTraced, grpcLoadUntraced},
	{"BenchmarkUnaryParallel/mode=traced+metrics", grpcLoadUntraced}, {grpcLoadNoEvents, grpcLoadUntraced},
	{pluginLoadSampled, grpcLoadUntraced}, {pluginLoadTraced, grpcLoadUntraced},
}

// LoadRow is one benchmark under load: its CPU per call (cpu-ns/op) and wall time per call with
// every core busy, and its CPU ratio to its baseline, pair by pair.
type LoadRow struct {
	Name, Baseline    string
	CPU, Time, Allocs Spread
	Bytes             float64
	Ratio             Spread
}

func loadRows(b Benchmarks) ([]LoadRow, error) {
	var out []LoadRow
	for _, s := range loadSpecs {
		if len(b[s.name]) == 0 {
			return nil, fmt.Errorf("report: benchmark %s missing", s.name)
		}
		r, err := b.CPURatio(s.name, s.base)
		if err != nil {
			return nil, err
		}
		out = append(out, LoadRow{Name: s.name, Baseline: s.base, CPU: b.CPU(s.name), Time: b.Time(s.name),
			Allocs: b.Allocs(s.name), Bytes: b.measure(s.name, func(x Sample) float64 { return x.BytesPerOp }).Median, Ratio: r})
	}
	return out, nil
}

// Parallelism is how many calls per core the benchmarks under load keep in flight.
func (Doc) Parallelism() int { return cpubench.Parallelism }

// LoadOf gives the template a row under load by name.
func (d Doc) LoadOf(name string) LoadRow {
	for _, r := range d.Load {
		if r.Name == name {
			return r
		}
	}
	return LoadRow{}
}

// best is the cheapest of candidates under load, by median CPU ratio: the target's "best
// instrumentation".
func (d Doc) best(candidates ...string) LoadRow {
	var out LoadRow
	for _, c := range candidates {
		if r := d.LoadOf(c); out.Name == "" || r.Ratio.Median < out.Ratio.Median {
			out = r
		}
	}
	return out
}

// BestTraced and BestSampled are the cheapest gRPC instrumentation under load at 100% and at 1%,
// as the targets read them.
func (d Doc) BestTraced() LoadRow  { return d.best(grpcLoadTraced, grpcLoadNoEvents, pluginLoadTraced) }
func (d Doc) BestSampled() LoadRow { return d.best(grpcLoadSampled, pluginLoadSampled) }

// PluginAtOnePercent is the CPU per call under load of grpc-go's plugin over otelgrpc's at 1%,
// pair by pair; PluginAtFull the same at 100%, against otelgrpc without message events (the
// plugin records its own). The zero Spread if a benchmark is missing.
func (d Doc) PluginAtOnePercent() Spread {
	r, _ := d.Inputs.Micro.CPURatio(pluginLoadSampled, grpcLoadSampled)
	return r
}

func (d Doc) PluginAtFull() Spread {
	r, _ := d.Inputs.Micro.CPURatio(pluginLoadTraced, grpcLoadNoEvents)
	return r
}

// instrumentationOf names the instrumentation and configuration of a gRPC mode, for the targets.
func instrumentationOf(name string) string {
	switch mode := name[strings.LastIndex(name, "=")+1:]; {
	case strings.HasPrefix(mode, "grpcotel-"):
		return "grpc-go's plugin"
	case mode == "traced-without-events":
		return "otelgrpc without message events"
	default:
		return "otelgrpc"
	}
}

// Layer is one layer of an unsampled gRPC call (BenchmarkUnsampledLayers): its allocations per
// call and what it adds to the layer before.
type Layer struct {
	Name          string
	Allocs, Extra float64
}

func layers(b Benchmarks) ([]Layer, error) {
	var out []Layer
	for i, name := range []string{"untraced", "stats-handler", "otelgrpc-noop-provider", "sampled-1pct"} {
		full := "BenchmarkUnsampledLayers/layer=" + name
		if len(b[full]) == 0 {
			return nil, fmt.Errorf("report: benchmark %s missing", full)
		}
		l := Layer{Name: name, Allocs: b.Allocs(full).Median}
		if i > 0 {
			l.Extra = l.Allocs - out[i-1].Allocs
		}
		out = append(out, l)
	}
	return out, nil
}

// ExporterRow is one exporter setting (BenchmarkExporter): the CPU a span costs the process that
// makes it, and the ratio to the SDK's defaults (OTLP gRPC, no compression, batches of 512).
type ExporterRow struct {
	Protocol, Compression, Batch string
	CPU, Allocs                  Spread
	Ratio                        Spread
}

func exporterRows(b Benchmarks) ([]ExporterRow, error) {
	var out []ExporterRow
	for _, s := range []struct{ protocol, compression, batch string }{
		{"grpc", "none", "512"}, {"grpc", "gzip", "512"}, {"grpc", "none", "128"}, {"grpc", "none", "2048"},
		{"http", "none", "512"}, {"http", "gzip", "512"},
	} {
		name := fmt.Sprintf("BenchmarkExporter/protocol=%s/compression=%s/batch=%s", s.protocol, s.compression, s.batch)
		if len(b[name]) == 0 {
			return nil, fmt.Errorf("report: benchmark %s missing", name)
		}
		r, err := b.CPURatio(name, exporterDefault)
		if err != nil {
			return nil, err
		}
		out = append(out, ExporterRow{Protocol: s.protocol, Compression: s.compression, Batch: s.batch,
			CPU: b.CPU(name), Allocs: b.Allocs(name), Ratio: r})
	}
	return out, nil
}

// QueueSize and BatchSize are the batch processor's sizes in chapter 4's services.
func (Doc) QueueSize() int { return otelsetup.MaxQueueSize }
func (Doc) BatchSize() int { return otelsetup.MaxExportBatchSize }

// CheapestExporter is the exporter setting with the lowest median CPU ratio to the defaults,
// the defaults themselves included.
func (d Doc) CheapestExporter() ExporterRow {
	var out ExporterRow
	for i, r := range d.Exporter {
		if i == 0 || r.Ratio.Median < out.Ratio.Median {
			out = r
		}
	}
	return out
}

// verdict says what a ratio to a baseline means, given its spread over the pairs: dearer or
// cheaper only if every pair says so.
func verdict(r Spread) string {
	switch {
	case r.Min > 1:
		return "dearer in every pair of samples"
	case r.Max < 1:
		return "cheaper in every pair of samples"
	}
	return "no different within this run's noise"
}
