package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/rpc-tracing/workbook/perf/chainload"
)

// Inputs is what one `make bench` run leaves in perf/results.
type Inputs struct {
	Micro     Benchmarks
	Chain     chainload.Report
	Benchstat string             // benchstat's comparison of the RPC modes
	Profiles  map[string]Profile // by ProfileSpec.Name
}

// ProfileSpec is one profile `make bench` takes: of which benchmark, and which of its sample
// types the doc reads.
type ProfileSpec struct{ Name, Bench, SampleType string }

// Profiles are the profiles `make bench` takes, saved as perf/results/profiles/NAME.prof.
var Profiles = []ProfileSpec{
	{"grpc-untraced-allocs", grpcUntraced, "alloc_objects"},
	{"grpc-sampled-1pct-allocs", grpcSampled, "alloc_objects"},
	{"grpc-traced-allocs", grpcTraced, "alloc_objects"},
	{"grpcotel-sampled-1pct-allocs", pluginSampled, "alloc_objects"},
	{"netrpc-untraced-allocs", netrpcTunedBase, "alloc_objects"},
	{"netrpc-traced-allocs", netrpcTunedTraced, "alloc_objects"},
	{"chain-off-allocs", chainOff, "alloc_objects"},
	{"chain-100pct-allocs", chainFull, "alloc_objects"},
	{"grpc-traced-cpu", grpcLoadTraced, "cpu"},
	{"chain-100pct-cpu", chainFull, "cpu"},
}

// comparisons are the allocation profiles the doc subtracts: who owns the extra allocations.
// The template refers to them by index: add new ones at the end.
var comparisons = []struct{ title, base, traced string }{
	{"gRPC `Add`, sampled-1pct against untraced", "grpc-untraced-allocs", "grpc-sampled-1pct-allocs"},
	{"gRPC `Add`, traced against untraced", "grpc-untraced-allocs", "grpc-traced-allocs"},
	{"net/rpc `Add` (chapter 2, tuned), traced against untraced", "netrpc-untraced-allocs", "netrpc-traced-allocs"},
	{"one request of the chain, 100% against off", "chain-off-allocs", "chain-100pct-allocs"},
	{"gRPC `Add` with grpc-go's plugin, sampled-1pct against untraced", "grpc-untraced-allocs", "grpcotel-sampled-1pct-allocs"},
}

// The benchmarks the doc reads.
const (
	benchFloor      = "BenchmarkTCPEcho"
	netrpcUntraced  = "BenchmarkCall/mode=untraced"
	netrpcTraced    = "BenchmarkCall/mode=traced"
	netrpcSampled   = "BenchmarkCall/mode=sampled-1pct"
	grpcUntraced    = "BenchmarkUnary/mode=untraced"
	grpcTraced      = "BenchmarkUnary/mode=traced"
	grpcSampled     = "BenchmarkUnary/mode=sampled-1pct"
	grpcWithMetrics = "BenchmarkUnary/mode=traced+metrics"
	chainOff        = "BenchmarkChain/sampling=off"
	chainFull       = "BenchmarkChain/sampling=100pct"
)

// Doc is everything the template shows, computed from Inputs.
type Doc struct {
	Inputs
	RPC       []RPCRow
	SDK       []SDKRow
	Targets   []Target
	ChainRows []ChainRow
	InProcess []RPCRow // BenchmarkChain, ratios to sampling=off
	Extras    []Comparison
	Stall     StallFigures
	Load      []LoadRow     // the benchmarks under load, CPU per call
	Layers    []Layer       // an unsampled gRPC call, layer by layer
	Exporter  []ExporterRow // the exporter's settings
	Counts    int           // -count of the micro benchmarks one call at a time
	// LoadCounts is the -count of the benchmarks under load and the exporter's.
	LoadCounts int
	Charts     map[string]string // file name → SVG
}

// RPCRow is one RPC benchmark with its ratio to its baseline.
type RPCRow struct {
	Name, Baseline string
	Time, Allocs   Spread
	Bytes          float64
	Ratio          Spread
}

// SDKRow is one SDK primitive.
type SDKRow struct {
	Name   string
	Time   Spread
	Allocs float64
	Bytes  float64
}

// Target is one line of the targets table.
type Target struct {
	Measure, Want, Got string
	Met                bool
}

// ChainRow is one sampling configuration of the chain.
type ChainRow struct {
	Sampling   string
	Throughput Spread
	Ratio      Spread // to "off", repeat by repeat
	P50, P99   Spread // in ms
	Spans      float64
}

// StallFigures are the stall run's derived figures.
type StallFigures struct {
	Lost, LostShare, SpanRate, QueueNeeded float64
}

// Build computes the doc from a run's inputs.
func Build(in Inputs) (Doc, error) {
	d := Doc{Inputs: in, Charts: map[string]string{}}
	d.Counts, d.LoadCounts = len(in.Micro[grpcUntraced]), len(in.Micro[grpcLoadUntraced])
	var err error
	if d.RPC, err = rpcRows(in.Micro); err != nil {
		return d, err
	}
	if d.Load, err = loadRows(in.Micro); err != nil {
		return d, err
	}
	if d.Layers, err = layers(in.Micro); err != nil {
		return d, err
	}
	if d.Exporter, err = exporterRows(in.Micro); err != nil {
		return d, err
	}
	d.SDK = sdkRows(in.Micro)
	if d.InProcess, err = rows(in.Micro, []rowSpec{
		{chainOff, chainOff}, {"BenchmarkChain/sampling=1pct", chainOff}, {"BenchmarkChain/sampling=100pct", chainOff},
	}); err != nil {
		return d, err
	}
	if d.ChainRows, err = chainRows(in.Chain); err != nil {
		return d, err
	}
	if d.Extras, err = extras(in); err != nil {
		return d, err
	}
	d.Stall = stallFigures(in.Chain)
	d.Targets = targets(d)
	d.Charts["overhead.svg"] = overheadChart(d).SVG()
	d.Charts["chain.svg"] = chainChart(d).SVG()
	return d, nil
}

// rowSpec is a benchmark and the baseline its ratio is to.
type rowSpec struct{ name, base string }

func rpcRows(b Benchmarks) ([]RPCRow, error) {
	return rows(b, []rowSpec{
		{benchFloor, benchFloor},
		{netrpcUntraced, benchFloor}, {netrpcTraced, netrpcUntraced}, {netrpcSampled, netrpcUntraced},
		{netrpcTunedBase, benchFloor}, {netrpcTunedTraced, netrpcTunedBase}, {"BenchmarkTunedCall/mode=sampled-1pct", netrpcTunedBase},
		{grpcUntraced, grpcUntraced}, {grpcTraced, grpcUntraced}, {grpcSampled, grpcUntraced}, {grpcWithMetrics, grpcUntraced},
		{"BenchmarkUnary/mode=traced-without-events", grpcUntraced}, {pluginSampled, grpcUntraced}, {pluginTraced, grpcUntraced},
	})
}

func rows(b Benchmarks, specs []rowSpec) ([]RPCRow, error) {
	var out []RPCRow
	for _, s := range specs {
		if len(b[s.name]) == 0 {
			return nil, fmt.Errorf("report: benchmark %s missing", s.name)
		}
		row := RPCRow{Name: s.name, Baseline: s.base, Time: b.Time(s.name), Allocs: b.Allocs(s.name)}
		row.Bytes = b.measure(s.name, func(x Sample) float64 { return x.BytesPerOp }).Median
		if s.base == benchFloor && s.name != benchFloor { // another package, another process: not side by side
			row.Ratio = Spread{Median: row.Time.Median / b.Time(benchFloor).Median, N: 1}
		} else {
			r, err := b.Ratio(s.name, s.base)
			if err != nil {
				return nil, err
			}
			row.Ratio = r
		}
		out = append(out, row)
	}
	return out, nil
}

func sdkRows(b Benchmarks) []SDKRow {
	var rows []SDKRow
	for _, name := range []string{
		"BenchmarkSpan/provider=noop", "BenchmarkSpan/provider=always-off", "BenchmarkSpan/provider=ratio-1pct",
		"BenchmarkSpan/provider=always-on", "BenchmarkSpanContents/contents=attrs-4", "BenchmarkSpanContents/contents=attrs-8",
		"BenchmarkSpanContents/contents=events-1", "BenchmarkSpanContents/contents=events-4",
	} {
		if len(b[name]) == 0 {
			continue
		}
		rows = append(rows, SDKRow{Name: name, Time: b.Time(name), Allocs: b.Allocs(name).Median,
			Bytes: b.measure(name, func(x Sample) float64 { return x.BytesPerOp }).Median})
	}
	return rows
}

func chainRows(rep chainload.Report) ([]ChainRow, error) {
	bySampling := map[string][]chainload.Run{}
	for _, r := range rep.Runs {
		bySampling[r.Sampling] = append(bySampling[r.Sampling], r)
	}
	off := bySampling[chainload.Off.Name]
	if len(off) == 0 {
		return nil, fmt.Errorf("report: no chain runs with tracing off")
	}
	var rows []ChainRow
	for _, s := range []chainload.Sampling{chainload.Off, chainload.OnePercent, chainload.Full} {
		runs := bySampling[s.Name]
		if len(runs) != len(off) {
			return nil, fmt.Errorf("report: %d chain runs at %s, %d off", len(runs), s.Name, len(off))
		}
		var tput, ratio, p50, p99, spans []float64
		for i, r := range runs {
			tput = append(tput, r.Stats.Throughput)
			ratio = append(ratio, r.Stats.Throughput/off[i].Stats.Throughput)
			p50 = append(p50, ms(r.Stats.P50))
			p99 = append(p99, ms(r.Stats.P99))
			spans = append(spans, r.SpansReceived)
		}
		rows = append(rows, ChainRow{Sampling: s.Name, Throughput: spreadOf(tput), Ratio: spreadOf(ratio),
			P50: spreadOf(p50), P99: spreadOf(p99), Spans: spreadOf(spans).Median})
	}
	return rows, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// busiestShare is the share of a request's spans made by the service that makes the most: speak,
// 3 of chapter 4's 9.
const busiestShare = 3.0 / 9

func stallFigures(rep chainload.Report) StallFigures {
	s := rep.Stall
	f := StallFigures{Lost: s.SpansProduced - s.SpansReceived}
	if s.SpansProduced > 0 {
		f.LostShare = f.Lost / s.SpansProduced
	}
	if s.Stats.Elapsed > 0 {
		f.SpanRate = s.SpansProduced / s.Stats.Elapsed.Seconds()
	}
	// Every service queues its own spans; the busiest, speak, makes 3 of a request's 9 (its
	// server span and its two client spans). Its queue must hold what it makes while Jaeger is
	// away.
	f.QueueNeeded = f.SpanRate * busiestShare * s.Stalled.Seconds()
	return f
}

// Comparison says who owns the allocations a traced benchmark makes beyond its baseline, per call.
type Comparison struct {
	Title        string
	Rows         []Extra // largest extra first
	Base, Traced float64 // allocations per call
}

// Extra is one owner's allocations per call in the baseline and the traced benchmark.
type Extra struct {
	Owner               string
	Base, Traced, Extra float64
}

// extras turns the compared profiles' shares into allocations per call, with the benchmarks'
// exact allocs/op: an owner's share of a profile times the benchmark's allocations per call.
func extras(in Inputs) ([]Comparison, error) {
	benchOf := map[string]string{}
	for _, p := range Profiles {
		if len(in.Profiles[p.Name].Owners) == 0 {
			return nil, fmt.Errorf("report: profile %s missing", p.Name)
		}
		benchOf[p.Name] = p.Bench
	}
	var out []Comparison
	for _, c := range comparisons {
		base, traced := in.Micro.Allocs(benchOf[c.base]).Median, in.Micro.Allocs(benchOf[c.traced]).Median
		cmp := Comparison{Title: c.title, Base: base, Traced: traced}
		seen := map[string]bool{}
		for _, p := range []string{c.base, c.traced} {
			for _, o := range in.Profiles[p].Owners {
				if seen[o.Name] {
					continue
				}
				seen[o.Name] = true
				e := Extra{Owner: o.Name, Base: in.Profiles[c.base].Share(o.Name) * base, Traced: in.Profiles[c.traced].Share(o.Name) * traced}
				e.Extra = e.Traced - e.Base
				if e.Extra >= 0.5 || e.Extra <= -0.5 {
					cmp.Rows = append(cmp.Rows, e)
				}
			}
		}
		slices.SortFunc(cmp.Rows, func(a, b Extra) int { return cmpFloat(b.Extra, a.Extra) })
		out = append(out, cmp)
	}
	return out, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
