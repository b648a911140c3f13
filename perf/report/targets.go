package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rpc-tracing/workbook/perf/chainload"
)

// targets checks the targets against a run, each on its median. Time targets are CPU
// per call under load (the *Parallel benchmarks); the gRPC ones take the cheapest of the
// instrumentations measured, and say which it is.
func targets(d Doc) []Target {
	nu, nt := d.row(netrpcTunedBase), d.row(netrpcTunedTraced)
	nl := d.LoadOf(netrpcLoadTraced)
	gt, gs := d.BestTraced(), d.BestSampled()
	extra := nt.Allocs.Median - nu.Allocs.Median
	full, one := d.chainRow(chainload.Full.Name), d.chainRow(chainload.OnePercent.Name)
	loss := d.Inputs.Chain.Loss
	lost := loss.SpansProduced - loss.SpansReceived
	return []Target{
		{"net/rpc traced / untraced, CPU per call under load (chapter 2, tuned)", "≤ 1.20×", fmtRatio(nl.Ratio), nl.Ratio.Median <= 1.20},
		{"net/rpc traced − untraced, allocations per call (chapter 2, tuned)", "≤ 12", fmt.Sprintf("%.0f", extra), extra <= 12},
		{"net/rpc untraced / TCP echo floor, time", "≤ 3×", fmtRatio(nu.Ratio), nu.Ratio.Median <= 3},
		{"gRPC traced / untraced, CPU per call under load, best instrumentation", "≤ 1.45×",
			fmtRatio(gt.Ratio) + ", " + instrumentationOf(gt.Name), gt.Ratio.Median <= 1.45},
		{"gRPC sampled-1pct / untraced, CPU per call under load, best instrumentation", "≤ 1.10×",
			fmtRatio(gs.Ratio) + ", " + instrumentationOf(gs.Name), gs.Ratio.Median <= 1.10},
		{"chain throughput, 100% traced / off", "≥ 0.85", fmtRatio(full.Ratio), full.Ratio.Median >= 0.85},
		{"chain throughput, 1% / off", "≥ 0.97", fmtRatio(one.Ratio), one.Ratio.Median >= 0.97},
		{fmt.Sprintf("spans lost at 100%%, %v below Jaeger's capacity", loss.Stats.Elapsed.Round(1e9)), "0",
			fmt.Sprintf("%.0f of %.0f", max(lost, 0), loss.SpansProduced), loss.SpansProduced > 0 && lost <= 0},
	}
}

func (d Doc) row(name string) RPCRow {
	for _, r := range append(slices.Clone(d.RPC), d.InProcess...) {
		if r.Name == name {
			return r
		}
	}
	return RPCRow{}
}

func (d Doc) chainRow(sampling string) ChainRow {
	for _, r := range d.ChainRows {
		if r.Sampling == sampling {
			return r
		}
	}
	return ChainRow{}
}

// Missed lists the targets a run missed.
func (d Doc) Missed() []Target {
	var out []Target
	for _, t := range d.Targets {
		if !t.Met {
			out = append(out, t)
		}
	}
	return out
}

// Row and ChainOf give the template a row by name.
func (d Doc) Row(name string) RPCRow    { return d.row(name) }
func (d Doc) ChainOf(s string) ChainRow { return d.chainRow(s) }
func (d Doc) ExtraAllocs(name, base string) float64 {
	return d.row(name).Allocs.Median - d.row(base).Allocs.Median
}

// shortName is a benchmark's name without "Benchmark".
func shortName(name string) string { return strings.TrimPrefix(name, "Benchmark") }

func overheadChart(d Doc) Chart {
	bar := func(label, name string) Bar {
		r := d.LoadOf(name).Ratio
		return Bar{Label: label, Value: r.Median, Min: r.Min, Max: r.Max}
	}
	return Chart{
		Title: "CPU per call under load relative to untraced (median, whiskers: range)", YLabel: "× untraced", Reference: 1, Format: "%.2f×",
		Groups: []Group{
			{Name: "net/rpc (chapter 2, tuned)", Bars: []Bar{{Label: "untraced", Value: 1}, bar("1% sampled", netrpcLoadSampled), bar("100% traced", netrpcLoadTraced)}},
			{Name: "gRPC, otelgrpc (chapter 3)", Bars: []Bar{{Label: "untraced", Value: 1}, bar("1% sampled", grpcLoadSampled), bar("100% traced", grpcLoadTraced), bar("100% + metrics", "BenchmarkUnaryParallel/mode=traced+metrics")}},
			{Name: "gRPC, grpc-go's plugin", Bars: []Bar{bar("1% sampled", pluginLoadSampled), bar("100% traced", pluginLoadTraced)}},
		},
	}
}

func chainChart(d Doc) Chart {
	var bars []Bar
	for _, r := range d.ChainRows {
		bars = append(bars, Bar{Label: "tracing " + r.Sampling, Value: r.Throughput.Median, Min: r.Throughput.Min, Max: r.Throughput.Max})
	}
	return Chart{
		Title: "Five-service chain, closed loop: requests per second", YLabel: "requests/s", Format: "%.0f",
		Groups: []Group{{Name: "sampling", Bars: bars}},
	}
}

// ExtraOf is owner's extra allocations per call in comparison i (see comparisons), 0 if none.
func (d Doc) ExtraOf(i int, owners ...string) float64 {
	var sum float64
	for _, e := range d.Extras[i].Rows {
		for _, o := range owners {
			if e.Owner == o {
				sum += e.Extra
			}
		}
	}
	return sum
}
