// Package report turns a `make bench` run into docs/performance.md: it reads the output of
// `go test -bench` and chainbench's JSON report, pairs each measure with its baseline from the
// same run, checks the targets, and draws the charts.
package report

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/rpc-tracing/workbook/internal/cpubench"
)

// Sample is one line of `go test -bench -benchmem` output. CPUPerOp is the process's CPU time
// per operation that the benchmarks under load report (cpu-ns/op, see internal/cpubench), 0
// where a benchmark does not.
type Sample struct {
	NsPerOp, BytesPerOp, AllocsPerOp, CPUPerOp float64
}

// Benchmarks maps a benchmark's name (without the -GOMAXPROCS suffix) to its samples, in the
// order they were run: with -count N, go test runs a benchmark function N times, each time all
// of its sub-benchmarks, so sample i of one mode and sample i of another ran side by side.
type Benchmarks map[string][]Sample

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

// ParseBench reads `go test -bench` output; lines that are not results are skipped.
func ParseBench(r io.Reader) (Benchmarks, error) {
	out := Benchmarks{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		s, err := parseMeasures(m[2])
		if err != nil {
			return nil, fmt.Errorf("report: %q: %w", sc.Text(), err)
		}
		out[m[1]] = append(out[m[1]], s)
	}
	return out, sc.Err()
}

// parseMeasures reads "123 ns/op  456 cpu-ns/op  45 B/op  6 allocs/op".
func parseMeasures(text string) (Sample, error) {
	var s Sample
	fields := strings.Fields(text)
	for i := 0; i+1 < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return s, err
		}
		switch fields[i+1] {
		case "ns/op":
			s.NsPerOp = v
		case "B/op":
			s.BytesPerOp = v
		case "allocs/op":
			s.AllocsPerOp = v
		case cpuUnit:
			s.CPUPerOp = v
		}
	}
	if s.NsPerOp == 0 {
		return s, fmt.Errorf("no ns/op")
	}
	return s, nil
}

// Spread is a figure measured several times: its median and its range.
type Spread struct {
	Median, Min, Max float64
	N                int
}

// spreadOf summarises values; the zero Spread for none.
func spreadOf(values []float64) Spread {
	if len(values) == 0 {
		return Spread{}
	}
	v := slices.Clone(values)
	slices.Sort(v)
	mid := len(v) / 2
	median := v[mid]
	if len(v)%2 == 0 {
		median = (v[mid-1] + v[mid]) / 2
	}
	return Spread{Median: median, Min: v[0], Max: v[len(v)-1], N: len(v)}
}

// Time is the spread of a benchmark's ns/op.
func (b Benchmarks) Time(name string) Spread {
	return b.measure(name, func(s Sample) float64 { return s.NsPerOp })
}

// CPU is the spread of a benchmark's cpu-ns/op.
func (b Benchmarks) CPU(name string) Spread {
	return b.measure(name, func(s Sample) float64 { return s.CPUPerOp })
}

// Allocs is the spread of a benchmark's allocs/op.
func (b Benchmarks) Allocs(name string) Spread {
	return b.measure(name, func(s Sample) float64 { return s.AllocsPerOp })
}

func (b Benchmarks) measure(name string, f func(Sample) float64) Spread {
	var v []float64
	for _, s := range b[name] {
		v = append(v, f(s))
	}
	return spreadOf(v)
}

// Ratio is the time of name over that of base, sample by sample (sample i of each ran side by
// side), summarised. It fails if either is missing or their counts differ.
func (b Benchmarks) Ratio(name, base string) (Spread, error) {
	return b.ratio(name, base, "ns/op", func(s Sample) float64 { return s.NsPerOp })
}

// CPURatio is Ratio of the CPU per operation (cpu-ns/op). It fails as Ratio does, and if a sample
// has no CPU figure.
func (b Benchmarks) CPURatio(name, base string) (Spread, error) {
	return b.ratio(name, base, cpuUnit, func(s Sample) float64 { return s.CPUPerOp })
}

func (b Benchmarks) ratio(name, base, unit string, f func(Sample) float64) (Spread, error) {
	a, z := b[name], b[base]
	if len(a) == 0 || len(z) == 0 {
		return Spread{}, fmt.Errorf("report: no samples of %s or %s", name, base)
	}
	if len(a) != len(z) {
		return Spread{}, fmt.Errorf("report: %d samples of %s, %d of %s", len(a), name, len(z), base)
	}
	ratios := make([]float64, len(a))
	for i := range a {
		if f(a[i]) == 0 || f(z[i]) == 0 {
			return Spread{}, fmt.Errorf("report: a sample of %s or %s has no %s", name, base, unit)
		}
		ratios[i] = f(a[i]) / f(z[i])
	}
	return spreadOf(ratios), nil
}

// cpuUnit is the CPU time per operation, as the benchmarks under load report it.
const cpuUnit = cpubench.Unit
