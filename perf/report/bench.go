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
)

// Sample is one line of `go test -bench -benchmem` output.
type Sample struct {
	NsPerOp, BytesPerOp, AllocsPerOp float64
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

// parseMeasures reads "123 ns/op  45 B/op  6 allocs/op".
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
	a, z := b[name], b[base]
	if len(a) == 0 || len(z) == 0 {
		return Spread{}, fmt.Errorf("report: no samples of %s or %s", name, base)
	}
	if len(a) != len(z) {
		return Spread{}, fmt.Errorf("report: %d samples of %s, %d of %s", len(a), name, len(z), base)
	}
	ratios := make([]float64, len(a))
	for i := range a {
		ratios[i] = a[i].NsPerOp / z[i].NsPerOp
	}
	return spreadOf(ratios), nil
}
