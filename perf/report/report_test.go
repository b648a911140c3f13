package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleDir is testdata/sample with the sample profiles written next to it.
func sampleDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("testdata/sample")))
	sampleProfiles(t, dir)
	return dir
}

// The sample run in testdata/sample has round numbers, so every figure below can be checked by
// hand.
func sample(t *testing.T) Doc {
	t.Helper()
	in, err := Load(sampleDir(t))
	require.NoError(t, err)
	d, err := Build(in)
	require.NoError(t, err)
	return d
}

func TestParseBenchGroupsSamplesByNameInOrder(t *testing.T) {
	b, err := ParseBench(strings.NewReader("goos: linux\nBenchmarkX/mode=a-2  10  100 ns/op  8 B/op  1 allocs/op\nBenchmarkX/mode=a-2  10  300 ns/op\nok  pkg 1s\n"))
	require.NoError(t, err)
	require.Len(t, b["BenchmarkX/mode=a"], 2)
	assert.Equal(t, Sample{NsPerOp: 100, BytesPerOp: 8, AllocsPerOp: 1}, b["BenchmarkX/mode=a"][0])
	assert.Equal(t, Spread{Median: 200, Min: 100, Max: 300, N: 2}, b.Time("BenchmarkX/mode=a"))
}

func TestParseBenchRejectsAResultWithoutTime(t *testing.T) {
	_, err := ParseBench(strings.NewReader("BenchmarkX-2  10  8 B/op\n"))
	assert.ErrorContains(t, err, "no ns/op")
}

func TestRatioPairsSamplesThatRanSideBySide(t *testing.T) {
	d := sample(t)
	// gRPC traced/untraced: 84000/60000 = 1.40 and 75000/50000 = 1.50.
	assert.InDelta(t, 1.45, d.row(grpcTraced).Ratio.Median, 1e-9)
	assert.InDelta(t, 1.40, d.row(grpcTraced).Ratio.Min, 1e-9)
	assert.InDelta(t, 1.50, d.row(grpcTraced).Ratio.Max, 1e-9)
	// net/rpc untraced is compared with the floor by medians: 27500/11000 = 2.5.
	assert.InDelta(t, 2.5, d.row(netrpcUntraced).Ratio.Median, 1e-9)

	b := Benchmarks{"a": {{NsPerOp: 1}}, "b": {{NsPerOp: 1}, {NsPerOp: 2}}}
	_, err := b.Ratio("a", "b")
	assert.ErrorContains(t, err, "1 samples of a, 2 of b")
	_, err = b.Ratio("a", "missing")
	assert.ErrorContains(t, err, "no samples")
}

func TestTargetsAreCheckedOnTheMedians(t *testing.T) {
	got := map[string]Target{}
	for _, tg := range sample(t).Targets {
		got[tg.Measure] = tg
	}
	for measure, met := range map[string]bool{
		"net/rpc traced / untraced, CPU per call under load (chapter 2, tuned)": true,  // 1.20 and 1.10: median 1.15
		"net/rpc traced − untraced, allocations per call (chapter 2, tuned)":    false, // 36 − 16 = 20
		"net/rpc untraced / TCP echo floor, time":                               true,  // 2.5
		// otelgrpc 1.50, without events 1.40, the plugin 1.45: the best is 1.40.
		"gRPC traced / untraced, CPU per call under load, best instrumentation": true,
		// otelgrpc 1.15 and 1.10 (1.125), the plugin 1.05 and 1.08 (1.065): the best is the plugin's.
		"gRPC sampled-1pct / untraced, CPU per call under load, best instrumentation": true,
		"chain throughput, 100% traced / off":                                         true, // 0.90 and 0.80: median 0.85
		"chain throughput, 1% / off":                                                  true, // 0.99 and 1.00
	} {
		tg, ok := got[measure]
		require.True(t, ok, measure)
		assert.Equal(t, met, tg.Met, "%s: got %s", measure, tg.Got)
	}
	assert.Equal(t, "20", got["net/rpc traced − untraced, allocations per call (chapter 2, tuned)"].Got)
	assert.Equal(t, "1.40×, otelgrpc without message events", got["gRPC traced / untraced, CPU per call under load, best instrumentation"].Got)
	assert.Equal(t, "1.06× (1.05–1.08), grpc-go's plugin", got["gRPC sampled-1pct / untraced, CPU per call under load, best instrumentation"].Got)
	loss := got["spans lost at 100%, 1m0s below Jaeger's capacity"]
	assert.True(t, loss.Met)
	assert.Equal(t, "0 of 324000", loss.Got)
}

func TestStallFigures(t *testing.T) {
	s := sample(t).Stall
	assert.Equal(t, 45000.0, s.Lost)
	assert.InDelta(t, 1.0/3, s.LostShare, 1e-9)
	assert.Equal(t, 9000.0, s.SpanRate)             // 135000 spans in 15 s
	assert.InDelta(t, 15000.0, s.QueueNeeded, 1e-6) // a third of 9000/s for 5 s
}

func TestExtrasTurnSharesIntoAllocationsPerCall(t *testing.T) {
	d := sample(t)
	require.Len(t, d.Extras, len(comparisons))
	// gRPC untraced: 152 allocations, 60% grpc-go, 40% harness. Traced at 1%: 231 allocations,
	// 30% grpc-go, 20% harness, 25% otelgrpc, 25% SDK.
	c := d.Extras[0]
	assert.Equal(t, "gRPC `Add`, sampled-1pct against untraced", c.Title)
	byOwner := map[string]Extra{}
	for _, e := range c.Rows {
		byOwner[e.Owner] = e
	}
	assert.InDelta(t, 0.25*231, byOwner["otelgrpc"].Extra, 1e-9)
	assert.InDelta(t, 0.30*231-0.60*152, byOwner["grpc-go"].Extra, 1e-9)
	assert.InDelta(t, 0.40*152, byOwner[Harness].Base, 1e-9)
	var order []float64
	for _, e := range c.Rows {
		order = append(order, e.Extra)
	}
	assert.IsNonIncreasing(t, order, "largest extra first")
}

func TestThePageShowsTheRun(t *testing.T) {
	files, err := Generate(sampleDir(t), t.TempDir())
	require.NoError(t, err)
	page := string(files["performance.md"])
	for _, want := range []string{
		"Sample CPU, 2 cores",
		"| gRPC traced / untraced, CPU per call under load, best instrumentation | ≤ 1.45× | 1.40×, otelgrpc without message events | met |",
		"| net/rpc traced − untraced, allocations per call (chapter 2, tuned) | ≤ 12 | 20 | **missed** |",
		"| UnaryParallel/mode=grpcotel-sampled-1pct | 48.0 µs | 30.0 µs | 234 | 14429 | 1.06× (1.05–1.08) |",
		"| otelgrpc-noop-provider | 216 | +32 |",
		"| OTLP/gRPC | gzip | 512 | 9.3 µs | 24 | 1.55× (1.50–1.60) |",
		"gzip a span costs 1.55× (1.50–1.60) of its cost without, dearer in every pair of samples",
		"at 1% it allocates 244 per call to otelgrpc's 231",
		"were dropped** by the services' batch processors when their queues (8192",
		"Jaeger stored **40000 spans/s**",
		"One request of the chain is **9 spans**",
		"**45000\n  (33%) were dropped**",
		"![Chain throughput by configuration](perf/chain.svg)",
	} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "<no value>")
	for _, chart := range []string{"perf/overhead.svg", "perf/chain.svg"} {
		svg := string(files[chart])
		assert.True(t, strings.HasPrefix(svg, "<svg "), chart)
		assert.Contains(t, svg, "</svg>")
	}
	assert.Equal(t, 9, strings.Count(string(files["perf/overhead.svg"]), `<rect x=`), "3 net/rpc bars, 4 otelgrpc bars, 2 of the plugin")
}

func TestBuildFailsOnAMissingBenchmark(t *testing.T) {
	for _, name := range []string{grpcSampled, pluginLoadSampled, "BenchmarkUnsampledLayers/layer=stats-handler", exporterDefault} {
		in, err := Load(sampleDir(t))
		require.NoError(t, err)
		delete(in.Micro, name)
		_, err = Build(in)
		assert.ErrorContains(t, err, "missing", name)
		assert.ErrorContains(t, err, name)
	}
}

func TestParseBenchReadsTheCPUPerCall(t *testing.T) {
	b, err := ParseBench(strings.NewReader("BenchmarkX/mode=a-2  10  100 ns/op  180 cpu-ns/op  8 B/op  1 allocs/op\n" +
		"BenchmarkX/mode=a-2  10  120 ns/op  200 cpu-ns/op  8 B/op  1 allocs/op\n" +
		"BenchmarkX/mode=b-2  10  100 ns/op  90 cpu-ns/op\nBenchmarkX/mode=b-2  10  100 ns/op  100 cpu-ns/op\n" +
		"BenchmarkY-2  10  100 ns/op\n"))
	require.NoError(t, err)
	assert.Equal(t, Sample{NsPerOp: 100, CPUPerOp: 180, BytesPerOp: 8, AllocsPerOp: 1}, b["BenchmarkX/mode=a"][0])
	assert.Equal(t, Spread{Median: 190, Min: 180, Max: 200, N: 2}, b.CPU("BenchmarkX/mode=a"))
	r, err := b.CPURatio("BenchmarkX/mode=a", "BenchmarkX/mode=b")
	require.NoError(t, err)
	assert.Equal(t, Spread{Median: 2, Min: 2, Max: 2, N: 2}, r, "180/90 and 200/100, pair by pair")
	_, err = b.CPURatio("BenchmarkY", "BenchmarkY")
	assert.ErrorContains(t, err, "has no cpu-ns/op", "a benchmark that does not report its CPU")
}

func TestVerdictNeedsEveryPair(t *testing.T) {
	assert.Equal(t, "dearer in every pair of samples", verdict(Spread{Median: 1.3, Min: 1.1, Max: 1.5, N: 3}))
	assert.Equal(t, "cheaper in every pair of samples", verdict(Spread{Median: 0.8, Min: 0.7, Max: 0.9, N: 3}))
	assert.Equal(t, "no different within this run's noise", verdict(Spread{Median: 0.8, Min: 0.7, Max: 1.1, N: 3}))
}

func TestLayersAddUp(t *testing.T) {
	d := sample(t)
	require.Len(t, d.Layers, 4)
	assert.Equal(t, []float64{0, 32, 32, 15}, []float64{d.Layers[0].Extra, d.Layers[1].Extra, d.Layers[2].Extra, d.Layers[3].Extra})
	assert.Equal(t, "protocol=grpc compression=none batch=2048", func() string {
		c := d.CheapestExporter()
		return "protocol=" + c.Protocol + " compression=" + c.Compression + " batch=" + c.Batch
	}(), "5700/6000 twice: 0.95, the only setting below the defaults")
}

// TestThePageIsUpToDate is the drift check: docs/performance.md, its charts and the figures other
// pages quote from the run must be what perfdoc makes of the results checked in under
// perf/results (`make bench` rewrites them all).
func TestThePageIsUpToDate(t *testing.T) {
	files, err := Generate("../results", "../../docs")
	require.NoError(t, err)
	assert.NoError(t, Check("../../docs", files))
}

func TestQuotedFiguresAreMadeFromTheRun(t *testing.T) {
	d := sample(t)
	docs := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(docs, "zh"), 0o755))
	page := "| untraced | <!--perf: us (.Row \"BenchmarkUnary/mode=untraced\").Time.Median -->52.2 µs<!--/perf--> | " +
		"<!--perf: f0 (.Row \"BenchmarkUnary/mode=untraced\").Allocs.Median -->152<!--/perf--> |\n"
	require.NoError(t, os.WriteFile(filepath.Join(docs, "zh", "quoting.md"), []byte(page), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(docs, "plain.md"), []byte("No figures.\n"), 0o644))

	files, err := d.Quotes(docs)
	require.NoError(t, err)
	require.Len(t, files, 1, "only the pages that quote figures")
	assert.Equal(t, "| untraced | <!--perf: us (.Row \"BenchmarkUnary/mode=untraced\").Time.Median -->55.0 µs<!--/perf--> | "+
		"<!--perf: f0 (.Row \"BenchmarkUnary/mode=untraced\").Allocs.Median -->152<!--/perf--> |\n", string(files["zh/quoting.md"]),
		"the sample's untraced gRPC call: 60 and 50 µs, a median of 55")
	assert.ErrorContains(t, Check(docs, files), "zh/quoting.md is not what perfdoc makes")

	require.NoError(t, os.WriteFile(filepath.Join(docs, "bad.md"), []byte("<!--perf: .NoSuchField -->1<!--/perf-->\n"), 0o644))
	_, err = d.Quotes(docs)
	assert.ErrorContains(t, err, "bad.md")
}
